"""Fixtures of the black-box tests of l2gwd's switch manager (tests/switch).

Every test gets its own 'lab' (a temporary directory) in which it starts
the ovsdb-servers (real, hardware_vtep schema) and the l2gwd daemons it
needs; everything is stopped at the end of the test.  Daemons must exit 0
on SIGTERM.  When a test fails, the logs of its daemons and servers are
attached to the report.

Contract under test: /work/shared/spec/switch.md (and `man 5 vtep`).
Run: L2GWD=$PWD/build/src/daemon/l2gwd /usr/bin/python3 -m pytest -q tests/switch
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))

import vteplab  # noqa: E402
from vteplab import OvsdbServer, L2gwd  # noqa: E402

SW_IP = "192.0.2.100"      # the default switch's tunnel IP


class Lab:
    """The servers and daemons of one test."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.servers = []
        self.daemons = []

    def server(self, name="db1", switches=None, start=True, **kw):
        """An ovsdb-server; 'switches' {ps name: (tunnel_ip, [ports])} are
        created once it runs."""
        s = OvsdbServer(self.workdir, name=name, **kw)
        self.servers.append(s)
        if start:
            s.start()
            for ps, (ip, ports) in (switches or {}).items():
                s.add_switch(ps, ip, ports)
        return s

    def daemon(self, servers=(), kind="unix", ovsdb=None, config=None, hosts=None, start=True,
               name=None):
        """An l2gwd talking to 'servers' (ovsdb_hosts entries of 'kind'),
        or to the explicit 'hosts' entries."""
        entries = list(hosts) if hosts is not None else [s.hosts_entry(kind=kind)
                                                          for s in servers]
        d = L2gwd(self.workdir, entries, ovsdb=ovsdb, config=config,
                  name=name or "l2gwd%d" % (len(self.daemons) + 1))
        self.daemons.append(d)
        if start:
            d.start()
        d.api = d.client()
        return d

    def basic(self, ports=("p1", "p2", "p3"), ps="sw1", tunnel_ip=SW_IP, ovsdb=None, kind="unix",
              **server_kw):
        """One database 'db1' with switch 'sw1' (ports p1..p3, tunnel IP
        SW_IP), one l2gwd talking to it, the switch in the registry.
        Returns (server, daemon, api)."""
        if kind != "unix":
            server_kw.setdefault("tcp", True)
        s = self.server("db1", {ps: (tunnel_ip, list(ports))}, **server_kw)
        d = self.daemon([s], kind=kind, ovsdb=ovsdb)
        d.api.wait_switch(ps, ports=ports)
        return s, d, d.api

    def report(self):
        parts = []
        for d in self.daemons:
            parts.append(("l2gwd log %s" % d.log_path, d.log_text(tail=12000)))
        for s in self.servers:
            parts.append(("ovsdb-server log %s" % s.logfile, s.log_text(tail=3000)))
        return parts

    def close(self):
        """Stops everything; returns the daemons that did not exit 0."""
        bad = []
        for d in self.daemons:
            was = d.alive()
            try:
                rc = d.stop()
            except vteplab.LabError as e:
                rc = str(e)
            if was and rc != 0:
                bad.append((d, rc))
        for s in self.servers:
            s.destroy()
        return bad


@pytest.fixture
def lab(request, tmp_path):
    if not vteplab.have_tools():
        pytest.fail("ovsdb-server, ovsdb-tool, ovsdb-client, vtep-ctl or %s missing"
                    % vteplab.SCHEMA)
    binary = vteplab.daemon_path()
    if not os.access(binary, os.X_OK):
        pytest.fail("l2gwd not built: %s (set L2GWD)" % binary)
    lb = Lab(str(tmp_path))
    request.node._lab = lb
    yield lb
    bad = lb.close()
    if bad:
        pytest.fail("l2gwd did not exit 0 on SIGTERM: %s\n%s" % (
            ", ".join("%s rc=%r" % (d.dir, rc) for d, rc in bad),
            bad[0][0].log_text(tail=4000)), pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    lb = getattr(item, "_lab", None)
    if rep.failed and lb is not None:
        for title, text in lb.report():
            rep.sections.append((title, text))
