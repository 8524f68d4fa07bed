"""Tokens: --token / --os-token / L2GW_TOKEN / OS_TOKEN against l2gwd in
token mode; a non-admin gets the server's 403 message and exit 1."""

import clitest
from clitest import fails, ok, unique

TOKENS = ["admintok admin admin", "membertok demo member"]

ADMIN_MSG = "User does not have admin privileges: Cannot %s resource for non admin tenant."


def dev():
    return "name=%s,interface_names=p1" % unique("sw")


def test_admin_token_sources(cli):
    name = unique("gw")
    ok(cli("gateway", "create", name, "--device", dev(), "--token", "admintok"))
    ok(cli("gateway", "show", name, "--os-token", "admintok"))
    ok(cli("gateway", "show", name, env={"L2GW_TOKEN": "admintok"}))
    ok(cli("gateway", "show", name, env={"OS_TOKEN": "admintok"}))
    # --token wins over the environment, L2GW_TOKEN over OS_TOKEN.
    ok(cli("gateway", "show", name, "--token", "admintok", env={"L2GW_TOKEN": "membertok"}))
    fails(cli("gateway", "show", name, env={"L2GW_TOKEN": "membertok", "OS_TOKEN": "admintok"}),
          1, ADMIN_MSG % "GET")


def test_member_gets_403_messages(cli):
    name = unique("gw")
    ok(cli("gateway", "create", name, "--device", dev(), "--token", "admintok"))
    r = fails(cli("gateway", "create", unique("gw"), "--device", dev(), "--token", "membertok"),
              1, ADMIN_MSG % "CREATE")
    assert r.out == ""
    fails(cli("gateway", "list", "--token", "membertok"), 1, ADMIN_MSG % "GET")
    # Resolving the name is the first request: its 403 is what is shown.
    fails(cli("gateway", "show", name, "--token", "membertok"), 1, ADMIN_MSG % "GET")
    fails(cli("l2-gateway-delete", name, "--token", "membertok"), 1,
          "Failed to delete 1 of 1 L2 Gateway.", "admin privileges")
    fails(cli("connection", "list", "--token", "membertok"), 1, ADMIN_MSG % "GET")


def test_missing_or_bad_token_exit_1(cli):
    r = cli("gateway", "list")
    assert r.rc == 1 and r.out == "" and r.err.strip(), r
    r = cli("gateway", "list", "--token", "nosuchtoken")
    assert r.rc == 1 and r.out == "" and r.err.strip(), r
