"""Shared helpers of the switch-manager tests: scenario builders and the
assertions on what a switch database holds (spec/switch.md "Desired
state")."""

import collections

from vteplab import UNKNOWN_DST, eventually

SW_IP = "192.0.2.100"
H1_IP, H2_IP, H3_IP = "10.0.0.11", "10.0.0.12", "10.0.0.13"
OWNER_KEY = "l2gw-owner"


def mac(n):
    """A distinct lower-case MAC for small integers."""
    return "fa:16:3e:%02x:%02x:%02x" % ((n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)


def connect(api, device="sw1", ifaces=("p1",), seg=100, net=None, vni=None, wait="ACTIVE"):
    """A gateway on 'device' with 'ifaces', a network (or 'net') and their
    connection (segmentation_id 'seg', None for none); waits for status
    'wait' unless None.  Returns (network, gateway, connection)."""
    net = net or api.network(vni)
    gw = api.gateway([(device, list(ifaces))])
    c = api.connection(gw["id"], net["id"], seg)
    if wait:
        c = api.wait_status(c["id"], wait)
    return net, gw, c


def on_switch(server, check, timeout=None):
    """Polls 'server' until check(snapshot) passes; returns its result."""
    return eventually(lambda: check(server.dump()), timeout)


def vni_of(net):
    return int(net["provider:segmentation_id"])


def assert_ls(snap, net, description=None):
    """The Logical_Switch of 'net' exists with the desired content; returns it."""
    ls = snap.ls(net["id"])
    assert ls is not None, "no Logical_Switch named %s: %r" % (net["id"], snap.logical_switches())
    assert ls["tunnel_key"] == vni_of(net), "tunnel_key %r != %r" % (ls["tunnel_key"], vni_of(net))
    want_desc = net["name"] if description is None else description
    assert ls["description"] == want_desc, "description %r != %r" % (ls["description"], want_desc)
    return ls


def assert_macs(snap, ls, expected):
    """The Ucast_Macs_Remote rows of LS 'ls' are exactly 'expected'
    {mac: (ipaddr, dst_ip)} (MACs compared in lower case), one row per MAC,
    every locator vxlan_over_ipv4 without tunnel_key."""
    rows = snap.ucast_remote(ls)
    per_mac = collections.Counter(r["mac"].lower() for r in rows)
    dups = {m: n for m, n in per_mac.items() if n > 1}
    assert not dups, "duplicate Ucast_Macs_Remote rows in %s: %r" % (ls, dups)
    got = {r["mac"].lower(): (r["ipaddr"], r["dst_ip"]) for r in rows}
    want = {m.lower(): v for m, v in expected.items()}
    assert got == want, "Ucast_Macs_Remote of %s:\n  got  %r\n  want %r" % (ls, got, want)
    for r in rows:
        assert r["encap"] == "vxlan_over_ipv4" and r["tunnel_key"] is None, r
    return rows


def assert_flood(snap, ls, ips):
    """The Mcast_Macs_Remote of LS 'ls': one unknown-dst row whose locator
    set is exactly 'ips', or no row at all when 'ips' is empty."""
    rows = snap.mcast_remote(ls)
    if not ips:
        assert rows == [], "Mcast_Macs_Remote rows while the set is empty: %r" % rows
        return None
    assert len(rows) == 1, "want one Mcast_Macs_Remote row in %s, got %r" % (ls, rows)
    r = rows[0]
    assert r["mac"] == UNKNOWN_DST, r
    assert r["dst_ips"] == sorted(ips), "flood set %r != %r" % (r["dst_ips"], sorted(ips))
    for loc in r["locators"]:
        assert loc.get("tunnel_key") is None and loc.get("encap") == "vxlan_over_ipv4", r
    return r


def assert_locators_unique(snap):
    """No two locators with the same (encap, dst_ip, tunnel_key)."""
    keys = collections.Counter((l["encap"], l["dst_ip"], l["tunnel_key"])
                               for l in snap.locators())
    dups = [k for k, n in keys.items() if n > 1]
    assert not dups, "duplicate locators %r" % dups


def owned_ls(snap):
    """The Logical_Switch rows carrying an l2gw-owner mark."""
    return [r for r in snap.logical_switches() if r["other_config"].get(OWNER_KEY)]


def assert_nothing_of_ours(snap, names=(), others=False):
    """No LS named in 'names', no remote MAC rows and no bindings to such
    LSs; unless 'others', no LS with an owner mark at all."""
    for n in names:
        assert snap.ls(n) is None, "Logical_Switch %s still there" % n
    if not others:
        assert owned_ls(snap) == [], "owned LSs left: %r" % owned_ls(snap)
    gone = set(names)
    for ps, port, vlan, ls in snap.all_bindings():
        assert ls not in gone, "binding %s/%s:%d → %s left" % (ps, port, vlan, ls)
    for r in snap.ucast_remote() + snap.mcast_remote():
        assert r["ls"] not in gone, "remote row left: %r" % r


def barrier(api, server, net, host, n):
    """Adds a port with MAC mac(n) on 'host' to 'net' and waits until the
    switch holds its row: proves that l2gwd ran a pass after everything
    before.  Returns the port."""
    p = api.port(net["id"], mac=mac(n), host=host)
    on_switch(server, lambda s: [r for r in s.ucast_remote(net["id"])
                                 if r["mac"].lower() == mac(n)] or _fail("no row for %s" % mac(n)))
    return p


def _fail(msg):
    raise AssertionError(msg)
