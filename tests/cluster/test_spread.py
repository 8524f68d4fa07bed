"""Issue 8 (a): 3 nodes and 6 switch databases: each node serves exactly
2, every database is served (and connected) by exactly one node, and the
lease table agrees with what the nodes say, sampled for a few seconds."""

import time

SAMPLE_SECONDS = 4.0


def test_even_spread_one_writer_per_database(cluster):
    dbs = set(cluster.db_names())
    samples = 0
    t_end = time.monotonic() + SAMPLE_SECONDS
    while time.monotonic() < t_end:
        sts = cluster.statuses()
        assert len(sts) == 3 and all(st is not None for st in sts.values()), sts
        seen = {}
        for nid, st in sts.items():
            c = st["cluster"]
            assert c is not None, "%s: no cluster line in ctl status: %r" % (nid, st)
            assert c["node"] == nid
            assert c["live_nodes"] == "3", "%s sees %s live nodes" % (nid, c["live_nodes"])
            assert c["share"] == "2", "%s: share %s" % (nid, c["share"])
            assert c["connected"] == "yes", "%s: not connected to PostgreSQL" % nid
            assert int(c["valid_ms"]) > 0, "%s: valid_ms %s" % (nid, c["valid_ms"])
            served = set(st["dbs"])
            assert len(served) == 2, "%s serves %r" % (nid, sorted(served))
            assert served == set(c["owned"]), \
                "%s: status lines %r but owned=%r" % (nid, sorted(served), c["owned"])
            for db in served:
                assert st["dbs"][db].get("connected") == "yes", "%s: %s %r" % (
                    nid, db, st["dbs"][db])
                assert db not in seen, "%s served by %s and %s" % (db, seen[db], nid)
                seen[db] = nid
        assert set(seen) == dbs, "served %r, want %r" % (sorted(seen), sorted(dbs))
        leases = cluster.leases()
        assert set(leases) == dbs, "switch_leases rows %r" % sorted(leases)
        for db, (owner, left_ms) in leases.items():
            assert owner == seen[db], "lease of %s held by %s, served by %s" % (
                db, owner, seen[db])
            assert 0 < left_ms <= (cluster.takeover - cluster.heartbeat) * 1000 + 200, \
                "lease of %s expires in %d ms" % (db, left_ms)
        samples += 1
        time.sleep(0.2)
    assert samples >= 5
    rows = cluster.pg.psql(cluster.url, "SELECT node_id FROM cluster_nodes "
                           "WHERE expires_ms > extract(epoch from clock_timestamp()) * 1000 "
                           "ORDER BY 1")
    assert [r[0] for r in rows] == sorted(n.node_id for n in cluster.nodes), rows


def test_switches_registered_once(cluster):
    """Every node's API lists every switch (the registry is shared), each
    once."""
    for n in cluster.nodes:
        sws = n.api.switches()
        names = sorted(s["name"] for s in sws)
        assert names == sorted(cluster.switch(s) for s in cluster.servers), names
