"""Fixtures of the cluster tests (issue 8): several l2gwd nodes sharing
one PostgreSQL database in front of several real switch databases.

  - 'pg' (session): a temporary PostgreSQL server made with
    tests/pg/pgtmp.sh under /tmp/l2gw-pg-clus-<pid> (stopped and removed at
    the end), or the server of $L2GW_TEST_DB_URL (scripts/run-tests.sh);
    the suite is skipped when there are no PostgreSQL binaries.
  - 'cluster' (per test): a fresh database on that server (pgtmp.sh
    newdb), 6 ovsdb-servers db1..db6 (switch sw-dbN, ports p1 p2) and 3
    l2gwd nodes clus-n1..3 with the same ovsdb_hosts, takeover_timeout =
    3 and heartbeat_interval = 1, started and evenly spread.  Every node
    must exit 0 on SIGTERM at the end.  When a test fails, the nodes' logs
    are attached to the report.

Run: L2GWD=$PWD/build/src/daemon/l2gwd /usr/bin/python3 -m pytest -q tests/cluster
"""

import contextlib
import os
import signal
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import clusterlab  # noqa: E402
import vteplab  # noqa: E402

TAKEOVER = 3
HEARTBEAT = 1
N_DBS = 6
N_NODES = 3


@pytest.fixture(scope="session")
def pg():
    if not os.environ.get("L2GW_TEST_DB_URL") and clusterlab.pg_bindir() is None:
        pytest.skip("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin, $PGBIN)")
    if not vteplab.have_tools():
        pytest.fail("ovsdb-server, ovsdb-tool, ovsdb-client, vtep-ctl or %s missing"
                    % vteplab.SCHEMA)
    binary = vteplab.daemon_path()
    if not os.access(binary, os.X_OK):
        pytest.fail("l2gwd not built: %s (set L2GWD)" % binary)
    server = clusterlab.Pg("/tmp/l2gw-pg-clus-%d" % os.getpid())
    try:
        server.start()
    except clusterlab.LabError as e:
        server.destroy()
        pytest.fail(str(e))
    yield server
    server.destroy()


def make_cluster(request, tmp_path, pg, **kw):
    url = pg.newdb()
    c = clusterlab.Cluster(str(tmp_path), url, n_dbs=kw.pop("n_dbs", N_DBS),
                           n_nodes=kw.pop("n_nodes", N_NODES), takeover=TAKEOVER,
                           heartbeat=HEARTBEAT, **kw)
    c.pg = pg
    request.node._cluster = c
    return c


@contextlib.contextmanager
def running_cluster(request, tmp_path, pg, **kw):
    """A cluster made by make_cluster(**kw), started and evenly spread.  At
    the end, nodes left stopped (SIGSTOP) are continued, every node gets
    SIGTERM, and the test fails when a running node did not exit 0."""
    c = make_cluster(request, tmp_path, pg, **kw)
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
    if bad:
        pytest.fail("l2gwd did not exit 0 on SIGTERM: %s\n%s" % (
            ", ".join("%s rc=%r" % (n.node_id, rc) for n, rc in bad),
            bad[0][0].log_text(tail=4000)), pytrace=False)


@pytest.fixture
def cluster(request, tmp_path, pg):
    with running_cluster(request, tmp_path, pg) as c:
        yield c


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    c = getattr(item, "_cluster", None)
    if rep.failed and c is not None:
        for title, text in c.report():
            rep.sections.append((title, text))
