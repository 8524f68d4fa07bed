"""Passive mode: switches connect to l2gwd ([ovsdb] enable_manager; the
peer address is the ovsdb_identifier), and two sessions reaching the same
database are detected (spec/switch.md "Sessions")."""
from switchlab import free_port, lab, wait_until  # noqa: F401  (lab is a fixture)


def test_passive_switch(lab):
    db = lab.vtepdb("sw1db", managers=True)
    db.add_switch("sw1", "192.0.2.100", ["p1"])
    port = free_port()
    d = lab.l2gwd("", extra={"ovsdb": {"enable_manager": "True",
                                      "manager_table_listening_port": str(port)}})
    db.vtepctl("set-manager", "tcp:127.0.0.1:%d" % port)
    sw = d.wait_switch("sw1")
    assert sw["ovsdb_identifier"] == "127.0.0.1"
    net = d.network("net1", 5000)
    gw = d.gateway([{"device_name": "sw1", "interfaces": [{"name": "p1"}]}])
    conn = d.connection(gw["id"], net["id"], 100)
    wait_until(lambda: db.bindings("p1") == {100: net["id"]}, what="binding")
    d.wait_status(conn["id"], "ACTIVE")
    # The switch drops the session: disconnected, then back.
    db.vtepctl("del-manager")
    d.wait_switch("sw1", connected=False)
    d.wait_status(conn["id"], "PENDING")
    db.vtepctl("set-manager", "tcp:127.0.0.1:%d" % port)
    d.wait_switch("sw1", connected=True)
    d.wait_status(conn["id"], "ACTIVE")


def test_duplicate_session_refused(lab):
    db = lab.vtepdb("sw1db", managers=True)
    db.add_switch("sw1", "192.0.2.100", ["p1"])
    port = free_port()
    d = lab.l2gwd("sw1db:" + db.remote,
                  extra={"ovsdb": {"enable_manager": "True",
                                   "manager_table_listening_port": str(port)}})
    d.wait_switch("sw1")
    db.vtepctl("set-manager", "tcp:127.0.0.1:%d" % port)
    wait_until(lambda: "refusing the session of switch database 127.0.0.1" in d.stderr(),
               what="refusal logged")
    assert "same database as sw1db" in d.stderr()
    # Only one switch record: the duplicate did not register it again.
    assert [s["ovsdb_identifier"] for s in d.switches()] == ["sw1db"]
