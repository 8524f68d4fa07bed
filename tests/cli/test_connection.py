"""L2 gateway connections: l2-gateway-connection-* and connection *, with
l2gwd connected to a real VTEP database (switch sw1, ports p1..p4), so
that connections can really become ACTIVE."""

import itertools

import clitest
from clitest import fails, ok, parse_table, show_rows, unique

WITH_VTEP = True

_vlans = itertools.count(101)

SHOW_ROWS = ["ID", "L2 GateWay ID", "Network ID", "Segmentation ID", "Status", "Tenant"]


def gateway(cli, ifs="p1", name=None):
    name = name or unique("gw")
    r = ok(cli("gateway", "create", name, "--device", "name=sw1,interface_names=" + ifs,
               "-f", "json"))
    return r.json()


def network(cli, name=None):
    name = name or unique("net")
    return ok(cli("network", "create", name, "-f", "json")).json()


def connect(cli, gw, net, *extra):
    vlan = str(next(_vlans))
    r = ok(cli("connection", "create", gw, net, "--default-segmentation-id", vlan,
               *extra, "-f", "json"))
    return r.json()


def test_seed_command_with_names(cli, api, switch_known):
    # README: l2gw l2-gateway-connection-create <GATEWAY-NAME/UUID> <NETWORK-NAME/UUID>
    gw = gateway(cli, "p2")
    net = network(cli)
    r = ok(cli("l2-gateway-connection-create", gw["name"], net["name"]))
    rows = show_rows(r.out)
    assert [f for f, _ in rows] == SHOW_ROWS, r
    v = dict(rows)
    assert v["L2 GateWay ID"] == gw["id"] and v["Network ID"] == net["id"]
    assert v["Segmentation ID"] == "" and v["Tenant"] == "admin"
    assert v["Status"] in ("PENDING", "ACTIVE"), v
    status, body = api.get("/v2.0/l2-gateway-connections/" + v["ID"])
    assert status == 200 and body["l2_gateway_connection"]["network_id"] == net["id"]


def test_default_segmentation_id_and_ids(cli, api):
    gw, net = gateway(cli), network(cli)
    r = ok(cli("connection", "create", gw["id"], net["id"],
               "--default-segmentation-id", "77", "-f", "json"))
    conn = r.json()
    assert conn["segmentation_id"] == "77"
    status, body = api.get("/v2.0/l2-gateway-connections/" + conn["id"])
    # the status moves on (PENDING → ACTIVE) as the switch is programmed
    volatile = ("status", "status_reason")
    assert {k: v for k, v in body["l2_gateway_connection"].items() if k not in volatile} == \
        {k: v for k, v in conn.items() if k not in volatile}


def test_list_and_show(cli):
    gw, net = gateway(cli), network(cli)
    conn = connect(cli, gw["name"], net["name"])
    for args in (["connection", "list"], ["l2-gateway-connection-list"]):
        titles, rows = parse_table(ok(cli(*args)).out)
        assert titles == ["ID", "Tenant", "L2 GateWay ID", "Network ID", "Segmentation ID"]
        assert [conn["id"], "admin", gw["id"], net["id"], conn["segmentation_id"]] in rows
    for args in (["connection", "show", conn["id"]],
                 ["l2-gateway-connection-show", conn["id"]]):
        rows = show_rows(ok(cli(*args)).out)
        assert [f for f, _ in rows] == SHOW_ROWS
    r = ok(cli("connection", "list", "-f", "value", "-c", "ID", "-c", "Status"))
    assert any(line.split()[0] == conn["id"] and line.split()[1] in ("PENDING", "ACTIVE")
               for line in r.out.splitlines()), r


def test_show_unknown_connection(cli):
    r = fails(cli("connection", "show", "7f0e4a35-6b52-4b79-8a7c-1bd0f0d0d0d0"), 1,
              "7f0e4a35-6b52-4b79-8a7c-1bd0f0d0d0d0")
    assert r.out == ""


def test_unknown_and_ambiguous_network(cli):
    gw = gateway(cli)
    fails(cli("connection", "create", gw["name"], "no-such-net"), 1,
          "Unable to find network with name or id 'no-such-net'")
    name = unique("dupnet")
    a, b = network(cli, name), network(cli, name)
    fails(cli("l2-gateway-connection-create", gw["name"], name), 1,
          "Multiple network matches found for name '%s'" % name, a["id"], b["id"])


def test_server_refusal_exit_1(cli):
    gw, net = gateway(cli), network(cli)
    connect(cli, gw["id"], net["id"])
    # Same gateway and network again: 409 from the server.
    r = cli("connection", "create", gw["id"], net["id"], "--default-segmentation-id", "300")
    assert r.rc == 1 and r.out == "" and r.err.strip(), r
    # A VLAN outside 0..4094 (the server validates it).
    fails(cli("connection", "create", gw["id"], network(cli)["id"],
              "--default-segmentation-id", "5000"), 1, "Segmentation id is out of range")


def test_wait_usage_errors(cli):
    fails(cli("connection", "create", "gw", "net", "--wait=soon"), 2,
          "--wait expects a number of seconds, not 'soon'")
    fails(cli("connection", "create", "gw", "net", "--wait", "0"), 2,
          "--wait expects a number of seconds")


def test_delete_several_with_one_missing(cli, api):
    gw = gateway(cli)
    c1 = connect(cli, gw["id"], network(cli)["id"])
    c2 = connect(cli, gw["id"], network(cli)["id"])
    missing = "0b5b5d9e-2a8c-4d8e-9a57-3f0f0f0f0f0f"
    r = fails(cli("l2-gateway-connection-delete", c1["id"], missing, c2["id"]), 1,
              "Failed to delete L2 Gateway Connection with name or ID '%s'" % missing,
              "Failed to delete 1 of 3 L2 Gateway Connection.")
    assert r.out == ""
    for c in (c1, c2):
        assert api.get("/v2.0/l2-gateway-connections/" + c["id"])[0] == 404
    c3 = connect(cli, gw["id"], network(cli)["id"])
    assert ok(cli("connection", "delete", c3["id"])).out == ""


def test_switch_registry_sees_the_vtep(switch_known):
    assert switch_known, "l2gwd did not list switch sw1 in /v2.0/l2-switches within %.0f s" \
        % 10.0


def test_wait_until_active(cli, switch_known):
    gw, net = gateway(cli), network(cli)
    r = cli("connection", "create", gw["name"], net["name"], "--default-segmentation-id",
            str(next(_vlans)), "--wait", "20")
    assert r.rc == 0 and r.err == "", r
    assert dict(show_rows(r.out))["Status"] == "ACTIVE"


def test_wait_times_out_while_the_switch_is_away(cli, vtep, switch_known):
    gw, net = gateway(cli), network(cli)
    vtep.stop()
    try:
        r = cli("l2-gateway-connection-create", gw["id"], net["id"],
                "--default-segmentation-id", str(next(_vlans)), "--wait", "1")
    finally:
        vtep.start()
    assert r.rc == 1, r
    conn_id = dict(show_rows(r.out))["ID"]
    assert ("Timed out after 1 seconds waiting for L2 gateway connection %s to become "
            "ACTIVE (status PENDING" % conn_id) in r.err, r
