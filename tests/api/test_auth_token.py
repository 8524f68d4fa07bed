"""api.md "Identity and policy": auth_strategy = token (token file lines
"TOKEN PROJECT ROLE[,ROLE]")."""

import pytest

from l2gwtest import admin_required, assert_error, neutron_error, untagged_devices

ADMIN_TOKEN = "tok-admin-5f1c9e"
MEMBER_TOKEN = "tok-member-77ab10"
MULTI_TOKEN = "tok-multi-0c2d"
DAEMON_TOKENS = [
    "%s projadmin admin" % ADMIN_TOKEN,
    "%s projdemo member" % MEMBER_TOKEN,
    "%s projmulti member,admin" % MULTI_TOKEN,
]
GW = "/v2.0/l2-gateways"


def unauthorized(r):
    assert r.status == 401, r
    neutron_error(r)


def test_no_token_401(daemon):
    c = daemon.client(project=None, roles=None)
    unauthorized(c.get(GW))
    unauthorized(c.post(GW, {"l2_gateway": {"devices": untagged_devices()}}))
    c.close()


def test_identity_headers_are_not_enough(daemon):
    c = daemon.client(project="admin", roles="admin")
    unauthorized(c.get(GW))
    c.close()


@pytest.mark.parametrize("token", ["wrong", ADMIN_TOKEN + "x", ADMIN_TOKEN[:-1], "projadmin",
                                   ""])
def test_unknown_token_401(daemon, token):
    c = daemon.client(token=token)
    unauthorized(c.get(GW))
    c.close()


def test_admin_token_works(daemon):
    c = daemon.client(token=ADMIN_TOKEN)
    gw = c.gateway()
    assert gw["tenant_id"] == "projadmin" and gw["project_id"] == "projadmin"
    assert c.show("l2-gateways", "l2_gateway", gw["id"])["id"] == gw["id"]
    assert any(g["id"] == gw["id"] for g in c.list("l2-gateways", "l2_gateways"))
    c.remove("l2-gateways", gw["id"])
    c.close()


def test_token_identity_wins_over_headers(daemon):
    c = daemon.client(token=ADMIN_TOKEN, headers={"X-Project-Id": "spoofed"})
    gw = c.gateway()
    assert gw["tenant_id"] == "projadmin"
    c.close()


def test_member_token_403(daemon):
    c = daemon.client(token=MEMBER_TOKEN)
    assert_error(c.get(GW), 403, "AdminRequired", admin_required("GET"))
    assert_error(c.post(GW, {"l2_gateway": {"devices": untagged_devices()}}), 403,
                 "AdminRequired", admin_required("CREATE"))
    c.close()


def test_member_token_with_admin_header_still_403(daemon):
    c = daemon.client(token=MEMBER_TOKEN, headers={"X-Roles": "admin"})
    assert_error(c.get(GW), 403, "AdminRequired", admin_required("GET"))
    c.close()


def test_token_with_several_roles(daemon):
    c = daemon.client(token=MULTI_TOKEN)
    assert c.get(GW).status == 200
    c.close()
