"""border.md "What goes into the border gateway switch": the WAN locator
(tunnel_key = the remote connection's seg_id), the remote MACs on it, and
the unknown-dst flood set (WAN locator iff flood), on a switch that
advertises other_config:l2gw-per-locator-key=true."""

import signal

from swutil import H1_IP, assert_ls, connect, mac, on_switch
from vteplab import UNKNOWN_DST, eventually

R1_IP, R2_IP, R3_IP = "203.0.113.1", "203.0.113.2", "203.0.113.3"


def _fail(msg):
    raise AssertionError(msg)


def setup_border(lab, vni=5001):
    """sw1 advertising the extension; a network with a port on host H1;
    gateway + connection.  Returns (server, api, net, gw)."""
    s, d, api = lab.basic()
    s.ctl("set", "Physical_Switch", "sw1", "other_config:l2gw-per-locator-key=true")
    net = api.network(vni=vni)
    h = api.host(tunnel_ip=H1_IP)
    api.port(net["id"], mac=mac(1), host=h["name"])
    _, gw, _ = connect(api, net=net, seg=100)
    return s, api, net, gw


def rgw(api, ip, name=None):
    return api.create("l2-remote-gateways", "l2_remote_gateway",
                      {"name": name or "rgw-" + ip, "ipaddr": ip})


def rconn(api, gw, net, r, seg, flood=True):
    """Creates the remote connection, retrying while the registry has not
    yet seen the switch's other_config (409 L2RemoteGatewayUnsupported)."""
    body = {"l2_remote_gateway_connection": {
        "gateway": gw["id"], "network": net["id"], "remote_gateway": r["id"],
        "seg_id": seg, "flood": flood}}

    def attempt():
        resp = api.post("/v2.0/l2-remote-gateway-connections", body)
        assert resp.status == 201, resp
        return resp.json()["l2_remote_gateway_connection"]
    return eventually(attempt, 15)


def rmac(api, rc, m, ip=""):
    return api.create("l2-remote-macs", "l2_remote_mac",
                      {"mac": m, "ipaddr": ip, "rgw_connection": rc["id"]})


def rc_status(api, rc, status, reason=None):
    def check():
        got = api.show("l2-remote-gateway-connections", "l2_remote_gateway_connection", rc["id"])
        assert got["status"] == status, got
        if reason:
            assert reason.lower() in (got.get("status_reason") or "").lower(), got
        return got
    return eventually(check, 15)


def wan_rows(snap, net):
    """{mac: (ipaddr, dst_ip, tunnel_key)} of the MACs on keyed locators."""
    return {r["mac"].lower(): (r["ipaddr"], r["dst_ip"], r["tunnel_key"])
            for r in snap.ucast_remote(net["id"]) if r["tunnel_key"] is not None}


def flood_set(snap, net):
    """The unknown-dst set of 'net' as sorted (dst_ip, tunnel_key)."""
    rows = snap.mcast_remote(net["id"])
    assert len(rows) <= 1, rows
    if not rows:
        return []
    assert rows[0]["mac"] == UNKNOWN_DST
    return sorted((l["dst_ip"], l.get("tunnel_key")) for l in rows[0]["locators"])


def test_wan_locator_macs_and_flood(lab):
    s, api, net, gw = setup_border(lab)
    r = rgw(api, R1_IP)
    rc = rconn(api, gw, net, r, 7001, flood=True)
    rmac(api, rc, "02:00:00:00:00:01", "192.168.50.1")
    rmac(api, rc, "02:00:00:00:00:02")

    def check(snap):
        assert_ls(snap, net)
        wan = [l for l in snap.locators() if l["dst_ip"] == R1_IP]
        assert len(wan) == 1 and wan[0]["tunnel_key"] == 7001, wan
        assert wan[0]["encap"] == "vxlan_over_ipv4"
        assert wan_rows(snap, net) == {
            "02:00:00:00:00:01": ("192.168.50.1", R1_IP, 7001),
            "02:00:00:00:00:02": ("", R1_IP, 7001)}, wan_rows(snap, net)
        # the compute MAC stays on its unkeyed locator
        local = [r for r in snap.ucast_remote(net["id"]) if r["mac"].lower() == mac(1)]
        assert local and local[0]["dst_ip"] == H1_IP and local[0]["tunnel_key"] is None
        assert flood_set(snap, net) == sorted([(H1_IP, None), (R1_IP, 7001)]), \
            flood_set(snap, net)
    on_switch(s, check)
    rc_status(api, rc, "ACTIVE")


def test_no_flood_keeps_wan_out_of_set(lab):
    s, api, net, gw = setup_border(lab)
    rc = rconn(api, gw, net, rgw(api, R1_IP), 7002, flood=False)
    rmac(api, rc, "02:00:00:00:00:03")

    def check(snap):
        assert wan_rows(snap, net) == {"02:00:00:00:00:03": ("", R1_IP, 7002)}
        assert flood_set(snap, net) == [(H1_IP, None)], flood_set(snap, net)
    on_switch(s, check)
    rc_status(api, rc, "ACTIVE")


def test_update_flood_false_then_true(lab):
    s, api, net, gw = setup_border(lab)
    rc = rconn(api, gw, net, rgw(api, R1_IP), 7003, flood=True)
    on_switch(s, lambda snap: flood_set(snap, net) == sorted([(H1_IP, None), (R1_IP, 7003)])
              or _fail(flood_set(snap, net)))
    old_set = s.dump().mcast_remote(net["id"])[0]["set_uuid"]
    api.update("l2-remote-gateway-connections", "l2_remote_gateway_connection", rc["id"],
               {"flood": False})

    def check(snap):
        assert flood_set(snap, net) == [(H1_IP, None)], flood_set(snap, net)
        assert snap.mcast_remote(net["id"])[0]["set_uuid"] != old_set
    on_switch(s, check)
    api.update("l2-remote-gateway-connections", "l2_remote_gateway_connection", rc["id"],
               {"flood": True})
    on_switch(s, lambda snap: flood_set(snap, net) == sorted([(H1_IP, None), (R1_IP, 7003)])
              or _fail(flood_set(snap, net)))
    rc_status(api, rc, "ACTIVE")


def test_update_seg_id_makes_new_locator(lab):
    s, api, net, gw = setup_border(lab)
    rc = rconn(api, gw, net, rgw(api, R1_IP), 7004)
    rmac(api, rc, "02:00:00:00:00:04")
    on_switch(s, lambda snap: wan_rows(snap, net) == {"02:00:00:00:00:04": ("", R1_IP, 7004)}
              or _fail(wan_rows(snap, net)))
    snap0 = s.dump()
    old = [l for l in snap0.locators() if l["dst_ip"] == R1_IP][0]
    api.update("l2-remote-gateway-connections", "l2_remote_gateway_connection", rc["id"],
               {"seg_id": 7005})

    def check(snap):
        assert wan_rows(snap, net) == {"02:00:00:00:00:04": ("", R1_IP, 7005)}, wan_rows(snap, net)
        assert (R1_IP, 7005) in flood_set(snap, net) and (R1_IP, 7004) not in flood_set(snap, net)
        row = [r for r in snap.ucast_remote(net["id"]) if r["tunnel_key"] == 7005][0]
        assert row["locator"] != old["uuid"], "locator updated in place"
        still = snap.locator(old["uuid"])
        # the old locator was never updated: gone (garbage-collected) or unchanged
        assert still is None or still["tunnel_key"] == 7004, still
    on_switch(s, check)


def test_remote_gateway_ip_change_repoints(lab):
    s, api, net, gw = setup_border(lab)
    r = rgw(api, R1_IP)
    rc = rconn(api, gw, net, r, 7006)
    rmac(api, rc, "02:00:00:00:00:06")
    on_switch(s, lambda snap: wan_rows(snap, net) == {"02:00:00:00:00:06": ("", R1_IP, 7006)}
              or _fail(wan_rows(snap, net)))
    api.update("l2-remote-gateways", "l2_remote_gateway", r["id"], {"ipaddr": R2_IP})

    def check(snap):
        assert wan_rows(snap, net) == {"02:00:00:00:00:06": ("", R2_IP, 7006)}, wan_rows(snap, net)
        assert flood_set(snap, net) == sorted([(H1_IP, None), (R2_IP, 7006)]), \
            flood_set(snap, net)
    on_switch(s, check)


def test_delete_remote_connection(lab):
    s, api, net, gw = setup_border(lab)
    rc = rconn(api, gw, net, rgw(api, R1_IP), 7007)
    rmac(api, rc, "02:00:00:00:00:07")
    on_switch(s, lambda snap: wan_rows(snap, net) or _fail("no WAN rows"))
    api.remove("l2-remote-gateway-connections", rc["id"])

    def check(snap):
        assert wan_rows(snap, net) == {}, wan_rows(snap, net)
        assert flood_set(snap, net) == [(H1_IP, None)], flood_set(snap, net)
        # the compute side is untouched
        assert [r["mac"].lower() for r in snap.ucast_remote(net["id"])] == [mac(1)]
    on_switch(s, check)


def test_two_remote_gateways_on_one_network(lab):
    s, api, net, gw = setup_border(lab)
    rc1 = rconn(api, gw, net, rgw(api, R1_IP), 7008, flood=True)
    rc2 = rconn(api, gw, net, rgw(api, R3_IP), 7009, flood=True)
    rmac(api, rc1, "02:00:00:00:00:08")
    rmac(api, rc2, "02:00:00:00:00:09", "192.168.60.9")

    def check(snap):
        assert wan_rows(snap, net) == {
            "02:00:00:00:00:08": ("", R1_IP, 7008),
            "02:00:00:00:00:09": ("192.168.60.9", R3_IP, 7009)}, wan_rows(snap, net)
        assert flood_set(snap, net) == sorted([(H1_IP, None), (R1_IP, 7008), (R3_IP, 7009)]), \
            flood_set(snap, net)
    on_switch(s, check)
    rc_status(api, rc1, "ACTIVE")
    rc_status(api, rc2, "ACTIVE")
    api.remove("l2-remote-gateway-connections", rc1["id"])
    on_switch(s, lambda snap: flood_set(snap, net) == sorted([(H1_IP, None), (R3_IP, 7009)])
              or _fail(flood_set(snap, net)))


def test_listed_in_config_without_advertising(lab):
    """[ovsdb] per_locator_key_switches stands for the advertisement."""
    s, d, api = lab.basic(ovsdb={"per_locator_key_switches": "db1/sw1"})
    net = api.network(vni=5002)
    _, gw, _ = connect(api, net=net, seg=100)
    rc = rconn(api, gw, net, rgw(api, R1_IP), 7010, flood=True)
    rmac(api, rc, "02:00:00:00:00:10")
    on_switch(s, lambda snap: wan_rows(snap, net) == {"02:00:00:00:00:10": ("", R1_IP, 7010)}
              or _fail(wan_rows(snap, net)))
    rc_status(api, rc, "ACTIVE")


def test_withdrawn_advertisement_is_error_and_unprograms(lab):
    """A switch that stops advertising the extension gets no border rows;
    the remote connection goes ERROR naming the switch."""
    s, api, net, gw = setup_border(lab)
    rc = rconn(api, gw, net, rgw(api, R1_IP), 7011, flood=True)
    rmac(api, rc, "02:00:00:00:00:11")
    on_switch(s, lambda snap: wan_rows(snap, net) or _fail("no WAN rows"))
    rc_status(api, rc, "ACTIVE")
    s.ctl("remove", "Physical_Switch", "sw1", "other_config", "l2gw-per-locator-key")
    # nudge: the registry update may not replan the network by itself
    h = api.host(tunnel_ip="10.0.0.77")

    def check():
        api.port(net["id"], mac=mac(50 + check.n), host=h["name"])
        check.n += 1
        snap = s.dump()
        assert wan_rows(snap, net) == {}, wan_rows(snap, net)
        assert all(k is None for _, k in flood_set(snap, net)), flood_set(snap, net)
    check.n = 0
    eventually(check, 15)
    rc_status(api, rc, "ERROR", reason="does not support per-locator tunnel keys")


def test_remote_macs_in_fdb_export(lab):
    """Remote MACs appear in /v2.0/l2-fdb-entries behind the border
    switch's tunnel IP; deleting the remote connection removes them."""
    from swutil import SW_IP
    s, api, net, gw = setup_border(lab)
    rc = rconn(api, gw, net, rgw(api, R1_IP), 7012)
    rmac(api, rc, "02:00:00:00:00:12", "192.168.70.12")

    def entries():
        body = api.fdb("network_id=" + net["id"])
        return sorted((e["mac"], e["vtep_ip"], e["ip_address"], e["source"])
                      for e in body["l2_fdb_entries"] if e["mac"].startswith("02:"))
    eventually(lambda: entries() == [("02:00:00:00:00:12", SW_IP, "192.168.70.12", "remote")]
               or _fail(entries()), 15)
    api.remove("l2-remote-gateway-connections", rc["id"])
    eventually(lambda: entries() == [] or _fail(entries()), 15)


def test_wan_rows_drift_repaired(lab):
    """WAN rows deleted or added by hand are put back as desired: a remote
    MAC row removed, the WAN locator taken out of the flood set, and a stray
    row added in our Logical_Switch."""
    s, api, net, gw = setup_border(lab)
    d = lab.daemons[-1]
    r = rgw(api, R1_IP)
    rc = rconn(api, gw, net, r, 7001, flood=True)
    rmac(api, rc, "02:00:00:00:00:01", "192.168.50.1")
    want_wan = {"02:00:00:00:00:01": ("192.168.50.1", R1_IP, 7001)}
    want_flood = sorted([(H1_IP, None), (R1_IP, 7001)])

    def converged(snap):
        assert wan_rows(snap, net) == want_wan, wan_rows(snap, net)
        assert flood_set(snap, net) == want_flood, flood_set(snap, net)
        assert "02:00:00:00:00:99" not in {
            x["mac"].lower() for x in snap.ucast_remote(net["id"])}
    on_switch(s, converged)
    rc_status(api, rc, "ACTIVE")

    ls = net["id"]
    d.proc.send_signal(signal.SIGSTOP)  # the edits must really land first
    try:
        s.ctl("del-ucast-remote", ls, "02:00:00:00:00:01")
        s.ctl("del-mcast-remote", ls, "unknown-dst", R1_IP)
        s.ctl("add-ucast-remote", ls, "02:00:00:00:00:99", R1_IP)
        snap = s.dump()
        assert wan_rows(snap, net) == {}, wan_rows(snap, net)
        assert flood_set(snap, net) == [(H1_IP, None)], flood_set(snap, net)
    finally:
        d.proc.send_signal(signal.SIGCONT)
    on_switch(s, converged)
