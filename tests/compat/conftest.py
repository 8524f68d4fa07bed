"""Fixtures of the OpenStack client compatibility tests: one fresh l2gwd per
module (the harness of tests/api/l2gwtest.py), an admin HTTP client 'api'
to check what the server holds, and the daemon's stderr on failure."""

import os
import sys

import pytest

sys.path.insert(0, os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api")))

import l2gwtest  # noqa: E402


@pytest.fixture(scope="module")
def daemon(request, tmp_path_factory):
    d = l2gwtest.Daemon(tmpdir=str(tmp_path_factory.mktemp("l2gwd-compat")))
    request.node._l2gwd = d
    try:
        d.start()
    except l2gwtest.DaemonError as e:
        pytest.fail(str(e), pytrace=False)
    yield d
    was_alive = d.alive()
    rc = d.stop()
    if was_alive:
        assert rc == 0, "l2gwd exited with %r on SIGTERM" % rc


@pytest.fixture
def api(daemon):
    c = daemon.client()
    yield c
    c.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if not rep.failed:
        return
    mod = item.getparent(pytest.Module)
    d = getattr(mod, "_l2gwd", None) if mod is not None else None
    if d is not None:
        rep.sections.append(("l2gwd stderr", d.stderr_text(8000)))
