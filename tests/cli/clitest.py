"""Harness of the black-box tests of the `l2gw` client (tests/cli).

What is here:
  - Daemon: a temporary l2gwd (the harness contract of the API tests: a
    config with bind_port = 0, SQLite under a temporary state_path; start
    `l2gwd --config-file FILE`; wait for "API listening on
    http://127.0.0.1:PORT" on stderr), optionally in token mode and
    connected to a VTEP database.
  - Vtep: a real ovsdb-server serving the hardware_vtep schema with one
    physical switch and its ports, created with vtep-ctl, that l2gwd is
    pointed at through [ovsdb] ovsdb_hosts.
  - run(): runs the `l2gw` binary (env L2GW, default
    <repo>/build/src/cli/l2gw) and returns its exit status, stdout, stderr.
  - Api: a tiny REST client (urllib) to check what the server holds.
  - table parsing helpers for the OpenStack-style tables.

Standard library only: run with Debian's /usr/bin/python3 -m pytest.
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
import itertools

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
CLI_TIMEOUT = 60.0
LISTEN_RE = re.compile(r"API listening on http://127\.0\.0\.1:(\d+)")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
VTEP_SCHEMA = "/usr/share/openvswitch/vtep.ovsschema"


def daemon_path():
    return os.environ.get("L2GWD") or os.path.join(REPO, "build", "src", "daemon", "l2gwd")


def cli_path():
    return os.environ.get("L2GW") or os.path.join(REPO, "build", "src", "cli", "l2gw")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bind_port():
    """"0" as the harness contract says.  L2GWD_FREE_PORT=1 (the switch the
    API tests use too) picks a free port here instead, for a daemon whose
    configuration does not accept bind_port = 0 yet."""
    if os.environ.get("L2GWD_FREE_PORT") == "1":
        return str(free_port())
    return "0"


_counter = itertools.count(1)


def unique(prefix="t"):
    """A name no other test uses."""
    return "%s-%d-%s" % (prefix, next(_counter), uuid.uuid4().hex[:6])


class HarnessError(Exception):
    pass


# -- the VTEP switch database ----------------------------------------------

class Vtep:
    """An ovsdb-server with the hardware_vtep schema, one Physical_Switch
    'name' with 'ports' and a tunnel IP (and, with 'per_locator_key', the
    l2gw-per-locator-key extension of border.md); reachable on TCP (for
    l2gwd) and a unix socket (for vtep-ctl)."""

    def __init__(self, tmpdir, name="sw1", ports=("p1", "p2", "p3", "p4"),
                 tunnel_ip="192.0.2.1", per_locator_key=False):
        self.dir = os.path.join(tmpdir, "vtep")
        os.makedirs(self.dir, exist_ok=True)
        self.name = name
        self.ports = list(ports)
        self.tunnel_ip = tunnel_ip
        self.per_locator_key = per_locator_key
        self.sock = os.path.join(self.dir, "db.sock")
        self.port = None
        self.proc = None

    @staticmethod
    def available():
        return all(shutil.which(p) for p in ("ovsdb-server", "ovsdb-tool", "vtep-ctl")) \
            and os.path.exists(VTEP_SCHEMA)

    def start(self):
        db = os.path.join(self.dir, "vtep.db")
        if not os.path.exists(db):
            subprocess.run(["ovsdb-tool", "create", db, VTEP_SCHEMA], check=True)
        self.port = self.port or free_port()
        log = open(os.path.join(self.dir, "ovsdb-server.log"), "a")
        self.proc = subprocess.Popen(
            ["ovsdb-server", db, "--remote=punix:" + self.sock,
             "--remote=ptcp:%d:127.0.0.1" % self.port,
             "--unixctl=" + os.path.join(self.dir, "ctl"),
             "--pidfile=" + os.path.join(self.dir, "ovsdb-server.pid")],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        deadline = time.monotonic() + START_TIMEOUT
        while not os.path.exists(self.sock):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise HarnessError("ovsdb-server did not start")
            time.sleep(0.01)
        if self.name not in self.ctl("list-ps").split():
            self.ctl("add-ps", self.name)
            for p in self.ports:
                self.ctl("add-port", self.name, p)
            self.ctl("set", "Physical_Switch", self.name, "tunnel_ips=" + self.tunnel_ip)
            if self.per_locator_key:  # border.md: the extension a border gateway needs
                self.ctl("set", "Physical_Switch", self.name,
                         "other_config:l2gw-per-locator-key=true")
        return self

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(STOP_TIMEOUT)

    def ctl(self, *args):
        r = subprocess.run(["vtep-ctl", "--db=unix:" + self.sock, "--timeout=10"] + list(args),
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise HarnessError("vtep-ctl %s: %s" % (" ".join(args), r.stderr))
        return r.stdout

    @property
    def ovsdb_host(self):
        return "ovsdb1:127.0.0.1:%d" % self.port


# -- the daemon --------------------------------------------------------------

class Daemon:
    """One l2gwd with its own temporary directory and database.

    'tokens': lines "TOKEN PROJECT ROLES" → auth_strategy = token.
    'vtep': a Vtep whose database l2gwd connects to."""

    def __init__(self, tmpdir=None, tokens=None, vtep=None, config=None):
        self.tmpdir = tmpdir or tempfile.mkdtemp(prefix="l2gw-clitests-")
        self.config_path = os.path.join(self.tmpdir, "l2gwd.ini")
        self.stderr_path = os.path.join(self.tmpdir, "l2gwd.stderr")
        self.proc = None
        self.port = None
        sections = {
            "DEFAULT": {"bind_host": "127.0.0.1", "bind_port": bind_port(),
                        "state_path": self.tmpdir},
            "database": {"connection": "sqlite:///%s/l2gw.db" % self.tmpdir},
        }
        if tokens is not None:
            path = os.path.join(self.tmpdir, "tokens")
            with open(path, "w") as f:
                f.write("".join(t + "\n" for t in tokens))
            sections["DEFAULT"]["auth_strategy"] = "token"
            sections["DEFAULT"]["auth_token_file"] = path
        if vtep is not None:
            sections["ovsdb"] = {"ovsdb_hosts": vtep.ovsdb_host}
        for sec, opts in (config or {}).items():
            sections.setdefault(sec, {}).update(opts)
        with open(self.config_path, "w") as f:
            for sec, opts in sections.items():
                f.write("[%s]\n" % sec)
                for k, v in opts.items():
                    f.write("%s = %s\n" % (k, v))
                f.write("\n")

    def start(self):
        binary = daemon_path()
        if not os.access(binary, os.X_OK):
            raise HarnessError("l2gwd binary not found: %s (set L2GWD)" % binary)
        err = open(self.stderr_path, "a")
        offset = err.tell()
        self.proc = subprocess.Popen([binary, "--config-file", self.config_path],
                                     stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                     cwd=self.tmpdir)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            m = LISTEN_RE.search(self._read(offset))
            if m:
                self.port = int(m.group(1))
                return self
            if self.proc.poll() is not None:
                raise HarnessError("l2gwd exited with %s before listening:\n%s"
                                   % (self.proc.returncode, self._read(offset)))
            time.sleep(0.01)
        self.proc.kill()
        self.proc.wait()
        raise HarnessError("l2gwd did not print 'API listening on':\n" + self._read(offset))

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def _read(self, offset=0):
        with open(self.stderr_path, "r", errors="replace") as f:
            f.seek(offset)
            return f.read()

    def stderr_text(self, tail=8000):
        try:
            return self._read()[-tail:]
        except OSError:
            return ""

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port


# -- running the client ------------------------------------------------------

class Result:
    def __init__(self, args, proc):
        self.args = args
        self.rc = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        try:
            return json.loads(self.out)
        except ValueError as e:
            raise AssertionError("stdout of %r is not JSON (%s): %r" % (self.args, e, self.out))

    def __repr__(self):
        return "<l2gw %s → rc=%s\nstdout:\n%s\nstderr:\n%s>" % (
            " ".join(self.args), self.rc, self.out, self.err)


def run(*args, url=None, env=None, timeout=CLI_TIMEOUT, stdin=None):
    """Runs `l2gw ARGS...`; 'url' (when given) goes to L2GW_URL.  Other
    L2GW_*/OS_* variables of the caller's environment are removed so that
    they cannot change the outcome."""
    binary = cli_path()
    if not os.access(binary, os.X_OK):
        raise HarnessError("l2gw binary not found: %s (set L2GW)" % binary)
    e = {k: v for k, v in os.environ.items()
         if not (k.startswith("L2GW_") or k.startswith("OS_"))}
    e["L2GW_URL"] = url or "http://127.0.0.1:9"
    e.update(env or {})
    proc = subprocess.run([binary] + [str(a) for a in args], capture_output=True, text=True,
                          errors="replace",
                          env=e, timeout=timeout, stdin=subprocess.DEVNULL if stdin is None else stdin)
    return Result([str(a) for a in args], proc)


def ok(r):
    """Asserts exit 0 and an empty stderr; returns r."""
    assert r.rc == 0 and r.err == "", repr(r)
    return r


def fails(r, rc, *parts):
    """Asserts exit status 'rc', nothing on stdout unless rc is 0, and each
    of 'parts' in stderr; returns r."""
    assert r.rc == rc, repr(r)
    for p in parts:
        assert p in r.err, "%r not in stderr of %r" % (p, r)
    return r


# -- tables ------------------------------------------------------------------

def parse_table(text):
    """Parses a prettytable: returns (titles, rows) where a row is a list of
    cell texts (multi-line cells joined with '\\n').  Checks the borders."""
    lines = [l for l in text.split("\n") if l != ""]
    assert lines and lines[0].startswith("+-") and lines[-1] == lines[0], text
    border = lines[0]
    assert lines[2] == border, text
    cuts = [i for i, ch in enumerate(border) if ch == "+"]

    def cells(line):
        assert len(line) == len(border), "ragged table line %r in\n%s" % (line, text)
        for c in cuts:
            assert line[c] == "|", "bad separator in %r" % line
        return [line[a + 1:b].strip() for a, b in zip(cuts, cuts[1:])]

    titles = cells(lines[1])
    rows = []
    for line in lines[3:-1]:
        c = cells(line)
        if rows and c[0] == "":  # the next line of multi-line cells
            rows[-1] = [(p + "\n" + q) if q else p for p, q in zip(rows[-1], c)]
        else:
            rows.append(c)
    return titles, rows


def show_rows(text):
    """A Field/Value table as an ordered list of (field, value)."""
    titles, rows = parse_table(text)
    assert titles == ["Field", "Value"], text
    return [(r[0], r[1]) for r in rows]


# -- checking the server directly ------------------------------------------

class Api:
    """A tiny REST client: admin in noauth, or a token."""

    def __init__(self, url, token=None):
        self.url = url
        self.token = token

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("X-Auth-Token", self.token)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                return resp.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, raw

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, body):
        return self.request("POST", path, body)

    def has_collection(self, path):
        status, _ = self.get(path)
        return status != 404
