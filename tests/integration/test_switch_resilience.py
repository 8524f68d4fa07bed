"""The switch manager when the switch misbehaves: ovsdb-server killed and
restarted (with its database, and empty), rows edited by hand, several
databases (spec/switch.md "Transactions", "Sessions")."""
import time

from switchlab import lab, wait_until  # noqa: F401  (lab is a fixture)

MAC_A = "fa:16:3e:00:00:0a"


def start(lab, n_ports=1):
    db = lab.vtepdb("sw1db")
    db.add_switch("sw1", "192.0.2.100", ["p1", "p2"])
    d = lab.l2gwd()
    d.wait_switch("sw1")
    net = d.network("net1", 5000)
    d.host("compute-1", "192.0.2.11")
    for i in range(n_ports):
        d.port_(net["id"], "fa:16:3e:00:00:%02x" % (0x0a + i), "compute-1")
    gw = d.gateway([{"device_name": "sw1", "interfaces": [{"name": "p1"}]}])
    conn = d.connection(gw["id"], net["id"], 100)
    wait_until(lambda: len(db.ucast_remote(net["id"])) == n_ports, what="ucast")
    d.wait_status(conn["id"], "ACTIVE")
    return db, d, net, gw, conn


def converged(db, net, n_ports=1):
    return (db.bindings("p1") == {100: net["id"]}
            and len(db.ucast_remote(net["id"])) == n_ports
            and db.mcast_remote(net["id"]) == [("unknown-dst", ["192.0.2.11"], net["id"])]
            and list(db.logical_switches()) == [net["id"]])


def test_restart_with_database(lab):
    db, d, net, gw, conn = start(lab, 3)
    db.stop()
    d.wait_switch("sw1", connected=False)
    d.wait_status(conn["id"], "PENDING")
    db.start()
    d.wait_switch("sw1", connected=True, timeout=15)
    wait_until(lambda: converged(db, net, 3), 15, "converged")
    d.wait_status(conn["id"], "ACTIVE", timeout=15)
    # Zero stale rows: exactly one row per MAC, one locator per IP.
    assert len(db.rows("Ucast_Macs_Remote")) == 3
    assert len(db.rows("Mcast_Macs_Remote")) == 1
    assert sorted(db.locators().values()) == ["192.0.2.11"]
    assert d.wait_switch("sw1")["reconnects"] == 1


def test_restart_empty_database(lab):
    db, d, net, gw, conn = start(lab, 2)
    db.stop()
    d.wait_switch("sw1", connected=False)
    db.create()
    db.start()
    db.add_switch("sw1", "192.0.2.100", ["p1", "p2"])
    wait_until(lambda: converged(db, net, 2), 15, "converged from empty")
    d.wait_status(conn["id"], "ACTIVE", timeout=15)
    assert len(db.rows("Ucast_Macs_Remote")) == 2
    # The registry shows the new switch row (another UUID), connected.
    sw = d.wait_switch("sw1")
    assert sw["connected"] is True


def test_drift_repaired(lab):
    db, d, net, gw, conn = start(lab, 1)
    ls = db.ls_uuid(net["id"])
    # Someone deletes our remote MAC, adds a stray one and a duplicate,
    # and removes our binding.
    mac_row = db.rows("Ucast_Macs_Remote")[0]
    db.transact({"op": "delete", "table": "Ucast_Macs_Remote",
                 "where": [["_uuid", "==", mac_row["_uuid"]]]})
    wait_until(lambda: len(db.ucast_remote(net["id"])) == 1, what="re-added")
    db.transact({"op": "insert", "table": "Physical_Locator", "uuid-name": "l",
                 "row": {"encapsulation_type": "vxlan_over_ipv4",
                         "dst_ip": "198.51.100.9"}},
                {"op": "insert", "table": "Ucast_Macs_Remote",
                 "row": {"MAC": "02:00:00:00:00:99", "logical_switch": ["uuid", ls],
                         "locator": ["named-uuid", "l"]}},
                {"op": "insert", "table": "Ucast_Macs_Remote",
                 "row": {"MAC": MAC_A, "logical_switch": ["uuid", ls],
                         "locator": ["named-uuid", "l"]}})
    wait_until(lambda: db.ucast_remote(net["id"])
               == [(MAC_A, "", "192.0.2.11", net["id"])], what="strays removed")
    db.vtepctl("unbind-ls", "sw1", "p1", "100")
    wait_until(lambda: db.bindings("p1") == {100: net["id"]}, what="binding back")
    assert d.conn_status(conn["id"])[0] == "ACTIVE"


def test_resync_and_status_over_ctl(lab):
    db, d, net, gw, conn = start(lab, 1)
    out = d.ctl("status").stdout
    line = [l for l in out.splitlines() if l.startswith("sw1db ")][0]
    assert "connected=yes" in line
    assert "pending=0" in line
    assert "desired_rows=4" in line   # LS, 1 MAC, 1 binding, unknown-dst
    assert "owned_rows=3" in line     # LS, 1 ucast, 1 mcast
    dump = d.ctl("dump", "sw1db").stdout
    assert net["id"] in dump and MAC_A in dump
    r = d.ctl("dump", "nosuchdb", check=False)
    assert r.returncode == 1 and "no switch database nosuchdb" in r.stderr
    # The registry's figures of the database.
    sw = wait_until(lambda: [s for s in d.switches()
                             if s["name"] == "sw1" and s["owned_rows"] == 3], what="figures")[0]
    assert sw["owned_logical_switches"] == 1
    assert sw["pending_operations"] == 0
    assert isinstance(sw["last_txn_latency_ms"], int)
    assert sw["last_sync_at"]
    assert sw["reconnects"] == 0
    # A hand edit the replica will not flag as ours: a full pass fixes all.
    d.ctl("resync", "sw1db")
    time.sleep(0.2)
    assert converged(db, net)


def test_foreign_rows_untouched(lab):
    db = lab.vtepdb("sw1db")
    db.add_switch("sw1", "192.0.2.100", ["p1", "p2"])
    # A foreign LS with a binding on p2 VLAN 7 and a remote MAC.
    db.vtepctl("add-ls", "foreign", "--", "set", "Logical_Switch", "foreign",
               "tunnel_key=777")
    db.vtepctl("bind-ls", "sw1", "p2", "7", "foreign")
    db.vtepctl("add-ucast-remote", "foreign", "02:00:00:00:00:77", "198.51.100.7")
    d = lab.l2gwd()
    d.wait_switch("sw1")
    net = d.network("net1", 5000)
    d.host("compute-1", "192.0.2.11")
    d.port_(net["id"], MAC_A, "compute-1")
    gw = d.gateway([{"device_name": "sw1", "interfaces": [{"name": "p1"}]}])
    conn = d.connection(gw["id"], net["id"], 100)
    d.wait_status(conn["id"], "ACTIVE")
    d.api("DELETE", "/v2.0/l2-gateway-connections/" + conn["id"], expect=204)
    wait_until(lambda: list(db.logical_switches()) == ["foreign"], what="ours gone")
    assert db.bindings("p2") == {7: "foreign"}
    assert db.ucast_remote("foreign") == [("02:00:00:00:00:77", "", "198.51.100.7",
                                           "foreign")]


def test_two_databases(lab):
    db1 = lab.vtepdb("db1")
    db2 = lab.vtepdb("db2", tcp=True)
    db1.add_switch("sw1", "192.0.2.101", ["p1"])
    db2.add_switch("sw2", "192.0.2.102", ["p1"])
    hosts = "db1:%s, db2:127.0.0.1:%d" % (db1.remote, db2.port)
    d = lab.l2gwd(hosts)
    d.wait_switch("sw1")
    d.wait_switch("sw2")
    net = d.network("net1", 5000)
    d.host("compute-1", "192.0.2.11")
    d.port_(net["id"], MAC_A, "compute-1")
    gw = d.gateway([{"device_name": "sw1", "interfaces": [{"name": "p1"}]},
                    {"device_name": "db2/sw2", "interfaces": [{"name": "p1"}]}])
    conn = d.connection(gw["id"], net["id"], 10)
    for db in (db1, db2):
        wait_until(lambda: db.ucast_remote(net["id"])
                   == [(MAC_A, "", "192.0.2.11", net["id"])], what="ucast " + db.name)
    d.wait_status(conn["id"], "ACTIVE")
    # One database goes away: the connection is PENDING until it is back.
    db2.stop()
    d.wait_status(conn["id"], "PENDING")
    db2.start()
    d.wait_status(conn["id"], "ACTIVE", timeout=15)


def test_failed_transactions_then_recovery(lab):
    """A switch that refuses writes (a read-only backup ovsdb-server): the
    failures are logged with the operation and the server's error, the
    connection goes ERROR after repeated failures, and recovers by itself
    once the switch accepts."""
    active = lab.vtepdb("active")
    active.add_switch("sw1", "192.0.2.100", ["p1"])
    db = lab.vtepdb("sw1db", sync_from=active)
    wait_until(lambda: db.bindings("p1") == {}, what="backup synced")
    d = lab.l2gwd("sw1db:" + db.remote)
    d.wait_switch("sw1")
    net = d.network("net1", 5000)
    gw = d.gateway([{"device_name": "sw1", "interfaces": [{"name": "p1"}]}])
    conn = d.connection(gw["id"], net["id"], 100)
    status, reason = d.wait_status(conn["id"], "ERROR", timeout=20)
    assert "not allowed" in reason and "sw1db" in reason
    log = d.stderr()
    assert "transaction of" in log and "failed at operation 0 (insert Logical_Switch" in log
    sw = d.wait_switch("sw1")
    assert "not allowed" in sw["last_error"]
    # The switch becomes writable: the next retry succeeds.
    db.appctl("ovsdb-server/disconnect-active-ovsdb-server")
    d.wait_status(conn["id"], "ACTIVE", timeout=40)
    assert db.bindings("p1") == {100: net["id"]}
