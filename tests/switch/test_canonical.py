"""switch.md "Canonical forms": compare in canonical form (no churn on a
vendor's upper case), tolerate garbage rows written by others."""

import json
import re

from swutil import (H1_IP, H2_IP, assert_flood, assert_ls, assert_macs, barrier, connect, mac,
                    on_switch)


def _row_of(snap, ls, m):
    rows = [r for r in snap.ucast_remote(ls) if r["mac"].lower() == m.lower()]
    assert len(rows) == 1, "want one row for %s, got %r" % (m, rows)
    return rows[0]


def test_upper_case_mac_causes_no_churn(lab):
    """An otherwise correct row whose MAC someone rewrote in upper case is
    kept: same UUID after later passes, no lower-case twin."""
    s, d, api = lab.basic()
    net, _, _ = connect(api)
    api.host(H1_IP, name="h1")
    api.port(net["id"], mac=mac(1), host="h1", ips=["10.3.0.1"])
    row = on_switch(s, lambda snap: _row_of(snap, net["id"], mac(1)))
    s.update_row("Ucast_Macs_Remote", row["uuid"], {"MAC": mac(1).upper()})
    # two more passes over this LS, then look
    barrier(api, s, net, "h1", 2)
    barrier(api, s, net, "h1", 3)
    snap = s.dump()
    r = _row_of(snap, net["id"], mac(1))
    assert r["uuid"] == row["uuid"], "row rewritten: %r → %r" % (row, r)
    assert r["mac"] == mac(1).upper()
    assert_macs(snap, net["id"], {mac(1): ("10.3.0.1", H1_IP), mac(2): ("", H1_IP),
                                  mac(3): ("", H1_IP)})


def test_upper_case_mac_written_before_connect_is_adopted(lab):
    """A switch already holding the desired row in upper case (e.g. after
    an l2gwd restart on a vendor switch): kept as is."""
    s, d, api = lab.basic()
    net, _, _ = connect(api)
    api.host(H1_IP, name="h1")
    api.port(net["id"], mac=mac(1), host="h1")
    row = on_switch(s, lambda snap: _row_of(snap, net["id"], mac(1)))
    d.stop()
    s.update_row("Ucast_Macs_Remote", row["uuid"], {"MAC": mac(1).upper()})
    d.start()
    api.wait_switch("sw1")
    barrier(api, s, net, "h1", 2)
    snap = s.dump()
    assert _row_of(snap, net["id"], mac(1))["uuid"] == row["uuid"]


def test_upper_case_port_mac_in_api_is_written_lower_case(lab):
    s, d, api = lab.basic()
    net, _, _ = connect(api)
    api.host(H1_IP, name="h1")
    api.port(net["id"], mac="FA:16:3E:AB:CD:EF", host="h1")
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {"fa:16:3e:ab:cd:ef": ("", H1_IP)}))
    rows = s.dump().ucast_remote(net["id"])
    assert rows[0]["mac"] == "fa:16:3e:ab:cd:ef", rows


def _garbage(s):
    """Rows a careless neighbour wrote: a foreign LS with unparsable MACs,
    IPs and locators."""
    junk = s.add_ls("junk-ls", tunnel_key=999)
    s.insert_mac("Ucast_Macs_Remote", junk, "not-a-mac", "bogus-ip", ipaddr="garbage")
    s.insert_mac("Ucast_Macs_Remote", junk, "zz:zz:zz:zz:zz:zz", "300.1.2.3")
    s.insert_mac("Ucast_Macs_Local", junk, "also-not-a-mac", "", ipaddr="1.2.3")
    s.insert_mcast("Mcast_Macs_Remote", junk, "weird-dst", ["not-an-ip"])
    s.transact({"op": "insert", "table": "Logical_Switch", "row": {"name": ""}})  # nameless
    return junk


def test_garbage_rows_tolerated(lab):
    s, d, api = lab.basic()
    junk = _garbage(s)
    before = s.dump()
    net, _, c = connect(api)
    api.host(H1_IP, name="h1")
    api.host(H2_IP, name="h2")
    api.port(net["id"], mac=mac(1), host="h1")
    api.port(net["id"], mac=mac(2), host="h2")

    def check(snap):
        assert_ls(snap, net)
        assert_macs(snap, net["id"], {mac(1): ("", H1_IP), mac(2): ("", H2_IP)})
        assert_flood(snap, net["id"], [H1_IP, H2_IP])
    on_switch(s, check)
    api.wait_status(c["id"], "ACTIVE")
    after = s.dump()
    # foreign garbage untouched
    for table in ("Ucast_Macs_Local",):
        assert after.tables[table] == before.tables[table]
    for r in before.ucast_remote("junk-ls") + before.mcast_remote("junk-ls"):
        assert after.row("Ucast_Macs_Remote", r["uuid"]) or \
            after.row("Mcast_Macs_Remote", r["uuid"]), "garbage row removed: %r" % r
    assert after.row("Logical_Switch", junk) == before.row("Logical_Switch", junk)
    assert after.ls("") is not None
    assert d.alive()


def test_garbage_written_while_running(lab):
    s, d, api = lab.basic()
    net, _, c = connect(api)
    api.host(H1_IP, name="h1")
    barrier(api, s, net, "h1", 1)
    _garbage(s)
    # garbage in our own LS too: a learned row with a bad MAC
    s.insert_mac("Ucast_Macs_Local", s.ls_uuid(net["id"]), "garbage-mac", "also-garbage")
    barrier(api, s, net, "h1", 2)
    barrier(api, s, net, "h1", 3)
    on_switch(s, lambda snap: assert_macs(snap, net["id"], {
        mac(1): ("", H1_IP), mac(2): ("", H1_IP), mac(3): ("", H1_IP)}))
    api.wait_status(c["id"], "ACTIVE")
    assert d.alive()
    # "skip and log them once": the same garbage is not logged on every pass
    log = d.log_text(tail=None)
    for token in ("not-a-mac", "garbage-mac"):
        n = len(re.findall(re.escape(token), log))
        assert n <= 1, "%r logged %d times" % (token, n)


def test_json_framing_with_braces_and_quotes_in_strings(lab):
    """Strings full of JSON syntax, escapes and non-ASCII text, in our rows
    and in the switch's: the session's framing is string-aware."""
    tricky = 'x}{"]["\\\u00e9\u2603 {"id":1} \\" end'
    s, d, api = lab.basic()
    s.ctl("set", "Physical_Switch", "sw1", "description=" + json.dumps(tricky))
    s.ctl("set", "Physical_Port", s.port_uuid("sw1", "p2"), "description=" + json.dumps("}}}}"))
    net = api.network(name=tricky)
    _, _, c = connect(api, net=net)
    on_switch(s, lambda snap: assert_ls(snap, net, description=tricky))
    api.update_network(net["id"], name="{" * 50 + "\"")
    on_switch(s, lambda snap: assert_ls(snap, net, description="{" * 50 + "\""))
    api.wait_status(c["id"], "ACTIVE")
    assert d.alive()
