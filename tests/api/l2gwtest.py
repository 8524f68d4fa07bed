"""Helpers for the black-box tests of l2gwd's REST API (tests/api, tests/compat).

What is here:
  - Daemon: writes a config file, starts `l2gwd --config-file FILE`, waits for
    "API listening on http://127.0.0.1:PORT" on stderr, stops it (SIGTERM,
    exit 0 expected) or kills it (SIGKILL), restarts it on the same database.
  - Client: HTTP/1.1 with keep-alive (http.client), JSON in and out, the
    noauth identity headers (X-Project-Id / X-Roles) or an X-Auth-Token.
  - assert_error(): the NeutronError body check (status, type, message).
  - small factories for gateways, networks, ports, hosts and connections,
    with unique names so that tests do not depend on each other's order.
  - the lab switch: connection create needs its devices to be switches
    l2gwd has seen (api.md step 5).  Unless a module configures its own
    [ovsdb] ovsdb_hosts, the daemon talks to a lab ovsdb-server
    (tests/pylib/vteplab.py), and before a connection is posted the
    gateway's devices and interfaces are created there (vtep-ctl add-ps,
    add-port) and awaited in /v2.0/l2-switches.  A background poller also
    provisions the devices of gateways that were not created through Client
    (the openstack CLI of tests/compat), so that the registry holds no
    switch that a test did not need.  A daemon without a switch manager
    never lists a switch: then the harness stops waiting (after
    PROBE_TIMEOUT).

Standard library only: the tests run with Debian's /usr/bin/python3.
"""

import atexit
import http.client
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
import vteplab  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
LISTEN_RE = re.compile(r"API listening on http://127\.0\.0\.1:(\d+)")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MAX_BODY = 1048576
LAB = "lab"                 # the ovsdb_identifier of the lab switch database
LAB_TUNNEL_IP = "192.0.2.250"
SWITCH_TIMEOUT = 10.0       # registration of a lab switch by a daemon that has a manager
PROBE_TIMEOUT = 3.0         # ... and how long to look for a manager at all
POLL_INTERVAL = 0.1         # the provisioning poller


def daemon_path():
    """The l2gwd binary under test: $L2GWD or <repo>/build/src/daemon/l2gwd."""
    return os.environ.get("L2GWD") or os.path.join(REPO, "build", "src", "daemon", "l2gwd")


def bind_port():
    """"0": the daemon picks a free port and prints it."""
    return "0"


_counter = itertools.count(1)
_labs = []                  # every lab ovsdb-server, stopped at exit at the latest


@atexit.register
def _stop_labs():
    for lab in _labs:
        lab.destroy()


def unique(prefix="t"):
    """A name no other test uses: prefix-<n>-<random>."""
    return "%s-%d-%s" % (prefix, next(_counter), uuid.uuid4().hex[:8])


class DaemonError(Exception):
    pass


class Daemon:
    """One l2gwd process with its own temporary directory and database.

    'config' is {section: {option: value}} merged over the defaults below;
    'tokens' is a list of "TOKEN PROJECT ROLE[,ROLE]" lines (then
    auth_strategy = token is set unless 'config' says otherwise)."""

    def __init__(self, config=None, tokens=None, tmpdir=None):
        self.tmpdir = tmpdir or tempfile.mkdtemp(prefix="l2gwd-apitests-")
        self.config_path = os.path.join(self.tmpdir, "l2gwd.ini")
        self.stderr_path = os.path.join(self.tmpdir, "stderr.log")
        self.proc = None
        self.port = None
        self.starts = 0
        sections = {
            "DEFAULT": {
                "bind_host": "127.0.0.1",
                "bind_port": bind_port(),
                "state_path": self.tmpdir,
            },
            "database": {"connection": "sqlite:///%s/l2gw.db" % self.tmpdir},
        }
        if os.environ.get("L2GW_TEST_DB_URL"):  # PostgreSQL: a new database per daemon
            sections["database"]["connection"] = subprocess.check_output([os.path.join(
                REPO, "tests/pg/pgtmp.sh"), "newdb", os.environ["L2GW_TEST_DB_URL"]], text=True).strip()
        if tokens is not None:
            token_file = os.path.join(self.tmpdir, "tokens")
            with open(token_file, "w") as f:
                f.write("".join(line + "\n" for line in tokens))
            sections["DEFAULT"]["auth_strategy"] = "token"
            sections["DEFAULT"]["auth_token_file"] = token_file
        for section, options in (config or {}).items():
            sections.setdefault(section, {}).update(options)
        self.tokens = list(tokens or [])
        self.lab = None
        self.manager = None         # None: not known yet; True/False: lists switches or not
        self._provisioned = {}      # device → set of ports created in the lab
        self._lab_lock = threading.RLock()
        self._poller = None
        self._poll_stop = threading.Event()
        self._client_gateways = set()   # ids of gateways created through Client
        self._client_posts = 0          # POSTs of gateways through Client in flight
        if "ovsdb_hosts" not in sections.get("ovsdb", {}) and vteplab.have_tools():
            self.lab = vteplab.OvsdbServer(self.tmpdir, name=LAB)
            _labs.append(self.lab)
            sections.setdefault("ovsdb", {})["ovsdb_hosts"] = self.lab.hosts_entry(LAB, "unix")
        with open(self.config_path, "w") as f:
            for section, options in sections.items():
                f.write("[%s]\n" % section)
                for key, value in options.items():
                    f.write("%s = %s\n" % (key, value))
                f.write("\n")

    # -- process control -------------------------------------------------

    def start(self):
        """Starts l2gwd and waits (START_TIMEOUT) for its listening line."""
        binary = daemon_path()
        if not os.access(binary, os.X_OK):
            raise DaemonError("l2gwd binary not found: %s (set L2GWD)" % binary)
        if self.lab is not None and not self.lab.running():
            self.lab.start()
        self.starts += 1
        with open(self.stderr_path, "a") as err:
            err.write("==== start #%d ====\n" % self.starts)
            err.flush()
            offset = err.tell()
            self.proc = subprocess.Popen(
                [binary, "--config-file", self.config_path],
                stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                cwd=self.tmpdir)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            text = self._read_from(offset)
            m = LISTEN_RE.search(text)
            if m:
                self.port = int(m.group(1))
                self._start_poller()
                return self
            if self.proc.poll() is not None:
                raise DaemonError("l2gwd exited with %s before listening; stderr:\n%s"
                                  % (self.proc.returncode, self._read_from(offset)))
            time.sleep(0.01)
        self.proc.kill()
        self.proc.wait()
        raise DaemonError("l2gwd did not print 'API listening on' within %.0f s; stderr:\n%s"
                          % (START_TIMEOUT, self._read_from(offset)))

    def stop(self):
        """SIGTERM and wait; returns the exit status (None if not running)."""
        self._stop_poller()
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise DaemonError("l2gwd did not exit within %.0f s of SIGTERM" % STOP_TIMEOUT)

    def kill(self):
        """SIGKILL (crash) and wait."""
        self._stop_poller()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def restart(self, crash=False):
        if crash:
            self.kill()
        else:
            self.stop()
        return self.start()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def close_lab(self):
        """Stops the lab ovsdb-server (the daemon's fixture calls it last)."""
        self._stop_poller()
        if self.lab is not None:
            self.lab.destroy()

    # -- the lab switch ------------------------------------------------------

    def _admin_headers(self):
        """Identity headers of an admin: noauth headers, or an admin token
        of the token file (None when there is none)."""
        if not self.tokens:
            return {"X-Project-Id": "admin", "X-Roles": "admin"}
        for line in self.tokens:
            parts = line.split()
            if len(parts) >= 3 and "admin" in parts[2].split(","):
                return {"X-Auth-Token": parts[0]}
        return None

    def _admin_get(self, path, conn=None):
        """GET as an admin on 'conn' (or a new connection); returns (status,
        json or None).  Connection errors give (None, None)."""
        hdrs = self._admin_headers()
        if hdrs is None or self.port is None:
            return None, None
        own = conn is None
        conn = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path, headers=dict(hdrs, Accept="application/json"))
            resp = conn.getresponse()
            body = resp.read()
            return resp.status, (json.loads(body) if body else None)
        except (OSError, http.client.HTTPException, ValueError):
            conn.close()
            return None, None
        finally:
            if own:
                conn.close()

    @staticmethod
    def _lab_name(device):
        """The Physical_Switch name of a device name ("lab/x" → "x"); None
        for a name qualified with another database."""
        if "/" in device:
            db, _, name = device.partition("/")
            return name if db == LAB and name else None
        return device

    def provision(self, devices):
        """Creates the switches and ports of 'devices' (gateway devices as
        the API renders them) in the lab; returns {switch: ports}."""
        need = {}
        if self.lab is None:
            return need
        with self._lab_lock:
            for dev in devices or []:
                if not isinstance(dev, dict):
                    continue
                name = self._lab_name(str(dev.get("device_name") or ""))
                if not name:
                    continue
                ports = [str(i.get("name")) for i in dev.get("interfaces") or []
                         if isinstance(i, dict) and i.get("name")]
                need.setdefault(name, set()).update(ports)
                have = self._provisioned.get(name)
                if have is None:
                    self.lab.ctl("--may-exist", "add-ps", name, "--", "set", "Physical_Switch",
                                 name, "tunnel_ips=" + LAB_TUNNEL_IP)
                    have = self._provisioned[name] = set()
                for p in ports:
                    if p not in have:
                        self.lab.ctl("--may-exist", "add-port", name, p)
                        have.add(p)
        return need

    def wait_switches(self, need):
        """Waits until /v2.0/l2-switches lists every switch of 'need' with
        its ports.  A daemon that never lists any switch within
        PROBE_TIMEOUT has no switch manager: stop waiting, for good."""
        if not need or self.manager is False:
            return
        deadline = time.monotonic() + (SWITCH_TIMEOUT if self.manager else PROBE_TIMEOUT)
        seen = {}
        while True:
            status, body = self._admin_get("/v2.0/l2-switches")
            if status == 404:
                self.manager = False
                return
            if status == 200:
                seen = {s.get("name"): {p.get("name") for p in s.get("ports") or []}
                        for s in body.get("l2_switches", [])
                        if s.get("ovsdb_identifier") == LAB}
                if seen and not self.manager:
                    self.manager = True
                    deadline = time.monotonic() + SWITCH_TIMEOUT
                if all(n in seen and ports <= seen[n] for n, ports in need.items()):
                    return
            if time.monotonic() > deadline:
                if not self.manager:
                    self.manager = False
                    return
                raise DaemonError("l2gwd did not list the lab switches %r within %.0f s "
                                  "(it lists %r)" % (need, SWITCH_TIMEOUT, seen))
            time.sleep(0.02)

    def provision_gateway(self, gateway_id):
        """Provisions the devices of gateway 'gateway_id' (if it exists) and
        waits until l2gwd knows them."""
        if self.lab is None or not isinstance(gateway_id, str):
            return
        status, body = self._admin_get("/v2.0/l2-gateways/" + urllib.parse.quote(gateway_id))
        if status != 200:
            return
        self.wait_switches(self.provision(body["l2_gateway"].get("devices")))

    def _start_poller(self):
        if self.lab is None or self._poller is not None or self._admin_headers() is None:
            return
        self._poll_stop.clear()
        self._poller = threading.Thread(target=self._poll, daemon=True)
        self._poller.start()

    def _stop_poller(self):
        if self._poller is not None:
            self._poll_stop.set()
            self._poller.join()
            self._poller = None

    def _poll(self):
        """Provisions the devices of every gateway, every POLL_INTERVAL."""
        conn = None
        while not self._poll_stop.wait(POLL_INTERVAL):
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            status, body = self._admin_get("/v2.0/l2-gateways?fields=id&fields=devices", conn)
            if status is None:
                conn = None
                continue
            if status != 200:
                continue
            with self._lab_lock:
                if self._client_posts:
                    continue
                todo = [gw for gw in body.get("l2_gateways", [])
                        if gw.get("id") not in self._client_gateways]
            try:
                for gw in todo:
                    self.provision(gw.get("devices"))
            except vteplab.LabError:
                pass
        if conn is not None:
            conn.close()

    def _read_from(self, offset):
        with open(self.stderr_path, "r", errors="replace") as f:
            f.seek(offset)
            return f.read()

    def stderr_text(self, tail=20000):
        try:
            with open(self.stderr_path, "r", errors="replace") as f:
                text = f.read()
        except OSError:
            return ""
        return text[-tail:]

    # -- clients ---------------------------------------------------------

    @property
    def endpoint(self):
        return "http://127.0.0.1:%d" % self.port

    def client(self, **kw):
        return Client(self, **kw)


class Response:
    def __init__(self, status, headers, body, method, path):
        self.status = status
        self.headers = headers          # list of (name, value)
        self.body = body                # bytes
        self.method = method
        self.path = path

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError as e:
            raise AssertionError("%s %s: body is not JSON (%s): %r"
                                 % (self.method, self.path, e, self.body[:500]))

    def __repr__(self):
        return "<%s %s → %d %s>" % (self.method, self.path, self.status, self.body[:600])


class Client:
    """HTTP client for one daemon, one keep-alive connection.

    Identity: in noauth the headers X-Project-Id / X-Roles (defaults admin /
    admin); 'token' sends X-Auth-Token instead (and no identity headers
    unless given explicitly)."""

    def __init__(self, daemon, project="admin", roles="admin", token=None, headers=None):
        self.daemon = daemon
        self.project = project
        self.roles = roles
        self.token = token
        self.extra = dict(headers or {})
        self.conn = None
        self.connections_opened = 0

    def _connect(self):
        self.conn = http.client.HTTPConnection("127.0.0.1", self.daemon.port, timeout=30)
        self.conn.connect()
        self.connections_opened += 1

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None, raw=None):
        """Sends one request; 'body' is JSON-encoded, 'raw' (bytes/str) is sent as is.

        Reconnects if the server closed the previous keep-alive connection."""
        hdrs = {"Accept": "application/json"}
        if self.token is not None:
            hdrs["X-Auth-Token"] = self.token
        else:
            if self.project is not None:
                hdrs["X-Project-Id"] = self.project
            if self.roles is not None:
                hdrs["X-Roles"] = self.roles
        hdrs.update(self.extra)
        data = None
        if raw is not None:
            data = raw.encode("utf-8") if isinstance(raw, str) else raw
        elif body is not None:
            data = json.dumps(body).encode("utf-8")
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        target = path.split("?")[0].rstrip("/")
        if target.endswith(".json"):
            target = target[:-len(".json")]
        if method == "POST" and target == "/v2.0/l2-gateway-connections":
            self._provision_for(body, raw)
        gw_post = method == "POST" and target == "/v2.0/l2-gateways"
        if gw_post:
            with self.daemon._lab_lock:
                self.daemon._client_posts += 1
        try:
            if self.conn is None:
                self._connect()
            self.conn.request(method, path, body=data, headers=hdrs)
            resp = self.conn.getresponse()
            payload = resp.read()
        finally:
            if gw_post:
                with self.daemon._lab_lock:
                    self.daemon._client_posts -= 1
                    self.daemon._client_gateways.add(_created_id(locals().get("payload")))
        result = Response(resp.status, resp.getheaders(), payload, method, path)
        if resp.will_close:
            self.close()
        return result

    def _provision_for(self, body, raw):
        """Before a connection create: the gateway's devices exist in the
        daemon's lab switch database and l2gwd lists them."""
        if raw is not None:
            try:
                body = json.loads(raw)
            except (ValueError, TypeError):
                return
        try:
            gateway_id = body["l2_gateway_connection"]["l2_gateway_id"]
        except (KeyError, TypeError):
            return
        self.daemon.provision_gateway(gateway_id)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    # -- typed helpers: return the member object, assert success -------

    def ok(self, resp, status):
        assert resp.status == status, "expected %d, got %r" % (status, resp)
        return resp.json() if resp.body else None

    def create(self, path, member, attrs):
        return self.ok(self.post("/v2.0/%s" % path, {member: attrs}), 201)[member]

    def show(self, path, member, oid):
        return self.ok(self.get("/v2.0/%s/%s" % (path, oid)), 200)[member]

    def list(self, path, collection, query=""):
        url = "/v2.0/%s" % path + ("?" + query if query else "")
        return self.ok(self.get(url), 200)[collection]

    def remove(self, path, oid):
        self.ok(self.delete("/v2.0/%s/%s" % (path, oid)), 204)

    def gateway(self, devices=None, name=None, **extra):
        attrs = {"devices": devices if devices is not None else untagged_devices()}
        attrs["name"] = name if name is not None else unique("gw")
        attrs.update(extra)
        return self.create("l2-gateways", "l2_gateway", attrs)

    def network(self, vni=None, name=None, **extra):
        attrs = {"name": name if name is not None else unique("net"),
                 "provider:network_type": "vxlan"}
        if vni is not None:
            attrs["provider:segmentation_id"] = vni
        attrs.update(extra)
        return self.create("networks", "network", attrs)

    def port(self, network_id, **extra):
        attrs = {"network_id": network_id, "name": unique("port")}
        attrs.update(extra)
        return self.create("ports", "port", attrs)

    def host(self, name=None, tunnel_ip=None, **extra):
        attrs = {"name": name if name is not None else unique("host")}
        if tunnel_ip is not None:
            attrs["tunnel_ip"] = tunnel_ip
        attrs.update(extra)
        return self.create("hosts", "host", attrs)

    def connection(self, gateway_id, network_id, segmentation_id=None, **extra):
        attrs = {"l2_gateway_id": gateway_id, "network_id": network_id}
        if segmentation_id is not None:
            attrs["segmentation_id"] = segmentation_id
        attrs.update(extra)
        return self.create("l2-gateway-connections", "l2_gateway_connection", attrs)


def _created_id(payload):
    """The id of the gateway in a POST answer (None if there is none)."""
    try:
        return json.loads(payload)["l2_gateway"]["id"]
    except (ValueError, TypeError, KeyError):
        return None


# -- request bodies -------------------------------------------------------

def untagged_devices(n_interfaces=1, device_name=None):
    """One device, interfaces without VLANs."""
    return [{"device_name": device_name or unique("sw"),
             "interfaces": [{"name": "p%d" % (i + 1)} for i in range(n_interfaces)]}]


def tagged_devices(vlans=("100",), device_name=None):
    """One device, one interface with the given VLAN list."""
    return [{"device_name": device_name or unique("sw"),
             "interfaces": [{"name": "p1", "segmentation_id": list(vlans)}]}]


# -- assertions -------------------------------------------------------------

def neutron_error(resp):
    """Returns (type, message, detail) of a NeutronError body, asserting its shape."""
    body = resp.json()
    assert isinstance(body, dict) and set(body) == {"NeutronError"}, \
        "not a NeutronError body: %r" % resp
    err = body["NeutronError"]
    assert isinstance(err, dict), "NeutronError is not an object: %r" % resp
    for key in ("type", "message", "detail"):
        assert key in err, "NeutronError without %r: %r" % (key, resp)
    assert isinstance(err["type"], str) and err["type"], "bad type: %r" % resp
    assert isinstance(err["message"], str), "bad message: %r" % resp
    return err["type"], err["message"], err["detail"]


def assert_error(resp, status, etype=None, message=None):
    """Asserts the status and the NeutronError body.

    'etype'/'message' None: only the shape is checked; a str: equality; a
    compiled regex: fullmatch.  'detail' must be "" (api.md)."""
    assert resp.status == status, "expected %d, got %r" % (status, resp)
    got_type, got_message, detail = neutron_error(resp)
    if etype is not None:
        assert got_type == etype, "type %r != %r in %r" % (got_type, etype, resp)
    if message is not None:
        if isinstance(message, str):
            assert got_message == message, \
                "message:\n  got      %r\n  expected %r\nin %r" % (got_message, message, resp)
        else:
            assert message.fullmatch(got_message), \
                "message %r does not match %r in %r" % (got_message, message.pattern, resp)
    assert detail == "", "detail %r != '' in %r" % (detail, resp)


def devices_reason(reason):
    return "Invalid input for devices. Reason: %s." % reason


def href_path(href):
    """The path?query part of an absolute or relative link."""
    parts = urllib.parse.urlsplit(href)
    return parts.path + ("?" + parts.query if parts.query else "")


def admin_required(action):
    return ("User does not have admin privileges: Cannot %s resource for non admin tenant."
            % action)
