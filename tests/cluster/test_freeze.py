"""One writer per switch when the owner is not dead but frozen (SIGSTOP,
like a long GC pause or a VM migration): the others take its switches
over after takeover_timeout; when it wakes up, with its lease long
expired and a stale view of the desired state, it must not write to them
any more (cluster.h: a node stops serving once its last renewal is older
than the lease).  The switch databases log every JSON-RPC message, so
that a write by the woken node is seen even if the new owner repairs it at
once."""

import signal
import subprocess
import threading
import time

import pytest

from clusterlab import psql, psql_binary
from cluutil import H1_IP, desired, mac, measure, on_switch, wire
from conftest import running_cluster

WATCH = 4.0     # seconds to watch the switch after the frozen node wakes up


@pytest.fixture
def traced(request, tmp_path, pg):
    with running_cluster(request, tmp_path, pg, trace=True) as c:
        yield c


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


# The store's write lock: pg_advisory_xact_lock(class, key) (store_pg.c),
# key = FNV-1a of the schema name as a signed 32-bit integer.
LOCK_CLASS = 0x6c326777


def lock_key(schema):
    h = 2166136261
    for b in schema.encode():
        h = ((h ^ b) * 16777619) & 0xffffffff
    return h - (1 << 32) if h >= 1 << 31 else h


def lock_holders(url, key, granted, app=None):
    """Backends of application 'app' (any when None) holding ('granted')
    or waiting for the store's write lock."""
    rows = psql(url, "SELECT l.pid, coalesce(a.application_name, '') FROM pg_locks l "
                     "LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
                     "WHERE l.locktype = 'advisory' AND l.classid = %d AND l.objid = %d "
                     "AND l.objsubid = 2 AND l.granted = %s"
                % (LOCK_CLASS, key & 0xffffffff, "true" if granted else "false"))
    return [r[0] for r in rows if app is None or r[1] == app]


def test_node_frozen_inside_a_transaction_does_not_stall_the_others(cluster):
    """A node stopped while it holds the store's write lock (inside an API
    write) would block every other node's writes and heartbeats for as long
    as its TCP connection lives: the server must end its session
    (idle_in_transaction_session_timeout), so that the others write again
    and take its switches over."""
    victim = cluster.nodes[0]
    other = cluster.nodes[1]
    db = sorted(cluster.serving()[victim.node_id])[0]
    url = cluster.url
    key = lock_key(psql(url, "SELECT current_schema()")[0][0])
    # 1. hold the write lock from outside, so that the victim's next API
    #    write waits for it inside its transaction
    holder = subprocess.Popen([psql_binary(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url],
                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    result = {}
    writer = None
    try:
        holder.stdin.write("BEGIN; SELECT pg_advisory_xact_lock(%d, %d);\n" % (LOCK_CLASS, key))
        holder.stdin.flush()
        assert measure(lambda: lock_holders(url, key, True), 10) is not None, \
            "the outside session did not get the write lock"

        def write():
            result["resp"] = victim.api.post("/v2.0/networks", {"network": {
                "name": "frozen-write", "provider:network_type": "vxlan"}})
        writer = threading.Thread(target=write)
        writer.start()
        assert measure(lambda: lock_holders(url, key, False, victim.node_id), 4) is not None, \
            "the victim's write does not wait for the lock"
        # 2. stop the victim, then let the lock go: its backend takes it
        #    and stays idle in the transaction
        victim.proc.send_signal(signal.SIGSTOP)
        holder.stdin.write("COMMIT;\n")
        holder.stdin.close()
        holder.wait(10)
        assert holder.returncode == 0, holder.stderr.read()
        assert measure(lambda: lock_holders(url, key, True, victim.node_id), 4) is not None, \
            "the frozen victim's backend did not take the lock"
        # 3. the others write again and take the victim's switches over
        t0 = time.monotonic()
        dt = measure(lambda: not lock_holders(url, key, True, victim.node_id), 10)
        print("\nwrite lock of the frozen node freed after %s s"
              % ("%.2f" % dt if dt is not None else "never"))
        assert dt is not None, "the frozen node still holds the write lock"
        net = other.api.network()
        others = [n for n in cluster.nodes if n is not victim]
        took = measure(lambda: any(db in d for d in cluster.serving(others).values()),
                       cluster.takeover + 10)
        assert took is not None, "%s not taken over from the frozen node" % db
        print("write through another node and takeover of %s %.2f s after the lock"
              % (db, time.monotonic() - t0))
    finally:
        if holder.poll() is None:
            holder.kill()
        victim.proc.send_signal(signal.SIGCONT)
        if writer is not None:
            writer.join(40)
    # 4. the woken node's write was rolled back, and said so; it works again
    resp = result.get("resp")
    assert resp is not None, "the victim never answered its write"
    names = [n["name"] for n in other.api.list("networks", "networks")]
    if resp.status == 201:
        assert "frozen-write" in names, "201 for a write that is not stored"
    else:
        assert resp.status in (500, 503), resp
        assert "frozen-write" not in names, "an error for a write that is stored"
    assert net["id"] in [n["id"] for n in victim.api.list("networks", "networks")]
    assert measure(lambda: victim.api.post("/v2.0/networks", {"network": {
        "name": "after-waking", "provider:network_type": "vxlan"}}).status == 201, 15) \
        is not None, "the woken node does not write any more"
