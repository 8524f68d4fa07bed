"""switch.md "Sessions": active (unix, tcp, plain, ssl) and passive modes,
switch restarts (with and without its database), a switch down at
connection create, liveness, schema checks, the message cap."""

import os
import time

import pytest

import vteplab
from swutil import (H1_IP, H2_IP, SW_IP, assert_flood, assert_ls, assert_macs,
                    assert_nothing_of_ours, connect, mac, on_switch)
from vteplab import WAIT, eventually, free_port, make_ca, make_cert


def _program(api, s, ifaces=("p1",)):
    """A connection with two hosts' ports; waits until the switch holds it."""
    net, _, c = connect(api, ifaces=ifaces)
    api.host(H1_IP, name="h1")
    api.host(H2_IP, name="h2")
    api.port(net["id"], mac=mac(1), host="h1", ips=["10.10.0.1"])
    api.port(net["id"], mac=mac(2), host="h2")
    want = {mac(1): ("10.10.0.1", H1_IP), mac(2): ("", H2_IP)}
    on_switch(s, lambda snap: _exactly(snap, net, want, [H1_IP, H2_IP], ifaces))
    api.wait_status(c["id"], "ACTIVE")
    return net, c, want


def _exactly(snap, net, want, flood, ifaces=("p1",), vlan=100):
    """The database holds exactly one connection's rows."""
    assert_ls(snap, net)
    assert_macs(snap, net["id"], want)
    assert_flood(snap, net["id"], flood)
    assert sorted(snap.all_bindings()) == sorted(("sw1", p, vlan, net["id"]) for p in ifaces)
    assert [r["name"] for r in snap.logical_switches()] == [net["id"]]
    assert snap.count("Ucast_Macs_Remote") == len(want)
    assert snap.count("Mcast_Macs_Remote") == (1 if flood else 0)
    assert snap.locator_ips() == sorted(set(v[1] for v in want.values()) | set(flood))


# -- transports -------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["unix", "tcp", "plain"])
def test_active_transports(lab, kind):
    s, d, api = lab.basic(kind=kind)
    _program(api, s)
    sw = api.switch("sw1")
    assert sw["ovsdb_identifier"] == "db1", sw


def test_ipv6_remote_in_brackets(lab):
    """ovsdb_hosts = name:[2001:db8::1]:6640 (here ::1), plain and tcp:."""
    s = lab.server("db1", {"sw1": (SW_IP, ["p1"])}, tcp=True, tcp_host="::1")
    d = lab.daemon([s], kind="plain")
    assert s.hosts_entry(kind="plain").startswith("db1:[::1]:")
    d.api.wait_switch("sw1")
    _program(d.api, s)
    d2 = lab.daemon([s], kind="tcp")
    d2.api.wait_switch("sw1")


def test_same_database_twice_is_refused(lab):
    """Two ovsdb_hosts entries that reach one database: the second session
    is refused with a log line; the switch is known once."""
    s = lab.server("db1", {"sw1": (SW_IP, ["p1"])}, tcp=True)
    d = lab.daemon(hosts=[s.hosts_entry("dbA", "unix"), s.hosts_entry("dbB", "tcp")])
    api = d.api
    api.wait_switch("sw1")
    d.wait_log(r"(?i)(dbA|dbB).*(same database|duplicate|already)|"
               r"(same database|duplicate|already).*(dbA|dbB)")
    assert len([x for x in api.switches() if x["name"] == "sw1"]) == 1, api.switches()
    _program(api, s)


# -- the switch restarts --------------------------------------------------------------

def test_switch_restart_keeping_its_database(lab):
    s, d, api = lab.basic()
    net, c, want = _program(api, s)
    s.kill()
    # while it is away: status PENDING, the registry says disconnected
    api.wait_status(c["id"], "PENDING")
    api.wait_switch("sw1", connected=False)
    # inventory changes while it is away
    ports = api.list("ports", "ports", "network_id=" + net["id"])
    gone = [p for p in ports if p["mac_address"] == mac(1)][0]
    api.remove("ports", gone["id"])
    api.port(net["id"], mac=mac(3), host="h1")
    s.start()
    want = {mac(2): ("", H2_IP), mac(3): ("", H1_IP)}
    on_switch(s, lambda snap: _exactly(snap, net, want, [H1_IP, H2_IP]))
    api.wait_status(c["id"], "ACTIVE")
    api.wait_switch("sw1", connected=True)


def test_switch_restart_with_an_empty_database(lab):
    """The switch comes back empty (a crash without durable commits, a
    replaced switch): everything is rewritten, nothing stale, nothing twice."""
    s, d, api = lab.basic()
    net, c, want = _program(api, s, ifaces=("p1", "p2"))
    s.restart(wipe=True)
    s.add_switch("sw1", SW_IP, ["p1", "p2", "p3"])
    on_switch(s, lambda snap: _exactly(snap, net, want, [H1_IP, H2_IP], ("p1", "p2")))
    api.wait_status(c["id"], "ACTIVE")


def test_switch_restart_drops_rows_of_deleted_connection(lab):
    """A connection deleted while its switch is away is removed on return."""
    s, d, api = lab.basic()
    net, c, want = _program(api, s)
    s.kill()
    api.wait_switch("sw1", connected=False)
    api.delete_connection(c["id"])
    s.start()
    on_switch(s, lambda snap: assert_nothing_of_ours(snap, [net["id"]]))
    assert s.dump().all_bindings() == []


def test_reconnects_counted(lab):
    s, d, api = lab.basic()
    before = _reconnects(api.switch("sw1"))
    s.restart()
    api.wait_switch("sw1", connected=True)
    eventually(lambda: _reconnects(api.switch("sw1")) > before or _no())


def test_switch_down_at_connection_create(lab):
    """A known switch that is disconnected is accepted: PENDING, then
    programmed and ACTIVE when it returns."""
    s, d, api = lab.basic()
    s.kill()
    api.wait_switch("sw1", connected=False)
    net, _, c = connect(api, wait=None)
    assert c["status"] == "PENDING", c
    api.host(H1_IP, name="h1")
    api.port(net["id"], mac=mac(1), host="h1")
    time_away = api.conn(c["id"])
    assert time_away["status"] == "PENDING", time_away
    s.start()
    api.wait_status(c["id"], "ACTIVE")
    on_switch(s, lambda snap: _exactly(snap, net, {mac(1): ("", H1_IP)}, [H1_IP]))


def test_l2gwd_starts_before_the_switch(lab):
    s = lab.server("db1", start=False)
    d = lab.daemon([s])
    s.start()
    s.add_switch("sw1", SW_IP, ["p1"])
    d.api.wait_switch("sw1", ports=("p1",))
    _program(d.api, s)


def test_l2gwd_restart_keeps_the_switch_programmed(lab):
    s, d, api = lab.basic()
    net, c, want = _program(api, s)
    d.restart()
    api.wait_switch("sw1")
    api.wait_status(c["id"], "ACTIVE")
    on_switch(s, lambda snap: _exactly(snap, net, want, [H1_IP, H2_IP]))


def test_l2gwd_killed_changes_while_down(lab):
    """l2gwd crashes; the switch changes by hand meanwhile; after the
    restart the full pass repairs it."""
    s, d, api = lab.basic()
    net, c, want = _program(api, s)
    d.kill()
    for r in s.dump().ucast_remote(net["id"]):
        s.delete_row("Ucast_Macs_Remote", r["uuid"])
    s.unbind("sw1", "p1", 100)
    d.start()
    on_switch(s, lambda snap: _exactly(snap, net, want, [H1_IP, H2_IP]))


# -- liveness ------------------------------------------------------------------------

def test_silent_switch_dropped_and_reconnected(lab):
    """A switch that stops answering (SIGSTOP) is dropped after
    socket_timeout (our probes unanswered), then reconnected."""
    s, d, api = lab.basic(kind="tcp", ovsdb={"probe_interval": "1", "socket_timeout": "3"})
    net, c, want = _program(api, s)
    before = _reconnects(api.switch("sw1"))
    s.freeze()
    try:
        api.wait_switch("sw1", connected=False, timeout=WAIT + 5)
        api.wait_status(c["id"], "PENDING")
    finally:
        s.cont()
    api.wait_switch("sw1", connected=True, timeout=WAIT + 30)
    api.wait_status(c["id"], "ACTIVE", timeout=WAIT + 30)
    assert _reconnects(api.switch("sw1")) > before


def test_answers_the_servers_echo(lab):
    """ovsdb-server probes a TCP client after 5 s of silence and drops it
    5 s later if unanswered.  With our own probes far away, the session
    must survive 12 quiet seconds."""
    s, d, api = lab.basic(kind="tcp", ovsdb={"probe_interval": "60", "socket_timeout": "120"})
    before = _reconnects(api.switch("sw1"))
    time.sleep(12)       # the behaviour under test is idle time itself
    sw = api.switch("sw1")
    assert sw["connected"] is True and _reconnects(sw) == before, sw
    assert "inactivity probe" not in s.log_text(tail=None), s.log_text()


# -- passive mode ----------------------------------------------------------------------

def test_passive_mode(lab):
    port = free_port()
    d = lab.daemon([], ovsdb={"enable_manager": "True", "manager_table_listening_port": port})
    s = lab.server("db1", {"sw1": (SW_IP, ["p1", "p2"])}, managers=True)
    s.ctl("set-manager", "tcp:127.0.0.1:%d" % port)
    sw = d.api.wait_switch("sw1", ports=("p1",))
    assert "127.0.0.1" in sw["ovsdb_identifier"], sw
    _program(d.api, s)


def test_passive_mode_switch_reconnects(lab):
    port = free_port()
    d = lab.daemon([], ovsdb={"enable_manager": "True", "manager_table_listening_port": port})
    s = lab.server("db1", {"sw1": (SW_IP, ["p1"])}, managers=True)
    s.ctl("set-manager", "tcp:127.0.0.1:%d" % port)
    d.api.wait_switch("sw1")
    net, c, want = _program(d.api, s)
    s.kill()
    d.api.wait_status(c["id"], "PENDING")
    s.start()
    d.api.wait_status(c["id"], "ACTIVE", timeout=WAIT + 10)
    on_switch(s, lambda snap: _exactly(snap, net, want, [H1_IP, H2_IP]))


# -- TLS --------------------------------------------------------------------------------

@pytest.fixture
def pki(tmp_path):
    """CA 'good' signing the switch's and l2gwd's certificates; CA 'evil'
    signing a second pair."""
    dirpath = str(tmp_path / "pki")
    os.makedirs(dirpath)
    good = make_ca(dirpath, "goodca")
    evil = make_ca(dirpath, "evilca")
    return {
        "dir": dirpath, "good": good, "evil": evil,
        "server": make_cert(dirpath, "switch", good),
        "client": make_cert(dirpath, "l2gwd", good),
        "evil_server": make_cert(dirpath, "evilswitch", evil),
        "evil_client": make_cert(dirpath, "evill2gwd", evil),
    }


def _agent_files(pki, base, name, client, ca):
    """The per-switch files of l2gateway_agent.ini: <base>/<name>.key/.cert/.ca_cert."""
    os.makedirs(base, exist_ok=True)
    for src, ext in ((client[0], "key"), (client[1], "cert"), (ca, "ca_cert")):
        with open(src) as f, open(os.path.join(base, "%s.%s" % (name, ext)), "w") as g:
            g.write(f.read())
    return {"l2_gw_agent_priv_key_base_path": base, "l2_gw_agent_cert_base_path": base,
            "l2_gw_agent_ca_cert_base_path": base}


def _ssl_server(lab, pki, which="server", managers=False):
    key, cert = pki[which]
    ca = pki["good"][1] if which == "server" else pki["evil"][1]
    return lab.server("db1", {"sw1": (SW_IP, ["p1"])}, ssl={"key": key, "cert": cert, "ca": ca},
                      managers=managers)


def test_tls_active(lab, pki, tmp_path):
    s = _ssl_server(lab, pki)
    opts = _agent_files(pki, str(tmp_path / "agent"), "db1", pki["client"], pki["good"][1])
    d = lab.daemon([s], kind="ssl", ovsdb=opts)
    d.api.wait_switch("sw1")
    _program(d.api, s)


def test_tls_wrong_ca_refused(lab, pki, tmp_path):
    """The switch's certificate is not signed by the CA we trust: never
    connected, a clear log line, no plaintext fallback."""
    s = _ssl_server(lab, pki)
    opts = _agent_files(pki, str(tmp_path / "agent"), "db1", pki["client"], pki["evil"][1])
    d = lab.daemon([s], kind="ssl", ovsdb=opts)
    d.wait_log(r"(?i)db1.*(certificate|verif|tls|ssl)|(certificate|verif).*db1")
    assert d.api.switch("sw1") is None or d.api.switch("sw1")["connected"] is False
    assert d.alive()


def test_tls_our_certificate_refused_by_the_switch(lab, pki, tmp_path):
    s = _ssl_server(lab, pki)
    opts = _agent_files(pki, str(tmp_path / "agent"), "db1", pki["evil_client"], pki["good"][1])
    d = lab.daemon([s], kind="ssl", ovsdb=opts)
    d.wait_log(r"(?i)db1.*(certificate|verif|tls|ssl|handshake|alert)")
    assert d.api.switch("sw1") is None
    assert d.alive()


def test_tls_missing_file_is_a_clear_error(lab, pki, tmp_path):
    s = _ssl_server(lab, pki)
    base = str(tmp_path / "agent")
    opts = _agent_files(pki, base, "db1", pki["client"], pki["good"][1])
    os.unlink(os.path.join(base, "db1.cert"))
    d = lab.daemon([s], kind="ssl", ovsdb=opts, start=False)
    try:
        d.start()
    except vteplab.LabError:
        pass    # refusing to start is a clear error too
    log = d.log_text(tail=None)
    eventually(lambda: os.path.join(base, "db1.cert") in d.log_text(tail=None) or _no(log))
    if d.alive():
        assert d.api.switch("sw1") is None


def test_tls_passive_listener(lab, pki):
    port = free_port()
    d = lab.daemon([], ovsdb={
        "enable_manager": "True", "manager_table_listening_port": port,
        "listener_private_key": pki["client"][0], "listener_certificate": pki["client"][1],
        "listener_ca_cert": pki["good"][1]})
    s = _ssl_server(lab, pki, managers=True)
    s.ctl("set-manager", "ssl:127.0.0.1:%d" % port)
    d.api.wait_switch("sw1")
    _program(d.api, s)


def test_tls_passive_listener_verifies_client_certificate(lab, pki):
    port = free_port()
    d = lab.daemon([], ovsdb={
        "enable_manager": "True", "manager_table_listening_port": port,
        "listener_private_key": pki["client"][0], "listener_certificate": pki["client"][1],
        "listener_ca_cert": pki["good"][1]})
    s = lab.server("db1", {"sw1": (SW_IP, ["p1"])}, managers=True, ssl={
        "key": pki["evil_server"][0], "cert": pki["evil_server"][1], "ca": pki["good"][1]})
    s.ctl("set-manager", "ssl:127.0.0.1:%d" % port)
    d.wait_log(r"(?i)(certificate|verif|tls|ssl|handshake)")
    assert d.api.switch("sw1") is None


# -- schema ------------------------------------------------------------------------

def test_older_schema_without_ls_other_config(lab, tmp_path):
    """hardware_vtep 1.x without Logical_Switch.other_config: works, no
    owner mark (degrade per missing column)."""
    def edit(sc):
        sc["version"] = "1.3.0"
        del sc["tables"]["Logical_Switch"]["columns"]["other_config"]
    old = vteplab.modified_schema(str(tmp_path / "old.ovsschema"), edit)
    s = lab.server("db1", {"sw1": (SW_IP, ["p1"])}, schema=old)
    d = lab.daemon([s])
    d.api.wait_switch("sw1")
    net, c, want = _program(d.api, s)
    assert "other_config" not in s.dump().ls(net["id"])


def test_schema_2x_refused(lab, tmp_path):
    def edit(sc):
        sc["version"] = "2.0.0"
    new = vteplab.modified_schema(str(tmp_path / "v2.ovsschema"), edit)
    s = lab.server("db1", {"sw1": (SW_IP, ["p1"])}, schema=new)
    d = lab.daemon([s])
    d.wait_log(r"(?i)db1.*(2\.0\.0|version|schema)")
    assert d.api.switch("sw1") is None
    assert d.alive()


def test_not_a_vtep_database(lab, tmp_path):
    def edit(sc):
        sc["name"] = "not_vtep"
    other = vteplab.modified_schema(str(tmp_path / "other.ovsschema"), edit)
    s = lab.server("db1", schema=other)
    d = lab.daemon([s])
    d.wait_log(r"(?i)db1.*(hardware_vtep|schema|unknown database)")
    assert d.api.switches() == []
    assert d.alive()


# -- message size --------------------------------------------------------------------

def _many_local_macs(s, n, ls_name="learned-ls"):
    ls = s.add_ls(ls_name, tunnel_key=4242)
    ops = [{"op": "insert", "table": "Physical_Locator", "uuid-name": "loc",
            "row": {"encapsulation_type": "vxlan_over_ipv4", "dst_ip": SW_IP}}]
    for i in range(n):
        ops.append({"op": "insert", "table": "Ucast_Macs_Local", "row": {
            "MAC": mac(0x200000 + i), "logical_switch": ["uuid", ls],
            "locator": ["named-uuid", "loc"], "ipaddr": "10.%d.%d.%d" % (
                50 + i // 65000, (i // 250) % 250, 1 + i % 250)}})
    s.transact(*ops)
    return ls


def test_message_cap(lab):
    """A first monitor reply bigger than [ovsdb] max_message_bytes: the
    session is dropped with a log line, the daemon lives on."""
    s = lab.server("db1", {"sw1": (SW_IP, ["p1"])})
    _many_local_macs(s, 3000)
    d = lab.daemon([s], ovsdb={"max_message_bytes": "200000"})
    d.wait_log(r"(?i)db1.*(too (big|large|long)|max_message_bytes|limit|exceed)")
    assert d.alive()
    sw = d.api.switch("sw1")
    assert sw is None or sw["connected"] is False or d.api.learned_macs("limit=1") == [], sw


def test_big_first_monitor_reply(lab):
    """A switch with 20,000 learned MACs (a first monitor reply of several
    MB) is read whole with the default cap."""
    s = lab.server("db1", {"sw1": (SW_IP, ["p1"])})
    _many_local_macs(s, 20000)
    d = lab.daemon([s])
    d.api.wait_switch("sw1", timeout=3 * WAIT)
    eventually(lambda: len(d.api.list_all("l2-learned-macs", "l2_learned_macs")) == 20000
               or _no(), timeout=6 * WAIT, interval=1)


def _reconnects(sw):
    for k, v in sw.items():
        if "reconnect" in k and isinstance(v, int):
            return v
    raise AssertionError("no reconnect count in %r" % sw)


def _no(*what):
    raise AssertionError("not yet %r" % (what,))
