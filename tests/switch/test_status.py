"""switch.md: the status of a connection — PENDING until its own rows
first converge (or while a switch is disconnected), ACTIVE when every
device holds them, ERROR with status_reason; unrelated transactions do
not flip it."""

import threading

from swutil import H1_IP, assert_macs, connect, mac, on_switch


def test_pending_at_create_then_active(lab):
    s, d, api = lab.basic()
    net = api.network()
    gw = api.gateway([("sw1", ["p1"])])
    c = api.connection(gw["id"], net["id"], 100)
    assert c["status"] == "PENDING", c
    c = api.wait_status(c["id"], "ACTIVE")
    assert not c.get("status_reason"), c
    # ACTIVE means the rows are there
    snap = s.dump()
    assert snap.ls(net["id"]) is not None
    assert snap.bindings("sw1", "p1") == {100: net["id"]}
    listed = api.list("l2-gateway-connections", "l2_gateway_connections", "id=" + c["id"])
    assert listed[0]["status"] == "ACTIVE"


def test_active_only_when_every_device_holds_the_rows(lab):
    s1 = lab.server("db1", {"sw1": ("192.0.2.1", ["p1"])})
    s2 = lab.server("db2", {"sw2": ("192.0.2.2", ["p1"])})
    d = lab.daemon([s1, s2])
    api = d.api
    api.wait_switch("sw1")
    api.wait_switch("sw2")
    s2.kill()
    api.wait_switch("sw2", connected=False)
    net = api.network()
    gw = api.gateway([("sw1", ["p1"]), ("sw2", ["p1"])])
    c = api.connection(gw["id"], net["id"], 100)
    on_switch(s1, lambda snap: snap.bindings("sw1", "p1") == {100: net["id"]} or _no())
    # sw1 is programmed, sw2 is away: still PENDING
    api.host(H1_IP, name="h1")
    api.port(net["id"], mac=mac(1), host="h1")
    on_switch(s1, lambda snap: assert_macs(snap, net["id"], {mac(1): ("", H1_IP)}))
    assert api.conn(c["id"])["status"] == "PENDING"
    s2.start()
    api.wait_status(c["id"], "ACTIVE")
    assert s2.dump().bindings("sw2", "p1") == {100: net["id"]}


def test_unrelated_transactions_do_not_flip_status(lab):
    s, d, api = lab.basic()
    a, _, ca = connect(api, ifaces=("p1",), seg=100)
    seen = []
    stop = threading.Event()
    watcher_api = d.client()

    def watch():
        while not stop.is_set():
            seen.append(watcher_api.conn(ca["id"])["status"])
    t = threading.Thread(target=watch)
    t.start()
    try:
        b, _, cb = connect(api, ifaces=("p2",), seg=100)
        api.host(H1_IP, name="h1")
        for i in range(20):
            api.port(b["id"], mac=mac(i), host="h1")
        on_switch(s, lambda snap: len(snap.ucast_remote(b["id"])) == 20 or _no())
    finally:
        stop.set()
        t.join()
        watcher_api.close()
    assert seen and set(seen) == {"ACTIVE"}, sorted(set(seen))


def test_own_changes_after_active(lab):
    """Later inventory changes of the connection's network do not make the
    status flap to PENDING for ever: it ends ACTIVE again."""
    s, d, api = lab.basic()
    net, _, c = connect(api)
    api.host(H1_IP, name="h1")
    for i in range(10):
        api.port(net["id"], mac=mac(i), host="h1")
    on_switch(s, lambda snap: len(snap.ucast_remote(net["id"])) == 10 or _no())
    api.wait_status(c["id"], "ACTIVE")


def test_error_reason_cleared_when_active(lab):
    s, d, api = lab.basic()
    net, _, c = connect(api)
    s.set_switch_fault("sw1", ["mac_table_exhaustion"])
    api.wait_status(c["id"], "ERROR", reason="mac_table_exhaustion")
    s.set_switch_fault("sw1", [])
    c = api.wait_status(c["id"], "ACTIVE")
    assert not c.get("status_reason"), c


def _no(*what):
    raise AssertionError("not yet %r" % (what,))
