"""A small lab for the switch manager's integration tests (test_switch_*.py).

What is here:
  - VtepDb: a real ovsdb-server serving the hardware_vtep schema from a
    temporary directory (unix socket, optionally ptcp on 127.0.0.1), with
    vtep-ctl and "transact" helpers to build switches and read back rows.
  - L2gwd: l2gwd (binary from $L2GWD, default build/src/daemon/l2gwd) with a
    temporary INI file ([ovsdb] ovsdb_hosts pointing at the lab's
    databases), started until "API listening on http://127.0.0.1:PORT", a
    JSON REST client, and "l2gwd ctl".
  - wait_until(): polls a condition (the tests assert what the switch
    holds, which changes asynchronously).

Standard library only (Debian's /usr/bin/python3 -m pytest).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMA = "/usr/share/openvswitch/vtep.ovsschema"
LISTEN_RE = re.compile(r"API listening on http://127\.0\.0\.1:(\d+)")
START_TIMEOUT = 10.0
DEFAULT_WAIT = 10.0


def daemon_path():
    return os.environ.get("L2GWD") or os.path.join(REPO, "build", "src", "daemon", "l2gwd")


def have_tools():
    return all(shutil.which(t) for t in ("ovsdb-server", "ovsdb-tool", "vtep-ctl",
                                         "ovsdb-client")) and os.path.exists(SCHEMA)


def wait_until(cond, timeout=DEFAULT_WAIT, what="condition", interval=0.02):
    """Calls cond() until it returns something true; returns that value."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = cond()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError("timed out after %.1f s waiting for %s (last: %r)"
                         % (timeout, what, last))


def uuid_of(value):
    """The UUID of an OVSDB ["uuid", U] value."""
    return value[1] if isinstance(value, list) and value[0] == "uuid" else None


def ovs_set(value):
    """The elements of an OVSDB set value (an atom is a set of one)."""
    if isinstance(value, list) and value and value[0] == "set":
        return value[1]
    return [value]


def ovs_map(value):
    """An OVSDB map value as a list of (key, value) pairs."""
    if isinstance(value, list) and value and value[0] == "map":
        return [tuple(p) for p in value[1]]
    return []


class VtepDb:
    """One ovsdb-server with a hardware_vtep database."""

    def __init__(self, root, name, tcp=False, sync_from=None):
        self.name = name
        self.sync_from = sync_from  # another VtepDb: run as its read-only backup
        self.managers = False       # connect to Global.managers (passive l2gwd)
        self.dir = os.path.join(root, name)
        os.makedirs(self.dir, exist_ok=True)
        self.db = os.path.join(self.dir, "vtep.db")
        self.sock = os.path.join(self.dir, "db.sock")
        self.pidfile = os.path.join(self.dir, "pid")
        self.tcp = tcp
        self.port = None
        self.create()

    def create(self):
        if os.path.exists(self.db):
            os.unlink(self.db)
        subprocess.run(["ovsdb-tool", "create", self.db, SCHEMA], check=True)

    @property
    def remote(self):
        return "unix:" + self.sock

    def start(self):
        args = ["ovsdb-server", "--remote=punix:" + self.sock,
                "--unixctl=" + os.path.join(self.dir, "ctl"),
                "--pidfile=" + self.pidfile, "--detach", "--no-chdir",
                "--log-file=" + os.path.join(self.dir, "ovsdb-server.log")]
        if self.managers:
            args.append("--remote=db:hardware_vtep,Global,managers")
        if self.sync_from:
            args.append("--sync-from=" + self.sync_from.remote)
        if self.tcp:
            self.port = self.port or self._free_port()
            args.append("--remote=ptcp:%d:127.0.0.1" % self.port)
        subprocess.run(args + [self.db], check=True)
        wait_until(lambda: os.path.exists(self.sock), 5, "ovsdb-server socket")
        return self

    @staticmethod
    def _free_port():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def appctl(self, *args):
        return subprocess.run(["ovs-appctl", "-t", os.path.join(self.dir, "ctl")]
                              + list(args), capture_output=True, text=True,
                              timeout=10).stdout

    def pid(self):
        try:
            with open(self.pidfile) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def stop(self):
        """Kills ovsdb-server (SIGKILL: a crash) and waits for it to go."""
        pid = self.pid()
        if not pid:
            return
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        wait_until(lambda: not os.path.exists("/proc/%d" % pid)
                   or open("/proc/%d/stat" % pid).read().split()[2] == "Z",
                   5, "ovsdb-server exit")
        for path in (self.pidfile, self.sock):
            if os.path.exists(path):
                os.unlink(path)

    # -- reading and writing --------------------------------------------

    def vtepctl(self, *args):
        r = subprocess.run(["vtep-ctl", "--db=" + self.remote] + list(args),
                           capture_output=True, text=True, timeout=10)
        if r.returncode:
            raise AssertionError("vtep-ctl %s failed: %s" % (" ".join(args), r.stderr))
        return r.stdout

    def transact(self, *ops):
        r = subprocess.run(["ovsdb-client", "transact", self.remote,
                            json.dumps(["hardware_vtep"] + list(ops))],
                           capture_output=True, text=True, timeout=10)
        if r.returncode:
            raise AssertionError("ovsdb-client transact failed: %s" % r.stderr)
        return json.loads(r.stdout)

    def rows(self, table):
        """Every row of 'table' as a dict of column → OVSDB value."""
        return self.transact({"op": "select", "table": table, "where": []})[0]["rows"]

    def add_switch(self, name, tunnel_ip, ports=()):
        self.vtepctl("add-ps", name, "--", "set", "Physical_Switch", name,
                     "tunnel_ips=" + tunnel_ip)
        for p in ports:
            self.vtepctl("add-port", name, p)

    def logical_switches(self):
        """name → row."""
        return {r["name"]: r for r in self.rows("Logical_Switch")}

    def ls_uuid(self, name):
        row = self.logical_switches().get(name)
        return uuid_of(row["_uuid"]) if row else None

    def bindings(self, port):
        """VLAN → LS name of Physical_Port 'port'."""
        names = {uuid_of(r["_uuid"]): r["name"] for r in self.rows("Logical_Switch")}
        for r in self.rows("Physical_Port"):
            if r["name"] == port:
                return {k: names.get(uuid_of(v), uuid_of(v))
                        for k, v in ovs_map(r["vlan_bindings"])}
        return None

    def locators(self):
        """locator uuid → dst_ip."""
        return {uuid_of(r["_uuid"]): r["dst_ip"] for r in self.rows("Physical_Locator")}

    def ucast_remote(self, ls_name=None):
        """[(MAC, ipaddr, dst_ip, LS name)] of Ucast_Macs_Remote, sorted."""
        names = {uuid_of(r["_uuid"]): r["name"] for r in self.rows("Logical_Switch")}
        locs = self.locators()
        out = []
        for r in self.rows("Ucast_Macs_Remote"):
            ls = names.get(uuid_of(r["logical_switch"]))
            if ls_name is None or ls == ls_name:
                out.append((r["MAC"], r["ipaddr"], locs.get(uuid_of(r["locator"])), ls))
        return sorted(out)

    def mcast_remote(self, ls_name=None):
        """[(MAC, sorted dst_ips, LS name)] of Mcast_Macs_Remote."""
        names = {uuid_of(r["_uuid"]): r["name"] for r in self.rows("Logical_Switch")}
        locs = self.locators()
        sets = {uuid_of(r["_uuid"]): sorted(locs.get(uuid_of(l)) for l in ovs_set(r["locators"]))
                for r in self.rows("Physical_Locator_Set")}
        out = []
        for r in self.rows("Mcast_Macs_Remote"):
            ls = names.get(uuid_of(r["logical_switch"]))
            if ls_name is None or ls == ls_name:
                out.append((r["MAC"], sets.get(uuid_of(r["locator_set"])), ls))
        return sorted(out)


class L2gwd:
    """One l2gwd with its own directory, database and INI file."""

    def __init__(self, root, ovsdb_hosts="", extra=None):
        self.dir = os.path.join(root, "l2gwd")
        os.makedirs(self.dir, exist_ok=True)
        self.ini = os.path.join(self.dir, "l2gwd.ini")
        self.log = os.path.join(self.dir, "stderr.log")
        self.proc = None
        self.port = None
        sections = {
            "DEFAULT": {"bind_host": "127.0.0.1", "bind_port": "0",
                        "state_path": self.dir, "debug": "true"},
            "database": {"connection": "sqlite:///%s/l2gw.db" % self.dir},
            "ovsdb": {"ovsdb_hosts": ovsdb_hosts, "probe_interval": "5"},
        }
        for section, options in (extra or {}).items():
            sections.setdefault(section, {}).update(options)
        with open(self.ini, "w") as f:
            for section, options in sections.items():
                f.write("[%s]\n" % section)
                for k, v in options.items():
                    f.write("%s = %s\n" % (k, v))

    def start(self):
        binary = daemon_path()
        if not os.access(binary, os.X_OK):
            raise AssertionError("l2gwd not found: %s (set L2GWD)" % binary)
        with open(self.log, "a") as err:
            offset = err.tell()
            self.proc = subprocess.Popen([binary, "--config-file", self.ini],
                                         stdin=subprocess.DEVNULL, stdout=err,
                                         stderr=err, cwd=self.dir)

        def listening():
            m = LISTEN_RE.search(self.stderr(offset))
            if self.proc.poll() is not None:
                raise AssertionError("l2gwd exited (%s):\n%s"
                                     % (self.proc.returncode, self.stderr(offset)))
            return m
        self.port = int(wait_until(listening, START_TIMEOUT, "l2gwd to listen").group(1))
        return self

    def stderr(self, offset=0):
        with open(self.log) as f:
            f.seek(offset)
            return f.read()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("l2gwd did not stop on SIGTERM")
        return self.proc.returncode if self.proc else None

    # -- REST -------------------------------------------------------------

    def api(self, method, path, body=None, expect=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path),
                                     data=data, method=method)
        req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                status, text = r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode()
        doc = json.loads(text) if text else None
        if expect is not None and status != expect:
            raise AssertionError("%s %s → %d (expected %d): %s"
                                 % (method, path, status, expect, text))
        return status, doc

    def post(self, collection, member, attrs):
        return self.api("POST", "/v2.0/" + collection, {member: attrs}, 201)[1][member]

    def network(self, name, vni):
        return self.post("networks", "network",
                         {"name": name, "provider:network_type": "vxlan",
                          "provider:segmentation_id": vni})

    def host(self, name, tunnel_ip):
        return self.post("hosts", "host", {"name": name, "tunnel_ip": tunnel_ip})

    def port_(self, network_id, mac, host="", fixed_ips=None, pairs=None):
        attrs = {"network_id": network_id, "mac_address": mac,
                 "binding:host_id": host}
        if fixed_ips:
            attrs["fixed_ips"] = [{"ip_address": ip} for ip in fixed_ips]
        if pairs:
            attrs["allowed_address_pairs"] = pairs
        return self.post("ports", "port", attrs)

    def gateway(self, devices, name="gw"):
        return self.post("l2-gateways", "l2_gateway", {"name": name, "devices": devices})

    def connection(self, gw_id, net_id, seg=None, expect=201):
        attrs = {"l2_gateway_id": gw_id, "network_id": net_id}
        if seg is not None:
            attrs["segmentation_id"] = seg
        status, doc = self.api("POST", "/v2.0/l2-gateway-connections",
                               {"l2_gateway_connection": attrs}, expect)
        return doc["l2_gateway_connection"] if status == 201 else doc

    def get(self, path):
        return self.api("GET", path, expect=200)[1]

    def conn_status(self, conn_id):
        c = self.get("/v2.0/l2-gateway-connections/" + conn_id)["l2_gateway_connection"]
        return c["status"], c.get("status_reason", "")

    def switches(self):
        return self.get("/v2.0/l2-switches")["l2_switches"]

    def wait_switch(self, name, connected=True, timeout=DEFAULT_WAIT):
        def known():
            for s in self.switches():
                if s["name"] == name and bool(s["connected"]) == connected:
                    return s
            return None
        return wait_until(known, timeout, "switch %s connected=%s" % (name, connected))

    def wait_status(self, conn_id, status, timeout=DEFAULT_WAIT):
        return wait_until(lambda: self.conn_status(conn_id)[0] == status
                          and self.conn_status(conn_id),
                          timeout, "connection %s %s" % (conn_id, status))

    # -- ctl --------------------------------------------------------------

    def ctl(self, *args, check=True):
        r = subprocess.run([daemon_path(), "--config-file", self.ini, "ctl"] + list(args),
                           capture_output=True, text=True, timeout=10)
        if check and r.returncode:
            raise AssertionError("ctl %s failed (%d): %s" % (args, r.returncode, r.stderr))
        return r


class Lab:
    """Databases and one daemon in a temporary directory; close() cleans up."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="swlab-")
        self.dbs = []
        self.daemon = None

    def vtepdb(self, name, tcp=False, sync_from=None, managers=False):
        db = VtepDb(self.root, name, tcp, sync_from)
        db.managers = managers
        db.start()
        self.dbs.append(db)
        return db

    def l2gwd(self, hosts=None, extra=None):
        if hosts is None:
            hosts = ", ".join("%s:%s" % (db.name, db.remote) for db in self.dbs)
        self.daemon = L2gwd(self.root, hosts, extra).start()
        return self.daemon

    def close(self, keep=False):
        if self.daemon:
            self.daemon.stop()
        for db in self.dbs:
            db.stop()
        if not keep:
            shutil.rmtree(self.root, ignore_errors=True)


def free_port():
    return VtepDb._free_port()


def new_id():
    return str(uuid.uuid4())


try:
    import pytest

    @pytest.fixture
    def lab():
        """A Lab, cleaned up after the test (SWLAB_KEEP=1 keeps its files)."""
        if not have_tools():
            pytest.skip("ovsdb-server / vtep-ctl / vtep.ovsschema not installed")
        lab_ = Lab()
        yield lab_
        lab_.close(keep=os.environ.get("SWLAB_KEEP") == "1")
except ImportError:  # used without pytest
    pass
