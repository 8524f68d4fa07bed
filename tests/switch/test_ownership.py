"""switch.md "Ownership and coexistence": the owner mark, adoption of an
LS left by networking-l2gw, foreign rows never touched, and the conflicts
(409 at create, ERROR when they appear later)."""

import os
import random
import time

import vteplab
from swutil import (H1_IP, OWNER_KEY, assert_flood, assert_ls, assert_macs,
                    assert_nothing_of_ours, barrier, connect, mac, on_switch, owned_ls)


def _owner(snap, net):
    ls = snap.ls(net["id"])
    assert ls is not None, "no LS for %s" % net["id"]
    mark = ls["other_config"].get(OWNER_KEY)
    assert mark, "LS %s has no %s mark: %r" % (net["id"], OWNER_KEY, ls)
    return mark


def test_owner_mark_one_per_deployment(lab):
    s = lab.server("db1", {"sw1": ("192.0.2.1", ["p1", "p2"]), "sw2": ("192.0.2.2", ["p1"])})
    d1 = lab.daemon([s])
    d1.api.wait_switch("sw1")
    a, _, _ = connect(d1.api, device="sw1", ifaces=("p1",), seg=10)
    b, _, _ = connect(d1.api, device="sw1", ifaces=("p2",), seg=10)
    mark_a = on_switch(s, lambda snap: _owner(snap, a))
    mark_b = on_switch(s, lambda snap: _owner(snap, b))
    assert mark_a == mark_b
    # kept across a restart (it lives in the store)
    d1.restart()
    d1.api.wait_switch("sw1")
    c, _, _ = connect(d1.api, device="sw1", ifaces=("p1",), seg=20)
    assert on_switch(s, lambda snap: _owner(snap, c)) == mark_a
    assert _owner(s.dump(), a) == mark_a


def test_two_deployments_have_different_marks(lab):
    s1 = lab.server("db1", {"sw1": ("192.0.2.1", ["p1"])})
    s2 = lab.server("db2", {"sw2": ("192.0.2.2", ["p1"])})
    d1 = lab.daemon([s1])
    d2 = lab.daemon([s2])
    d1.api.wait_switch("sw1")
    d2.api.wait_switch("sw2")
    a, _, _ = connect(d1.api, device="sw1")
    b, _, _ = connect(d2.api, device="sw2")
    assert on_switch(s1, lambda snap: _owner(snap, a)) != on_switch(s2, lambda snap: _owner(snap, b))


def test_adopts_networking_l2gw_logical_switch(lab):
    """name = network UUID, tunnel_key = VNI, no owner mark: adopted (same
    row), marked, and its stale remote rows replaced by the desired ones."""
    s, d, api = lab.basic()
    net = api.network(vni=4100)
    api.host(H1_IP, name="h1")
    api.port(net["id"], mac=mac(1), host="h1")
    old = s.add_ls(net["id"], tunnel_key=4100, description="left by networking-l2gw")
    s.bind("sw1", "p1", 100, net["id"])
    s.insert_mac("Ucast_Macs_Remote", old, mac(9), "10.9.9.9")     # stale
    _, _, c = connect(api, net=net, seg=100)

    def check(snap):
        ls = assert_ls(snap, net)
        assert ls["_uuid"] == old, "LS replaced instead of adopted"
        assert ls["other_config"].get(OWNER_KEY)
        assert snap.bindings("sw1", "p1") == {100: net["id"]}
        assert_macs(snap, net["id"], {mac(1): ("", H1_IP)})
        assert_flood(snap, net["id"], [H1_IP])
    on_switch(s, check)
    api.wait_status(c["id"], "ACTIVE")


def test_adoption_disabled(lab):
    s, d, api = lab.basic(ovsdb={"adopt_existing_logical_switches": "False"})
    net = api.network(vni=4101)
    old = s.add_ls(net["id"], tunnel_key=4101)
    before = s.dump().row("Logical_Switch", old)
    _, _, c = connect(api, net=net, seg=100, wait=None)
    api.wait_status(c["id"], "ERROR")
    snap = s.dump()
    assert snap.row("Logical_Switch", old) == before
    assert snap.bindings("sw1", "p1") == {}


def test_existing_ls_with_another_key_is_error(lab):
    s, d, api = lab.basic()
    net = api.network(vni=4200)
    old = s.add_ls(net["id"], tunnel_key=4999)
    before = s.dump().row("Logical_Switch", old)
    _, _, c = connect(api, net=net, seg=100, wait=None)
    c = api.wait_status(c["id"], "ERROR")
    reason = c["status_reason"] or ""
    assert "4999" in reason or "tunnel_key" in reason.lower() or "key" in reason.lower(), c
    snap = s.dump()
    assert snap.row("Logical_Switch", old) == before, "foreign LS modified"
    assert snap.bindings("sw1", "p1") == {}
    assert snap.ucast_remote() == [] and snap.mcast_remote() == []


def test_existing_ls_with_another_owner_is_error(lab):
    s, d, api = lab.basic()
    net = api.network(vni=4300)
    old = s.add_ls(net["id"], tunnel_key=4300,
                   other_config={OWNER_KEY: "another-deployment-0000"})
    before = s.dump().row("Logical_Switch", old)
    _, _, c = connect(api, net=net, seg=100, wait=None)
    c = api.wait_status(c["id"], "ERROR")
    reason = (c["status_reason"] or "").lower()
    assert "owner" in reason or "another-deployment-0000" in reason, c
    snap = s.dump()
    assert snap.row("Logical_Switch", old) == before
    assert snap.bindings("sw1", "p1") == {}


def test_foreign_ls_with_our_vni_is_409(lab):
    s, d, api = lab.basic()
    net = api.network(vni=4400)
    s.add_ls("someone-elses", tunnel_key=4400)
    before = s.dump()
    gw = api.gateway([("sw1", ["p1"])])
    r = api.post_connection(gw["id"], net["id"], 100)
    assert r.status == 409 and r.error_type() == "L2GatewayVniInUse", r
    assert api.list("l2-gateway-connections", "l2_gateway_connections",
                    "l2_gateway_id=" + gw["id"]) == []
    barrier_net, _, _ = connect(api, ifaces=("p2",), seg=7)   # a pass happened
    snap = s.dump()
    assert snap.ls(net["id"]) is None
    assert snap.ls("someone-elses") == before.ls("someone-elses")


def test_foreign_rows_untouched(lab):
    """Another controller's LS with bindings, remote MACs, a flood row and a
    binding on another switch of the database: never touched, also when our
    connection goes away."""
    s = lab.server("db1", {"sw1": ("192.0.2.100", ["p1", "p2"]), "sw9": ("192.0.2.9", ["q1"])})
    d = lab.daemon([s])
    api = d.api
    api.wait_switch("sw1", ports=("p1", "p2"))
    legacy = s.add_ls("legacy", tunnel_key=77, description="theirs")
    s.bind("sw1", "p2", 7, "legacy")
    s.bind("sw9", "q1", 100, "legacy")
    s.insert_mac("Ucast_Macs_Remote", legacy, "00:00:5e:00:01:01", H1_IP, ipaddr="10.7.0.1")
    s.insert_mac("Ucast_Macs_Remote", legacy, "00:00:5e:00:01:02", "10.7.7.7")
    s.insert_mcast("Mcast_Macs_Remote", legacy, "unknown-dst", [H1_IP, "10.7.7.7"])
    s.insert_mac("Ucast_Macs_Local", legacy, "00:00:5e:00:01:03", "192.0.2.100")
    theirs = s.dump()

    def foreign_intact(snap):
        assert snap.ls("legacy") == theirs.ls("legacy")
        assert snap.bindings("sw1", "p2") == {7: "legacy"}
        assert snap.bindings("sw9", "q1") == {100: "legacy"}
        for t in ("Ucast_Macs_Local",):
            assert snap.tables[t] == theirs.tables[t]
        assert snap.ucast_remote("legacy") == theirs.ucast_remote("legacy")
        assert snap.mcast_remote("legacy") == theirs.mcast_remote("legacy")

    net, _, c = connect(api, ifaces=("p1",), seg=100)
    api.host(H1_IP, name="h1")
    api.port(net["id"], mac=mac(1), host="h1")
    on_switch(s, lambda snap: (assert_macs(snap, net["id"], {mac(1): ("", H1_IP)}),
                               assert_flood(snap, net["id"], [H1_IP])))
    foreign_intact(s.dump())
    api.delete_connection(c["id"])
    on_switch(s, lambda snap: assert_nothing_of_ours(snap, [net["id"]]))
    foreign_intact(s.dump())


def test_foreign_binding_on_our_port_vlan_is_409(lab):
    s, d, api = lab.basic()
    s.add_ls("theirs", tunnel_key=88)
    s.bind("sw1", "p1", 100, "theirs")
    net = api.network()
    gw = api.gateway([("sw1", ["p1"])])
    r = api.post_connection(gw["id"], net["id"], 100)
    assert r.status == 409 and r.error_type() == "L2GatewayDuplicateSegmentationID", r
    # another VLAN of the same port is fine
    c = api.connection(gw["id"], net["id"], 101)
    api.wait_status(c["id"], "ACTIVE")
    snap = s.dump()
    assert snap.bindings("sw1", "p1") == {100: "theirs", 101: net["id"]}


def test_our_own_binding_twice_is_409(lab):
    """api.md step 6: the same (port, VLAN) already bound by us."""
    s, d, api = lab.basic()
    connect(api, ifaces=("p1",), seg=100)
    net2 = api.network()
    gw2 = api.gateway([("sw1", ["p1", "p2"])])
    r = api.post_connection(gw2["id"], net2["id"], 100)
    assert r.status == 409 and r.error_type() == "L2GatewayDuplicateSegmentationID", r


def test_foreign_binding_appearing_later_is_error(lab):
    """Someone re-points our (port, VLAN) to their LS: ERROR, their binding
    is left alone; when they remove it, ours comes back and ACTIVE."""
    s, d, api = lab.basic()
    net, _, c = connect(api, ifaces=("p1", "p2"), seg=100)
    on_switch(s, lambda snap: snap.bindings("sw1", "p1") == {100: net["id"]} or _no())
    s.add_ls("intruder", tunnel_key=99)
    s.rebind("sw1", "p1", 100, "intruder")
    c = api.wait_status(c["id"], "ERROR")
    reason = c["status_reason"] or ""
    assert "p1" in reason or "100" in reason, c
    # not fought over: still theirs after more passes
    api.host(H1_IP, name="h1")
    barrier(api, s, net, "h1", 1)
    snap = s.dump()
    assert snap.bindings("sw1", "p1") == {100: "intruder"}
    assert snap.bindings("sw1", "p2") == {100: net["id"]}
    s.unbind("sw1", "p1", 100)
    on_switch(s, lambda snap: snap.bindings("sw1", "p1") == {100: net["id"]} or _no())
    api.wait_status(c["id"], "ACTIVE")
    assert s.dump().ls("intruder") is not None


def test_foreign_ls_left_alone_after_our_delete(lab):
    """Deleting our connection removes our LS but never a foreign LS, even
    one whose name looks like a network UUID."""
    s, d, api = lab.basic()
    other = api.network()
    s.add_ls(other["id"], tunnel_key=vni(other),
             other_config={OWNER_KEY: "not-us"})
    net, _, c = connect(api, ifaces=("p1",), seg=5)
    api.delete_connection(c["id"])
    on_switch(s, lambda snap: snap.ls(net["id"]) is None or _no())
    snap = s.dump()
    assert snap.ls(other["id"]) is not None
    assert owned_ls(snap) == [snap.ls(other["id"])]


def vni(net):
    return int(net["provider:segmentation_id"])


def _no():
    raise AssertionError("not yet")


def test_ownership_recorded_before_the_insert(lab, tmp_path):
    """l2gwd is killed right after connection creates, again and again.  On
    a schema without Logical_Switch.other_config (no owner mark) and with
    adoption off, an LS whose insert went out before its ownership was
    stored would be "existing, not ours" after the restart: ERROR.  Stored
    first, it is ours: ACTIVE, one LS per network."""
    def edit(sc):
        sc["version"] = "1.3.0"
        del sc["tables"]["Logical_Switch"]["columns"]["other_config"]
    old = vteplab.modified_schema(os.path.join(str(tmp_path), "old.ovsschema"), edit)
    s = lab.server("db1", {"sw1": ("192.0.2.100", ["p%d" % i for i in range(1, 9)])}, schema=old)
    d = lab.daemon([s], ovsdb={"adopt_existing_logical_switches": "False"})
    api = d.api
    api.wait_switch("sw1")
    rnd = random.Random(7)
    made = []
    for i in range(8):
        net = api.network()
        gw = api.gateway([("sw1", ["p%d" % (i + 1)])])
        made.append((net, api.connection(gw["id"], net["id"], 10)))
        time.sleep(rnd.random() * 0.01)       # kill at some point of the programming
        d.kill()
        d.start()
        api.wait_switch("sw1")
    for net, c in made:
        api.wait_status(c["id"], "ACTIVE")
    snap = s.dump()
    assert sorted(r["name"] for r in snap.logical_switches()) == sorted(n["id"] for n, _ in made)
