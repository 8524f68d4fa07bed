"""Border gateway commands: l2-remote-gateway-*, l2-remote-gateway-
connection-*, l2-remote-mac-* and their grouped forms.  The server side
comes later: each test skips while l2gwd answers 404 for its collection."""

import pytest

import clitest
from clitest import fails, ok, parse_table, show_rows, unique

WITH_VTEP = True
VTEP_PER_LOCATOR_KEY = True

RGW = "/v2.0/l2-remote-gateways"
RCONN = "/v2.0/l2-remote-gateway-connections"
RMAC = "/v2.0/l2-remote-macs"


def need(api, *paths):
    for p in paths:
        if not api.has_collection(p):
            pytest.skip("server answers 404 for %s (not implemented yet)" % p)


def rgw(cli, ip="198.51.100.7", name=None):
    return ok(cli("remote-gateway", "create", name or unique("rgw"), ip, "-f", "json")).json()


@pytest.fixture(scope="module")
def local(daemon, switch_known):
    """A gateway on sw1/p3 connected to a network (both by name).  Tests
    ask for it only after their skip check."""
    run = lambda *a: clitest.run(*a, url=daemon.url)  # noqa: E731
    gw = ok(run("gateway", "create", unique("gw"), "--device",
                "name=sw1,interface_names=p3|30", "-f", "json")).json()
    net = ok(run("network", "create", unique("net"), "--provider-segment", "123",
                 "-f", "json")).json()
    ok(run("connection", "create", gw["name"], net["name"], "--wait", "15"))
    return gw, net


def test_remote_gateway_lifecycle(cli, api):
    need(api, RGW)
    name = unique("rgw")
    r = ok(cli("l2-remote-gateway-create", name, "198.51.100.7"))
    rows = dict(show_rows(r.out))
    assert rows["Name"] == name and rows["IP Address"] == "198.51.100.7"
    rid = rows["ID"]
    titles, table = parse_table(ok(cli("l2-remote-gateway-list")).out)
    assert titles == ["ID", "Name", "IP Address"] and [rid, name, "198.51.100.7"] in table
    assert ok(cli("remote-gateway", "show", name, "-f", "json")).json() == \
        api.get(RGW + "/" + rid)[1]["l2_remote_gateway"]
    r = ok(cli("l2-remote-gateway-update", name, "--ipaddr", "198.51.100.8", "--name",
               name + "-x", "-f", "json"))
    assert r.json()["ipaddr"] == "198.51.100.8" and r.json()["name"] == name + "-x"
    fails(cli("remote-gateway", "create", unique("rgw"), "2001:db8::7"), 1)  # IPv4 only
    fails(cli("remote-gateway", "create", unique("rgw")), 2, "missing arguments")
    fails(cli("remote-gateway", "show", "no-such-rgw"), 1,
          "Unable to find l2_remote_gateway with name or id 'no-such-rgw'")
    other = rgw(cli)
    fails(cli("l2-remote-gateway-delete", rid, "no-such-rgw", other["name"]), 1,
          "Failed to delete 1 of 3 L2 Remote Gateway.")
    assert api.get(RGW + "/" + rid)[0] == 404 and api.get(RGW + "/" + other["id"])[0] == 404


def test_remote_connection_lifecycle(cli, api, request):
    need(api, RGW, RCONN)
    gw, net = request.getfixturevalue("local")
    r1 = rgw(cli)
    r = ok(cli("l2-remote-gateway-connection-create", gw["name"], net["name"], r1["name"],
               "--seg-id", "456", "--flood", "False"))
    rows = dict(show_rows(r.out))
    assert rows["Seg ID"] == "456" and rows["Flood"] == "False"
    cid = rows["ID"]
    stored = api.get(RCONN + "/" + cid)[1]["l2_remote_gateway_connection"]
    assert stored["seg_id"] == 456 and stored["flood"] is False
    titles, table = parse_table(ok(cli("remote-connection", "list")).out)
    assert titles == ["ID", "Gateway", "Network", "Remote Gateway", "Seg ID", "Flood", "Status"]
    assert any(row[0] == cid for row in table)
    r = ok(cli("remote-connection", "update", cid, "--flood", "true", "-f", "json"))
    assert r.json()["flood"] is True
    assert ok(cli("l2-remote-gateway-connection-show", cid, "-f", "json")).json()["id"] == cid
    fails(cli("remote-connection", "create", gw["name"], net["name"], r1["name"], "--flood",
              "maybe"), 2, "--flood expects True or False, not 'maybe'")
    fails(cli("remote-connection", "create", gw["name"], net["name"], "no-such-rgw"), 1,
          "Unable to find l2_remote_gateway with name or id 'no-such-rgw'")
    # The remote gateway is in use.
    fails(cli("remote-gateway", "delete", r1["id"]), 1, "Failed to delete 1 of 1")
    fails(cli("l2-remote-gateway-connection-delete", cid, "0b5b5d9e-0000-4000-8000-00000000beef"),
          1, "Failed to delete 1 of 2 L2 Remote Gateway Connection.")
    assert api.get(RCONN + "/" + cid)[0] == 404


def test_remote_macs(cli, api, request, tmp_path):
    need(api, RGW, RCONN, RMAC)
    gw, net = request.getfixturevalue("local")
    r1 = rgw(cli, "198.51.100.9")
    conn = ok(cli("remote-connection", "create", gw["id"], net["id"], r1["id"], "-f",
                  "json")).json()
    # <MAC>;<IP> <CONN>, <MAC> <IP> <CONN>, <MAC> <CONN>
    a = ok(cli("l2-remote-mac-create", "02:00:00:00:01:01;10.9.0.1", conn["id"],
               "-f", "json")).json()
    assert a["mac"] == "02:00:00:00:01:01" and a["ipaddr"] == "10.9.0.1"
    assert a["rgw_connection"] == conn["id"]
    b = ok(cli("remote-mac", "create", "02:00:00:00:01:02", "10.9.0.2", conn["id"],
               "-f", "json")).json()
    assert b["ipaddr"] == "10.9.0.2"
    c = ok(cli("remote-mac", "create", "02:00:00:00:01:03", conn["id"], "-f", "json")).json()
    assert not c.get("ipaddr")
    # --from-file: one bulk request
    f = tmp_path / "macs.txt"
    f.write_text("# hosts behind B\n02:00:00:00:02:01;10.9.1.1\n\n02:00:00:00:02:02 10.9.1.2\n"
                 "02:00:00:00:02:03\n")
    r = cli("l2-remote-mac-create", "--from-file", str(f), conn["id"], "--debug")
    assert r.rc == 0, r
    assert r.err.count("REQ: POST") == 1 and '{"l2_remote_macs":' in r.err, r
    _, rows = parse_table(r.out)
    assert sorted(row[1] for row in rows) == ["02:00:00:00:02:01", "02:00:00:00:02:02",
                                              "02:00:00:00:02:03"]
    titles, rows = parse_table(ok(cli("remote-mac", "list", "--remote-connection",
                                      conn["id"])).out)
    assert titles == ["ID", "MAC", "IP Address", "Remote Gateway Connection"]
    macs = sorted(row[1] for row in rows)
    assert macs == ["02:00:00:00:01:01", "02:00:00:00:01:02", "02:00:00:00:01:03",
                    "02:00:00:00:02:01", "02:00:00:00:02:02", "02:00:00:00:02:03"]
    assert ok(cli("l2-remote-mac-show", a["id"], "-f", "json")).json() == a
    # errors
    fails(cli("remote-mac", "create", "ff:ff:ff:ff:ff:ff", conn["id"]), 1)  # broadcast
    fails(cli("remote-mac", "create", "02:00:00:00:01:01", conn["id"]), 1)  # exists
    fails(cli("remote-mac", "create", "02:00:00:00:01:09"), 2, "expected <MAC>[;<IP>]")
    fails(cli("remote-mac", "create", "--from-file", str(f), "x", conn["id"]), 2,
          "with --from-file, give only the remote gateway connection")
    bad = tmp_path / "bad.txt"
    bad.write_text("02:00:00:00:03:01\n02:00:00:00:03:02 10.0.0.1 extra\n")
    fails(cli("remote-mac", "create", "--from-file", str(bad), conn["id"]), 2, "bad.txt:2:")
    fails(cli("remote-mac", "create", "--from-file", str(tmp_path / "none"), conn["id"]), 1,
          "Cannot open")
    fails(cli("l2-remote-mac-delete", a["id"], "0b5b5d9e-0000-4000-8000-00000000cafe", b["id"]),
          1, "Failed to delete 1 of 3 L2 Remote MAC.")
    assert api.get(RMAC + "/" + a["id"])[0] == 404
