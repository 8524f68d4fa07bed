"""switch.md "Transactions": bindings re-pointed, multimap diffs
(duplicates), locators reused and never updated, LS deleted only once
unreferenced, rejected transactions, drift repaired, large work."""

import os
import threading
import time

import vteplab
from swutil import (H1_IP, H2_IP, SW_IP, assert_flood, assert_locators_unique, assert_ls,
                    assert_macs, assert_nothing_of_ours, barrier, connect, mac, on_switch)
from vteplab import WAIT


def _setup(lab, **kw):
    s, d, api = lab.basic(**kw)
    net, gw, c = connect(api)
    api.host(H1_IP, name="h1")
    api.host(H2_IP, name="h2")
    api.port(net["id"], mac=mac(1), host="h1", ips=["10.6.0.1"])
    api.port(net["id"], mac=mac(2), host="h2", ips=["10.6.0.2"])
    want = {mac(1): ("10.6.0.1", H1_IP), mac(2): ("10.6.0.2", H2_IP)}
    on_switch(s, lambda snap: (assert_macs(snap, net["id"], want),
                               assert_flood(snap, net["id"], [H1_IP, H2_IP])))
    return s, d, api, net, c, want


# -- bindings ---------------------------------------------------------------------

def test_binding_repointed_by_hand_is_repaired(lab):
    """Our (p1, 100) re-pointed by hand to another LS of ours: l2gwd must
    delete and insert in one transaction (a lone insert changes nothing)."""
    s, d, api = lab.basic()
    a, _, ca = connect(api, ifaces=("p1",), seg=100)
    b, _, cb = connect(api, ifaces=("p1",), seg=200)
    on_switch(s, lambda snap: snap.bindings("sw1", "p1") == {100: a["id"], 200: b["id"]} or _no())
    s.rebind("sw1", "p1", 100, b["id"])
    on_switch(s, lambda snap: snap.bindings("sw1", "p1") == {100: a["id"], 200: b["id"]}
              or _no(snap.bindings("sw1", "p1")))
    api.wait_status(ca["id"], "ACTIVE")
    api.wait_status(cb["id"], "ACTIVE")


def test_binding_moves_between_networks(lab):
    """Delete the connection of A on (p1, 100) and connect B there: the key
    ends on B's LS whatever order the passes run in."""
    s, d, api = lab.basic()
    a, gw, ca = connect(api, ifaces=("p1",), seg=100)
    api.delete_connection(ca["id"])
    b = api.network()
    cb = api.connection(gw["id"], b["id"], 100)
    on_switch(s, lambda snap: (snap.bindings("sw1", "p1") == {100: b["id"]} or
                               _no(snap.bindings("sw1", "p1")),
                               assert_nothing_of_ours(snap, [a["id"]], others=True)))
    api.wait_status(cb["id"], "ACTIVE")


def test_binding_deleted_by_hand_is_repaired(lab):
    s, d, api, net, c, want = _setup(lab)
    s.unbind("sw1", "p1", 100)
    on_switch(s, lambda snap: snap.bindings("sw1", "p1") == {100: net["id"]} or _no())


# -- remote MAC tables as multimaps ------------------------------------------------

def test_duplicate_remote_rows_repaired(lab):
    s, d, api, net, c, want = _setup(lab)
    snap = s.dump()
    ls = snap.ls(net["id"])["_uuid"]
    s.insert_mac("Ucast_Macs_Remote", ls, mac(1), H1_IP, ipaddr="10.6.0.1")   # exact twin
    s.insert_mac("Ucast_Macs_Remote", ls, mac(2), H2_IP, ipaddr="10.6.0.2")
    s.insert_mac("Ucast_Macs_Remote", ls, mac(2).upper(), H2_IP, ipaddr="10.6.0.2")
    s.insert_mcast("Mcast_Macs_Remote", ls, "unknown-dst", [H1_IP, H2_IP])
    on_switch(s, lambda snap: (assert_macs(snap, net["id"], want),
                               assert_flood(snap, net["id"], [H1_IP, H2_IP])))
    api.wait_status(c["id"], "ACTIVE")


def test_rows_deleted_by_hand_are_repaired(lab):
    s, d, api, net, c, want = _setup(lab)
    snap = s.dump()
    for r in snap.ucast_remote(net["id"]):
        s.delete_row("Ucast_Macs_Remote", r["uuid"])
    for r in snap.mcast_remote(net["id"]):
        s.delete_row("Mcast_Macs_Remote", r["uuid"])
    on_switch(s, lambda snap: (assert_macs(snap, net["id"], want),
                               assert_flood(snap, net["id"], [H1_IP, H2_IP])))


def test_rows_added_by_hand_are_removed(lab):
    s, d, api, net, c, want = _setup(lab)
    ls = s.ls_uuid(net["id"])
    s.insert_mac("Ucast_Macs_Remote", ls, "02:00:00:00:00:99", "10.99.0.1", ipaddr="10.6.9.9")
    s.insert_mac("Ucast_Macs_Remote", ls, "02:00:00:00:00:98", H1_IP)
    s.insert_mcast("Mcast_Macs_Remote", ls, "01:00:5e:00:00:01", [H1_IP])
    on_switch(s, lambda snap: (assert_macs(snap, net["id"], want),
                               assert_flood(snap, net["id"], [H1_IP, H2_IP])))
    assert "10.99.0.1" not in s.dump().locator_ips()


def test_rows_modified_by_hand_are_restored(lab):
    s, d, api, net, c, want = _setup(lab)
    snap = s.dump()
    r1 = [r for r in snap.ucast_remote(net["id"]) if r["mac"] == mac(1)][0]
    r2 = [r for r in snap.ucast_remote(net["id"]) if r["mac"] == mac(2)][0]
    s.update_row("Ucast_Macs_Remote", r1["uuid"], {"ipaddr": "10.6.6.6"})
    s.update_row("Ucast_Macs_Remote", r2["uuid"], {"locator": ["uuid", r1["locator"]]})
    ls = snap.ls(net["id"])
    s.update_row("Logical_Switch", ls["_uuid"], {"description": "scribbled"})
    on_switch(s, lambda snap: (assert_macs(snap, net["id"], want), assert_ls(snap, net)))


def test_ls_columns_restored(lab):
    s, d, api, net, c, want = _setup(lab)
    ls = s.dump().ls(net["id"])
    s.update_row("Logical_Switch", ls["_uuid"], {"replication_mode": "service_node"})
    on_switch(s, lambda snap: snap.ls(net["id"])["replication_mode"] == "source_node" or _no())
    s.update_row("Logical_Switch", ls["_uuid"], {"tunnel_key": 12345})
    on_switch(s, lambda snap: assert_ls(snap, net))


# -- locators ---------------------------------------------------------------------

def test_existing_locator_reused_and_keyed_one_left_alone(lab):
    """A locator with the same (encap, dst_ip, no key) is reused; one with
    the same dst_ip but a tunnel_key is neither used nor re-keyed."""
    s, d, api = lab.basic()
    legacy = s.add_ls("legacy", tunnel_key=77)
    s.insert_mac("Ucast_Macs_Remote", legacy, "00:00:5e:00:02:01", H1_IP)
    s.insert_mac("Ucast_Macs_Remote", legacy, "00:00:5e:00:02:02", H2_IP, tunnel_key=5555)
    before = {(l["dst_ip"], l["tunnel_key"]): l["uuid"] for l in s.dump().locators()}
    net, _, c = connect(api)
    api.host(H1_IP, name="h1")
    api.host(H2_IP, name="h2")
    api.port(net["id"], mac=mac(1), host="h1")
    api.port(net["id"], mac=mac(2), host="h2")

    def check(snap):
        assert_macs(snap, net["id"], {mac(1): ("", H1_IP), mac(2): ("", H2_IP)})
        rows = {r["mac"]: r for r in snap.ucast_remote(net["id"])}
        assert rows[mac(1)]["locator"] == before[(H1_IP, None)], "existing locator not reused"
        assert rows[mac(2)]["locator"] != before[(H2_IP, 5555)]
        keyed = snap.locator(before[(H2_IP, 5555)])
        assert keyed is not None and keyed["tunnel_key"] == 5555, keyed
        assert_locators_unique(snap)
    on_switch(s, check)


def test_shared_locator_not_updated_when_host_moves(lab):
    s, d, api = lab.basic()
    legacy = s.add_ls("legacy", tunnel_key=77)
    s.insert_mac("Ucast_Macs_Remote", legacy, "00:00:5e:00:02:01", H1_IP)
    loc = s.dump().locators()[0]["uuid"]
    net, _, c = connect(api)
    h1 = api.host(H1_IP, name="h1")
    api.port(net["id"], mac=mac(1), host="h1")
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {mac(1): ("", H1_IP)}))
    api.update_host(h1["id"], tunnel_ip="10.0.0.50")
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {mac(1): ("", "10.0.0.50")}))
    snap = s.dump()
    assert snap.locator(loc) == {"uuid": loc, "dst_ip": H1_IP, "encap": "vxlan_over_ipv4",
                                 "tunnel_key": None}
    assert snap.ucast_remote("legacy")[0]["locator"] == loc


def test_flood_set_replaced_not_mutated(lab):
    s, d, api, net, c, want = _setup(lab)
    first = s.dump().mcast_remote(net["id"])[0]
    api.host("10.0.0.13", name="h3")
    api.port(net["id"], mac=mac(3), host="h3")
    on_switch(s, lambda snap: assert_flood(snap, net["id"], [H1_IP, H2_IP, "10.0.0.13"]))
    second = s.dump().mcast_remote(net["id"])[0]
    assert second["set_uuid"] != first["set_uuid"]
    assert s.dump().count("Physical_Locator_Set") == 1, "old set still referenced?"


# -- deleting a Logical_Switch ---------------------------------------------------

def test_ls_kept_while_a_local_mac_references_it(lab):
    s, d, api, net, c, want = _setup(lab)
    s.add_ucast_local(net["id"], "00:00:5e:00:03:01", SW_IP, ipaddr="10.6.3.1")
    api.delete_connection(c["id"])

    def unprogrammed(snap):
        assert snap.bindings("sw1", "p1") == {}
        assert snap.ucast_remote(net["id"]) == [] and snap.mcast_remote(net["id"]) == []
    on_switch(s, unprogrammed)
    # more passes (another connection converging) and the LS is still there
    other, _, _ = connect(api, ifaces=("p2",), seg=7)
    snap = s.dump()
    assert snap.ls(net["id"]) is not None, "LS deleted while referenced"
    s.del_ucast_local(net["id"], "00:00:5e:00:03:01")
    on_switch(s, lambda snap: snap.ls(net["id"]) is None or _no())
    assert s.dump().ls(other["id"]) is not None
    assert "ERROR" not in [x["status"] for x in api.list("l2-gateway-connections",
                                                          "l2_gateway_connections")]


def test_ls_kept_while_bound_on_another_switch(lab):
    s = lab.server("db1", {"sw1": (SW_IP, ["p1"]), "sw9": ("192.0.2.9", ["q1"])})
    d = lab.daemon([s])
    api = d.api
    api.wait_switch("sw1")
    net, _, c = connect(api, ifaces=("p1",), seg=100)
    on_switch(s, lambda snap: assert_ls(snap, net))
    s.bind("sw9", "q1", 5, net["id"])                 # someone else's binding to our LS
    api.delete_connection(c["id"])
    on_switch(s, lambda snap: snap.bindings("sw1", "p1") == {} or _no())
    connect(api, ifaces=("p1",), seg=200)              # more passes
    snap = s.dump()
    assert snap.bindings("sw9", "q1") == {5: net["id"]}, "foreign binding touched"
    assert snap.ls(net["id"]) is not None
    s.unbind("sw9", "q1", 5)
    on_switch(s, lambda snap: snap.ls(net["id"]) is None or _no())


# -- rejected transactions --------------------------------------------------------

def _tight_schema(path):
    """The vtep schema with Logical_Switch.tunnel_key limited to 1..1000:
    the server rejects any LS with a bigger key (constraint violation)."""
    def edit(sc):
        sc["tables"]["Logical_Switch"]["columns"]["tunnel_key"]["type"]["key"] = {
            "type": "integer", "minInteger": 1, "maxInteger": 1000}
    return vteplab.modified_schema(path, edit)


def test_rejected_transaction_error_then_recovery(lab, tmp_path):
    tight = _tight_schema(os.path.join(str(tmp_path), "tight.ovsschema"))
    s = lab.server("db1", {"sw1": (SW_IP, ["p1"])}, schema=tight)
    d = lab.daemon([s])
    api = d.api
    api.wait_switch("sw1")
    net = api.network(vni=5000)
    _, _, c = connect(api, net=net, seg=100, wait=None)
    c = api.wait_status(c["id"], "ERROR", timeout=3 * WAIT)
    assert c["status_reason"], c
    # logged with the database, the failing operation and the server's error
    d.wait_log(r"db1.*(constraint violation|constraint-violation)|"
               r"(constraint violation|constraint-violation).*db1")
    assert s.dump().ls(net["id"]) is None
    # the registry shows the last error: operation, table, row
    sw = api.switch("sw1")
    errors = " ".join(str(v) for k, v in sw.items() if "error" in k)
    assert "Logical_Switch" in errors and "insert" in errors, sw
    # the switch accepts again (schema converted online): recovers by itself
    s.convert(vteplab.SCHEMA)
    api.wait_status(c["id"], "ACTIVE", timeout=3 * WAIT)
    on_switch(s, lambda snap: (assert_ls(snap, net),
                               snap.bindings("sw1", "p1") == {100: net["id"]} or _no()))


def test_rejected_transaction_does_not_block_other_networks(lab, tmp_path):
    tight = _tight_schema(os.path.join(str(tmp_path), "tight.ovsschema"))
    s = lab.server("db1", {"sw1": (SW_IP, ["p1", "p2"])}, schema=tight)
    d = lab.daemon([s])
    api = d.api
    api.wait_switch("sw1")
    bad = api.network(vni=5000)
    good = api.network(vni=500)
    _, _, cb = connect(api, net=bad, ifaces=("p1",), seg=100, wait=None)
    _, _, cg = connect(api, net=good, ifaces=("p2",), seg=100, wait=None)
    api.wait_status(cg["id"], "ACTIVE", timeout=3 * WAIT)
    api.wait_status(cb["id"], "ERROR", timeout=3 * WAIT)
    on_switch(s, lambda snap: assert_ls(snap, good))


# -- large work and the reply/update race -------------------------------------------

def test_no_duplicate_rows_while_ports_arrive_fast(lab):
    """Rapid changes: the remote table never holds two rows for one MAC
    (the reply of a transaction races its monitor update)."""
    s, d, api = lab.basic()
    net, _, c = connect(api)
    api.host(H1_IP, name="h1")
    api.host(H2_IP, name="h2")
    seen_dups = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            snap = s.dump()
            macs = [r["mac"].lower() for r in snap.ucast_remote()]
            if len(macs) != len(set(macs)):
                seen_dups.append(sorted(m for m in set(macs) if macs.count(m) > 1))
            time.sleep(0.005)
    t = threading.Thread(target=watch)
    t.start()
    try:
        for i in range(80):
            api.port(net["id"], mac=mac(100 + i), host="h1" if i % 2 else "h2")
        want = {mac(100 + i): ("", H1_IP if i % 2 else H2_IP) for i in range(80)}
        on_switch(s, lambda snap: assert_macs(snap, net["id"], want), timeout=3 * WAIT)
    finally:
        stop.set()
        t.join()
    assert not seen_dups, "duplicate rows seen on the switch: %r" % seen_dups[:3]


def test_large_network_converges(lab):
    """6,000 MACs (more than one transaction of a few thousand operations)
    land exactly once, and go again."""
    s, d, api = lab.basic()
    n_hosts, n_ports = 60, 6000
    for h in range(n_hosts):
        api.host("10.8.%d.%d" % (h // 200, 1 + h % 200), name="h%d" % h)
    net = api.network()
    want = {}
    for i in range(n_ports):
        h = i % n_hosts
        api.port(net["id"], mac=mac(0x10000 + i), host="h%d" % h, ips=["10.9.%d.%d" % (
            i // 250, 1 + i % 250)])
        want[mac(0x10000 + i)] = ("10.9.%d.%d" % (i // 250, 1 + i % 250),
                                  "10.8.%d.%d" % (h // 200, 1 + h % 200))
    _, _, c = connect(api, net=net, wait=None)
    api.wait_status(c["id"], "ACTIVE", timeout=6 * WAIT)
    snap = s.dump()
    assert_macs(snap, net["id"], want)
    assert_flood(snap, net["id"], sorted({v[1] for v in want.values()}))
    assert_locators_unique(snap)
    # and away again
    api.delete_connection(c["id"])
    on_switch(s, lambda snap: assert_nothing_of_ours(snap, [net["id"]]), timeout=6 * WAIT)
    assert s.dump().count("Ucast_Macs_Remote") == 0


def test_nothing_sent_when_nothing_changed(lab):
    """Re-running with nothing changed sends nothing: the rows keep their
    UUIDs and versions across an l2gwd restart (a full pass)."""
    s, d, api, net, c, want = _setup(lab)
    before = s.dump()
    d.restart()
    api.wait_switch("sw1")
    barrier(api, s, net, "h1", 50)
    after = s.dump()
    for r in before.ucast_remote(net["id"]):
        assert after.row("Ucast_Macs_Remote", r["uuid"]) is not None, "row %r rewritten" % r
    assert before.ls(net["id"]) == after.ls(net["id"])


def _no(*what):
    raise AssertionError("not yet %r" % (what,))
