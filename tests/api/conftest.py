"""Fixtures of the l2gwd API tests.

Each test module gets a fresh daemon (fixture 'daemon'); a module can set
DAEMON_CONFIG = {section: {option: value}} and DAEMON_TOKENS = [lines] to
configure it.  'api' is an admin client, 'member' a non-admin one
(X-Roles: member, X-Project-Id: demo).  When a test fails, the daemon's
stderr is attached to the report."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import l2gwtest  # noqa: E402


@pytest.fixture(scope="module")
def daemon(request, tmp_path_factory):
    config = getattr(request.module, "DAEMON_CONFIG", None)
    tokens = getattr(request.module, "DAEMON_TOKENS", None)
    tmpdir = str(tmp_path_factory.mktemp("l2gwd"))
    d = l2gwtest.Daemon(config=config, tokens=tokens, tmpdir=tmpdir)
    request.node._l2gwd = d
    try:
        d.start()
    except l2gwtest.DaemonError as e:
        pytest.fail(str(e), pytrace=False)
    yield d
    was_alive = d.alive()
    rc = d.stop()
    d.close_lab()
    if was_alive:
        assert rc == 0, "l2gwd exited with %r on SIGTERM; stderr:\n%s" % (rc, d.stderr_text())


@pytest.fixture
def api(daemon):
    c = daemon.client()
    yield c
    c.close()


@pytest.fixture
def member(daemon):
    c = daemon.client(project="demo", roles="member")
    yield c
    c.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if not rep.failed:
        return
    d = None
    funcargs = getattr(item, "funcargs", {}) or {}
    if "daemon" in funcargs:
        d = funcargs["daemon"]
    elif getattr(item, "_l2gwd", None) is not None:
        d = item._l2gwd
    else:
        mod = item.getparent(pytest.Module)
        d = getattr(mod, "_l2gwd", None) if mod is not None else None
    if d is not None:
        rep.sections.append(("l2gwd stderr (%s)" % d.stderr_path, d.stderr_text(8000)))
