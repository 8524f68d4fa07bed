"""Passive mode with several nodes (docs/scale-out.md): a switch that
lists every node as its manager (vtep-ctl set-manager with three
targets) connects to all of them; exactly one node may serve it (the one
whose claim of the lease succeeds), the others refuse the session.  When
that node dies, the switch's retry to another node succeeds once the
lease has expired, and the new owner converges the switch."""

import signal
import threading
import time

import pytest

from cluutil import H1_IP, desired, mac, measure, on_switch, wire
from conftest import running_cluster
from vteplab import OvsdbServer, free_port

PASSIVE_DB = "127.0.0.1"    # a passive database is named by its peer address
OVS_BACKOFF = 8             # ovsdb-server's longest reconnect backoff (s)


@pytest.fixture
def passive(request, tmp_path, pg):
    ports = [free_port() for _ in range(3)]
    with running_cluster(request, tmp_path, pg, n_dbs=3, per_node=lambda j: {
            "ovsdb": {"enable_manager": "True",
                      "manager_table_listening_port": str(ports[j - 1])}}) as c:
        psrv = OvsdbServer(str(tmp_path), name="passive", managers=True)
        try:
            psrv.start()
            psrv.add_switch("sw-p", "192.0.2.100", ["p1", "p2"])
            c.ports, c.psrv = ports, psrv
            yield c
        finally:
            psrv.destroy()


class OwnerWatch:
    """Polls who serves the passive database; records any moment when two
    nodes served it at once."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.doubles = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            owners = self.cluster.owner_of(PASSIVE_DB)
            if len(owners) > 1:
                self.doubles.append(owners)
            time.sleep(0.05)

    def close(self):
        self.stop.set()
        self.thread.join(10)
        return self.doubles


def sole_owner(cluster, nodes=None):
    owners = cluster.owner_of(PASSIVE_DB, nodes)
    return owners[0] if len(owners) == 1 else None


def test_passive_switch_with_every_node_as_manager(passive):
    cluster = passive
    psrv = cluster.psrv
    watch = OwnerWatch(cluster)
    try:
        psrv.ctl("set-manager", *["tcp:127.0.0.1:%d" % p for p in cluster.ports])
        assert measure(lambda: sole_owner(cluster), 15) is not None, \
            "no node serves the passive switch: %r" % cluster.serving()
        owner = cluster.node(sole_owner(cluster))
        time.sleep(3)   # the others' sessions are refused, again and again
        assert cluster.owner_of(PASSIVE_DB) == [owner.node_id]
        # the active databases are still spread, one node each
        counts = {}
        for dbs in cluster.serving().values():
            for db in dbs - {PASSIVE_DB}:
                counts[db] = counts.get(db, 0) + 1
        assert counts == {db: 1 for db in cluster.db_names()}, counts
        # a write through another node reaches the switch
        other = next(n for n in cluster.nodes if n is not owner)
        net, _, conn, ports = wire(other.api, "sw-p", "p1", 10, macs=(1, 2))
        want = ({"p1": {10: net["id"]}}, {net["id"]: {mac(1): H1_IP, mac(2): H1_IP}})
        on_switch(psrv, lambda s: desired(s, "sw-p", *want))
        other.api.wait_status(conn["id"], "ACTIVE", timeout=15)
        # the owner dies; a change is made meanwhile; another node takes
        # the switch once the lease has expired and repairs it
        owner.proc.send_signal(signal.SIGKILL)
        owner.proc.wait(10)
        other.api.remove("ports", ports[1]["id"])
        want = ({"p1": {10: net["id"]}}, {net["id"]: {mac(1): H1_IP}})
        alive = [n for n in cluster.nodes if n is not owner]
        dt = measure(lambda: sole_owner(cluster, alive), cluster.takeover + OVS_BACKOFF + 5)
        print("\npassive switch served again %s s after kill -9 of its node"
              % ("%.2f" % dt if dt is not None else "never"))
        assert dt is not None, "nobody took the passive switch over: %r" % cluster.serving(alive)
        on_switch(psrv, lambda s: desired(s, "sw-p", *want))
    finally:
        doubles = watch.close()
    assert not doubles, "the passive switch was served by two nodes at once: %r" % doubles[:3]
