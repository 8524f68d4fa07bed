"""clusterlab: several l2gwd nodes sharing one PostgreSQL database, in
front of several real switch databases (tests/cluster, bench/cluster).

What is here:
  - Pg: a throw-away PostgreSQL server (tests/pg/pgtmp.sh), or the one of
    $L2GW_TEST_DB_URL; a fresh database per cluster (pgtmp.sh newdb);
    restart, stop and start again (the data is kept), psql queries.
  - Cluster: N ovsdb-servers (tests/pylib/vteplab.py), each with one
    Physical_Switch "sw-<db>" (ports p1, p2), and M l2gwd nodes with the
    same ovsdb_hosts list, [cluster] options and distinct node ids; who
    serves what (`l2gwd ctl status` of every node, the switch_leases
    table), waits for the even spread.
  - ctl_status(): the parsed `l2gwd --config-file F ctl status`.

Standard library only (Debian's /usr/bin/python3).
"""

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "pylib"))

import vteplab  # noqa: E402
from vteplab import OvsdbServer, L2gwd, LabError, wait_until  # noqa: E402,F401

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
PGTMP = os.path.join(REPO, "tests", "pg", "pgtmp.sh")
CTL_TIMEOUT = 10.0


# -- PostgreSQL ----------------------------------------------------------------

def pg_bindir():
    """The PostgreSQL binaries ($PGBIN or the newest /usr/lib/postgresql/N/bin),
    None when there are none."""
    if os.environ.get("PGBIN"):
        return os.environ["PGBIN"]
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                  key=lambda d: int(re.sub(r"\D", "", d.split("/")[-2]) or 0))
    dirs = [d for d in dirs if os.access(os.path.join(d, "initdb"), os.X_OK)]
    return dirs[-1] if dirs else None


class Pg:
    """A PostgreSQL server for one test run.

    With $L2GW_TEST_DB_URL the server is someone else's: it is only used
    (new databases), never restarted nor stopped (self.own is False), unless
    $L2GW_TEST_PG_DIR names the pgtmp.sh directory it was made in."""

    def __init__(self, dirpath):
        self.bindir = pg_bindir()
        self.external = os.environ.get("L2GW_TEST_DB_URL")
        if self.external:
            self.dir = os.environ.get("L2GW_TEST_PG_DIR")
            self.own = False
        else:
            self.dir = dirpath
            self.own = True
        self.url = None

    @property
    def controllable(self):
        """True when this run may stop and restart the server."""
        return self.dir is not None and os.path.isdir(os.path.join(self.dir, "data"))

    def start(self):
        if self.external:
            self.url = self.external
            return self.url
        r = subprocess.run([PGTMP, "start", self.dir], capture_output=True, text=True,
                           timeout=120)
        if r.returncode != 0:
            raise LabError("pgtmp.sh start failed: %s" % r.stderr)
        self.url = r.stdout.strip()
        return self.url

    def destroy(self):
        if self.own and self.dir:
            subprocess.run([PGTMP, "stop", self.dir], capture_output=True, timeout=120)

    def newdb(self):
        r = subprocess.run([PGTMP, "newdb", self.url], capture_output=True, text=True,
                           timeout=60)
        if r.returncode != 0:
            raise LabError("pgtmp.sh newdb failed: %s" % r.stderr)
        return r.stdout.strip()

    def restart(self):
        """pg_ctl restart -m fast (same port): every session is cut."""
        r = subprocess.run([PGTMP, "restart", self.dir], capture_output=True, text=True,
                           timeout=120)
        if r.returncode != 0:
            raise LabError("pgtmp.sh restart failed: %s" % r.stderr)

    def _pg_ctl(self, *args):
        cmd = [os.path.join(self.bindir, "pg_ctl"), "-D", os.path.join(self.dir, "data")]
        cmd += list(args)
        if os.getuid() == 0:
            user = "postgres"
            r = subprocess.run(["id", "-u", "postgres"], capture_output=True)
            if r.returncode != 0:
                user = "l2gw-pg"
            cmd = ["runuser", "-u", user, "--"] + cmd
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise LabError("%s failed: %s%s" % (" ".join(cmd), r.stdout, r.stderr))

    def stop_server(self):
        """Stops the server (fast), keeping its data; start_server() again."""
        opts = os.path.join(self.dir, "data", "postmaster.opts")
        with open(opts) as f:
            self._opts = shlex.split(f.read())
        self._pg_ctl("-m", "fast", "-w", "-t", "60", "stop")

    def start_server(self):
        """Starts the server again with the options of its last run."""
        args = self._opts[1:]
        if "-D" in args:  # pg_ctl passes -D itself
            i = args.index("-D")
            del args[i:i + 2]
        self._pg_ctl("-l", os.path.join(self.dir, "data", "server.log"), "-w", "-t", "60",
                     "-o", " ".join(shlex.quote(a) for a in args), "start")

    @staticmethod
    def psql(url, sql):
        """Runs 'sql' on 'url'; returns the rows as lists of strings."""
        return psql(url, sql)


# -- ctl status ----------------------------------------------------------------

_KV_RE = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\[[^\]]*\]|\S*)')


def _kv(text):
    out = {}
    for k, v in _KV_RE.findall(text):
        if v.startswith('"') and v.endswith('"'):
            v = v[1:-1]
        out[k] = v
    return out


def parse_status(text):
    """{"cluster": {...} or None, "dbs": {db: {...}}} from the text of
    `ctl status`; AssertionError when the first line is not "ok"."""
    lines = text.splitlines()
    assert lines is not None
    out = {"cluster": None, "dbs": {}}
    for line in lines:
        if line.startswith("cluster "):
            c = _kv(line[len("cluster "):])
            owned = c.get("owned", "[]")
            c["owned"] = re.findall(r'"([^"]*)"', owned)
            out["cluster"] = c
        elif line.strip():
            name, _, rest = line.partition(" ")
            out["dbs"][name] = _kv(rest)
    return out


def ctl_status(node):
    """The parsed `ctl status` of l2gwd 'node' (a vteplab.L2gwd), or None
    when it does not answer (not running, or no control socket)."""
    if not node.alive():
        return None
    try:
        r = subprocess.run([vteplab.daemon_path(), "--config-file", node.config_path, "ctl",
                            "status"], capture_output=True, text=True, timeout=CTL_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None
    if r.returncode != 0:
        return None
    return parse_status(r.stdout)


# -- the cluster ---------------------------------------------------------------

class Cluster:
    """'n_dbs' switch databases and 'n_nodes' l2gwd nodes on database 'url'.

    Database i is named "db<i>" (1-based), its switch "sw-db<i>" with ports
    p1 and p2 and tunnel IP 192.0.2.<i>.  Nodes are "<prefix>-n<j>"."""

    def __init__(self, workdir, url, n_dbs=6, n_nodes=3, takeover=3, heartbeat=1,
                 prefix="clus", extra=None, servers=None, trace=False, per_node=None):
        self.workdir = workdir
        self.url = url
        self.prefix = prefix
        self.takeover = takeover
        self.heartbeat = heartbeat
        self.servers = servers if servers is not None else []
        self.own_servers = servers is None
        self.n_dbs = n_dbs
        self.nodes = []
        self.extra = extra or {}
        self.n_nodes = n_nodes
        self.trace = trace
        self.per_node = per_node    # j -> {section: {option: value}} of node j

    # -- setup

    def start_servers(self):
        for i in range(1, self.n_dbs + 1):
            s = OvsdbServer(self.workdir, name="db%d" % i, trace=self.trace)
            self.servers.append(s)
            s.start()
            s.add_switch(self.switch(s), "192.0.2.%d" % i, ["p1", "p2"])
        return self

    @staticmethod
    def switch(server):
        return "sw-" + server.name

    def hosts(self):
        return [s.hosts_entry(kind="unix") for s in self.servers]

    def make_node(self, j):
        node_id = "%s-n%d" % (self.prefix, j)
        # each node's sessions carry its id (pg_stat_activity.application_name)
        url = self.url + ("&" if "?" in self.url else "?") + "application_name=" + node_id
        cfg = {"database": {"connection": url},
               "cluster": {"node_id": node_id,
                           "takeover_timeout": str(self.takeover),
                           "heartbeat_interval": str(self.heartbeat)}}
        for sec, opts in self.extra.items():
            cfg.setdefault(sec, {}).update(opts)
        for sec, opts in (self.per_node(j) if self.per_node else {}).items():
            cfg.setdefault(sec, {}).update(opts)
        node = L2gwd(self.workdir, self.hosts(), config=cfg, name="node%d" % j)
        node.node_id = cfg["cluster"]["node_id"]
        node.api = node.client()
        return node

    def start_nodes(self):
        for j in range(1, self.n_nodes + 1):
            node = self.make_node(j)
            self.nodes.append(node)
        for node in self.nodes:
            node.start()
        return self

    def close(self):
        """Stops every node (SIGTERM) and server; returns [(node, rc)] of
        the nodes that were running and did not exit 0."""
        bad = []
        for n in self.nodes:
            was = n.alive()
            try:
                rc = n.stop()
            except LabError as e:
                rc = str(e)
            if was and rc != 0:
                bad.append((n, rc))
            n.api.close()
        if self.own_servers:
            for s in self.servers:
                s.destroy()
        return bad

    def report(self):
        parts = []
        for n in self.nodes:
            parts.append(("l2gwd log %s" % n.log_path, n.log_text(tail=6000)))
        return parts

    # -- who serves what

    def db_names(self):
        return [s.name for s in self.servers]

    def statuses(self, nodes=None):
        """{node_id: parsed ctl status or None} of the running nodes."""
        return {n.node_id: ctl_status(n) for n in (nodes or self.nodes) if n.alive()}

    @staticmethod
    def served_by_status(st):
        """The databases a node lists in ctl status (one line per database
        it serves)."""
        return set(st["dbs"]) if st else set()

    def serving(self, nodes=None):
        """{node_id: set of databases listed in its ctl status} of the
        running nodes (a node that does not answer: empty)."""
        return {nid: self.served_by_status(st) for nid, st in self.statuses(nodes).items()}

    def leases(self):
        """{db: (node_id or None, expires_in_ms)} from switch_leases."""
        rows = psql(self.url, "SELECT ovsdb_identifier, coalesce(node_id, ''), "
                              "expires_ms - (extract(epoch from clock_timestamp()) * 1000)"
                              "::bigint FROM switch_leases ORDER BY 1")
        return {r[0]: (r[1] or None, int(r[2])) for r in rows}

    def owner_of(self, db, nodes=None):
        """The node ids whose ctl status lists 'db'."""
        return sorted(nid for nid, dbs in self.serving(nodes).items() if db in dbs)

    def node(self, node_id):
        for n in self.nodes:
            if n.node_id == node_id:
                return n
        raise KeyError(node_id)

    def server(self, db):
        for s in self.servers:
            if s.name == db:
                return s
        raise KeyError(db)

    def balanced(self, nodes=None):
        """The serving map when every database is served by exactly one of
        'nodes' (default: the running ones), each serving its even share,
        and each served database connected; else None."""
        nodes = [n for n in (nodes or self.nodes) if n.alive()]
        sts = self.statuses(nodes)
        if any(st is None for st in sts.values()):
            return None
        serving = {nid: self.served_by_status(st) for nid, st in sts.items()}
        counts = {}
        for dbs in serving.values():
            for db in dbs:
                counts[db] = counts.get(db, 0) + 1
        if counts != {db: 1 for db in self.db_names()}:
            return None
        sizes = sorted(len(v) for v in serving.values())
        if sizes[-1] - sizes[0] > 1:
            return None
        for st in sts.values():
            if any(info.get("connected") != "yes" for info in st["dbs"].values()):
                return None
        return serving

    def wait_balanced(self, timeout=20.0, nodes=None):
        return wait_until(lambda: self.balanced(nodes), timeout,
                          "an even spread of %d databases over the nodes" % self.n_dbs,
                          interval=0.1)


def psql_binary():
    bindir = pg_bindir()
    return os.path.join(bindir, "psql") if bindir else (shutil.which("psql") or "psql")


def psql(url, sql):
    """Runs 'sql' on database 'url' with psql; returns the rows as lists of
    strings."""
    r = subprocess.run([psql_binary(), "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                        "-d", url, "-c", sql], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise LabError("psql %r failed: %s" % (sql, r.stderr))
    return [line.split("\t") for line in r.stdout.splitlines() if line]

