"""The client's command line itself: help, version, usage errors (exit 2),
global options anywhere and from the environment, output options, and a
server that is down (exit 1, a message naming the URL)."""

import clitest
from clitest import fails, ok, run, show_rows, parse_table


def test_version():
    r = ok(run("--version"))
    assert r.out.startswith("l2gw ") and r.out.strip().split()[1][0].isdigit(), r


def test_global_help_lists_every_command():
    r = ok(run("--help"))
    assert r.out.startswith("usage: l2gw"), r
    for name in ("l2-gateway-create", "l2-gateway-connection-create",
                 "l2-remote-gateway-create", "l2-remote-gateway-connection-create",
                 "l2-remote-mac-create", "--cacert", "--insecure", "--os-url", "--os-token"):
        assert name in r.out, name
    groups = {line.split()[0]: line.split()[1].split("|") for line in r.out.splitlines()
              if line.startswith("  ") and len(line.split()) == 2 and "|" in line}
    crud = ["create", "list", "show", "update", "delete"]
    assert groups == {
        "gateway": crud, "connection": ["create", "list", "show", "delete"],
        "remote-gateway": ["create", "update", "list", "show", "delete"],
        "remote-connection": ["create", "update", "list", "show", "delete"],
        "remote-mac": ["create", "list", "show", "delete"],
        "network": crud, "port": crud, "host": crud,
        "switch": ["list", "show", "forget"], "learned-mac": ["list", "show"],
        "fdb": ["list", "show"]}, r.out
    assert ok(run("help")).out == r.out
    assert ok(run("-h")).out == r.out


def test_help_on_every_command():
    for words in (["l2-gateway-create"], ["gateway", "create"],
                  ["l2-gateway-connection-create"], ["connection", "create"],
                  ["network", "create"], ["port", "update"], ["host", "list"],
                  ["switch", "forget"], ["learned-mac", "list"], ["fdb", "list"],
                  ["remote-mac", "create"], ["l2-remote-gateway-update"]):
        r = ok(run(*words, "--help"))
        assert r.out.startswith("usage: l2gw " + " ".join(words)), r
        assert "--url" in r.out, r
    r = ok(run("l2-gateway-create", "--help"))
    assert "--device" in r.out and "interface_names" in r.out
    r = ok(run("connection", "create", "--help"))
    assert "--default-segmentation-id" in r.out and "--wait" in r.out
    r = ok(run("help", "gateway", "show"))
    assert r.out.startswith("usage: l2gw gateway show")


def test_group_help_lists_verbs():
    r = ok(run("gateway", "--help"))
    for verb in ("create", "list", "show", "update", "delete"):
        assert "\n  " + verb in r.out, r
    r = ok(run("switch", "-h"))
    assert "forget" in r.out and "create" not in r.out


def test_usage_errors_exit_2():
    fails(run(), 2, "usage: l2gw", "missing command")
    fails(run("frobnicate"), 2, "unknown command 'frobnicate'")
    fails(run("gateway"), 2, "missing verb")
    fails(run("gateway", "frob"), 2, "unknown verb 'frob'")
    fails(run("switch", "create", "x"), 2, "unknown verb 'create'")
    fails(run("gateway", "list", "--bogus"), 2, "usage: l2gw gateway list",
          "unrecognized option '--bogus'")
    fails(run("gateway", "show"), 2, "usage: l2gw gateway show", "missing arguments")
    fails(run("gateway", "show", "a", "b"), 2, "unrecognized argument 'b'")
    fails(run("l2-gateway-connection-create", "gw"), 2, "missing arguments")
    fails(run("gateway", "list", "-f"), 2, "'-f' expects one argument")
    fails(run("gateway", "list", "-f", "xml"), 2, "invalid -f 'xml'")
    fails(run("gateway", "list", "--timeout", "soon"), 2, "invalid --timeout")
    fails(run("gateway", "delete"), 2, "missing arguments")
    fails(run("network", "create", b"n\xff".decode("utf-8", "surrogateescape")), 2,
          "is not valid UTF-8 (byte 2)")
    for r in (run("frobnicate"), run("gateway", "list", "--bogus")):
        assert r.out == "", r


def test_device_spec_errors_exit_2_before_any_request():
    # Nothing listens at the default URL of run(): a request would fail
    # with exit 1, so exit 2 proves the spec was refused first.
    cases = [
        ("name=sw1", "missing interface_names=<list> for device 'sw1'"),
        ("interface_names=p1", "missing name=<device>"),
        ("sw1", "missing value for key 'sw1' at column 1"),
        ("name=sw1,interface_names=p1;", "interface 2 has an empty name at column 29"),
        ("name=sw1,interface_names=p1|", "interface 'p1': empty VLAN at column 29"),
        ("name=sw1,interface_names=p1|10#x", "interface 'p1': VLAN 'x' at column 32 is not a number"),
        ("name=sw1,interface_names=p1|5000", "interface 'p1': VLAN 5000 at column 29 is out of range 0..4094"),
        ("name=sw1,interface_names=p1|1|2", "interface 'p1' has a second '|' at column 30"),
        ("nme=sw1,interface_names=p1", "unknown key 'nme' at column 1"),
        ("name=,interface_names=p1", "empty device name at column 6"),
    ]
    for spec, msg in cases:
        r = fails(run("l2-gateway-create", "--device", spec, "gw"), 2,
                  "usage: l2gw l2-gateway-create", "invalid --device '%s': %s" % (spec, msg))
        assert r.out == ""
    fails(run("gateway", "update", "gw", "--device", "name=sw1"), 2,
          "usage: l2gw gateway update", "missing interface_names")
    fails(run("l2-gateway-create", "gw"), 2, "at least one --device is required")


def test_server_down_names_the_url():
    port = clitest.free_port()  # nothing listens there
    url = "http://127.0.0.1:%d" % port
    r = fails(run("l2-gateway-list", url=url), 1,
              "Unable to establish connection to %s/v2.0/l2-gateways: Connection refused" % url)
    assert r.out == ""
    fails(run("gateway", "show", "gw1", url=url), 1, url, "Connection refused")
    fails(run("gateway", "delete", "a", "b", url=url), 1, url, "Failed to delete 2 of 2 L2 Gateway.")


def test_url_sources_and_precedence():
    dead = "http://127.0.0.1:%d" % clitest.free_port()
    other = "http://127.0.0.1:%d" % clitest.free_port()
    # --url, --os-url, L2GW_URL, OS_URL, default: the error names the one used.
    fails(run("gateway", "list", "--url", dead, url=other), 1, dead)
    fails(run("gateway", "list", "--os-url", dead, url=other), 1, dead)
    fails(run("--url=" + dead, "gateway", "list", url=other), 1, dead)
    fails(run("gateway", "list", env={"L2GW_URL": dead}), 1, dead)
    fails(run("gateway", "list", env={"L2GW_URL": "", "OS_URL": dead}), 1, dead)
    fails(run("gateway", "list", env={"L2GW_URL": dead, "OS_URL": other}), 1, dead)
    # A trailing /v2.0 (as some catalogs write it) is not doubled.
    fails(run("gateway", "list", "--url", dead + "/v2.0/"), 1, dead + "/v2.0/l2-gateways:")


def test_default_url():
    # Read-only request: whether or not something listens on 9696, the
    # trace names the default URL.
    r = run("gateway", "list", "--debug", "--timeout", "5", env={"L2GW_URL": ""})
    assert "REQ: GET http://127.0.0.1:9696/v2.0/l2-gateways" in r.err, r


def test_options_anywhere(cli):
    name = clitest.unique("gw")
    spec = "name=%s,interface_names=p1" % clitest.unique("sw")
    # global options before the command, between group and verb, and after
    r = ok(cli("-f", "json", "gateway", "create", name, "--device", spec))
    assert r.json()["name"] == name
    r = ok(cli("gateway", "-f", "value", "show", "-c", "Name", name))
    assert r.out == name + "\n"
    r = ok(cli("gateway", "show", name, "-fvalue", "-cID"))
    assert clitest.UUID_RE.match(r.out.strip()), r
    r = ok(cli("--format=value", "--column=Name", "l2-gateway-show", name))
    assert r.out == name + "\n"
    # "--" ends the options: a name starting with "-" is a positional.
    fails(cli("gateway", "show", "--", "--nope"), 1,
          "Unable to find l2_gateway with name or id '--nope'")


def test_column_selection_errors(cli):
    name = clitest.unique("gw")
    ok(cli("gateway", "create", name, "--device", "name=s1,interface_names=p1"))
    r = fails(cli("gateway", "show", name, "-c", "Nope"), 1,
              "No recognized column names in ['Nope']", "'Devices', 'ID', 'Name', 'Tenant'")
    r = ok(cli("gateway", "show", name, "-c", "Name", "-c", "Nope"))
    assert show_rows(r.out) == [("Name", name)]
    r = ok(cli("gateway", "list", "-c", "Name", "-c", "ID"))
    titles, _ = parse_table(r.out)
    assert titles == ["ID", "Name"]  # natural order, as cliff


def test_debug_traces_requests(cli):
    r = cli("gateway", "list", "--debug")
    assert r.rc == 0, r
    assert "REQ: GET http://127.0.0.1:" in r.err and "/v2.0/l2-gateways" in r.err, r
    assert "RESP: 200" in r.err, r
