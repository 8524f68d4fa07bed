"""Fixtures of the black-box tests of the l2gw client.

Each test module gets a fresh l2gwd ('daemon', module scope).  A module
sets TOKENS = ["TOKEN PROJECT ROLES", ...] for a daemon in token mode, and
WITH_VTEP = True for a daemon connected to a real VTEP database ('vtep':
switch "sw1" with ports p1..p4; VTEP_PER_LOCATOR_KEY = True adds the
border gateway extension; every test of such a module waits until l2gwd
lists sw1).  'cli' runs the client against the
daemon, 'api' talks REST to it.  A failing test shows the daemon's
stderr."""

import os
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import clitest  # noqa: E402

SWITCH_WAIT = 10.0


@pytest.fixture(scope="module")
def vtep(request, tmp_path_factory):
    if not getattr(request.module, "WITH_VTEP", False):
        yield None
        return
    if not clitest.Vtep.available():
        pytest.fail("ovsdb-server, vtep-ctl or %s missing" % clitest.VTEP_SCHEMA)
    v = clitest.Vtep(str(tmp_path_factory.mktemp("vtep")),
                     per_locator_key=getattr(request.module, "VTEP_PER_LOCATOR_KEY", False))
    v.start()
    yield v
    v.stop()


@pytest.fixture(scope="module")
def daemon(request, tmp_path_factory, vtep):
    tokens = getattr(request.module, "TOKENS", None)
    d = clitest.Daemon(str(tmp_path_factory.mktemp("l2gwd")), tokens=tokens, vtep=vtep)
    request.module._l2gwd = d
    try:
        d.start()
    except clitest.HarnessError as e:
        pytest.fail(str(e), pytrace=False)
    yield d
    d.stop()


@pytest.fixture
def cli(daemon):
    def call(*args, **kw):
        kw.setdefault("url", daemon.url)
        return clitest.run(*args, **kw)
    return call


@pytest.fixture
def api(daemon):
    return clitest.Api(daemon.url)


@pytest.fixture(scope="module")
def switch_known(daemon, vtep):
    """Waits (up to SWITCH_WAIT s, once per module) for l2gwd to list the
    VTEP's switch in /v2.0/l2-switches; True if it did."""
    if vtep is None:
        return False
    a = clitest.Api(daemon.url)
    deadline = time.monotonic() + SWITCH_WAIT
    while time.monotonic() < deadline:
        status, body = a.get("/v2.0/l2-switches")
        if status == 200 and any(s.get("name") == vtep.name
                                  for s in body.get("l2_switches", [])):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="module", autouse=True)
def _switch_registered_first(request):
    """In a WITH_VTEP module every test runs after l2gwd has listed the
    VTEP's switch (or after SWITCH_WAIT, for a daemon without a switch
    manager): a connection create needs a switch l2gwd has seen (api.md
    step 5), whichever test of the module runs first."""
    if getattr(request.module, "WITH_VTEP", False):
        request.getfixturevalue("switch_known")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if not rep.failed:
        return
    mod = item.getparent(pytest.Module)
    d = getattr(mod.obj, "_l2gwd", None) if mod is not None else None
    if d is not None:
        rep.sections.append(("l2gwd stderr", d.stderr_text()))
