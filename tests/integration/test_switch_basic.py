"""The switch manager against a real ovsdb-server: the seed flow, connection
delete, port bind / migrate / unbind (spec/switch.md "Desired state",
"Ownership")."""
from switchlab import lab, wait_until  # noqa: F401  (lab is a fixture)

MAC_A = "fa:16:3e:00:00:0a"
MAC_B = "fa:16:3e:00:00:0b"


def seed(lab, seg=100):
    """sw1 (tunnel 192.0.2.100, ports p1, p2) on database sw1db; net1 (VNI
    5000) with a port bound to compute-1 (192.0.2.11); a gateway on sw1/p1
    connected to net1."""
    db = lab.vtepdb("sw1db")
    db.add_switch("sw1", "192.0.2.100", ["p1", "p2"])
    d = lab.l2gwd()
    d.wait_switch("sw1")
    net = d.network("net1", 5000)
    d.host("compute-1", "192.0.2.11")
    port = d.port_(net["id"], MAC_A, "compute-1", ["10.0.0.5"])
    gw = d.gateway([{"device_name": "sw1", "interfaces": [{"name": "p1"}]}])
    conn = d.connection(gw["id"], net["id"], seg)
    return db, d, net, port, gw, conn


def test_seed_flow(lab):
    db, d, net, port, gw, conn = seed(lab)
    ls = wait_until(lambda: db.logical_switches().get(net["id"]), what="LS")
    assert ls["tunnel_key"] == 5000
    assert ls["description"] == "net1"
    assert ls["replication_mode"] == "source_node"
    wait_until(lambda: db.bindings("p1") == {100: net["id"]}, what="binding")
    wait_until(lambda: db.ucast_remote(net["id"])
               == [(MAC_A, "10.0.0.5", "192.0.2.11", net["id"])], what="ucast")
    wait_until(lambda: db.mcast_remote(net["id"])
               == [("unknown-dst", ["192.0.2.11"], net["id"])], what="mcast")
    status, reason = d.wait_status(conn["id"], "ACTIVE")
    assert reason == ""
    # The switch registry shows the switch, its port and the binding.
    sw = [s for s in d.switches() if s["name"] == "sw1"][0]
    assert sw["connected"] is True
    assert sw["ovsdb_identifier"] == "sw1db"
    assert sw["tunnel_ips"] == ["192.0.2.100"]
    p1 = [p for p in sw["ports"] if p["name"] == "p1"][0]
    wait_until(lambda: [p for p in [s for s in d.switches() if s["name"] == "sw1"][0]["ports"]
                        if p["name"] == "p1"][0]["vlan_bindings"] == {"100": net["id"]},
               what="registry binding")
    del p1
    # Nothing else was written: no foreign rows, one LS.
    assert list(db.logical_switches()) == [net["id"]]


def test_connection_delete_cleans_switch(lab):
    db, d, net, port, gw, conn = seed(lab)
    wait_until(lambda: db.ucast_remote(net["id"]), what="ucast")
    d.wait_status(conn["id"], "ACTIVE")
    d.api("DELETE", "/v2.0/l2-gateway-connections/" + conn["id"], expect=204)
    wait_until(lambda: not db.logical_switches(), what="LS removed")
    assert db.bindings("p1") == {}
    assert db.rows("Ucast_Macs_Remote") == []
    assert db.rows("Mcast_Macs_Remote") == []
    assert db.rows("Physical_Locator") == []


def test_port_bind_migrate_unbind(lab):
    db, d, net, port, gw, conn = seed(lab)
    d.host("compute-2", "192.0.2.12")
    wait_until(lambda: db.ucast_remote(net["id"]), what="ucast")
    # A second port, not bound yet: nothing for it.
    p2 = d.port_(net["id"], MAC_B)
    d.wait_status(conn["id"], "ACTIVE")
    assert [m[0] for m in db.ucast_remote(net["id"])] == [MAC_A]
    # Bound to compute-2.
    d.api("PUT", "/v2.0/ports/" + p2["id"], {"port": {"binding:host_id": "compute-2"}},
          expect=200)
    wait_until(lambda: (MAC_B, "", "192.0.2.12", net["id"]) in db.ucast_remote(net["id"]),
               what="bound MAC")
    wait_until(lambda: db.mcast_remote(net["id"])
               == [("unknown-dst", ["192.0.2.11", "192.0.2.12"], net["id"])],
               what="flood set")
    # Migrated to compute-1: the MAC moves to the other locator.
    d.api("PUT", "/v2.0/ports/" + p2["id"], {"port": {"binding:host_id": "compute-1"}},
          expect=200)
    wait_until(lambda: db.ucast_remote(net["id"])
               == [(MAC_A, "10.0.0.5", "192.0.2.11", net["id"]),
                   (MAC_B, "", "192.0.2.11", net["id"])], what="moved MAC")
    wait_until(lambda: db.mcast_remote(net["id"])
               == [("unknown-dst", ["192.0.2.11"], net["id"])], what="flood set")
    # Unbound, then deleted.
    d.api("PUT", "/v2.0/ports/" + p2["id"], {"port": {"binding:host_id": ""}},
          expect=200)
    wait_until(lambda: [m[0] for m in db.ucast_remote(net["id"])] == [MAC_A],
               what="unbound")
    d.api("DELETE", "/v2.0/ports/" + port["id"], expect=204)
    wait_until(lambda: db.ucast_remote(net["id"]) == [], what="deleted")
    wait_until(lambda: db.mcast_remote(net["id"]) == [], what="no flood row")
    assert d.conn_status(conn["id"])[0] == "ACTIVE"
