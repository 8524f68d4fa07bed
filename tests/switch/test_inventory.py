"""switch.md "Changes in the inventory reach every database that serves the
network": port bound, moved, unbound, deleted; address pairs; host tunnel
IP; network renamed."""

from swutil import (H1_IP, H2_IP, H3_IP, assert_flood, assert_ls, assert_macs,
                    assert_nothing_of_ours, connect, mac, on_switch)


def _setup(lab):
    s, d, api = lab.basic()
    net, _, c = connect(api)
    api.host(H1_IP, name="h1")
    api.host(H2_IP, name="h2")
    return s, d, api, net, c


def test_port_bound_later(lab):
    s, d, api, net, c = _setup(lab)
    p = api.port(net["id"], mac=mac(1), ips=["10.4.0.1"])
    api.port(net["id"], mac=mac(2), host="h2")
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {mac(2): ("", H2_IP)}))
    api.update_port(p["id"], **{"binding:host_id": "h1"})
    on_switch(s, lambda snap: (assert_macs(snap, net["id"], {
        mac(1): ("10.4.0.1", H1_IP), mac(2): ("", H2_IP)}),
        assert_flood(snap, net["id"], [H1_IP, H2_IP])))


def test_port_moved(lab):
    """A migration: the MAC moves to the new host's locator; the old
    locator goes once nothing uses it."""
    s, d, api, net, c = _setup(lab)
    p = api.port(net["id"], mac=mac(1), host="h1", ips=["10.4.0.1"])
    api.port(net["id"], mac=mac(2), host="h2")
    on_switch(s, lambda snap: assert_flood(snap, net["id"], [H1_IP, H2_IP]))
    before = s.dump().ucast_remote(net["id"])
    api.update_port(p["id"], **{"binding:host_id": "h2"})

    def check(snap):
        assert_macs(snap, net["id"], {mac(1): ("10.4.0.1", H2_IP), mac(2): ("", H2_IP)})
        assert_flood(snap, net["id"], [H2_IP])
        assert snap.locator_ips() == [H2_IP]
    on_switch(s, check)
    # the other port's row was not touched
    after = s.dump().ucast_remote(net["id"])
    u2 = [r["uuid"] for r in before if r["mac"] == mac(2)]
    assert u2 and u2 == [r["uuid"] for r in after if r["mac"] == mac(2)]
    api.wait_status(c["id"], "ACTIVE")


def test_port_unbound(lab):
    s, d, api, net, c = _setup(lab)
    p = api.port(net["id"], mac=mac(1), host="h1")
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {mac(1): ("", H1_IP)}))
    api.update_port(p["id"], **{"binding:host_id": ""})
    on_switch(s, lambda snap: (assert_macs(snap, net["id"], {}),
                               assert_flood(snap, net["id"], []),
                               _no_locators(snap)))


def test_port_unbound_with_null(lab):
    s, d, api, net, c = _setup(lab)
    p = api.port(net["id"], mac=mac(1), host="h1")
    api.port(net["id"], mac=mac(2), host="h2")
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {mac(1): ("", H1_IP),
                                                            mac(2): ("", H2_IP)}))
    api.update_port(p["id"], **{"binding:host_id": None})
    on_switch(s, lambda snap: (assert_macs(snap, net["id"], {mac(2): ("", H2_IP)}),
                               assert_flood(snap, net["id"], [H2_IP])))


def test_port_deleted(lab):
    s, d, api, net, c = _setup(lab)
    p = api.port(net["id"], mac=mac(1), host="h1")
    api.port(net["id"], mac=mac(2), host="h2")
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {mac(1): ("", H1_IP),
                                                            mac(2): ("", H2_IP)}))
    api.remove("ports", p["id"])
    on_switch(s, lambda snap: (assert_macs(snap, net["id"], {mac(2): ("", H2_IP)}),
                               assert_flood(snap, net["id"], [H2_IP])))
    api.wait_status(c["id"], "ACTIVE")


def test_port_mac_and_ip_changed(lab):
    s, d, api, net, c = _setup(lab)
    p = api.port(net["id"], mac=mac(1), host="h1", ips=["10.4.0.1"])
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {mac(1): ("10.4.0.1", H1_IP)}))
    api.update_port(p["id"], fixed_ips=[{"ip_address": "10.4.0.9"}])
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {mac(1): ("10.4.0.9", H1_IP)}))
    api.update_port(p["id"], mac_address=mac(5))
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {mac(5): ("10.4.0.9", H1_IP)}))


def test_address_pair_added_and_removed(lab):
    s, d, api, net, c = _setup(lab)
    p = api.port(net["id"], mac=mac(1), host="h1")
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {mac(1): ("", H1_IP)}))
    api.update_port(p["id"], allowed_address_pairs=[
        {"ip_address": "10.4.1.1", "mac_address": mac(2)},
        {"ip_address": "10.4.1.2", "mac_address": mac(3)}])
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {
        mac(1): ("", H1_IP), mac(2): ("10.4.1.1", H1_IP), mac(3): ("10.4.1.2", H1_IP)}))
    api.update_port(p["id"], allowed_address_pairs=[
        {"ip_address": "10.4.1.2", "mac_address": mac(3)}])
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {
        mac(1): ("", H1_IP), mac(3): ("10.4.1.2", H1_IP)}))
    api.update_port(p["id"], allowed_address_pairs=[])
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {mac(1): ("", H1_IP)}))


def test_address_pairs_follow_the_port(lab):
    s, d, api, net, c = _setup(lab)
    p = api.port(net["id"], mac=mac(1), host="h1", pairs=[("10.4.1.1", mac(2))])
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {
        mac(1): ("", H1_IP), mac(2): ("10.4.1.1", H1_IP)}))
    api.update_port(p["id"], **{"binding:host_id": "h2"})
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {
        mac(1): ("", H2_IP), mac(2): ("10.4.1.1", H2_IP)}))


def test_host_tunnel_ip_changed(lab):
    s, d, api, net, c = _setup(lab)
    h3 = api.host(H3_IP, name="h3")
    api.port(net["id"], mac=mac(1), host="h3")
    api.port(net["id"], mac=mac(2), host="h3")
    api.port(net["id"], mac=mac(3), host="h1")
    on_switch(s, lambda snap: assert_flood(snap, net["id"], [H1_IP, H3_IP]))
    api.update_host(h3["id"], tunnel_ip="10.0.0.99")

    def check(snap):
        assert_macs(snap, net["id"], {mac(1): ("", "10.0.0.99"), mac(2): ("", "10.0.0.99"),
                                      mac(3): ("", H1_IP)})
        assert_flood(snap, net["id"], ["10.0.0.99", H1_IP])
        assert snap.locator_ips() == sorted(["10.0.0.99", H1_IP])
    on_switch(s, check)


def test_host_loses_tunnel_ip(lab):
    s, d, api, net, c = _setup(lab)
    h3 = api.host(H3_IP, name="h3")
    api.port(net["id"], mac=mac(1), host="h3")
    api.port(net["id"], mac=mac(2), host="h1")
    on_switch(s, lambda snap: assert_flood(snap, net["id"], [H1_IP, H3_IP]))
    api.update_host(h3["id"], tunnel_ip=None)
    on_switch(s, lambda snap: (assert_macs(snap, net["id"], {mac(2): ("", H1_IP)}),
                               assert_flood(snap, net["id"], [H1_IP])))


def test_network_renamed(lab):
    s, d, api, net, c = _setup(lab)
    ls = on_switch(s, lambda snap: assert_ls(snap, net))
    api.update_network(net["id"], name="renamed-net")
    on_switch(s, lambda snap: assert_ls(snap, net, description="renamed-net"))
    assert s.dump().ls(net["id"])["_uuid"] == ls["_uuid"]


def test_network_deleted_unprograms(lab):
    """api.md: deleting a network without ports deletes its connections
    (and the switches are unprogrammed)."""
    s, d, api, net, c = _setup(lab)
    on_switch(s, lambda snap: assert_ls(snap, net))
    api.remove("networks", net["id"])
    on_switch(s, lambda snap: assert_nothing_of_ours(snap, [net["id"]]))
    assert s.dump().bindings("sw1", "p1") == {}


def test_changes_reach_every_database(lab):
    """A network served by switches in two databases: every change lands
    in both."""
    s1 = lab.server("db1", {"sw1": ("192.0.2.1", ["p1"])})
    s2 = lab.server("db2", {"sw2": ("192.0.2.2", ["p1"])})
    d = lab.daemon([s1, s2])
    api = d.api
    api.wait_switch("sw1")
    api.wait_switch("sw2")
    net = api.network()
    gw = api.gateway([("sw1", ["p1"]), ("sw2", ["p1"])])
    c = api.connection(gw["id"], net["id"], 55)
    h1 = api.host(H1_IP, name="h1")
    api.host(H2_IP, name="h2")
    p = api.port(net["id"], mac=mac(1), host="h1", ips=["10.5.0.1"])

    def both(check):
        for srv in (s1, s2):
            on_switch(srv, check)
    both(lambda snap: (assert_ls(snap, net),
                       assert_macs(snap, net["id"], {mac(1): ("10.5.0.1", H1_IP)}),
                       assert_flood(snap, net["id"], [H1_IP])))
    assert s1.dump().bindings("sw1", "p1") == {55: net["id"]}
    assert s2.dump().bindings("sw2", "p1") == {55: net["id"]}
    api.wait_status(c["id"], "ACTIVE")
    api.update_port(p["id"], **{"binding:host_id": "h2"})
    both(lambda snap: assert_macs(snap, net["id"], {mac(1): ("10.5.0.1", H2_IP)}))
    api.update_port(p["id"], allowed_address_pairs=[{"ip_address": "10.5.0.2",
                                                     "mac_address": mac(2)}])
    both(lambda snap: assert_macs(snap, net["id"], {mac(1): ("10.5.0.1", H2_IP),
                                                    mac(2): ("10.5.0.2", H2_IP)}))
    api.update_port(p["id"], **{"binding:host_id": "h1"})
    api.update_host(h1["id"], tunnel_ip="10.0.0.77")
    both(lambda snap: (assert_macs(snap, net["id"], {mac(1): ("10.5.0.1", "10.0.0.77"),
                                                     mac(2): ("10.5.0.2", "10.0.0.77")}),
                       assert_flood(snap, net["id"], ["10.0.0.77"])))
    api.update_network(net["id"], name="renamed-everywhere")
    both(lambda snap: assert_ls(snap, net, description="renamed-everywhere"))
    api.remove("ports", p["id"])
    both(lambda snap: (assert_macs(snap, net["id"], {}), assert_flood(snap, net["id"], [])))


def _no_locators(snap):
    assert snap.locators() == [], snap.locators()
