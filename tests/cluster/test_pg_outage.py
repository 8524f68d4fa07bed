"""Issue 8 (e, f): PostgreSQL restarts and outages.

(e) a restart: the nodes reconnect and spread again, what existed is still
    there, every write that was answered 201 during the restart is stored,
    and new writes reach the switches;
(f) an outage longer than the lease: every node stops serving its switches
    (and does not repair them), and serves them again once PostgreSQL is
    back."""

import threading
import time

import pytest

from cluutil import H1_IP, desired, mac, measure, on_switch, wire

WRITE_AFTER = 3.0       # seconds of writes after the restart
MARGIN = 1.5


def need_control(cluster):
    if not cluster.pg.controllable:
        pytest.skip("the PostgreSQL server of $L2GW_TEST_DB_URL cannot be restarted "
                    "(set L2GW_TEST_PG_DIR to its pgtmp.sh directory)")


class Writer(threading.Thread):
    """Creates networks through one node in a loop; remembers the id of
    every 201 and counts the other answers."""

    def __init__(self, node, tag):
        super().__init__(daemon=True)
        self.node = node
        self.tag = tag
        self.accepted = []
        self.refused = {}
        self.stop = threading.Event()

    def run(self):
        api = self.node.client()
        i = 0
        while not self.stop.is_set():
            i += 1
            try:
                r = api.post("/v2.0/networks", {"network": {
                    "name": "%s-%d" % (self.tag, i), "provider:network_type": "vxlan"}})
            except Exception as e:  # noqa: BLE001 - counted, the loop goes on
                self.refused[type(e).__name__] = self.refused.get(type(e).__name__, 0) + 1
                api.close()
                time.sleep(0.05)
                continue
            if r.status == 201:
                self.accepted.append(r.json()["network"]["id"])
            else:
                self.refused[r.status] = self.refused.get(r.status, 0) + 1
                time.sleep(0.02)
        api.close()


def test_restart_loses_nothing_and_writes_go_on(cluster):
    need_control(cluster)
    n1, n2, n3 = cluster.nodes
    db = sorted(cluster.serving()[n3.node_id])[0]
    srv = cluster.server(db)
    sw = cluster.switch(srv)
    net, gw, conn, ports = wire(n1.api, sw, "p1", 300, macs=(1,))
    on_switch(srv, lambda s: desired(s, sw, {"p1": {300: net["id"]}}, {net["id"]: {mac(1): H1_IP}}))
    before = {c: sorted(x["id"] for x in n2.api.list_all(c, c.replace("-", "_")))
              for c in ("networks", "ports", "hosts", "l2-gateways", "l2-gateway-connections")}

    writers = [Writer(n1, "w1"), Writer(n2, "w2")]
    for w in writers:
        w.start()
    time.sleep(1.0)
    t0 = time.monotonic()
    cluster.pg.restart()
    restart_s = time.monotonic() - t0
    time.sleep(WRITE_AFTER)
    for w in writers:
        w.stop.set()
    for w in writers:
        w.join(30)
    print("\nPostgreSQL restart took %.2f s; writers: %s" % (
        restart_s, ["%s: %d accepted, refused %r" % (w.tag, len(w.accepted), w.refused)
                    for w in writers]))

    # every 201 is stored, seen from the third node
    listed = {x["id"] for x in n3.api.list_all("networks", "networks")}
    for w in writers:
        assert w.accepted, "%s: no write accepted at all (refused %r)" % (w.tag, w.refused)
        lost = [i for i in w.accepted if i not in listed]
        assert not lost, "%s: %d accepted networks lost: %r" % (w.tag, len(lost), lost[:5])
    # the writes went on after the restart (not only before it)
    n_after = {w.tag: len(w.accepted) for w in writers}
    for w in writers:
        r = w.node.api.post("/v2.0/networks", {"network": {"name": "after",
                                                           "provider:network_type": "vxlan"}})
        assert r.status == 201, "%s after the restart: %r" % (w.node.node_id, r)
    assert n_after
    # what existed before is still there
    for coll, ids in before.items():
        now = {x["id"] for x in n1.api.list_all(coll, coll.replace("-", "_"))}
        assert set(ids) <= now, "%s lost: %r" % (coll, sorted(set(ids) - now))
    # the nodes reconnected and spread again; new writes reach the switch
    cluster.wait_balanced(timeout=15)
    for st in cluster.statuses().values():
        assert st["cluster"]["connected"] == "yes", st["cluster"]
    host = ports[0]["binding:host_id"]
    n2.api.port(net["id"], mac=mac(2), host=host)
    owner = cluster.owner_of(db)
    assert len(owner) == 1, owner
    on_switch(srv, lambda s: desired(s, sw, {"p1": {300: net["id"]}},
                                     {net["id"]: {mac(1): H1_IP, mac(2): H1_IP}}))
    for n in cluster.nodes:
        n.api.wait_status(conn["id"], "ACTIVE")
        for s in cluster.servers:
            n.api.wait_switch(cluster.switch(s), ident=s.name, connected=True, timeout=5)


def test_outage_stops_every_writer_then_recovers(cluster):
    need_control(cluster)
    n1, n2, n3 = cluster.nodes
    db = sorted(cluster.serving()[n2.node_id])[0]
    srv = cluster.server(db)
    sw = cluster.switch(srv)
    net, gw, conn, ports = wire(n1.api, sw, "p2", 400, macs=(1, 2))
    want = ({"p2": {400: net["id"]}}, {net["id"]: {mac(1): H1_IP, mac(2): H1_IP}})
    on_switch(srv, lambda s: desired(s, sw, *want))
    lease_s = cluster.takeover - cluster.heartbeat

    cluster.pg.stop_server()
    t_stop = time.monotonic()
    try:
        def nobody_serves():
            sts = cluster.statuses()
            return all(st is not None and not st["dbs"] and st["cluster"]["valid_ms"] == "0"
                       for st in sts.values())
        dt = measure(nobody_serves, lease_s + 10)
        print("\nevery node stopped serving %s s after PostgreSQL stopped (lease %d s)"
              % ("%.2f" % dt if dt is not None else "never", lease_s))
        assert dt is not None, "nodes still serve: %r" % cluster.serving()
        assert dt <= lease_s + MARGIN, "nodes served %.2f s without PostgreSQL" % dt
        for st in cluster.statuses().values():
            assert st["cluster"]["connected"] == "no", st["cluster"]
        # nobody writes to the switch now: a row removed by hand stays removed
        row = [r for r in srv.dump().ucast_remote() if r["mac"] == mac(2)][0]
        srv.delete_row("Ucast_Macs_Remote", row["uuid"])
        time.sleep(2.0)
        assert [r["mac"] for r in srv.dump().ucast_remote()] == [mac(1)], \
            "a node wrote to %s while PostgreSQL was down" % db
        # an outage longer than the lease keeps everyone off
        assert time.monotonic() - t_stop > lease_s
    finally:
        cluster.pg.start_server()
    t_start = time.monotonic()
    cluster.wait_balanced(timeout=20)
    print("served again %.2f s after PostgreSQL started" % (time.monotonic() - t_start))
    on_switch(srv, lambda s: desired(s, sw, *want))
    # and the API writes again, to the switches
    n3.api.port(net["id"], mac=mac(3), host=ports[0]["binding:host_id"])
    want[1][net["id"]][mac(3)] = H1_IP
    on_switch(srv, lambda s: desired(s, sw, *want))
    # the registry and the status say so through every node
    for n in cluster.nodes:
        for s in cluster.servers:
            n.api.wait_switch(cluster.switch(s), ident=s.name, connected=True, timeout=5)
        n.api.wait_status(conn["id"], "ACTIVE", timeout=5)
