"""switch.md: several switches in one database (the database is the unit),
several databases, device names resolved across databases (ambiguous
names, the qualified <ovsdb_identifier>/<name> form), gateways with several
devices and interfaces."""

from swutil import (H1_IP, assert_flood, assert_ls, assert_macs, assert_nothing_of_ours, mac,
                    on_switch)


def test_two_switches_in_one_database(lab):
    """One LS and one set of MAC rows for the database; bindings per
    switch."""
    s = lab.server("db1", {"swA": ("192.0.2.1", ["p1", "p2"]), "swB": ("192.0.2.2", ["p1"])})
    d = lab.daemon([s])
    api = d.api
    api.wait_switch("swA")
    api.wait_switch("swB")
    net = api.network()
    gw = api.gateway([("swA", ["p1", "p2"]), ("swB", ["p1"])])
    c = api.connection(gw["id"], net["id"], 300)
    api.host(H1_IP, name="h1")
    api.port(net["id"], mac=mac(1), host="h1")

    def check(snap):
        assert_ls(snap, net)
        assert [r["name"] for r in snap.logical_switches()] == [net["id"]]
        assert snap.bindings("swA", "p1") == {300: net["id"]}
        assert snap.bindings("swA", "p2") == {300: net["id"]}
        assert snap.bindings("swB", "p1") == {300: net["id"]}
        assert_macs(snap, net["id"], {mac(1): ("", H1_IP)})
        assert_flood(snap, net["id"], [H1_IP])
    on_switch(s, check)
    api.wait_status(c["id"], "ACTIVE")
    api.delete_connection(c["id"])
    on_switch(s, lambda snap: (assert_nothing_of_ours(snap, [net["id"]]),
                               snap.all_bindings() == [] or _no()))


def test_two_switches_of_one_database_in_separate_gateways(lab):
    """Only swB's gateway removed: the LS stays for swA, swB is unbound."""
    s = lab.server("db1", {"swA": ("192.0.2.1", ["p1"]), "swB": ("192.0.2.2", ["p1"])})
    d = lab.daemon([s])
    api = d.api
    api.wait_switch("swA")
    api.wait_switch("swB")
    net = api.network()
    ga = api.gateway([("swA", ["p1"])])
    gb = api.gateway([("swB", ["p1"])])
    ca = api.connection(ga["id"], net["id"], 10)
    cb = api.connection(gb["id"], net["id"], 20)
    on_switch(s, lambda snap: (snap.bindings("swA", "p1") == {10: net["id"]} or _no(),
                               snap.bindings("swB", "p1") == {20: net["id"]} or _no()))
    api.delete_connection(cb["id"])
    on_switch(s, lambda snap: (snap.bindings("swB", "p1") == {} or _no(),
                               snap.bindings("swA", "p1") == {10: net["id"]} or _no(),
                               assert_ls(snap, net)))
    api.wait_status(ca["id"], "ACTIVE")


def test_several_databases(lab):
    s1 = lab.server("db1", {"sw1": ("192.0.2.1", ["p1"])})
    s2 = lab.server("db2", {"sw2": ("192.0.2.2", ["p1", "p2"])})
    s3 = lab.server("db3", {"sw3": ("192.0.2.3", ["p1"])})
    d = lab.daemon([s1, s2, s3])
    api = d.api
    for n in ("sw1", "sw2", "sw3"):
        api.wait_switch(n)
    net = api.network()
    gw = api.gateway([("sw1", ["p1"]), ("sw2", ["p1", "p2"])])
    c = api.connection(gw["id"], net["id"], 42)
    api.host(H1_IP, name="h1")
    api.port(net["id"], mac=mac(1), host="h1")
    for srv, ps, ports in ((s1, "sw1", ["p1"]), (s2, "sw2", ["p1", "p2"])):
        on_switch(srv, lambda snap: (assert_ls(snap, net),
                                     assert_macs(snap, net["id"], {mac(1): ("", H1_IP)}),
                                     assert_flood(snap, net["id"], [H1_IP])))
        snap = srv.dump()
        for p in ports:
            assert snap.bindings(ps, p) == {42: net["id"]}
    snap3 = s3.dump()
    assert snap3.logical_switches() == [] and snap3.ucast_remote() == []
    api.wait_status(c["id"], "ACTIVE")


def test_one_database_down_does_not_block_the_others(lab):
    s1 = lab.server("db1", {"sw1": ("192.0.2.1", ["p1"])})
    s2 = lab.server("db2", {"sw2": ("192.0.2.2", ["p1"])})
    d = lab.daemon([s1, s2])
    api = d.api
    api.wait_switch("sw1")
    api.wait_switch("sw2")
    net = api.network()
    gw = api.gateway([("sw1", ["p1"]), ("sw2", ["p1"])])
    c = api.connection(gw["id"], net["id"], 42)
    api.wait_status(c["id"], "ACTIVE")
    s2.kill()
    api.wait_status(c["id"], "PENDING")
    api.host(H1_IP, name="h1")
    api.port(net["id"], mac=mac(1), host="h1")
    on_switch(s1, lambda snap: assert_macs(snap, net["id"], {mac(1): ("", H1_IP)}))
    s2.start()
    on_switch(s2, lambda snap: assert_macs(snap, net["id"], {mac(1): ("", H1_IP)}))
    api.wait_status(c["id"], "ACTIVE")


def test_ambiguous_device_name_409_and_qualified_form(lab):
    s1 = lab.server("db1", {"swX": ("192.0.2.1", ["p1"])})
    s2 = lab.server("db2", {"swX": ("192.0.2.2", ["p1"])})
    d = lab.daemon([s1, s2])
    api = d.api
    api.wait_switch("swX", ident="db1")
    api.wait_switch("swX", ident="db2")
    net = api.network()
    gw = api.gateway([("swX", ["p1"])])
    r = api.post_connection(gw["id"], net["id"], 5)
    assert r.status == 409 and r.error_type() == "L2GatewayDeviceAmbiguous", r
    gq = api.gateway([("db2/swX", ["p1"])])
    c = api.connection(gq["id"], net["id"], 5)
    api.wait_status(c["id"], "ACTIVE")
    on_switch(s2, lambda snap: snap.bindings("swX", "p1") == {5: net["id"]} or _no())
    snap1 = s1.dump()
    assert snap1.all_bindings() == [] and snap1.logical_switches() == []


def test_qualified_name_of_an_unambiguous_switch(lab):
    s, d, api = lab.basic()
    net = api.network()
    gw = api.gateway([("db1/sw1", ["p1"])])
    c = api.connection(gw["id"], net["id"], 9)
    api.wait_status(c["id"], "ACTIVE")
    on_switch(s, lambda snap: snap.bindings("sw1", "p1") == {9: net["id"]} or _no())


def test_unknown_device_or_interface_404(lab):
    s, d, api = lab.basic()
    net = api.network()
    gw = api.gateway([("nosuchswitch", ["p1"])])
    r = api.post_connection(gw["id"], net["id"], 5)
    assert r.status == 404 and r.error_type() == "L2GatewayDeviceNotFound", r
    gw = api.gateway([("sw1", ["p1", "nosuchport"])])
    r = api.post_connection(gw["id"], net["id"], 5)
    assert r.status == 404 and r.error_type() == "L2GatewayInterfaceNotFound", r
    assert r.error_message() == "L2 Gateway interface 'nosuchport' not found.", r
    gw = api.gateway([("db9/sw1", ["p1"])])
    r = api.post_connection(gw["id"], net["id"], 5)
    assert r.status == 404 and r.error_type() == "L2GatewayDeviceNotFound", r
    assert s.dump().logical_switches() == []


def test_gateway_with_several_devices_and_vlan_lists(lab):
    """Device A tagged per interface, device B untagged: no connection
    segmentation_id → A's own VLANs, B untagged (0)."""
    s = lab.server("db1", {"swA": ("192.0.2.1", ["p1", "p2"]), "swB": ("192.0.2.2", ["p1", "p2"])})
    d = lab.daemon([s])
    api = d.api
    api.wait_switch("swA")
    api.wait_switch("swB")
    net = api.network()
    gw = api.gateway([("swA", [("p1", [11, 12]), ("p2", [13])]), ("swB", ["p1", "p2"])])
    c = api.connection(gw["id"], net["id"])
    api.wait_status(c["id"], "ACTIVE")

    def check(snap):
        assert snap.bindings("swA", "p1") == {11: net["id"], 12: net["id"]}
        assert snap.bindings("swA", "p2") == {13: net["id"]}
        assert snap.bindings("swB", "p1") == {0: net["id"]}
        assert snap.bindings("swB", "p2") == {0: net["id"]}
    on_switch(s, check)


def test_gateway_update_rebinds(lab):
    """api.md: updating a connected gateway's interfaces reconciles the
    switches to the new bindings."""
    s, d, api = lab.basic()
    net = api.network()
    gw = api.gateway([("sw1", [("p1", [10])])])
    c = api.connection(gw["id"], net["id"])
    on_switch(s, lambda snap: snap.bindings("sw1", "p1") == {10: net["id"]} or _no())
    api.update("l2-gateways", "l2_gateway", gw["id"], {"devices": [
        {"device_name": "sw1", "interfaces": [{"name": "p2", "segmentation_id": ["20", "21"]}]}]})
    on_switch(s, lambda snap: (snap.bindings("sw1", "p1") == {} or _no(snap.bindings("sw1", "p1")),
                               snap.bindings("sw1", "p2") == {20: net["id"], 21: net["id"]}
                               or _no(snap.bindings("sw1", "p2"))))
    api.wait_status(c["id"], "ACTIVE")


def _no(*what):
    raise AssertionError("not yet %r" % (what,))
