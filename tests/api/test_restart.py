"""Durability: an object answered with 201 survives an immediate kill -9 and
a restart on the same database (repeated), and SIGTERM exits 0."""

import pytest

from l2gwtest import Daemon, DaemonError, tagged_devices, unique

ROUNDS = 20


@pytest.fixture
def own_daemon(request, tmp_path):
    d = Daemon(tmpdir=str(tmp_path))
    request.node._l2gwd = d
    try:
        d.start()
    except DaemonError as e:
        pytest.fail(str(e), pytrace=False)
    yield d
    d.kill()
    d.close_lab()


def test_created_survives_kill_9(own_daemon):
    d = own_daemon
    made = []
    for i in range(ROUNDS):
        c = d.client()
        gw = c.gateway(devices=tagged_devices([str(100 + i), i]), name=unique("durable"))
        c.close()
        made.append(gw)
        d.kill()
        try:
            d.start()
        except DaemonError as e:
            pytest.fail("restart #%d failed: %s" % (i + 1, e), pytrace=False)
        c = d.client()
        for old in made:
            r = c.get("/v2.0/l2-gateways/%s" % old["id"])
            assert r.status == 200, "round %d: %s lost after kill -9: %r" % (i, old["id"], r)
            assert r.json()["l2_gateway"] == old
        c.close()


def test_connection_survives_kill_9(own_daemon):
    d = own_daemon
    c = d.client()
    gw = c.gateway(devices=tagged_devices(["7"]))
    net = c.network(vni=4242)
    conn = c.connection(gw["id"], net["id"])
    port = c.port(net["id"])
    c.close()
    d.kill()
    d.start()
    c = d.client()
    got = c.show("l2-gateway-connections", "l2_gateway_connection", conn["id"])
    for key in ("l2_gateway_id", "network_id", "segmentation_id", "tenant_id"):
        assert got[key] == conn[key]
    assert c.show("networks", "network", net["id"])["provider:segmentation_id"] == 4242
    assert c.show("ports", "port", port["id"])["mac_address"] == port["mac_address"]
    c.close()


def test_delete_survives_kill_9(own_daemon):
    d = own_daemon
    c = d.client()
    gw = c.gateway()
    c.remove("l2-gateways", gw["id"])
    c.close()
    d.kill()
    d.start()
    c = d.client()
    assert c.get("/v2.0/l2-gateways/%s" % gw["id"]).status == 404
    c.close()


def test_sigterm_exits_zero_and_data_kept(own_daemon):
    d = own_daemon
    c = d.client()
    gw = c.gateway()
    c.close()
    rc = d.stop()
    assert rc == 0, "exit status %r on SIGTERM; stderr:\n%s" % (rc, d.stderr_text())
    d.start()
    c = d.client()
    assert c.show("l2-gateways", "l2_gateway", gw["id"]) == gw
    c.close()


def test_sigterm_with_idle_keepalive_connection(own_daemon):
    d = own_daemon
    c = d.client()
    assert c.get("/v2.0/l2-gateways").status == 200
    # The keep-alive connection stays open while the daemon is asked to stop.
    rc = d.stop()
    assert rc == 0, "exit status %r on SIGTERM with an open connection" % rc
    c.close()
