"""vteplab: a lab of real VTEP switch databases and l2gwd daemons for
black-box tests (tests/switch, and the harnesses of tests/api, tests/cli).

What is here:
  - OvsdbServer: one real `ovsdb-server` serving the hardware_vtep schema
    (/usr/share/openvswitch/vtep.ovsschema or a modified copy) from a
    temporary directory: unix socket always, TCP and/or SSL on 127.0.0.1 on
    request, the Manager table as a remote for passive mode.  Start, stop
    (SIGTERM), kill (SIGKILL), freeze (SIGSTOP/SIGCONT), restart keeping or
    wiping the database, online schema conversion.  Switches are made the
    way a hardware switch has them, with vtep-ctl (add-ps, add-port,
    tunnel_ips, faults); raw transactions go through `ovsdb-client transact`
    (errors raised, never ignored).
  - Snapshot: what a database holds (`ovsdb-client dump --format=json`),
    decoded with the schema (UUIDs as strings, sets as lists, maps as dicts,
    optional columns as None or the value) and helpers: logical switches,
    bindings per port, remote/local ucast rows with their locators, mcast
    rows with their locator sets, locators.
  - L2gwd: one l2gwd with a temporary INI file, SQLite store and state
    directory; started until "API listening on http://127.0.0.1:PORT";
    stopped with SIGTERM (exit 0 expected); its log is kept.
  - Client: a JSON REST client (http.client, keep-alive) with typed helpers
    for the inventory (networks, hosts, ports), gateways, connections and the
    switch-side resources (l2-switches, l2-learned-macs, l2-fdb-entries).
  - wait_until() / eventually(): polling helpers.  Convergence is
    asynchronous: poll the switch with a timeout, never sleep fixed times.
  - make_pki(): a CA and certificates made with the `openssl` CLI.

Standard library only (Debian's /usr/bin/python3 -m pytest).
"""

import errno
import http.client
import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid as uuidlib

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMA = "/usr/share/openvswitch/vtep.ovsschema"
DB_NAME = "hardware_vtep"
LISTEN_RE = re.compile(r"API listening on http://127\.0\.0\.1:(\d+)")
# How long convergence may take (seconds); a loaded 2-core machine needs
# some slack, a working daemon converges in milliseconds.
WAIT = float(os.environ.get("VTEPLAB_WAIT", "10"))
START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
TOOL_TIMEOUT = 60.0
FLOOD_MAC = "00:00:00:00:00:00"
UNKNOWN_DST = "unknown-dst"


# -- small helpers -------------------------------------------------------------

def have_tools():
    """True when ovsdb-server, ovsdb-tool, ovsdb-client, vtep-ctl and the
    schema are installed."""
    return all(shutil.which(t) for t in ("ovsdb-server", "ovsdb-tool", "ovsdb-client",
                                         "vtep-ctl")) and os.path.exists(SCHEMA)


def free_port():
    """A TCP port of 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port6():
    """A TCP port of ::1 that was free a moment ago."""
    with socket.socket(socket.AF_INET6) as s:
        s.bind(("::1", 0))
        return s.getsockname()[1]


_counter = itertools.count(1)


def unique(prefix="t"):
    """A name no other test uses."""
    return "%s-%d-%s" % (prefix, next(_counter), uuidlib.uuid4().hex[:6])


def wait_until(pred, timeout=None, what="condition", interval=0.02):
    """Calls pred() until it returns a true value, and returns that value;
    AssertionError after 'timeout' seconds (default WAIT)."""
    timeout = WAIT if timeout is None else timeout
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = pred()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.1f s waiting for %s (last: %r)"
                                 % (timeout, what, last))
        time.sleep(interval)


def eventually(check, timeout=None, interval=0.02):
    """Calls check() until it does not raise AssertionError; returns its
    result.  After 'timeout' seconds (default WAIT) the last AssertionError
    is raised, prefixed with how long we waited."""
    timeout = WAIT if timeout is None else timeout
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError as e:
            if time.monotonic() > deadline:
                raise AssertionError("still failing after %.1f s: %s" % (timeout, e)) from None
        time.sleep(interval)


def run_tool(args, check=True, timeout=TOOL_TIMEOUT, input=None):
    """Runs a command; returns CompletedProcess.  check: raise with stderr."""
    r = subprocess.run(args, capture_output=True, text=True, timeout=timeout, input=input)
    if check and r.returncode != 0:
        raise LabError("%s failed (%d): %s%s" % (" ".join(args), r.returncode, r.stderr,
                                                  r.stdout))
    return r


class LabError(Exception):
    pass


# -- the schema ----------------------------------------------------------------

_schemas = {}


def load_schema(path=SCHEMA):
    if path not in _schemas:
        with open(path) as f:
            _schemas[path] = json.load(f)
    return _schemas[path]


def _column_kind(ctype):
    """'map', 'set', 'optional' or 'atom' for an OVSDB column type."""
    if isinstance(ctype, str):
        return "atom"
    if "value" in ctype:
        return "map"
    lo = ctype.get("min", 1)
    hi = ctype.get("max", 1)
    if hi == "unlimited" or hi > 1:
        return "set"
    if lo == 0:
        return "optional"
    return "atom"


def _atom(v):
    if isinstance(v, list) and len(v) == 2 and v[0] in ("uuid", "named-uuid"):
        return v[1]
    return v


def decode_value(kind, v):
    """A JSON OVSDB value of a column of 'kind' as plain Python data."""
    if kind == "map":
        if isinstance(v, list) and v and v[0] == "map":
            return {_atom(k): _atom(x) for k, x in v[1]}
        return {}
    if isinstance(v, list) and v and v[0] == "set":
        elems = [_atom(x) for x in v[1]]
    else:
        elems = [_atom(v)]
    if kind == "set":
        return elems
    if kind == "optional":
        return elems[0] if elems else None
    return elems[0] if elems else None


# -- what a database holds -----------------------------------------------------

class Snapshot:
    """The content of one hardware_vtep database at one moment.

    tables: {table: {uuid: row}}; a row is {column: value} plus "_uuid"."""

    def __init__(self, tables):
        self.tables = tables

    @classmethod
    def from_dump(cls, text, schema_path=SCHEMA):
        schema = load_schema(schema_path)["tables"]
        tables = {t: {} for t in schema}
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            obj = json.loads(line)
            name = obj["caption"]
            if name.endswith(" table"):
                name = name[:-len(" table")]
            cols = schema.get(name, {}).get("columns", {})
            heads = obj["headings"]
            for data in obj["data"]:
                row = {}
                for h, v in zip(heads, data):
                    if h == "_uuid":
                        row[h] = _atom(v)
                    elif h in cols:
                        row[h] = decode_value(_column_kind(cols[h]["type"]), v)
                    else:
                        row[h] = v
                tables.setdefault(name, {})[row["_uuid"]] = row
        return cls(tables)

    def rows(self, table):
        return list(self.tables.get(table, {}).values())

    def row(self, table, uuid):
        return self.tables.get(table, {}).get(uuid)

    def count(self, table):
        return len(self.tables.get(table, {}))

    # Logical_Switch

    def logical_switches(self):
        return self.rows("Logical_Switch")

    def ls(self, name):
        """The Logical_Switch named 'name' (None if absent)."""
        for r in self.rows("Logical_Switch"):
            if r["name"] == name:
                return r
        return None

    def ls_name(self, uuid):
        r = self.row("Logical_Switch", uuid)
        return r["name"] if r else None

    # switches and ports

    def ps(self, name):
        for r in self.rows("Physical_Switch"):
            if r["name"] == name:
                return r
        return None

    def port(self, ps_name, port_name):
        ps = self.ps(ps_name)
        if ps is None:
            return None
        for u in ps["ports"]:
            p = self.row("Physical_Port", u)
            if p is not None and p["name"] == port_name:
                return p
        return None

    def bindings(self, ps_name, port_name):
        """{vlan: LS name} of a port ({} when the port is absent); an entry
        whose LS has no row maps to its UUID."""
        p = self.port(ps_name, port_name)
        if p is None:
            return {}
        return {int(v): (self.ls_name(u) or u) for v, u in p["vlan_bindings"].items()}

    def all_bindings(self):
        """[(ps, port, vlan, ls name)] of every binding of the database."""
        out = []
        for ps in self.rows("Physical_Switch"):
            for u in ps["ports"]:
                p = self.row("Physical_Port", u)
                if p is None:
                    continue
                for v, ls in p["vlan_bindings"].items():
                    out.append((ps["name"], p["name"], int(v), self.ls_name(ls) or ls))
        return out

    # locators

    def locator(self, uuid):
        r = self.row("Physical_Locator", uuid)
        if r is None:
            return None
        return {"uuid": uuid, "dst_ip": r["dst_ip"], "encap": r["encapsulation_type"],
                "tunnel_key": r.get("tunnel_key")}

    def locators(self):
        return [self.locator(u) for u in self.tables.get("Physical_Locator", {})]

    def locator_ips(self):
        return sorted(l["dst_ip"] for l in self.locators())

    # MAC tables

    def _ucast(self, table, ls):
        out = []
        for r in self.rows(table):
            name = self.ls_name(r["logical_switch"])
            if ls is not None and name != ls:
                continue
            loc = self.locator(r["locator"]) or {}
            out.append({"uuid": r["_uuid"], "mac": r["MAC"], "ipaddr": r["ipaddr"], "ls": name,
                        "ls_uuid": r["logical_switch"], "locator": r["locator"],
                        "dst_ip": loc.get("dst_ip"), "tunnel_key": loc.get("tunnel_key"),
                        "encap": loc.get("encap")})
        return out

    def ucast_remote(self, ls=None):
        """Ucast_Macs_Remote rows (of LS named 'ls' when given) as dicts:
        uuid, mac, ipaddr, ls, ls_uuid, locator, dst_ip, tunnel_key, encap."""
        return self._ucast("Ucast_Macs_Remote", ls)

    def ucast_local(self, ls=None):
        return self._ucast("Ucast_Macs_Local", ls)

    def _mcast(self, table, ls):
        out = []
        for r in self.rows(table):
            name = self.ls_name(r["logical_switch"])
            if ls is not None and name != ls:
                continue
            s = self.row("Physical_Locator_Set", r["locator_set"]) or {"locators": []}
            locs = [self.locator(u) or {"dst_ip": None} for u in s["locators"]]
            out.append({"uuid": r["_uuid"], "mac": r["MAC"], "ipaddr": r["ipaddr"], "ls": name,
                        "ls_uuid": r["logical_switch"], "set_uuid": r["locator_set"],
                        "dst_ips": sorted(l["dst_ip"] or "" for l in locs),
                        "locators": locs})
        return out

    def mcast_remote(self, ls=None):
        """Mcast_Macs_Remote rows as dicts: uuid, mac, ipaddr, ls, ls_uuid,
        set_uuid, dst_ips (sorted), locators."""
        return self._mcast("Mcast_Macs_Remote", ls)

    def mcast_local(self, ls=None):
        return self._mcast("Mcast_Macs_Local", ls)

    def macs(self, ls):
        """{mac: (ipaddr, dst_ip)} of the remote ucast rows of 'ls' (lower
        case MACs; duplicates collapse, use ucast_remote() to see them)."""
        return {r["mac"].lower(): (r["ipaddr"], r["dst_ip"]) for r in self.ucast_remote(ls)}


# -- ovsdb-server ------------------------------------------------------------------

class OvsdbServer:
    """One ovsdb-server with a hardware_vtep database in 'workdir'/'name'.

    tcp: also listen on ptcp:PORT:127.0.0.1 (self.tcp_port).
    ssl: a dict {"key", "cert", "ca"} of paths: also listen on
         pssl:PORT:127.0.0.1 (self.ssl_port) with those files.
    managers: add --remote=db:hardware_vtep,Global,managers (passive mode:
         the server connects to the targets set with vtep-ctl set-manager).
    schema: the schema file the database is created with."""

    def __init__(self, workdir, name="db1", tcp=False, ssl=None, managers=False,
                 schema=SCHEMA, tcp_host="127.0.0.1", trace=False):
        self.name = name
        self.dir = os.path.join(workdir, "ovsdb-" + name)
        os.makedirs(self.dir, exist_ok=True)
        # unix socket paths are limited to 108 bytes: keep it short
        self.sockdir = tempfile.mkdtemp(prefix="vl-")
        self.sock = os.path.join(self.sockdir, "db.sock")
        self.ctl_sock = os.path.join(self.sockdir, "ctl")
        self.db = os.path.join(self.dir, "vtep.db")
        self.pidfile = os.path.join(self.dir, "ovsdb-server.pid")
        self.logfile = os.path.join(self.dir, "ovsdb-server.log")
        self.schema = schema
        self.tcp_host = tcp_host
        self.tcp_port = (free_port6() if ":" in tcp_host else free_port()) if tcp else None
        self.ssl = ssl
        self.ssl_port = free_port() if ssl else None
        self.managers = managers
        self.trace = trace
        self.pid = None

    # process control

    def start(self):
        if not os.path.exists(self.db):
            run_tool(["ovsdb-tool", "create", self.db, self.schema])
        args = ["ovsdb-server", self.db, "--remote=punix:" + self.sock,
                "--unixctl=" + self.ctl_sock, "--pidfile=" + self.pidfile, "--detach",
                "--no-chdir", "--log-file=" + self.logfile]
        if self.tcp_port:
            host = "[%s]" % self.tcp_host if ":" in self.tcp_host else self.tcp_host
            args.append("--remote=ptcp:%d:%s" % (self.tcp_port, host))
        if self.ssl:
            args += ["--private-key=" + self.ssl["key"], "--certificate=" + self.ssl["cert"],
                     "--ca-cert=" + self.ssl["ca"],
                     "--remote=pssl:%d:127.0.0.1" % self.ssl_port]
        if self.managers:
            args.append("--remote=db:%s,Global,managers" % DB_NAME)
        if self.trace:
            args.append("-vjsonrpc:file:dbg")
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            r = run_tool(args, check=False)
            if r.returncode == 0:
                break
            # a port just released by a killed server may still be busy
            if time.monotonic() > deadline:
                raise LabError("ovsdb-server %s did not start: %s\n%s"
                               % (self.name, r.stderr, self.log_text()))
            time.sleep(0.1)
        with open(self.pidfile) as f:
            self.pid = int(f.read().strip())
        return self

    def running(self):
        if self.pid is None:
            return False
        try:
            os.kill(self.pid, 0)
        except OSError as e:
            return e.errno != errno.ESRCH
        # a zombie is not running (it is not our child: reaped by init)
        try:
            with open("/proc/%d/stat" % self.pid) as f:
                return f.read().split(")")[-1].split()[0] != "Z"
        except OSError:
            return False

    def _signal_and_wait(self, sig):
        if not self.running():
            self.pid = None
            return
        os.kill(self.pid, sig)
        deadline = time.monotonic() + STOP_TIMEOUT
        while self.running():
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
            time.sleep(0.01)
        self.pid = None
        for p in (self.sock, self.ctl_sock, self.pidfile):
            try:
                os.unlink(p)
            except OSError:
                pass

    def stop(self):
        """SIGTERM (a clean exit) and wait."""
        self.cont()
        self._signal_and_wait(signal.SIGTERM)

    def kill(self):
        """SIGKILL (a crash) and wait."""
        self._signal_and_wait(signal.SIGKILL)

    def freeze(self):
        """SIGSTOP: connections stay open, nothing is answered."""
        os.kill(self.pid, signal.SIGSTOP)

    def cont(self):
        if self.running():
            os.kill(self.pid, signal.SIGCONT)

    def restart(self, wipe=False, crash=True):
        """Kills (or stops) the server and starts it again on the same
        sockets and ports; 'wipe' starts from an empty database."""
        if crash:
            self.kill()
        else:
            self.stop()
        if wipe:
            os.unlink(self.db)
        return self.start()

    def destroy(self):
        self.kill()
        shutil.rmtree(self.sockdir, ignore_errors=True)

    def log_text(self, tail=6000):
        try:
            with open(self.logfile, errors="replace") as f:
                text = f.read()
        except OSError:
            return ""
        return text if tail is None else text[-tail:]

    def wire(self, peer_prefix="tcp:"):
        """What the server's jsonrpc debug log (trace=True) shows of the
        sessions whose name starts with 'peer_prefix' (l2gwd on TCP; the
        lab's own tools use the unix socket): a list of WireMsg in log
        order."""
        out = []
        try:
            with open(self.logfile, errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            return out
        for line in lines:
            m = _WIRE_RE.match(line)
            if not m or not m.group("peer").startswith(peer_prefix):
                continue
            msg = WireMsg(m.group("time"), m.group("peer"), m.group("dir"), m.group("kind"),
                          m.group("rest"))
            out.append(msg)
        return out

    def transactions(self, peer_prefix="tcp:"):
        """The transact requests l2gwd sent: a list of (WireMsg, ops)."""
        return [(w, w.params[1:]) for w in self.wire(peer_prefix)
                if w.dir == "received" and w.kind == "request" and w.method == "transact"]

    # how l2gwd reaches it

    @property
    def unix_target(self):
        return "unix:" + self.sock

    def hosts_entry(self, ident=None, kind="unix"):
        """An [ovsdb] ovsdb_hosts entry: kind unix, tcp, plain (name:ip:port
        as in l2gateway_agent.ini) or ssl."""
        ident = ident or self.name
        if kind == "unix":
            return "%s:unix:%s" % (ident, self.sock)
        host = "[%s]" % self.tcp_host if ":" in self.tcp_host else self.tcp_host
        if kind == "tcp":
            return "%s:tcp:%s:%d" % (ident, host, self.tcp_port)
        if kind == "plain":
            return "%s:%s:%d" % (ident, host, self.tcp_port)
        if kind == "ssl":
            return "%s:ssl:127.0.0.1:%d" % (ident, self.ssl_port)
        raise ValueError(kind)

    # tools

    def ctl(self, *args, check=True):
        """vtep-ctl on this database; returns stdout."""
        r = run_tool(["vtep-ctl", "--db=" + self.unix_target, "--timeout=20"]
                     + [str(a) for a in args], check=check)
        return r.stdout

    def transact(self, *ops, check=True):
        """One transaction of 'ops' (dicts), sent as JSON-RPC on the unix
        socket (any size; ovsdb-client takes it as one argv string, limited
        to 128 KiB); returns the results.  check: raise LabError when any
        operation failed."""
        body = json.dumps({"method": "transact", "params": [DB_NAME] + list(ops), "id": 1})
        reply = self._rpc(body.encode())
        if reply.get("error") is not None:
            raise LabError("transact: %r" % reply["error"])
        results = reply["result"]
        if check:
            for i, res in enumerate(results):
                if isinstance(res, dict) and "error" in res:
                    raise LabError("transaction failed at %d: %r (ops %s)"
                                   % (i, res, body[:2000]))
        return results

    def _rpc(self, data):
        """Sends one JSON-RPC request on a fresh unix connection and returns
        the reply with id 1 (answers the server's echo requests)."""
        dec = json.JSONDecoder()
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as so:
            so.settimeout(TOOL_TIMEOUT)
            so.connect(self.sock)
            so.sendall(data)
            buf = ""
            raw = b""
            while True:
                chunk = so.recv(1 << 20)
                if not chunk:
                    raise LabError("ovsdb-server closed the connection")
                raw += chunk
                try:
                    buf = raw.decode()
                except UnicodeDecodeError:
                    continue
                buf = buf.lstrip()
                while buf:
                    try:
                        msg, end = dec.raw_decode(buf)
                    except ValueError:
                        break
                    buf = buf[end:].lstrip()
                    raw = buf.encode()
                    if msg.get("method") == "echo":
                        so.sendall(json.dumps({"result": msg["params"], "error": None,
                                               "id": msg["id"]}).encode())
                    elif msg.get("id") == 1:
                        return msg

    def dump(self):
        """A Snapshot of the whole database."""
        r = run_tool(["ovsdb-client", "--timeout=20", "dump", "--format=json", self.unix_target,
                      DB_NAME])
        return Snapshot.from_dump(r.stdout, self.schema)

    def convert(self, schema_path):
        """Converts the live database to another schema (clients are
        disconnected or told so by the server)."""
        run_tool(["ovsdb-client", "--timeout=20", "convert", self.unix_target, schema_path])
        self.schema = schema_path

    # switches, made the way a hardware switch has them

    def add_switch(self, name, tunnel_ip="192.0.2.100", ports=("p1",), description=None):
        """A Physical_Switch with tunnel_ips and ports."""
        args = ["add-ps", name, "--", "set", "Physical_Switch", name]
        args.append("tunnel_ips=" + (tunnel_ip if tunnel_ip else "[]"))
        if description is not None:
            args.append("description=" + json.dumps(description))
        self.ctl(*args)
        for p in ports:
            self.ctl("add-port", name, p)
        return name

    def add_port(self, ps, port):
        self.ctl("add-port", ps, port)

    def del_port(self, ps, port):
        self.ctl("del-port", ps, port)

    def del_switch(self, ps):
        self.ctl("del-ps", ps)

    def set_switch_fault(self, ps, faults):
        """switch_fault_status = faults (a list; [] clears)."""
        self.ctl("set", "Physical_Switch", ps, "switch_fault_status=" + _ovs_list(faults))

    def set_port_fault(self, ps, port, faults):
        uuid = self.port_uuid(ps, port)
        self.ctl("set", "Physical_Port", uuid, "port_fault_status=" + _ovs_list(faults))

    def port_uuid(self, ps, port):
        p = self.dump().port(ps, port)
        if p is None:
            raise LabError("no port %s on %s" % (port, ps))
        return p["_uuid"]

    def ls_uuid(self, name):
        ls = self.dump().ls(name)
        if ls is None:
            raise LabError("no Logical_Switch %s" % name)
        return ls["_uuid"]

    def add_ls(self, name, tunnel_key=None, other_config=None, description=None):
        """A Logical_Switch written by someone else (vtep-ctl add-ls)."""
        args = ["add-ls", name]
        sets = []
        if tunnel_key is not None:
            sets.append("tunnel_key=%d" % tunnel_key)
        for k, v in (other_config or {}).items():
            sets.append("other_config:%s=%s" % (k, json.dumps(v)))
        if description is not None:
            sets.append("description=" + json.dumps(description))
        if sets:
            args += ["--", "set", "Logical_Switch", name] + sets
        self.ctl(*args)
        return self.ls_uuid(name)

    def bind(self, ps, port, vlan, ls):
        """vtep-ctl bind-ls (refuses a VLAN that is already bound)."""
        self.ctl("bind-ls", ps, port, vlan, ls)

    def rebind(self, ps, port, vlan, ls):
        """Points (port, vlan) at LS named 'ls' whatever it pointed at: one
        transaction that deletes the key and inserts it again."""
        port_uuid = self.port_uuid(ps, port)
        ls_uuid = self.ls_uuid(ls)
        where = [["_uuid", "==", ["uuid", port_uuid]]]
        self.transact(
            {"op": "mutate", "table": "Physical_Port", "where": where,
             "mutations": [["vlan_bindings", "delete", ["set", [int(vlan)]]]]},
            {"op": "mutate", "table": "Physical_Port", "where": where,
             "mutations": [["vlan_bindings", "insert",
                            ["map", [[int(vlan), ["uuid", ls_uuid]]]]]]})

    def unbind(self, ps, port, vlan):
        self.ctl("unbind-ls", ps, port, vlan)

    def add_ucast_local(self, ls, mac, locator_ip, ipaddr=None):
        """A MAC the switch learned (Ucast_Macs_Local), by hand."""
        ls_uuid = self.ls_uuid(ls)
        return self.insert_mac("Ucast_Macs_Local", ls_uuid, mac, locator_ip, ipaddr or "")

    def del_ucast_local(self, ls, mac):
        """Deletes the Ucast_Macs_Local rows of LS 'ls' whose MAC is 'mac'
        in any letter case (vtep-ctl compares case-sensitively)."""
        snap = self.dump()
        rows = [r for r in snap.ucast_local(ls) if r["mac"].lower() == mac.lower()]
        if not rows:
            raise LabError("no Ucast_Macs_Local %s in %s" % (mac, ls))
        for r in rows:
            self.delete_row("Ucast_Macs_Local", r["uuid"])

    def insert_mac(self, table, ls_uuid, mac, locator_ip, ipaddr="", tunnel_key=None):
        """Inserts a ucast row into 'table' pointing at a locator for
        'locator_ip' (reused when it exists, else inserted in the same
        transaction).  Returns the new row's UUID."""
        snap = self.dump()
        loc = None
        for l in snap.locators():
            if l["dst_ip"] == locator_ip and l["tunnel_key"] == tunnel_key \
                    and l["encap"] == "vxlan_over_ipv4":
                loc = ["uuid", l["uuid"]]
        ops = []
        if loc is None:
            row = {"encapsulation_type": "vxlan_over_ipv4", "dst_ip": locator_ip}
            if tunnel_key is not None:
                row["tunnel_key"] = tunnel_key
            ops.append({"op": "insert", "table": "Physical_Locator", "row": row,
                        "uuid-name": "loc"})
            loc = ["named-uuid", "loc"]
        ops.append({"op": "insert", "table": table,
                    "row": {"MAC": mac, "logical_switch": ["uuid", ls_uuid], "locator": loc,
                            "ipaddr": ipaddr}})
        res = self.transact(*ops)
        return res[-1]["uuid"][1]

    def insert_mcast(self, table, ls_uuid, mac, locator_ips):
        """An Mcast_Macs_* row with a new locator set of 'locator_ips'."""
        snap = self.dump()
        ops, refs = [], []
        for i, ip in enumerate(locator_ips):
            found = [l for l in snap.locators() if l["dst_ip"] == ip and l["tunnel_key"] is None]
            if found:
                refs.append(["uuid", found[0]["uuid"]])
            else:
                ops.append({"op": "insert", "table": "Physical_Locator",
                            "row": {"encapsulation_type": "vxlan_over_ipv4", "dst_ip": ip},
                            "uuid-name": "loc%d" % i})
                refs.append(["named-uuid", "loc%d" % i])
        ops.append({"op": "insert", "table": "Physical_Locator_Set",
                    "row": {"locators": ["set", refs]}, "uuid-name": "ls"})
        ops.append({"op": "insert", "table": table,
                    "row": {"MAC": mac, "logical_switch": ["uuid", ls_uuid],
                            "locator_set": ["named-uuid", "ls"]}})
        return self.transact(*ops)[-1]["uuid"][1]

    def delete_row(self, table, uuid):
        self.transact({"op": "delete", "table": table, "where": [["_uuid", "==", ["uuid", uuid]]]})

    def update_row(self, table, uuid, row):
        self.transact({"op": "update", "table": table,
                       "where": [["_uuid", "==", ["uuid", uuid]]], "row": row})


_WIRE_RE = re.compile(r"^(?P<time>\S+)\|\d+\|jsonrpc\|DBG\|(?P<peer>\S+): "
                      r"(?P<dir>received|send) (?P<kind>request|reply|notification|error), "
                      r"(?P<rest>.*)$")


class WireMsg:
    """One JSON-RPC message as ovsdb-server logged it: time (text), peer,
    dir ("received"/"send"), kind, method, params, result, id."""

    def __init__(self, when, peer, direction, kind, rest):
        self.time = when
        self.peer = peer
        self.dir = direction
        self.kind = kind
        self.method = None
        self.params = None
        self.result = None
        self.id = None
        dec = json.JSONDecoder()
        pos = 0
        while pos < len(rest):
            m = re.compile(r"\s*(\w+)=").match(rest, pos)
            if not m:
                break
            key = m.group(1)
            try:
                val, pos = dec.raw_decode(rest, m.end())
            except ValueError:
                break
            setattr(self, key if key in ("method", "params", "result", "id") else "_" + key, val)
            if rest.startswith(",", pos):
                pos += 1

    def __repr__(self):
        return "<%s %s %s %s %s id=%r>" % (self.time, self.peer, self.dir, self.kind,
                                          self.method or "", self.id)


def _ovs_list(items):
    """A vtep-ctl set value for a set of strings."""
    if not items:
        return "[]"
    return "[" + ",".join(json.dumps(i) for i in items) + "]"


def modified_schema(path, edit):
    """Writes a copy of the vtep schema changed by edit(schema_dict) to
    'path'; returns the path."""
    with open(SCHEMA) as f:
        schema = json.load(f)
    edit(schema)
    with open(path, "w") as f:
        json.dump(schema, f, indent=1)
    return path


# -- TLS material ----------------------------------------------------------------------

def make_ca(dirpath, name="ca"):
    """A self-signed CA: returns (key, cert) paths."""
    key = os.path.join(dirpath, name + ".key")
    cert = os.path.join(dirpath, name + ".pem")
    run_tool(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
              "-subj", "/CN=%s" % name, "-keyout", key, "-out", cert,
              "-addext", "basicConstraints=critical,CA:TRUE",
              "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    return key, cert


def make_cert(dirpath, name, ca, ip="127.0.0.1"):
    """A key and a certificate for 'name' signed by 'ca' (key, cert), with
    IP and DNS subjectAltNames: returns (key, cert) paths."""
    key = os.path.join(dirpath, name + ".key")
    csr = os.path.join(dirpath, name + ".csr")
    cert = os.path.join(dirpath, name + ".pem")
    ext = os.path.join(dirpath, name + ".ext")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:%s,DNS:localhost,DNS:%s\n" % (ip, name))
        f.write("basicConstraints=CA:FALSE\n")
        f.write("extendedKeyUsage=serverAuth,clientAuth\n")
    run_tool(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=%s" % name,
              "-keyout", key, "-out", csr])
    run_tool(["openssl", "x509", "-req", "-in", csr, "-CA", ca[1], "-CAkey", ca[0],
              "-CAcreateserial", "-days", "2", "-out", cert, "-extfile", ext])
    return key, cert


# -- l2gwd -----------------------------------------------------------------------------

def daemon_path():
    """The l2gwd under test: $L2GWD or <repo>/build/src/daemon/l2gwd."""
    return os.environ.get("L2GWD") or os.path.join(REPO, "build", "src", "daemon", "l2gwd")


class L2gwd:
    """One l2gwd with its own directory, INI file and SQLite store.

    ovsdb_hosts: a list of ovsdb_hosts entries (OvsdbServer.hosts_entry()).
    ovsdb: more [ovsdb] options.  config: {section: {option: value}}
    merged last."""

    def __init__(self, workdir, ovsdb_hosts=(), ovsdb=None, config=None, name="l2gwd"):
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.config_path = os.path.join(self.dir, "l2gwd.ini")
        self.log_path = os.path.join(self.dir, "l2gwd.log")
        self.proc = None
        self.port = None
        self.starts = 0
        self._log_offset = 0
        sections = {
            "DEFAULT": {"bind_host": "127.0.0.1", "bind_port": "0", "state_path": self.dir},
            "database": {"connection": "sqlite:///%s/l2gw.db" % self.dir},
            "ovsdb": {},
        }
        if ovsdb_hosts:
            sections["ovsdb"]["ovsdb_hosts"] = ",".join(ovsdb_hosts)
        sections["ovsdb"].update(ovsdb or {})
        for sec, opts in (config or {}).items():
            sections.setdefault(sec, {}).update(opts)
        self.sections = sections
        self.write_config()

    def write_config(self):
        with open(self.config_path, "w") as f:
            for sec, opts in self.sections.items():
                if not opts and sec != "DEFAULT":
                    continue
                f.write("[%s]\n" % sec)
                for k, v in opts.items():
                    f.write("%s = %s\n" % (k, v))
                f.write("\n")

    def start(self):
        binary = daemon_path()
        if not os.access(binary, os.X_OK):
            raise LabError("l2gwd binary not found: %s (set L2GWD)" % binary)
        self.starts += 1
        with open(self.log_path, "a") as log:
            log.write("==== start #%d ====\n" % self.starts)
            log.flush()
            offset = log.tell()
            self._log_offset = offset
            self.proc = subprocess.Popen([binary, "--config-file", self.config_path],
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         cwd=self.dir)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            m = LISTEN_RE.search(self.log_text(since=offset, tail=None))
            if m:
                self.port = int(m.group(1))
                return self
            if self.proc.poll() is not None:
                raise LabError("l2gwd exited with %s before listening:\n%s"
                               % (self.proc.returncode, self.log_text(since=offset)))
            if time.monotonic() > deadline:
                self.proc.kill()
                self.proc.wait()
                raise LabError("l2gwd did not print 'API listening on' in %.0f s:\n%s"
                               % (START_TIMEOUT, self.log_text(since=offset)))
            time.sleep(0.01)

    def stop(self):
        """SIGTERM; returns the exit status (None when it was not running)."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise LabError("l2gwd did not exit within %.0f s of SIGTERM" % STOP_TIMEOUT)

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def restart(self):
        rc = self.stop()
        assert rc in (0, None), "l2gwd exited with %r on SIGTERM" % rc
        return self.start()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_text(self, since=0, tail=20000):
        try:
            with open(self.log_path, errors="replace") as f:
                f.seek(since)
                text = f.read()
        except OSError:
            return ""
        return text if tail is None else text[-tail:]

    def log_since_start(self):
        return self.log_text(since=self._log_offset, tail=None)

    def wait_log(self, pattern, timeout=None, since=None):
        """Waits until the log (since the last start, or offset 'since')
        matches the regex 'pattern'; returns the match."""
        rx = re.compile(pattern)
        off = self._log_offset if since is None else since
        return wait_until(lambda: rx.search(self.log_text(since=off, tail=None)), timeout,
                          "log line /%s/ of l2gwd" % pattern)

    def log_size(self):
        try:
            return os.path.getsize(self.log_path)
        except OSError:
            return 0

    def client(self):
        return Client(self)

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port


# -- REST ------------------------------------------------------------------------------

class Response:
    def __init__(self, status, body, method, path):
        self.status = status
        self.body = body
        self.method = method
        self.path = path

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError:
            raise AssertionError("%s %s: not JSON: %r" % (self.method, self.path, self.body[:400]))

    def error_type(self):
        try:
            return self.json()["NeutronError"]["type"]
        except (AssertionError, KeyError, TypeError):
            return None

    def error_message(self):
        try:
            return self.json()["NeutronError"]["message"]
        except (AssertionError, KeyError, TypeError):
            return None

    def __repr__(self):
        return "<%s %s → %d %s>" % (self.method, self.path, self.status, self.body[:800])


class Client:
    """JSON REST client of one l2gwd (noauth admin), one keep-alive
    connection, reopened when the server closed it or restarted."""

    def __init__(self, daemon):
        self.daemon = daemon
        self.http = None

    def close(self):
        if self.http is not None:
            self.http.close()
            self.http = None

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        hdrs = {"Accept": "application/json", "X-Project-Id": "admin", "X-Roles": "admin"}
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        for attempt in (0, 1):
            if self.http is None or self.http.port != self.daemon.port:
                self.close()
                self.http = http.client.HTTPConnection("127.0.0.1", self.daemon.port, timeout=30)
            try:
                self.http.request(method, path, body=data, headers=hdrs)
                resp = self.http.getresponse()
                payload = resp.read()
            except (http.client.HTTPException, ConnectionError, BrokenPipeError):
                self.close()
                if attempt:
                    raise
                continue
            if resp.will_close:
                self.close()
            return Response(resp.status, payload, method, path)

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, body):
        return self.request("POST", path, body)

    def put(self, path, body):
        return self.request("PUT", path, body)

    def delete(self, path):
        return self.request("DELETE", path)

    # -- generic -----------------------------------------------------------

    @staticmethod
    def expect(resp, status):
        assert resp.status == status, "expected %d, got %r" % (status, resp)
        return resp.json() if resp.body else None

    def create(self, coll, member, attrs):
        return self.expect(self.post("/v2.0/" + coll, {member: attrs}), 201)[member]

    def show(self, coll, member, oid):
        return self.expect(self.get("/v2.0/%s/%s" % (coll, oid)), 200)[member]

    def update(self, coll, member, oid, attrs):
        return self.expect(self.put("/v2.0/%s/%s" % (coll, oid), {member: attrs}), 200)[member]

    def remove(self, coll, oid):
        self.expect(self.delete("/v2.0/%s/%s" % (coll, oid)), 204)

    def list(self, coll, key, query=""):
        return self.expect(self.get("/v2.0/%s%s" % (coll, "?" + query if query else "")),
                           200)[key]

    def list_all(self, coll, key, query=""):
        """Every member of a collection, following the "next" links of a
        paged list (page size 'limit' in 'query', default 1000)."""
        import urllib.parse
        q = query if "limit=" in query else ("limit=1000&" + query if query else "limit=1000")
        path = "/v2.0/%s?%s" % (coll, q)
        out = []
        while path:
            body = self.expect(self.get(path), 200)
            out += body[key]
            path = None
            for link in body.get(key + "_links", []):
                if link.get("rel") == "next":
                    parts = urllib.parse.urlsplit(link["href"])
                    path = parts.path + ("?" + parts.query if parts.query else "")
            if not body[key]:
                break
        return out

    # -- inventory -------------------------------------------------------------

    def network(self, vni=None, name=None):
        attrs = {"name": name or unique("net"), "provider:network_type": "vxlan"}
        if vni is not None:
            attrs["provider:segmentation_id"] = vni
        return self.create("networks", "network", attrs)

    def host(self, tunnel_ip=None, name=None):
        attrs = {"name": name or unique("host")}
        if tunnel_ip is not None:
            attrs["tunnel_ip"] = tunnel_ip
        return self.create("hosts", "host", attrs)

    def port(self, network_id, mac=None, host=None, ips=(), pairs=(), **extra):
        """A port; 'ips' fixed IPs, 'pairs' [(ip, mac or None)], 'host' the
        binding:host_id (a host name)."""
        attrs = {"network_id": network_id, "name": unique("port")}
        if mac is not None:
            attrs["mac_address"] = mac
        if host is not None:
            attrs["binding:host_id"] = host
        if ips:
            attrs["fixed_ips"] = [{"ip_address": ip} for ip in ips]
        if pairs:
            attrs["allowed_address_pairs"] = [
                dict({"ip_address": ip}, **({"mac_address": m} if m else {})) for ip, m in pairs]
        attrs.update(extra)
        return self.create("ports", "port", attrs)

    def update_port(self, pid, **attrs):
        return self.update("ports", "port", pid, attrs)

    def update_host(self, hid, **attrs):
        return self.update("hosts", "host", hid, attrs)

    def update_network(self, nid, **attrs):
        return self.update("networks", "network", nid, attrs)

    # -- gateways and connections ---------------------------------------------

    def gateway(self, devices, name=None):
        """devices: [(device_name, [interface, ...])] where an interface is a
        name or (name, [vlans])."""
        devs = []
        for dev, ifaces in devices:
            out = []
            for i in ifaces:
                if isinstance(i, str):
                    out.append({"name": i})
                else:
                    out.append({"name": i[0], "segmentation_id": [str(v) for v in i[1]]})
            devs.append({"device_name": dev, "interfaces": out})
        return self.create("l2-gateways", "l2_gateway", {"name": name or unique("gw"),
                                                         "devices": devs})

    def post_connection(self, gw_id, net_id, seg=None):
        attrs = {"l2_gateway_id": gw_id, "network_id": net_id}
        if seg is not None:
            attrs["segmentation_id"] = seg
        return self.post("/v2.0/l2-gateway-connections", {"l2_gateway_connection": attrs})

    def connection(self, gw_id, net_id, seg=None):
        return self.expect(self.post_connection(gw_id, net_id, seg), 201)["l2_gateway_connection"]

    def conn(self, cid):
        return self.show("l2-gateway-connections", "l2_gateway_connection", cid)

    def delete_connection(self, cid):
        self.remove("l2-gateway-connections", cid)

    def wait_status(self, cid, status, timeout=None, reason=None):
        """Waits until connection 'cid' has 'status' (and, when given, a
        status_reason containing every string of 'reason', case-insensitive);
        returns the connection."""
        want = [reason] if isinstance(reason, str) else list(reason or [])

        def check():
            c = self.conn(cid)
            assert c["status"] == status, "status %r (reason %r), want %s" % (
                c["status"], c.get("status_reason"), status)
            for part in want:
                assert part.lower() in (c.get("status_reason") or "").lower(), \
                    "status_reason %r lacks %r" % (c.get("status_reason"), part)
            return c
        return eventually(check, timeout)

    # -- what came back from the switches -----------------------------------

    def switches(self, query=""):
        return self.list("l2-switches", "l2_switches", query)

    def switch(self, name, ident=None):
        """The registry entry of switch 'name' (of database 'ident'), or None."""
        for s in self.switches():
            if s.get("name") == name and (ident is None or s.get("ovsdb_identifier") == ident):
                return s
        return None

    def wait_switch(self, name, ident=None, connected=True, ports=(), timeout=None):
        """Waits until the registry lists switch 'name' with 'connected' and
        every port of 'ports'; returns its entry."""
        def check():
            s = self.switch(name, ident)
            assert s is not None, "switch %s not in registry: %r" % (name, self.switches())
            assert s.get("connected") is connected, "switch %s connected=%r" % (
                name, s.get("connected"))
            names = {p.get("name") for p in s.get("ports") or []}
            for p in ports:
                assert p in names, "port %s of %s not in registry: %r" % (p, name, s)
            return s
        return eventually(check, timeout)

    def learned_macs(self, query=""):
        return self.list("l2-learned-macs", "l2_learned_macs", query)

    def fdb(self, query=""):
        """The whole list response of /v2.0/l2-fdb-entries."""
        return self.expect(self.get("/v2.0/l2-fdb-entries" + ("?" + query if query else "")),
                           200)
