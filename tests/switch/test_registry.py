"""switch.md "Back from the switch": the registry /v2.0/l2-switches and
forgetting a switch (DELETE, ?cleanup=true, l2gwd ctl forget)."""

import subprocess

from swutil import (H1_IP, SW_IP, assert_nothing_of_ours, connect, mac, on_switch)
from vteplab import daemon_path, eventually


def _key(sw, *words):
    """The first field of 'sw' whose name contains every word."""
    for k in sw:
        if all(w in k for w in words):
            return k
    raise AssertionError("no field with %r in %r" % (words, sorted(sw)))


def _port(sw, name):
    for p in sw.get("ports") or []:
        if p.get("name") == name:
            return p
    raise AssertionError("no port %s in %r" % (name, sw))


def test_registry_fields(lab):
    s, d, api = lab.basic()
    net, _, c = connect(api, ifaces=("p1",), seg=100)
    api.host(H1_IP, name="h1")
    api.port(net["id"], mac=mac(1), host="h1")
    on_switch(s, lambda snap: snap.ucast_remote(net["id"]) or _no())

    def check():
        sw = api.switch("sw1")
        assert sw["name"] == "sw1" and sw["ovsdb_identifier"] == "db1", sw
        assert sw["connected"] is True
        assert sw["tunnel_ips"] == [SW_IP], sw
        assert sw["switch_fault_status"] == [], sw
        assert sorted(p["name"] for p in sw["ports"]) == ["p1", "p2", "p3"], sw
        assert sw["last_sync_at"], sw
        owned = [k for k in sw if "owned" in k]
        assert owned and all(isinstance(sw[k], int) for k in owned), sw
        assert any(sw[k] > 0 for k in owned), sw
        assert isinstance(sw[_key(sw, "pending")], int)
        assert _key(sw, "latency")
        assert _key(sw, "reconnect")
        assert _key(sw, "error")
        return sw
    sw = eventually(check)
    assert len(sw["id"]) == 36
    shown = api.show("l2-switches", "l2_switch", sw["id"])
    assert shown["name"] == "sw1" and shown["id"] == sw["id"]
    assert api.switches("name=sw1")[0]["id"] == sw["id"]
    assert api.switches("name=nosuch") == []


def test_registry_port_bindings_and_faults(lab):
    s, d, api = lab.basic()
    net, _, c = connect(api, ifaces=("p2",), seg=123)

    def bound():
        p = _port(api.switch("sw1"), "p2")
        text = repr(p)
        assert "123" in text and (net["id"] in text or net["name"] in text), p
        assert "123" not in repr(_port(api.switch("sw1"), "p1"))
    eventually(bound)
    s.set_port_fault("sw1", "p3", ["invalid_vlan_map"])
    s.set_switch_fault("sw1", ["mac_table_exhaustion"])

    def faults():
        sw = api.switch("sw1")
        assert sw["switch_fault_status"] == ["mac_table_exhaustion"], sw
        p3 = _port(sw, "p3")
        assert "invalid_vlan_map" in repr(p3), p3
        assert "invalid_vlan_map" not in repr(_port(sw, "p1"))
    eventually(faults)


def test_registry_follows_ports_and_tunnel_ips(lab):
    s, d, api = lab.basic()
    s.add_port("sw1", "p9")
    s.del_port("sw1", "p3")
    s.ctl("set", "Physical_Switch", "sw1", "tunnel_ips=[\"192.0.2.100\",\"192.0.2.101\"]")

    def check():
        sw = api.switch("sw1")
        assert sorted(p["name"] for p in sw["ports"]) == ["p1", "p2", "p9"], sw
        assert sorted(sw["tunnel_ips"]) == ["192.0.2.100", "192.0.2.101"], sw
    eventually(check)


def test_switch_stays_known_while_disconnected(lab):
    s, d, api = lab.basic()
    sw = api.switch("sw1")
    s.kill()
    gone = api.wait_switch("sw1", connected=False)
    assert gone["id"] == sw["id"]
    s.start()
    back = api.wait_switch("sw1", connected=True)
    assert back["id"] == sw["id"]


def test_switch_known_across_l2gwd_restart(lab):
    s, d, api = lab.basic()
    sw = api.switch("sw1")
    s.kill()
    api.wait_switch("sw1", connected=False)
    d.restart()
    again = api.switch("sw1")
    assert again is not None and again["id"] == sw["id"] and again["connected"] is False, again


def test_forget_409_while_used_then_204(lab):
    s, d, api = lab.basic()
    net, _, c = connect(api)
    sw = api.switch("sw1")
    r = api.delete("/v2.0/l2-switches/" + sw["id"])
    assert r.status == 409, r
    assert api.switch("sw1") is not None
    api.delete_connection(c["id"])
    on_switch(s, lambda snap: assert_nothing_of_ours(snap, [net["id"]]))
    s.kill()
    api.wait_switch("sw1", connected=False)
    r = api.delete("/v2.0/l2-switches/" + sw["id"])
    assert r.status == 204, r
    assert api.switch("sw1") is None
    assert api.get("/v2.0/l2-switches/" + sw["id"]).status == 404
    # a connection on it is now refused
    gw = api.gateway([("sw1", ["p1"])])
    r = api.post_connection(gw["id"], api.network()["id"], 5)
    assert r.status == 404 and r.error_type() == "L2GatewayDeviceNotFound", r
    # it comes back when its database does
    s.start()
    api.wait_switch("sw1", connected=True)


def test_forget_unknown_404(lab):
    s, d, api = lab.basic()
    r = api.delete("/v2.0/l2-switches/6c0bf1a4-0000-4000-8000-000000000001")
    assert r.status == 404, r


def test_forget_with_cleanup(lab):
    """?cleanup=true: still 409 while a connection uses the switch; on a
    connected, unused switch it answers 204 and leaves none of our rows."""
    s, d, api = lab.basic()
    net, _, c = connect(api)
    sw = api.switch("sw1")
    r = api.delete("/v2.0/l2-switches/%s?cleanup=true" % sw["id"])
    assert r.status == 409, r
    on_switch(s, lambda snap: snap.ls(net["id"]) or _no())
    api.delete_connection(c["id"])
    on_switch(s, lambda snap: snap.all_bindings() == [] or _no())
    r = api.delete("/v2.0/l2-switches/%s?cleanup=true" % sw["id"])
    assert r.status == 204, r
    on_switch(s, lambda snap: assert_nothing_of_ours(snap, [net["id"]]))


def test_ctl_forget(lab):
    s, d, api = lab.basic()
    sw = api.switch("sw1")
    s.kill()
    api.wait_switch("sw1", connected=False)
    r = subprocess.run([daemon_path(), "--config-file", d.config_path, "ctl", "forget", "db1/sw1"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    assert api.switch("sw1") is None
    assert api.get("/v2.0/l2-switches/" + sw["id"]).status == 404


def _no(*what):
    raise AssertionError("not yet %r" % (what,))
