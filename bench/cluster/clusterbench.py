#!/usr/bin/python3
"""bench/cluster/clusterbench.py: figures of several l2gwd nodes sharing one
PostgreSQL database (issue 8).  Run by bench/cluster/run.sh.

  throughput  API creates/s (networks; --clients parallel keep-alive HTTP
              clients, spread round-robin over the nodes) with 1 node and
              with 3 nodes on the same PostgreSQL server (a fresh database
              each), 6 switch databases configured;
  takeover    seconds from kill -9 of the owner of a switch database until
              another node serves it (its `ctl status` lists it connected),
              --samples times, with takeover_timeout 10 and 3
              (heartbeat_interval 1); the killed node is restarted between
              samples;
  reconcile   N switch databases (N real ovsdb-servers on unix sockets,
              created from a template file), 1 and 3 nodes: the time from
              starting the nodes until the registry lists the N switches
              connected, then from one connection create touching all N
              (one gateway with N devices) until every switch holds the
              Logical_Switch, the binding and the MAC rows (checked on the
              switches themselves over JSON-RPC); above 256 switches (the
              devices limit of a gateway) several gateways, one connection
              each, posted back to back, timed from the first.

Standard library only (Debian's /usr/bin/python3)."""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "cluster"))

import clusterlab  # noqa: E402
import vteplab  # noqa: E402

SCHEMA = vteplab.SCHEMA
H_IP = "10.0.0.11"
N_MACS = 4
SEG = 100
MAX_DEVICES = 256   # devices per gateway (api.md); N > 256: several gateways


def log(msg):
    print(msg, flush=True)


_live = []      # servers and clusters to stop at the end, whatever happens


def cleanup():
    """Stops every cluster (SIGTERM to the nodes) and server still running."""
    while _live:
        obj = _live.pop()
        try:
            if isinstance(obj, clusterlab.Cluster):
                obj.close()
            else:
                obj.destroy()
        except Exception as e:  # noqa: BLE001 - best effort, keep cleaning
            log("cleanup: %s" % e)


def on_signal(signum, frame):
    raise KeyboardInterrupt("signal %d" % signum)


# -- many switch databases, quickly ------------------------------------------------

class FastServer:
    """One ovsdb-server on a unix socket, its database a copy of a template
    with one Physical_Switch "sw-<name>" (ports p1, p2) written offline by
    ovsdb-tool: no vtep-ctl round trips, so that 1000 start in reasonable
    time."""

    def __init__(self, root, name, template, index):
        self.name = name
        self.dir = os.path.join(root, name)
        os.makedirs(self.dir)
        self.sock = os.path.join(self.dir, "s")
        self.db = os.path.join(self.dir, "v.db")
        self.pidfile = os.path.join(self.dir, "pid")
        shutil.copyfile(template, self.db)
        ops = ["hardware_vtep",
               {"op": "insert", "table": "Physical_Port", "row": {"name": "p1"},
                "uuid-name": "p1"},
               {"op": "insert", "table": "Physical_Port", "row": {"name": "p2"},
                "uuid-name": "p2"},
               {"op": "insert", "table": "Physical_Switch", "uuid-name": "ps",
                "row": {"name": "sw-" + name,
                        "tunnel_ips": "192.0.%d.%d" % (2 + index // 250, 1 + index % 250),
                        "ports": ["set", [["named-uuid", "p1"], ["named-uuid", "p2"]]]}},
               {"op": "insert", "table": "Global",
                "row": {"switches": ["set", [["named-uuid", "ps"]]]}}]
        r = subprocess.run(["ovsdb-tool", "transact", self.db, json.dumps(ops)], check=True,
                           capture_output=True, text=True)
        if '"error"' in r.stdout:
            raise RuntimeError("ovsdb-tool transact on %s: %s" % (self.db, r.stdout))
        self.pid = None

    def start(self):
        subprocess.run(["ovsdb-server", self.db, "--remote=punix:" + self.sock,
                        "--unixctl=" + os.path.join(self.dir, "c"), "--pidfile=" + self.pidfile,
                        "--detach", "--no-chdir", "--log-file=" + os.path.join(self.dir, "log")],
                       check=True, capture_output=True)
        with open(self.pidfile) as f:
            self.pid = int(f.read())

    def destroy(self):
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
            self.pid = None

    def hosts_entry(self, kind="unix"):
        return "%s:unix:%s" % (self.name, self.sock)

    def transact(self, *ops):
        body = json.dumps({"method": "transact", "params": ["hardware_vtep"] + list(ops),
                           "id": 1}).encode()
        dec = json.JSONDecoder()
        with socket.socket(socket.AF_UNIX) as so:
            so.settimeout(30)
            so.connect(self.sock)
            so.sendall(body)
            buf = b""
            while True:
                chunk = so.recv(1 << 16)
                if not chunk:
                    raise RuntimeError("%s closed the connection" % self.name)
                buf += chunk
                try:
                    msg, _ = dec.raw_decode(buf.decode())
                except ValueError:
                    continue
                return msg["result"]

    def programmed(self, ls_name):
        """True when the switch holds LS 'ls_name', p1 bound to it on VLAN
        SEG, and N_MACS remote MAC rows."""
        res = self.transact(
            {"op": "select", "table": "Logical_Switch", "where": [["name", "==", ls_name]],
             "columns": ["_uuid"]},
            {"op": "select", "table": "Ucast_Macs_Remote", "where": [], "columns": ["MAC"]},
            {"op": "select", "table": "Physical_Port", "where": [["name", "==", "p1"]],
             "columns": ["vlan_bindings"]})
        ls = res[0]["rows"]
        if len(ls) != 1 or len(res[1]["rows"]) != N_MACS:
            return False
        binds = res[2]["rows"][0]["vlan_bindings"]
        pairs = binds[1] if binds and binds[0] == "map" else []
        return [SEG, ["uuid", ls[0]["_uuid"][1]]] in pairs


def make_servers(root, n):
    os.makedirs(root, exist_ok=True)
    template = os.path.join(root, "template.db")
    subprocess.run(["ovsdb-tool", "create", template, SCHEMA], check=True)
    servers = []
    for i in range(n):
        s = FastServer(root, "d%d" % (i + 1), template, i)
        servers.append(s)
        _live.append(s)
        s.start()
    return servers


# -- helpers -------------------------------------------------------------------------

def start_cluster(workdir, url, servers, n_nodes, takeover, prefix, start_balanced=True):
    c = clusterlab.Cluster(workdir, url, n_dbs=len(servers), n_nodes=n_nodes, takeover=takeover,
                           heartbeat=1, prefix=prefix, servers=servers)
    _live.append(c)
    c.start_nodes()
    if start_balanced:
        c.wait_balanced(timeout=60 + len(servers) / 10)
    return c


def cpu_seconds(pid):
    """User + system CPU seconds of process 'pid' so far."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


# -- throughput -------------------------------------------------------------------------

def throughput(pg, root, n_nodes, clients, seconds, auto_vni=False):
    work = os.path.join(root, "tp%d%s" % (n_nodes, "a" if auto_vni else ""))
    servers = make_servers(work, 6)
    c = start_cluster(work, pg.newdb(), servers, n_nodes, 3, "tp%d" % n_nodes)
    counts = [0] * clients
    errors = [0] * clients
    stop = threading.Event()
    start = threading.Barrier(clients + 1)

    def worker(i):
        node = c.nodes[i % len(c.nodes)]
        api = node.client()
        start.wait()
        k = 0
        while not stop.is_set():
            k += 1
            attrs = {"name": "tp-%d-%d" % (i, k), "provider:network_type": "vxlan"}
            if not auto_vni:  # the write path, not the search for a free VNI
                attrs["provider:segmentation_id"] = 1000000 + i * 100000 + k
            r = api.post("/v2.0/networks", {"network": attrs})
            if r.status == 201:
                counts[i] += 1
            else:
                errors[i] += 1
        api.close()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    start.wait()
    cpu0 = [cpu_seconds(n.proc.pid) for n in c.nodes]
    t0 = time.monotonic()
    per_second = []
    last = 0
    while time.monotonic() - t0 < seconds:
        time.sleep(min(1.0, max(0.0, seconds - (time.monotonic() - t0))))
        now = sum(counts)
        per_second.append(now - last)
        last = now
    stop.set()
    for t in threads:
        t.join()
    dt = time.monotonic() - t0
    cpu = [cpu_seconds(n.proc.pid) - c0 for n, c0 in zip(c.nodes, cpu0)]
    total = sum(counts)
    listed = len(c.nodes[0].api.list_all("networks", "networks"))
    c.close()
    for s in servers:
        s.destroy()
    rate = total / dt
    log("throughput nodes=%d clients=%d %s: %d network creates in %.1f s = %.0f creates/s "
        "(first second %d, last second %d; errors %d; listed afterwards %d; l2gwd CPU "
        "seconds per node %s)"
        % (n_nodes, clients, "allocated VNIs" if auto_vni else "explicit VNIs", total, dt, rate,
           per_second[0] if per_second else 0, per_second[-1] if per_second else 0,
           sum(errors), listed, " ".join("%.1f" % x for x in cpu)))
    return rate


# -- takeover ----------------------------------------------------------------------------

def takeover(pg, root, timeout_s, samples):
    work = os.path.join(root, "to%d" % timeout_s)
    servers = make_servers(work, 6)
    c = start_cluster(work, pg.newdb(), servers, 3, timeout_s, "to%d" % timeout_s)
    times = []
    try:
        for k in range(samples):
            victim = c.nodes[k % 3]
            db = sorted(c.serving()[victim.node_id])[0]
            others = [n for n in c.nodes if n is not victim]
            victim.kill()
            t0 = time.monotonic()
            while True:
                sts = c.statuses(others)
                if any(st and st["dbs"].get(db, {}).get("connected") == "yes"
                       for st in sts.values()):
                    break
                if time.monotonic() - t0 > timeout_s + 30:
                    raise RuntimeError("no takeover of %s" % db)
                time.sleep(0.02)
            dt = time.monotonic() - t0
            times.append(dt)
            log("takeover timeout=%d sample %d: %.2f s" % (timeout_s, k + 1, dt))
            victim.start()
            c.wait_balanced(timeout=timeout_s * 3 + 10)
    finally:
        c.close()
        for s in servers:
            s.destroy()
    log("takeover timeout=%d: %d samples p50 %.2f s max %.2f s" % (
        timeout_s, len(times), statistics.median(times), max(times)))
    return times


# -- reconcile ---------------------------------------------------------------------------

def all_switches_listed(api, n):
    sws = api.list_all("l2-switches", "l2_switches")
    return sum(1 for s in sws if s.get("connected")) >= n


def reconcile(pg, root, n, n_nodes):
    work = os.path.join(root, "rc%d-%d" % (n, n_nodes))
    t0 = time.monotonic()
    servers = make_servers(work, n)
    t_servers = time.monotonic() - t0
    c = clusterlab.Cluster(work, pg.newdb(), n_dbs=n, n_nodes=n_nodes, takeover=10, heartbeat=1,
                           prefix="rc%d" % n_nodes, servers=servers)
    _live.append(c)
    try:
        t0 = time.monotonic()
        c.start_nodes()
        api = c.nodes[0].api
        vteplab.wait_until(lambda: all_switches_listed(api, n), 120 + n / 5,
                           "%d switches connected" % n, interval=0.2)
        t_start = time.monotonic() - t0
        c.wait_balanced(timeout=120 + n / 5)
        t_bal = time.monotonic() - t0
        net = api.network()
        host = api.host(H_IP)["name"]
        for m in range(N_MACS):
            api.port(net["id"], mac="fa:16:3e:00:10:%02x" % m, host=host)
        gws = [api.gateway([("sw-" + s.name, ["p1"]) for s in servers[i:i + MAX_DEVICES]])
               for i in range(0, n, MAX_DEVICES)]
        pending = list(servers)
        t0 = time.monotonic()
        conns = [api.connection(gw["id"], net["id"], SEG) for gw in gws]
        t_api = time.monotonic() - t0
        deadline = t0 + 300
        while pending:
            pending = [s for s in pending if not s.programmed(net["id"])]
            if time.monotonic() > deadline:
                raise RuntimeError("%d switches not programmed" % len(pending))
            if pending:
                time.sleep(0.05)
        t_rows = time.monotonic() - t0
        vteplab.wait_until(lambda: all(api.conn(x["id"])["status"] == "ACTIVE" for x in conns),
                           120, "connections ACTIVE", interval=0.1)
        t_active = time.monotonic() - t0
    finally:
        c.close()
        for s in servers:
            s.destroy()
    log("reconcile N=%d nodes=%d: %d servers started in %.1f s; nodes start -> %d switches "
        "connected %.2f s, spread evenly %.2f s; connection create (API %.2f s) -> every "
        "switch holds its rows %.2f s, status ACTIVE %.2f s"
        % (n, n_nodes, n, t_servers, n, t_start, t_bal, t_api, t_rows, t_active))
    return t_start, t_bal, t_rows, t_active


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="fewer samples, shorter runs, N up to 100")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--samples", type=int, default=None)
    ap.add_argument("--sizes", default=None, help="reconcile N list, e.g. 10,100,1000")
    ap.add_argument("--only", default="throughput,takeover,reconcile")
    a = ap.parse_args()
    seconds = a.seconds or (3.0 if a.quick else 8.0)
    samples = a.samples or (2 if a.quick else 5)
    sizes = [int(x) for x in (a.sizes or ("10,100" if a.quick else "10,100,1000")).split(",")]
    only = set(a.only.split(","))
    root = tempfile.mkdtemp(prefix="clusb-", dir=os.environ.get("BENCH_TMPDIR", "/tmp"))
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    pg = clusterlab.Pg("/tmp/l2gw-pg-clusb-%d" % os.getpid())
    try:
        pg.start()
    except BaseException:
        pg.destroy()
        shutil.rmtree(root, ignore_errors=True)
        raise
    log("l2gwd %s; PostgreSQL %s; load: %s" % (vteplab.daemon_path(), pg.url,
                                                os.getloadavg()))
    summary = []
    try:
        if "throughput" in only:
            for nodes in (1, 3):
                r = throughput(pg, root, nodes, a.clients, seconds)
                summary.append("throughput: %d node(s), %d clients: %.0f network creates/s "
                               "(explicit VNIs)" % (nodes, a.clients, r))
            if not a.quick:
                r = throughput(pg, root, 1, a.clients, seconds, auto_vni=True)
                summary.append("throughput: 1 node, %d clients: %.0f network creates/s "
                               "(VNIs allocated by l2gwd)" % (a.clients, r))
        if "takeover" in only:
            for to in (10, 3):
                t = takeover(pg, root, to, samples)
                summary.append("takeover after kill -9, takeover_timeout=%d: p50 %.2f s, "
                               "max %.2f s (%d samples)" % (to, statistics.median(t), max(t),
                                                            len(t)))
        if "reconcile" in only:
            for n in sizes:
                for nodes in (1, 3):
                    ts, tb, tr, ta = reconcile(pg, root, n, nodes)
                    summary.append("reconcile N=%d, %d node(s): start->all connected %.2f s "
                                   "(evenly spread %.2f s); one connection on all N -> rows on "
                                   "every switch %.2f s, ACTIVE %.2f s"
                                   % (n, nodes, ts, tb, tr, ta))
    finally:
        cleanup()
        pg.destroy()
        if not os.environ.get("KEEP"):
            shutil.rmtree(root, ignore_errors=True)
    log("\n== summary (load %s) ==" % (os.getloadavg(),))
    for line in summary:
        log(line)


if __name__ == "__main__":
    main()
