#!/usr/bin/python3
"""bench/border/remote_macs.py: a bulk create of 10,000 remote MACs, timed
from the POST to the rows on the switch (issue: "target: on the switch
within 1 s").

Lab (tests/pylib/vteplab.py): one ovsdb-server with the hardware_vtep
schema, switch sw1 (port p1, tunnel IP 192.0.2.100, advertising
other_config:l2gw-per-locator-key=true), one l2gwd (noauth, SQLite) with
[ovsdb] ovsdb_hosts = lab:unix:<socket>.  Set-up (untimed): network
(vxlan 5000), host 192.0.2.11 and a port bound to it, gateway sw1/p1,
connection (ACTIVE), remote gateway 198.51.100.1, remote connection
(seg_id 456, flood true, ACTIVE).

Each run: POST /v2.0/l2-remote-macs with 10,000 items, sent from a thread
with its body serialised beforehand; meanwhile the main thread polls the
switch on one kept-open OVSDB connection (unix socket) with a `select` of
Ucast_Macs_Remote rows whose locator is the WAN locator, column MAC only
(ovsdb-server returns rows that are equal in the selected columns once,
so columns [] would count 1; the MACs posted are distinct), every POLL_INTERVAL seconds, until the count
is N.  api_201_s = send → 201 read; on_switch_s = send → the first poll
that counted N.  Then a full check: exactly N Ucast_Macs_Remote rows, all
on the WAN locator, whose tunnel_key is 456 and dst_ip 198.51.100.1, with
the MACs and IPs posted.  Between runs the remote connection is deleted
(which removes its MACs from the switch) and created again.

Prints one line per run, the median, and PASS/MISS against the 1 s
target.  Exit status 1 when a run did not complete (timeout, API error,
wrong rows on the switch); a MISS is a figure, not a failure.
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tests", "pylib"))
import vteplab  # noqa: E402

TARGET_S = 1.0
WAN_IP = "198.51.100.1"
WAN_KEY = 456
VNI = 5000
SWITCH_TIMEOUT = 60.0
RCONN = "/v2.0/l2-remote-gateway-connections"
PORT_MAC = "02:00:00:00:00:01"


class OvsdbPoller:
    """One JSON-RPC connection to ovsdb-server on its unix socket, kept
    open for every poll; answers the server's echo requests."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(path)
        self.raw = b""
        self.dec = json.JSONDecoder()
        self.next_id = 1

    def close(self):
        self.sock.close()

    def transact(self, *ops):
        """The results of one transaction; raises on any error."""
        rid = self.next_id
        self.next_id += 1
        self.sock.sendall(json.dumps({"method": "transact", "id": rid,
                                      "params": [vteplab.DB_NAME] + list(ops)}).encode())
        while True:
            msg = self._read()
            if msg.get("method") == "echo":
                self.sock.sendall(json.dumps({"result": msg["params"], "error": None,
                                              "id": msg["id"]}).encode())
            elif msg.get("id") == rid:
                if msg.get("error") is not None:
                    raise vteplab.LabError("transact: %r" % msg["error"])
                for r in msg["result"]:
                    if isinstance(r, dict) and "error" in r:
                        raise vteplab.LabError("transact: %r" % r)
                return msg["result"]

    def _read(self):
        while True:
            text = self.raw.lstrip()
            if text:
                try:
                    s = text.decode()
                    msg, end = self.dec.raw_decode(s)
                    self.raw = s[end:].encode()
                    return msg
                except (UnicodeDecodeError, ValueError):
                    pass
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise vteplab.LabError("ovsdb-server closed the connection")
            self.raw += chunk

    def select(self, table, where, columns):
        return self.transact({"op": "select", "table": table, "where": where,
                              "columns": columns})[0]["rows"]


def macs_body(n, rc_id, run):
    items = []
    for i in range(n):
        mac = "02:%02x:%02x:%02x:%02x:%02x" % (run, 0xbe, (i >> 16) & 255, (i >> 8) & 255,
                                                i & 255)
        ip = "10.%d.%d.%d" % (run, (i >> 8) & 255, i & 255)
        items.append({"mac": mac, "ipaddr": ip, "rgw_connection": rc_id})
    return items


def post_in_thread(port, body, out):
    """POSTs the pre-serialised 'body' on a new connection; fills 'out'."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    hdrs = {"Content-Type": "application/json", "Accept": "application/json",
            "X-Project-Id": "admin", "X-Roles": "admin"}
    try:
        out["t_send"] = time.monotonic()
        conn.request("POST", "/v2.0/l2-remote-macs", body=body, headers=hdrs)
        resp = conn.getresponse()
        payload = resp.read()
        out["t_201"] = time.monotonic()
        out["status"] = resp.status
        out["body"] = payload
    except Exception as e:  # reported by the main thread
        out["exc"] = e
    finally:
        conn.close()


def wan_locator(poller):
    rows = poller.select("Physical_Locator", [["dst_ip", "==", WAN_IP]],
                         ["_uuid", "tunnel_key"])
    if len(rows) != 1:
        raise vteplab.LabError("expected one WAN locator %s, found %r" % (WAN_IP, rows))
    return rows[0]["_uuid"][1]


def one_run(args, lab, run, rc_id):
    """Times one bulk create; returns (api_s, switch_s, polls, poll stats)."""
    wan = wan_locator(lab["poller"])
    items = macs_body(args.n, rc_id, run)
    body = json.dumps({"l2_remote_macs": items}).encode()
    where = [["locator", "==", ["uuid", wan]]]
    out = {}
    th = threading.Thread(target=post_in_thread, args=(lab["daemon"].port, body, out))
    th.start()
    polls, gaps, costs, last = 0, [], [], None
    t_switch = None
    prev_t0 = None
    while t_switch is None:
        t0 = time.monotonic()
        count = len(lab["poller"].select("Ucast_Macs_Remote", where, ["MAC"]))
        t1 = time.monotonic()
        polls += 1
        costs.append(t1 - t0)
        if last is not None:
            gaps.append(t0 - last)
        last = t0
        if count == args.n:
            t_switch = t1
            # the rows arrived after the previous poll's select began
            window = t1 - (prev_t0 if prev_t0 is not None else t0)
            break
        prev_t0 = t0
        if count > args.n:
            raise vteplab.LabError("%d rows on the WAN locator, more than %d" % (count, args.n))
        if "t_send" in out and t1 - out["t_send"] > SWITCH_TIMEOUT:
            raise vteplab.LabError("only %d of %d rows on the switch after %.0f s"
                                   % (count, args.n, SWITCH_TIMEOUT))
        if "exc" in out or ("status" in out and out["status"] != 201):
            break
        time.sleep(args.poll_interval)
    th.join()
    if "exc" in out:
        raise vteplab.LabError("POST failed: %r" % out["exc"])
    if out["status"] != 201:
        raise vteplab.LabError("POST answered %d: %r" % (out["status"], out["body"][:800]))
    created = json.loads(out["body"])["l2_remote_macs"]
    if len(created) != args.n:
        raise vteplab.LabError("201 lists %d MACs, not %d" % (len(created), args.n))
    verify(lab["poller"], items, wan)
    return (out["t_201"] - out["t_send"], t_switch - out["t_send"], polls, gaps, costs,
            window)


def verify(poller, items, wan):
    """Exactly the posted MACs, each once, on the WAN locator with key
    WAN_KEY, and besides them only the bound port's MAC (on the host's
    locator); raises otherwise."""
    loc = poller.select("Physical_Locator", [["_uuid", "==", ["uuid", wan]]],
                        ["dst_ip", "tunnel_key"])
    key = loc[0]["tunnel_key"] if loc else None
    if not loc or key != WAN_KEY or loc[0]["dst_ip"] != WAN_IP:
        raise vteplab.LabError("WAN locator is %r, want dst_ip %s tunnel_key %d"
                               % (loc, WAN_IP, WAN_KEY))
    rows = poller.select("Ucast_Macs_Remote", [], ["MAC", "ipaddr", "locator"])
    got, others = {}, []
    for r in rows:
        if r["locator"] != ["uuid", wan]:
            others.append(r["MAC"])
            continue
        if r["MAC"] in got:
            raise vteplab.LabError("MAC %s twice on the WAN locator" % r["MAC"])
        got[r["MAC"]] = r["ipaddr"]
    if others != [PORT_MAC]:
        raise vteplab.LabError("rows off the WAN locator: %r, want only the port's %s"
                               % (others[:5], PORT_MAC))
    want = {i["mac"]: i["ipaddr"] for i in items}
    if got != want:
        missing = sorted(set(want) - set(got))[:5]
        extra = sorted(set(got) - set(want))[:5]
        raise vteplab.LabError("switch rows differ: %d rows, want %d; missing %s extra %s"
                               % (len(got), len(want), missing, extra))
    return len(got), key


def remote_connection(api, gw_id, net_id, rgw_id):
    c = api.expect(api.post(RCONN, {"l2_remote_gateway_connection": {
        "gateway": gw_id, "network": net_id, "remote_gateway": rgw_id,
        "seg_id": WAN_KEY, "flood": True}}), 201)["l2_remote_gateway_connection"]

    def active():
        s = api.show("l2-remote-gateway-connections", "l2_remote_gateway_connection", c["id"])
        assert s["status"] == "ACTIVE", "remote connection status %r (%r)" % (
            s["status"], s.get("status_reason"))
    vteplab.eventually(active, 30)
    return c["id"]


def setup(lab, workdir):
    ovs = vteplab.OvsdbServer(workdir, name="sw1")
    lab["ovs"] = ovs
    ovs.start()
    ovs.add_switch("sw1", tunnel_ip="192.0.2.100", ports=("p1",))
    ovs.ctl("set", "Physical_Switch", "sw1", "other_config:l2gw-per-locator-key=true")
    d = vteplab.L2gwd(workdir, ovsdb_hosts=[ovs.hosts_entry("lab")])
    lab["daemon"] = d
    d.start()
    api = d.client()
    lab["api"] = api
    api.wait_switch("sw1", ports=("p1",), timeout=30)
    net = api.network(vni=VNI, name="bench-net")
    host = api.host(tunnel_ip="192.0.2.11", name="bench-host")
    api.port(net["id"], host=host["name"], mac=PORT_MAC, ips=())
    gw = api.gateway([("sw1", ["p1"])], name="bench-gw")
    conn = api.connection(gw["id"], net["id"])
    api.wait_status(conn["id"], "ACTIVE", timeout=30)
    rgw = api.create("l2-remote-gateways", "l2_remote_gateway",
                     {"name": "bench-rgw", "ipaddr": WAN_IP})
    lab["ids"] = (gw["id"], net["id"], rgw["id"])
    lab["poller"] = OvsdbPoller(ovs.sock)
    return remote_connection(api, *lab["ids"])


def wait_empty(poller):
    """Waits until the switch holds only the bound port's remote MAC."""
    vteplab.wait_until(lambda: len(poller.select("Ucast_Macs_Remote", [], ["_uuid"])) == 1,
                       30, "remote MACs gone from the switch")


def report(results, n):
    print("%-4s %10s %12s %6s %11s %11s %14s %14s" % (
        "run", "api_201_s", "on_switch_s", "polls", "gap_p50_ms", "gap_max_ms",
        "select_max_ms", "last_window_ms"))
    for i, (api_s, sw_s, polls, gaps, costs, window) in enumerate(results, 1):
        print("%-4d %10.3f %12.3f %6d %11.1f %11.1f %14.1f %14.1f" % (
            i, api_s, sw_s, polls, statistics.median(gaps) * 1000 if gaps else 0.0,
            max(gaps) * 1000 if gaps else 0.0, max(costs) * 1000, window * 1000))
    med_api = statistics.median(r[0] for r in results)
    med_sw = statistics.median(r[1] for r in results)
    allgaps = [g for r in results for g in r[3]]
    print("median: api_201_s %.3f  on_switch_s %.3f" % (med_api, med_sw))
    if allgaps:
        print("polling resolution: gap between polls p50 %.1f ms, max %.1f ms (a select "
              "waits while ovsdb-server commits); the last N rows arrived within "
              "last_window_ms before on_switch_s"
              % (statistics.median(allgaps) * 1000, max(allgaps) * 1000))
    print("target: %d remote MACs on the switch within %.1f s: %.3f s median -> %s"
          % (n, TARGET_S, med_sw, "PASS" if med_sw <= TARGET_S else "MISS"))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=10000, help="MACs per bulk create (10000)")
    p.add_argument("--runs", type=int, default=3, help="runs (3)")
    p.add_argument("--poll-interval", type=float, default=0.02,
                   help="sleep between polls of the switch, s (0.02)")
    p.add_argument("--tmpdir", default=None, help="work directory parent ($TMPDIR or /tmp)")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    args = p.parse_args()
    if not vteplab.have_tools():
        print("remote_macs: ovsdb-server, ovsdb-tool or vtep-ctl missing", file=sys.stderr)
        return 1
    if os.environ.get("L2GWD"):   # l2gwd runs in its own directory
        os.environ["L2GWD"] = os.path.abspath(os.environ["L2GWD"])
    workdir = tempfile.mkdtemp(prefix="bb-", dir=args.tmpdir)
    lab = {}
    ok = False
    try:
        rc_id = setup(lab, workdir)
        print("l2gwd %s pid %d, ovsdb-server pid %d, N = %d, poll interval %.0f ms"
              % (vteplab.daemon_path(), lab["daemon"].proc.pid, lab["ovs"].pid, args.n,
                 args.poll_interval * 1000))
        results = []
        for run in range(1, args.runs + 1):
            if run > 1:
                lab["api"].remove("l2-remote-gateway-connections", rc_id)
                wait_empty(lab["poller"])
                rc_id = remote_connection(lab["api"], *lab["ids"])
            r = one_run(args, lab, run, rc_id)
            results.append(r)
            print("run %d: api_201_s %.3f on_switch_s %.3f (%d polls); verified: exactly %d "
                  "Ucast_Macs_Remote rows, all on the WAN locator %s tunnel_key %d"
                  % (run, r[0], r[1], r[2], args.n, WAN_IP, WAN_KEY), flush=True)
        report(results, args.n)
        ok = True
    except (vteplab.LabError, AssertionError, OSError, ValueError, KeyError) as e:
        print("remote_macs: INCOMPLETE: %s" % e, file=sys.stderr)
        if "daemon" in lab:
            print("l2gwd log (tail):\n%s" % lab["daemon"].log_text(tail=3000), file=sys.stderr)
    finally:
        ok = cleanup(lab, workdir, args.keep) and ok
    return 0 if ok else 1


def cleanup(lab, workdir, keep):
    """Stops everything started; True when l2gwd exited 0 on SIGTERM."""
    good = True
    if "poller" in lab:
        lab["poller"].close()
    if "api" in lab:
        lab["api"].close()
    if "daemon" in lab:
        try:
            rc = lab["daemon"].stop()
            if rc not in (0, None):
                print("remote_macs: l2gwd exited with %r on SIGTERM" % rc, file=sys.stderr)
                good = False
        except vteplab.LabError as e:
            print("remote_macs: %s" % e, file=sys.stderr)
            good = False
    if "ovs" in lab:
        lab["ovs"].destroy()
    if keep:
        print("kept %s" % workdir)
    else:
        import shutil
        shutil.rmtree(workdir, ignore_errors=True)
    return good


if __name__ == "__main__":
    sys.exit(main())
