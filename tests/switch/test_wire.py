"""switch.md "Transactions" and "Sessions", observed on the wire: the
ovsdb-server logs every JSON-RPC message of l2gwd's session (jsonrpc
debug log, l2gwd on TCP, the lab's own tools on the unix socket), so these
tests check how l2gwd talks, not only what the switch ends up holding:
handshake, one transaction in flight, bindings by mutate, locators and
sets never updated or deleted, one uuid-name per locator, durable commits,
nothing sent when nothing changed, the order and size of large work."""

import collections
import time

from swutil import (H1_IP, H2_IP, SW_IP, assert_flood, assert_macs, assert_nothing_of_ours,
                    connect, mac, on_switch)
from vteplab import WAIT

TABLES = {"Global", "Physical_Switch", "Physical_Port", "Logical_Switch", "Physical_Locator",
          "Physical_Locator_Set", "Ucast_Macs_Local", "Ucast_Macs_Remote", "Mcast_Macs_Local",
          "Mcast_Macs_Remote"}
QUIET = 0.5      # how long "nothing is sent" is watched (non-events need a window)


def _traced(lab, ovsdb=None, ports=("p1", "p2", "p3")):
    s = lab.server("db1", {"sw1": (SW_IP, list(ports))}, tcp=True, trace=True)
    d = lab.daemon([s], kind="tcp", ovsdb=ovsdb)
    d.api.wait_switch("sw1")
    return s, d, d.api


def _ops(s, table=None):
    """Every operation l2gwd sent (of 'table'), with its transaction index."""
    out = []
    for i, (_, ops) in enumerate(s.transactions()):
        for op in ops:
            if table is None or op.get("table") == table:
                out.append((i, op))
    return out


def _busy_scenario(s, api):
    """A bit of everything: two networks, ports, moves, pairs, a host IP
    change, a rebind by hand, a connection deleted."""
    a, gw, ca = connect(api, ifaces=("p1", "p2"), seg=100)
    b, _, cb = connect(api, ifaces=("p1",), seg=200)
    h1 = api.host(H1_IP, name="h1")
    api.host(H2_IP, name="h2")
    ports = [api.port(a["id"], mac=mac(i), host="h1" if i % 2 else "h2",
                      pairs=[("10.1.0.%d" % i, mac(100 + i))]) for i in range(1, 9)]
    api.port(b["id"], mac=mac(50), host="h1")
    api.update_port(ports[0]["id"], **{"binding:host_id": "h2"})
    api.update_host(h1["id"], tunnel_ip="10.0.0.21")
    s.rebind("sw1", "p1", 100, b["id"])
    api.remove("ports", ports[1]["id"])
    on_switch(s, lambda snap: snap.bindings("sw1", "p1") == {100: a["id"], 200: b["id"]}
              or _no())
    api.delete_connection(cb["id"])
    on_switch(s, lambda snap: assert_nothing_of_ours(snap, [b["id"]], others=True))
    api.wait_status(ca["id"], "ACTIVE")
    return a, ca


def test_handshake(lab):
    s, d, api = _traced(lab)
    reqs = [w for w in s.wire() if w.dir == "received" and w.kind == "request"]
    assert reqs[0].method == "get_schema" and reqs[0].params == ["hardware_vtep"], reqs[:3]
    mon = [w for w in reqs if w.method in ("monitor", "monitor_cond", "monitor_cond_since")]
    assert mon, reqs[:5]
    assert mon[0].params[0] == "hardware_vtep"
    assert TABLES <= set(mon[0].params[2]), sorted(mon[0].params[2])


def test_one_transaction_in_flight(lab):
    s, d, api = _traced(lab)
    _busy_scenario(s, api)
    net, _, _ = connect(api, ifaces=("p3",), seg=300)
    for i in range(60):                       # a burst
        api.port(net["id"], mac=mac(1000 + i), host="h2")
    on_switch(s, lambda snap: len(snap.ucast_remote(net["id"])) == 60 or _no())
    outstanding = collections.defaultdict(set)
    worst = 0
    pending_ids = {}
    for w in s.wire():
        if w.kind == "request" and w.method == "transact" and w.dir == "received":
            outstanding[w.peer].add(repr(w.id))
            pending_ids[(w.peer, repr(w.id))] = w
            worst = max(worst, len(outstanding[w.peer]))
        elif w.kind in ("reply", "error") and w.dir == "send":
            outstanding[w.peer].discard(repr(w.id))
    assert worst == 1, "%d transactions in flight at once on one session" % worst
    assert len(s.transactions()) > 5


def test_bindings_only_by_mutate_insert_delete(lab):
    s, d, api = _traced(lab)
    _busy_scenario(s, api)
    ops = _ops(s, "Physical_Port")
    assert ops, "no Physical_Port operation at all?"
    for i, op in ops:
        assert op["op"] == "mutate", "txn %d: %r" % (i, op)
        for col, how, _ in op["mutations"]:
            assert col == "vlan_bindings" and how in ("insert", "delete"), "txn %d: %r" % (i, op)


def test_repoint_is_delete_then_insert_in_one_transaction(lab):
    s, d, api = _traced(lab)
    a, _, _ = connect(api, ifaces=("p1",), seg=100)
    b, _, _ = connect(api, ifaces=("p1",), seg=200)
    n = len(s.transactions())
    s.rebind("sw1", "p1", 100, b["id"])
    on_switch(s, lambda snap: snap.bindings("sw1", "p1") == {100: a["id"], 200: b["id"]}
              or _no())
    for w, ops in s.transactions()[n:]:
        port_ops = [op for op in ops if op.get("table") == "Physical_Port"]
        kinds = [m[1] for op in port_ops for m in op["mutations"]]
        if "insert" in kinds:
            assert "delete" in kinds and kinds.index("delete") < kinds.index("insert"), port_ops
            return
    raise AssertionError("no re-pointing transaction seen")


def test_locators_and_sets_never_updated_or_deleted(lab):
    s, d, api = _traced(lab)
    _busy_scenario(s, api)
    for table in ("Physical_Locator", "Physical_Locator_Set"):
        ops = _ops(s, table)
        assert ops, "no %s insert at all?" % table
        for i, op in ops:
            assert op["op"] == "insert", "txn %d: %r" % (i, op)
            assert "tunnel_key" not in op.get("row", {}) or table != "Physical_Locator", op


def test_one_uuid_name_per_locator_per_transaction(lab):
    s, d, api = _traced(lab)
    _busy_scenario(s, api)
    for i, (_, ops) in enumerate(s.transactions()):
        keys = [(op["row"].get("dst_ip"), repr(op["row"].get("tunnel_key")))
                for op in ops if op.get("table") == "Physical_Locator" and op["op"] == "insert"]
        assert len(keys) == len(set(keys)), "txn %d inserts a locator twice: %r" % (i, keys)


def _commits(s):
    return [op for _, op in _ops(s) if op.get("op") == "commit"]


def test_commit_not_durable_by_default(lab):
    s, d, api = _traced(lab)
    connect(api)
    assert not any(op.get("durable") for op in _commits(s)), _commits(s)


def test_durable_commit_option(lab):
    s, d, api = _traced(lab, ovsdb={"durable_commit": "True"})
    connect(api)
    txns = s.transactions()
    assert txns
    for w, ops in txns:
        assert any(op.get("op") == "commit" and op.get("durable") is True for op in ops), ops


def test_nothing_sent_when_nothing_changed(lab):
    s, d, api = _traced(lab)
    net, _, c = connect(api)
    api.host(H1_IP, name="h1")
    p = api.port(net["id"], mac=mac(1), host="h1")
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {mac(1): ("", H1_IP)}))
    api.wait_status(c["id"], "ACTIVE")
    n = len(s.transactions())
    # changes that do not change the desired state
    s.add_ls("someone-elses", tunnel_key=9999)                   # a monitor update
    api.update_port(p["id"], name="renamed-port")                # an inventory event
    api.host("10.0.0.77", name="idle-host")                      # a host without ports
    time.sleep(QUIET)
    assert len(s.transactions()) == n, s.transactions()[n:]
    # a restart of l2gwd: the full pass finds nothing to do
    d.restart()
    api.wait_switch("sw1")
    api.wait_status(c["id"], "ACTIVE")
    time.sleep(QUIET)
    assert len(s.transactions()) == n, s.transactions()[n:]


def test_large_work_order_and_size(lab):
    """Connecting a network with 6,000 MACs: the Logical_Switch first, then
    MACs (more than one transaction, each of at most a few thousand
    operations), then the flood row, then the bindings; disconnecting:
    rows and bindings first, the Logical_Switch in a later transaction."""
    s, d, api = _traced(lab)
    for h in range(30):
        api.host("10.8.0.%d" % (h + 1), name="h%d" % h)
    net = api.network()
    for i in range(6000):
        api.port(net["id"], mac=mac(0x10000 + i), host="h%d" % (i % 30))
    n0 = len(s.transactions())
    _, _, c = connect(api, net=net, wait=None)
    api.wait_status(c["id"], "ACTIVE", timeout=6 * WAIT)
    on_switch(s, lambda snap: (len(snap.ucast_remote(net["id"])) == 6000 or _no(),
                               assert_flood(snap, net["id"],
                                            ["10.8.0.%d" % (h + 1) for h in range(30)])))
    txns = [ops for _, ops in s.transactions()[n0:]]
    assert max(len(ops) for ops in txns) <= 5000, [len(ops) for ops in txns]

    def first(pred):
        return min(i for i, ops in enumerate(txns) if any(pred(op) for op in ops))

    def last(pred):
        return max(i for i, ops in enumerate(txns) if any(pred(op) for op in ops))
    ls = first(lambda op: op.get("table") == "Logical_Switch" and op["op"] == "insert")
    ucast_first = first(lambda op: op.get("table") == "Ucast_Macs_Remote")
    ucast_last = last(lambda op: op.get("table") == "Ucast_Macs_Remote")
    mcast = first(lambda op: op.get("table") == "Mcast_Macs_Remote")
    binding = first(lambda op: op.get("table") == "Physical_Port")
    assert ls <= ucast_first < ucast_last, (ls, ucast_first, ucast_last)
    assert ucast_last <= mcast <= binding, (ucast_last, mcast, binding)
    # and away
    n1 = len(s.transactions())
    api.delete_connection(c["id"])
    on_switch(s, lambda snap: assert_nothing_of_ours(snap, [net["id"]]), timeout=6 * WAIT)
    txns = [ops for _, ops in s.transactions()[n1:]]
    assert max(len(ops) for ops in txns) <= 5000, [len(ops) for ops in txns]
    ls_del = first(lambda op: op.get("table") == "Logical_Switch" and op["op"] == "delete")
    rows_del = last(lambda op: op.get("table") in ("Ucast_Macs_Remote", "Mcast_Macs_Remote",
                                                   "Physical_Port"))
    assert rows_del < ls_del, (rows_del, ls_del)


def _no(*what):
    raise AssertionError("not yet %r" % (what,))
