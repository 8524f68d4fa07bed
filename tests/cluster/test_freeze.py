"""One writer per switch when the owner is not dead but frozen (SIGSTOP,
like a long GC pause or a VM migration): the others take its switches
over after takeover_timeout; when it wakes up, with its lease long
expired and a stale view of the desired state, it must not write to them
any more (cluster.h: a node stops serving once its last renewal is older
than the lease).  The switch databases log every JSON-RPC message, so
that a write by the woken node is seen even if the new owner repairs it at
once."""

import signal
import time

import pytest

from cluutil import H1_IP, desired, mac, measure, on_switch, wire
from conftest import make_cluster

WATCH = 4.0     # seconds to watch the switch after the frozen node wakes up


@pytest.fixture
def traced(request, tmp_path, pg):
    c = make_cluster(request, tmp_path, pg, trace=True)
    try:
        c.start_servers()
        c.start_nodes()
        c.wait_balanced()
        yield c
    finally:
        for n in c.nodes:
            if n.alive():
                n.proc.send_signal(signal.SIGCONT)
        bad = c.close()
    assert not bad, "l2gwd did not exit 0 on SIGTERM: %r" % [(n.node_id, rc) for n, rc in bad]


def writes(server):
    """[(session, ops)] of the transactions that change something."""
    out = []
    for w, ops in server.transactions(peer_prefix="unix"):
        real = [op for op in ops if isinstance(op, dict)
                and op.get("op") not in ("select", "comment", "assert", "wait")]
        if real:
            out.append((w.peer, real))
    return out


def test_frozen_owner_does_not_write_after_waking(traced):
    cluster = traced
    victim = cluster.nodes[0]
    db = sorted(cluster.serving()[victim.node_id])[0]
    srv = cluster.server(db)
    sw = cluster.switch(srv)
    api = cluster.nodes[1].api
    net_a, _, conn_a, ports = wire(api, sw, "p1", 10, macs=(1, 2))
    net_b, _, conn_b, _ = wire(api, sw, "p2", 20, host=ports[0]["binding:host_id"], macs=(3,))
    on_switch(srv, lambda s: desired(s, sw, {"p1": {10: net_a["id"]}, "p2": {20: net_b["id"]}},
                                     {net_a["id"]: {mac(1): H1_IP, mac(2): H1_IP},
                                      net_b["id"]: {mac(3): H1_IP}}))
    victim_sessions = {peer for peer, _ in writes(srv)}
    assert victim_sessions, "no write by the owner seen in the server's log"

    victim.proc.send_signal(signal.SIGSTOP)
    try:
        others = [n for n in cluster.nodes if n is not victim]
        dt = measure(lambda: any(db in d for d in cluster.serving(others).values()),
                     cluster.takeover + 10)
        print("\ntakeover of a frozen node: %s s" % ("%.2f" % dt if dt is not None else "never"))
        assert dt is not None, "%s not taken over from the frozen node" % db
        # the desired state changes while the old owner sleeps
        api.delete_connection(conn_b["id"])
        api.remove("ports", ports[1]["id"])
        want = ({"p1": {10: net_a["id"]}}, {net_a["id"]: {mac(1): H1_IP}})
        on_switch(srv, lambda s: desired(s, sw, *want))
        so_far = writes(srv)
        mark = len(so_far)
        owner_sessions = {peer for peer, _ in so_far} - victim_sessions
        assert owner_sessions, "the new owner's writes were not seen"
    finally:
        victim.proc.send_signal(signal.SIGCONT)
    t_end = time.monotonic() + WATCH
    while time.monotonic() < t_end:
        st = cluster.statuses([victim])[victim.node_id]
        assert st is None or db not in st["dbs"] or \
            cluster.owner_of(db, [n for n in cluster.nodes if n is not victim]) == [], \
            "%s served by the woken node and another at once" % db
        time.sleep(0.1)
    late = [(peer, ops) for peer, ops in writes(srv)[mark:] if peer not in owner_sessions]
    assert not late, "the woken node wrote to %s after losing it: %r" % (db, late[:3])
    desired(srv.dump(), sw, *want)
    # what the others say about the switch was not spoiled by the woken node
    for n in cluster.nodes:
        n.api.wait_switch(sw, ident=db, connected=True, timeout=5)
        n.api.wait_status(conn_a["id"], "ACTIVE", timeout=5)
