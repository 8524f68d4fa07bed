"""switch.md "Back from the switch" (learned MACs, MAC conflicts) and
"Overlay export" (/v2.0/l2-fdb-entries: flood entries, learned MACs,
revision, changes_since, 410)."""

import os

from swutil import (H1_IP, SW_IP, assert_macs, barrier, connect, mac, on_switch)
from vteplab import FLOOD_MAC, WAIT, eventually


def _learned(api, query=""):
    return sorted(api.learned_macs(query), key=lambda m: m["mac"])


def test_learned_macs_listed(lab):
    s, d, api = lab.basic()
    net, _, c = connect(api)
    on_switch(s, lambda snap: snap.ls(net["id"]) or _no())
    s.add_ucast_local(net["id"], "00:00:5E:00:53:01", SW_IP, ipaddr="10.11.0.1")  # vendor case
    s.add_ucast_local(net["id"], "00:00:5e:00:53:02", SW_IP)

    def check():
        got = _learned(api)
        assert [(m["mac"], m["ip_address"], m["network_id"], m["switch"], m["tunnel_ip"])
                for m in got] == [
            ("00:00:5e:00:53:01", "10.11.0.1", net["id"], "sw1", SW_IP),
            ("00:00:5e:00:53:02", "", net["id"], "sw1", SW_IP)], got
        for m in got:
            assert len(m["id"]) == 36, m
        return got
    got = eventually(check)
    one = api.show("l2-learned-macs", "l2_learned_mac", got[0]["id"])
    assert one["mac"] == "00:00:5e:00:53:01"
    s.del_ucast_local(net["id"], "00:00:5e:00:53:01")
    eventually(lambda: [m["mac"] for m in _learned(api)] == ["00:00:5e:00:53:02"] or _no())


def test_learned_macs_filters_and_paging(lab):
    s = lab.server("db1", {"sw1": (SW_IP, ["p1", "p2"])})
    s2 = lab.server("db2", {"sw2": ("192.0.2.200", ["p1"])})
    d = lab.daemon([s, s2])
    api = d.api
    api.wait_switch("sw1")
    api.wait_switch("sw2")
    a, _, _ = connect(api, device="sw1", ifaces=("p1",))
    b, _, _ = connect(api, device="sw1", ifaces=("p2",))
    connect(api, device="sw2", net=a)
    for srv, net in ((s, a), (s, b), (s2, a)):
        on_switch(srv, lambda snap: snap.ls(net["id"]) or _no())
    s.add_ucast_local(a["id"], mac(1), SW_IP)
    s.add_ucast_local(a["id"], mac(2), SW_IP)
    s.add_ucast_local(b["id"], mac(3), SW_IP)
    s2.add_ucast_local(a["id"], mac(4), "192.0.2.200")
    eventually(lambda: len(api.learned_macs()) == 4 or _no(api.learned_macs()))
    assert sorted(m["mac"] for m in api.learned_macs("network_id=" + a["id"])) == \
        [mac(1), mac(2), mac(4)]
    assert sorted(m["mac"] for m in api.learned_macs("network_id=" + b["id"])) == [mac(3)]
    assert sorted(m["mac"] for m in api.learned_macs("switch=sw2")) == [mac(4)]
    assert sorted(m["mac"] for m in api.learned_macs("switch=sw1")) == [mac(1), mac(2), mac(3)]
    assert [m["switch"] for m in api.learned_macs("mac=" + mac(4))] == ["sw2"]
    page = api.expect(api.get("/v2.0/l2-learned-macs?limit=2"), 200)
    assert len(page["l2_learned_macs"]) == 2
    assert any(l["rel"] == "next" for l in page.get("l2_learned_macs_links", [])), page
    assert sorted(m["mac"] for m in api.list_all("l2-learned-macs", "l2_learned_macs",
                                                 "limit=3")) == [mac(i) for i in (1, 2, 3, 4)]


def test_learned_macs_replaced_on_reconnect(lab):
    """The stored copy is replaced on every (re)connect: MACs the switch
    forgot while we were away do not stay."""
    s, d, api = lab.basic()
    net, _, c = connect(api)
    on_switch(s, lambda snap: snap.ls(net["id"]) or _no())
    for i in (1, 2, 3):
        s.add_ucast_local(net["id"], mac(i), SW_IP)
    eventually(lambda: len(api.learned_macs()) == 3 or _no())
    s.kill()
    api.wait_switch("sw1", connected=False)
    # edit the database file while the switch is down: forget two, learn one
    snap_ops = []
    for i in (1, 2):
        snap_ops.append({"op": "delete", "table": "Ucast_Macs_Local",
                         "where": [["MAC", "==", mac(i)]]})
    import json
    import subprocess
    r = subprocess.run(["ovsdb-tool", "transact", s.db, json.dumps(["hardware_vtep"] + snap_ops)],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "error" not in r.stdout, (r.stdout, r.stderr)
    s.start()
    s.add_ucast_local(net["id"], mac(4), SW_IP)
    eventually(lambda: sorted(m["mac"] for m in api.learned_macs()) == [mac(3), mac(4)]
               or _no(api.learned_macs()))


def test_learned_macs_of_a_wiped_switch(lab):
    s, d, api = lab.basic()
    net, _, c = connect(api)
    on_switch(s, lambda snap: snap.ls(net["id"]) or _no())
    for i in (1, 2, 3):
        s.add_ucast_local(net["id"], mac(i), SW_IP)
    eventually(lambda: len(api.learned_macs()) == 3 or _no())
    s.restart(wipe=True)
    s.add_switch("sw1", SW_IP, ["p1", "p2", "p3"])
    on_switch(s, lambda snap: snap.ls(net["id"]) or _no())
    s.add_ucast_local(net["id"], mac(9), SW_IP)
    eventually(lambda: [m["mac"] for m in api.learned_macs()] == [mac(9)]
               or _no(api.learned_macs()))


def test_learned_macs_cap(lab):
    s, d, api = lab.basic(ovsdb={"max_learned_macs": "5"})
    net, _, c = connect(api)
    on_switch(s, lambda snap: snap.ls(net["id"]) or _no())
    for i in range(8):
        s.add_ucast_local(net["id"], mac(i), SW_IP)
    d.wait_log(r"(?i)learned MAC")
    barrier_net, _, _ = connect(api, ifaces=("p2",), seg=9)
    eventually(lambda: len(api.learned_macs()) == 5 or _no(len(api.learned_macs())))
    assert d.alive()


def test_learned_mac_conflicting_with_a_remote_mac(lab):
    """A bare-metal MAC learned on the switch that is also a VM's MAC: the
    conflict is reported, the desired remote row stays, no flapping."""
    s, d, api = lab.basic()
    net, _, c = connect(api)
    api.host(H1_IP, name="h1")
    api.port(net["id"], mac=mac(1), host="h1")
    row = on_switch(s, lambda snap: assert_macs(snap, net["id"], {mac(1): ("", H1_IP)}))[0]
    s.add_ucast_local(net["id"], mac(1), SW_IP)
    eventually(lambda: mac(1) in (api.conn(c["id"]).get("status_reason") or "").lower() or
               _no(api.conn(c["id"])))
    d.wait_log(mac(1))
    barrier(api, s, net, "h1", 2)
    barrier(api, s, net, "h1", 3)
    snap = s.dump()
    same = [r for r in snap.ucast_remote(net["id"]) if r["mac"] == mac(1)]
    assert [r["uuid"] for r in same] == [row["uuid"]], same


# -- overlay export ------------------------------------------------------------------

def _entries(api, net):
    body = api.fdb("network_id=" + net["id"])
    return body, sorted((e["mac"], e["vtep_ip"], e["ip_address"], e["vni"])
                        for e in body["l2_fdb_entries"])


def test_fdb_flood_entry_per_serving_tunnel_ip(lab):
    s = lab.server("db1", {"sw1": (SW_IP, ["p1"])})
    s2 = lab.server("db2", {"sw2": ("192.0.2.200", ["p1"])})
    s2.ctl("set", "Physical_Switch", "sw2", 'tunnel_ips=["192.0.2.200","192.0.2.201"]')
    s3 = lab.server("db3", {"sw3": ("192.0.2.250", ["p1"])})
    d = lab.daemon([s, s2, s3])
    api = d.api
    for n in ("sw1", "sw2", "sw3"):
        api.wait_switch(n)
    net = api.network(vni=6100)
    gw = api.gateway([("sw1", ["p1"]), ("sw2", ["p1"])])
    c = api.connection(gw["id"], net["id"], 10)
    api.wait_status(c["id"], "ACTIVE")
    want = [(FLOOD_MAC, ip, "", 6100) for ip in (SW_IP, "192.0.2.200", "192.0.2.201")]
    eventually(lambda: _entries(api, net)[1] == sorted(want) or _no(_entries(api, net)))
    body, _ = _entries(api, net)
    for e in body["l2_fdb_entries"]:
        assert e["network_id"] == net["id"] and "source" in e, e
    other = api.network()
    assert api.fdb("network_id=" + other["id"])["l2_fdb_entries"] == []


def test_fdb_learned_macs_and_changes_since(lab):
    s, d, api = lab.basic()
    net, _, c = connect(api)
    vni = int(net["provider:segmentation_id"])
    flood = (FLOOD_MAC, SW_IP, "", vni)
    eventually(lambda: _entries(api, net)[1] == [flood] or _no(_entries(api, net)))
    body, _ = _entries(api, net)
    rev0 = body["revision"]
    assert isinstance(rev0, int) and rev0 > 0, body
    assert api.fdb("changes_since=%d" % rev0)["l2_fdb_entries"] == []
    s.add_ucast_local(net["id"], mac(1), SW_IP, ipaddr="10.12.0.1")
    eventually(lambda: _entries(api, net)[1] == sorted([flood, (mac(1), SW_IP, "10.12.0.1", vni)])
               or _no(_entries(api, net)))
    body = api.fdb("changes_since=%d" % rev0)
    assert body["revision"] > rev0
    assert [(e["mac"], e["vtep_ip"]) for e in body["l2_fdb_entries"]] == [(mac(1), SW_IP)], body
    rev1 = body["revision"]
    s.del_ucast_local(net["id"], mac(1))
    eventually(lambda: _entries(api, net)[1] == [flood] or _no(_entries(api, net)))
    body = api.fdb("changes_since=%d" % rev1)
    gone = [e for e in body["l2_fdb_entries"] if e["mac"] == mac(1)]
    assert len(gone) == 1 and _is_deletion(gone[0]), body
    # the connection goes: its flood entry is deleted too
    rev2 = body["revision"]
    api.delete_connection(c["id"])
    eventually(lambda: _entries(api, net)[1] == [] or _no(_entries(api, net)))
    body = api.fdb("changes_since=%d" % rev2)
    assert [e["mac"] for e in body["l2_fdb_entries"] if _is_deletion(e)] == [FLOOD_MAC], body


def test_fdb_changes_since_bad_value_400(lab):
    s, d, api = lab.basic()
    for bad in ("abc", "-1"):
        r = api.get("/v2.0/l2-fdb-entries?changes_since=" + bad)
        assert r.status == 400, r


def test_fdb_changes_since_too_old_410(lab):
    """Heavy: produce changes until the oldest revisions are pruned, then
    changes_since=1 is 410 Gone (a client must list again)."""
    s, d, api = lab.basic()
    net, _, c = connect(api)
    on_switch(s, lambda snap: snap.ls(net["id"]) or _no())
    ls = s.ls_uuid(net["id"])
    batch = 20000
    for rnd in range(int(os.environ.get("VTEPLAB_FDB_ROUNDS", "6"))):
        if api.get("/v2.0/l2-fdb-entries?changes_since=1").status == 410:
            break
        rev = _revision(api)
        ops = [{"op": "insert", "table": "Physical_Locator", "uuid-name": "loc",
                "row": {"encapsulation_type": "vxlan_over_ipv4", "dst_ip": SW_IP}}]
        for i in range(batch):
            ops.append({"op": "insert", "table": "Ucast_Macs_Local", "row": {
                "MAC": mac(0x300000 + i), "logical_switch": ["uuid", ls],
                "locator": ["named-uuid", "loc"]}})
        s.transact(*ops)
        eventually(lambda: _revision(api) >= rev + batch or _no(), timeout=20 * WAIT,
                   interval=0.5)
        rev = _revision(api)
        s.transact({"op": "delete", "table": "Ucast_Macs_Local",
                    "where": [["logical_switch", "==", ["uuid", ls]]]})
        eventually(lambda: _revision(api) >= rev + batch or _no(), timeout=20 * WAIT,
                   interval=0.5)
    r = api.get("/v2.0/l2-fdb-entries?changes_since=1")
    assert r.status == 410, r
    assert api.get("/v2.0/l2-fdb-entries?changes_since=%d" % _revision(api)).status == 200


def _revision(api):
    return api.fdb("limit=1")["revision"]


def _is_deletion(entry):
    return any(v is True for k, v in entry.items() if "delet" in k)


def _no(*what):
    raise AssertionError("not yet %r" % (what,))
