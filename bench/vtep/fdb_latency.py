#!/usr/bin/python3
"""fdb_latency.py: time from a hardware_vtep change to l2gw-vtepd's kernel FDB.

Run inside the gateway's network namespace (ip netns exec NS ...), with
l2gw-vtepd serving Logical_Switch LS (a key, a binding, a flood set: what
bench/vtep/run.sh programs).  One OVSDB connection on the unix socket sends
each change as one `transact`; one rtnetlink socket subscribed to
RTNLGRP_NEIGH receives the FDB notifications.  Both are read by one select
loop, each message stamped with CLOCK_MONOTONIC when read.

Per round, one after the other (each waits for the previous to be seen):
  mac-add     insert a Ucast_Macs_Remote row (new MAC, the VM's locator):
              done when both entries are there: the `self` entry on the
              VXLAN device (with dst) and the bridge's `master` entry
  mac-del     delete that row: done when both entries are gone
  flood-add   add a new locator to the unknown-dst Mcast_Macs_Remote set:
              done when the all-zero `self` entry with its dst is there
  flood-del   take it out again: done when that entry is gone

Times run from just before the transaction is sent.  `commit` is until
ovsdb-server's reply (the write itself); `kernel` until the last awaited
notification.  A change not seen within --timeout counts as a miss.

With --preload N, N remote MACs (on the same locator) are first written
in transactions of 1000 rows (at most two in flight), and the time until the
kernel holds both entries of every one of them is printed ("bulk"); the
rounds then run with those N MACs in the table.

With --ovs-vtep TARGET (ovs-vtep keeps no kernel FDB: its forwarding state
is OpenFlow rules), only mac-add and mac-del are timed, and "seen" is the
end of the first `ovs-ofctl dump-flows TARGET table=1,dl_dst=MAC` that
shows (or no longer shows) the MAC's rule, polled every --poll seconds
after the commit: an upper bound, by up to one poll (~10-20 ms).
"""
import argparse
import json
import os
import select
import socket
import struct
import subprocess
import sys
import time

# rtnetlink constants (linux/rtnetlink.h, linux/neighbour.h)
RTMGRP_NEIGH = 0x4
RTM_NEWNEIGH, RTM_DELNEIGH = 28, 29
NDA_DST, NDA_LLADDR, NDA_MASTER = 1, 2, 9
NLMSG_HDR = struct.Struct("=IHHII")
NDMSG = struct.Struct("=BxxxiHBB")
RTA_HDR = struct.Struct("=HH")
AF_BRIDGE = 7

ZERO_MAC = "00:00:00:00:00:00"


def ifindex(name):
    return socket.if_nametoindex(name)


class Neigh:
    """rtnetlink listener for neighbour/FDB notifications."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  socket.NETLINK_ROUTE)
        try:    # (root: above net.core.rmem_max)
            self.sock.setsockopt(socket.SOL_SOCKET, 33, 32 << 20)  # SO_RCVBUFFORCE
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 << 20)
        self.sock.bind((0, RTMGRP_NEIGH))

    def fileno(self):
        return self.sock.fileno()

    def read(self):
        """Returns [(kind 'new'|'del', ifindex, mac, dst or None, master or None)]."""
        try:
            data = self.sock.recv(1 << 16)
        except OSError as e:
            if e.errno == 105:      # ENOBUFS: notifications were lost
                raise RuntimeError("netlink receive buffer overrun: "
                                   "notifications lost") from e
            raise
        out = []
        off = 0
        while off + NLMSG_HDR.size <= len(data):
            length, mtype, _flags, _seq, _pid = NLMSG_HDR.unpack_from(data, off)
            if length < NLMSG_HDR.size:
                break
            if mtype in (RTM_NEWNEIGH, RTM_DELNEIGH):
                out.append(self._parse(mtype, data[off + NLMSG_HDR.size:off + length]))
            off += (length + 3) & ~3
        return [e for e in out if e]

    @staticmethod
    def _parse(mtype, body):
        if len(body) < NDMSG.size:
            return None
        family, idx, _state, _flags, _type = NDMSG.unpack_from(body, 0)
        if family != AF_BRIDGE:
            return None
        mac = dst = master = None
        off = NDMSG.size
        while off + RTA_HDR.size <= len(body):
            alen, atype = RTA_HDR.unpack_from(body, off)
            if alen < RTA_HDR.size:
                break
            payload = body[off + RTA_HDR.size:off + alen]
            if atype == NDA_LLADDR and len(payload) == 6:
                mac = ":".join("%02x" % b for b in payload)
            elif atype == NDA_DST and len(payload) == 4:
                dst = socket.inet_ntoa(payload)
            elif atype == NDA_MASTER and len(payload) == 4:
                master = struct.unpack("=I", payload)[0]
            off += (alen + 3) & ~3
        kind = "new" if mtype == RTM_NEWNEIGH else "del"
        return (kind, idx, mac, dst, master)


class Ovsdb:
    """A minimal JSON-RPC client of ovsdb-server on a unix socket."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buf = ""
        self.dec = json.JSONDecoder()
        self.next_id = 0
        self.replies = {}

    def fileno(self):
        return self.sock.fileno()

    def send(self, method, params):
        """Sends a request; returns its id."""
        self.next_id += 1
        msg = {"method": method, "params": params, "id": self.next_id}
        self.sock.sendall(json.dumps(msg).encode())
        return self.next_id

    def read(self):
        """Reads what is there; stores replies by id, answers echo."""
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise RuntimeError("ovsdb-server closed the connection")
        self.buf += chunk.decode()
        while self.buf:
            self.buf = self.buf.lstrip()
            try:
                msg, end = self.dec.raw_decode(self.buf)
            except ValueError:
                return
            self.buf = self.buf[end:]
            if msg.get("method") == "echo":
                self.sock.sendall(json.dumps(
                    {"result": msg["params"], "error": None, "id": msg["id"]}).encode())
            elif "result" in msg:
                self.replies[msg["id"]] = msg

    def call(self, method, params, timeout=5.0):
        rid = self.send(method, params)
        end = time.monotonic() + timeout
        while rid not in self.replies:
            if not select.select([self], [], [], max(0.0, end - time.monotonic()))[0]:
                raise RuntimeError("no reply to %s" % method)
            self.read()
        return check_reply(self.replies.pop(rid))


def check_reply(msg):
    if msg.get("error"):
        raise RuntimeError("ovsdb error: %s" % msg["error"])
    for r in msg["result"] or []:
        if r and "error" in r:
            raise RuntimeError("ovsdb error: %s" % r)
    return msg["result"]


DB = "hardware_vtep"


def uuid(u):
    return ["uuid", u]


class Bench:
    def __init__(self, args):
        self.a = args
        self.db = Ovsdb(args.db)
        if args.ovs_vtep:
            self.nl = self.vx = self.br = None
        else:
            self.nl = Neigh()
            self.vx = ifindex(args.vxlan)
            self.br = ifindex(args.bridge)
        res = self.db.call("transact", [
            DB,
            {"op": "select", "table": "Logical_Switch",
             "where": [["name", "==", args.ls]], "columns": ["_uuid"]},
            {"op": "select", "table": "Physical_Locator",
             "where": [["dst_ip", "==", args.locator]], "columns": ["_uuid"]},
        ])
        if not res[0]["rows"] or not res[1]["rows"]:
            raise RuntimeError("no Logical_Switch %s or no locator %s"
                               % (args.ls, args.locator))
        self.ls = res[0]["rows"][0]["_uuid"][1]
        self.loc = res[1]["rows"][0]["_uuid"][1]
        res = self.db.call("transact", [
            DB, {"op": "select", "table": "Mcast_Macs_Remote",
                 "where": [["logical_switch", "==", uuid(self.ls)],
                           ["MAC", "==", "unknown-dst"]],
                 "columns": ["_uuid"]}])
        if not res[0]["rows"]:
            raise RuntimeError("no unknown-dst Mcast_Macs_Remote in %s" % args.ls)
        self.mcast = res[0]["rows"][0]["_uuid"][1]

    def timed(self, ops, wanted=(), poll=None):
        """Sends one transaction; waits for every notification in `wanted`
        (a set of (kind, ifindex, mac, dst or None, is_master)), or, with
        `poll`, until poll() is true.  Returns (commit_s, kernel_s or None,
        result)."""
        if poll:
            return self.timed_poll(ops, poll)
        pending = set(wanted)
        t0 = time.monotonic()
        rid = self.db.send("transact", [DB] + ops)
        t_commit = t_kernel = None
        result = None
        end = t0 + self.a.timeout
        while t_commit is None or (pending and time.monotonic() < end):
            left = end - time.monotonic()
            if t_commit is not None and left <= 0:
                break
            ready = select.select([self.db, self.nl], [], [], max(0.0, left))[0]
            now = time.monotonic()
            if not ready and t_commit is None and now > end + 5:
                raise RuntimeError("no reply from ovsdb-server")
            if self.nl in ready:
                for kind, idx, mac, dst, master in self.nl.read():
                    # a bridge ("master") entry names its bridge
                    if master is not None and master != self.br:
                        continue
                    key = (kind, idx, mac, dst if master is None else None,
                           master is not None)
                    if key in pending:
                        pending.discard(key)
                        if not pending:
                            t_kernel = now
            if self.db in ready:
                self.db.read()
                if rid in self.db.replies:
                    result = check_reply(self.db.replies.pop(rid))
                    t_commit = now
        kernel = None if pending else t_kernel - t0
        return t_commit - t0, kernel, result

    def preload(self, n, chunk=1000):
        """Writes n remote MACs; returns seconds until the kernel holds
        both entries of each (None after --timeout + 60 s)."""
        macs = ["02:cc:00:%02x:%02x:%02x" % (i >> 16, (i >> 8) & 0xff, i & 0xff)
                for i in range(n)]
        pending = {("new", self.vx, m, self.a.locator, False) for m in macs}
        pending |= {("new", self.vx, m, None, True) for m in macs}
        # At most two transactions in flight: sending them all at once
        # deadlocks (ovsdb-server stops reading while its replies wait).
        chunks = [macs[i:i + chunk] for i in range(0, n, chunk)]
        t0 = time.monotonic()
        ids = set()
        end = t0 + self.a.timeout + 60
        while (pending or ids or chunks) and time.monotonic() < end:
            while chunks and len(ids) < 2:
                ops = [{"op": "insert", "table": "Ucast_Macs_Remote",
                        "row": {"MAC": m, "logical_switch": uuid(self.ls),
                                "locator": uuid(self.loc)}} for m in chunks.pop(0)]
                ids.add(self.db.send("transact", [DB] + ops))
            ready = select.select([self.db, self.nl], [], [], 0.5)[0]
            if self.nl in ready:
                for kind, idx, mac, dst, master in self.nl.read():
                    if master is not None and master != self.br:
                        continue
                    pending.discard((kind, idx, mac, dst if master is None else None,
                                     master is not None))
            if self.db in ready:
                self.db.read()
                for rid in list(ids):
                    if rid in self.db.replies:
                        check_reply(self.db.replies.pop(rid))
                        ids.discard(rid)
        return None if pending else time.monotonic() - t0

    def timed_poll(self, ops, poll):
        t0 = time.monotonic()
        result = self.db.call("transact", [DB] + ops, timeout=self.a.timeout + 5)
        t_commit = time.monotonic()
        end = t0 + self.a.timeout
        while True:
            if poll():
                return t_commit - t0, time.monotonic() - t0, result
            if time.monotonic() > end:
                return t_commit - t0, None, result
            time.sleep(self.a.poll)

    def has_flow(self, mac):
        out = subprocess.run(["ovs-ofctl", "dump-flows", self.a.ovs_vtep,
                              "table=1,dl_dst=%s" % mac],
                             capture_output=True, text=True, check=True).stdout
        return "dl_dst=%s" % mac in out

    def mac_add(self, mac):
        ops = [{"op": "insert", "table": "Ucast_Macs_Remote",
                "row": {"MAC": mac, "logical_switch": uuid(self.ls),
                        "locator": uuid(self.loc)}}]
        want = {("new", self.vx, mac, self.a.locator, False),
                ("new", self.vx, mac, None, True)}
        poll = (lambda: self.has_flow(mac)) if self.a.ovs_vtep else None
        c, k, res = self.timed(ops, want, poll)
        return c, k, res[0]["uuid"][1]

    def mac_del(self, mac, row):
        ops = [{"op": "delete", "table": "Ucast_Macs_Remote",
                "where": [["_uuid", "==", uuid(row)]]}]
        want = {("del", self.vx, mac, self.a.locator, False),
                ("del", self.vx, mac, None, True)}
        poll = (lambda: not self.has_flow(mac)) if self.a.ovs_vtep else None
        c, k, _ = self.timed(ops, want, poll)
        return c, k

    def flood_set(self, extra_ip):
        """The unknown-dst set becomes {VM locator} (+ a new locator)."""
        locs = [uuid(self.loc)]
        ops = []
        if extra_ip:
            ops.append({"op": "insert", "table": "Physical_Locator",
                        "uuid-name": "nl",
                        "row": {"dst_ip": extra_ip,
                                "encapsulation_type": "vxlan_over_ipv4"}})
            locs.append(["named-uuid", "nl"])
        ops += [{"op": "insert", "table": "Physical_Locator_Set",
                 "uuid-name": "ns", "row": {"locators": ["set", locs]}},
                {"op": "update", "table": "Mcast_Macs_Remote",
                 "where": [["_uuid", "==", uuid(self.mcast)]],
                 "row": {"locator_set": ["named-uuid", "ns"]}}]
        return ops

    def flood_add(self, ip):
        c, k, _ = self.timed(self.flood_set(ip),
                             {("new", self.vx, ZERO_MAC, ip, False)})
        return c, k

    def flood_del(self, ip):
        c, k, _ = self.timed(self.flood_set(None),
                             {("del", self.vx, ZERO_MAC, ip, False)})
        return c, k


def pct(sorted_vals, p):
    """Nearest-rank percentile of a sorted list."""
    i = max(1, int(p * len(sorted_vals) + 0.999999))
    return sorted_vals[min(i, len(sorted_vals)) - 1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="ovsdb-server unix socket path")
    ap.add_argument("--ls", default="ls1", help="Logical_Switch name (ls1)")
    ap.add_argument("--vxlan", help="vtepd's VXLAN device of LS")
    ap.add_argument("--bridge", help="vtepd's bridge of LS")
    ap.add_argument("--ovs-vtep", metavar="TARGET",
                    help="time ovs-vtep instead: ovs-ofctl target of its LS bridge")
    ap.add_argument("--poll", type=float, default=0.01,
                    help="with --ovs-vtep: seconds between two polls (0.01)")
    ap.add_argument("--locator", default="10.77.0.2",
                    help="an existing locator's dst_ip, used by the remote MACs")
    ap.add_argument("--flood-net", default="10.77.1.",
                    help="prefix of the flood locators' IPs (10.77.1.)")
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=3.0,
                    help="seconds before a change counts as a miss (3)")
    ap.add_argument("--gap", type=float, default=0.005,
                    help="seconds between two changes (0.005)")
    ap.add_argument("--preload", type=int, default=0,
                    help="remote MACs written before the rounds (0; not with --ovs-vtep)")
    ap.add_argument("--samples", help="write every sample here (op round commit_ms kernel_ms)")
    a = ap.parse_args()
    if not a.ovs_vtep and not (a.vxlan and a.bridge):
        ap.error("--vxlan and --bridge are needed (or --ovs-vtep)")

    b = Bench(a)
    bulk = None
    if a.preload and not a.ovs_vtep:
        bulk = b.preload(a.preload)
        if bulk is None:
            raise RuntimeError("%d preloaded MACs not all in the kernel" % a.preload)
    names = ["mac-add", "mac-del"]
    if not a.ovs_vtep:
        names += ["flood-add", "flood-del"]
    commit = {n: [] for n in names}
    kernel = {n: [] for n in names}
    misses = {n: 0 for n in names}
    samples = []

    def note(name, rnd, c, k):
        commit[name].append(c)
        if k is None:
            misses[name] += 1
        else:
            kernel[name].append(k)
        samples.append((name, rnd, c, k))
        time.sleep(a.gap)

    for r in range(a.rounds):
        mac = "02:bb:%02x:%02x:%02x:%02x" % (os.getpid() & 0xff, (r >> 16) & 0xff,
                                             (r >> 8) & 0xff, r & 0xff)
        c, k, row = b.mac_add(mac)
        note("mac-add", r, c, k)
        c, k = b.mac_del(mac, row)
        note("mac-del", r, c, k)
        if a.ovs_vtep:
            continue
        ip = "%s%d" % (a.flood_net, 1 + r % 250)
        c, k = b.flood_add(ip)
        note("flood-add", r, c, k)
        c, k = b.flood_del(ip)
        note("flood-del", r, c, k)

    if a.samples:
        with open(a.samples, "w") as f:
            for name, rnd, c, k in samples:
                f.write("%s %d %.3f %s\n" % (name, rnd, c * 1e3,
                                             "miss" if k is None else "%.3f" % (k * 1e3)))

    if a.ovs_vtep:
        print("hardware_vtep change -> ovs-vtep's OpenFlow rule (%d rounds, ms from"
              " sending the transaction; polled every %g ms)" % (a.rounds, a.poll * 1e3))
    else:
        print("hardware_vtep change -> l2gw-vtepd's kernel FDB (%d rounds, ms from"
              " sending the transaction; %d other remote MACs in the LS)"
              % (a.rounds, a.preload))
        if bulk is not None:
            print("bulk: %d remote MACs (%d transactions, <= 2 in flight) -> all in"
                  " the kernel: %.1f ms"
                  % (a.preload, (a.preload + 999) // 1000, bulk * 1e3))
    print("%-10s %6s %10s %8s %8s %8s %8s %8s %6s" % (
        "change", "n", "commit_p50", "p50", "p90", "p99", "max", "min", "miss"))
    rc = 0
    for n in names:
        cs = sorted(commit[n])
        ks = sorted(kernel[n])
        if misses[n]:
            rc = 1
        if not ks:
            print("%-10s %6d %10.3f %8s %8s %8s %8s %8s %6d" % (
                n, 0, pct(cs, 0.5) * 1e3, "-", "-", "-", "-", "-", misses[n]))
            continue
        print("%-10s %6d %10.3f %8.3f %8.3f %8.3f %8.3f %8.3f %6d" % (
            n, len(ks), pct(cs, 0.5) * 1e3, pct(ks, 0.5) * 1e3, pct(ks, 0.9) * 1e3,
            pct(ks, 0.99) * 1e3, ks[-1] * 1e3, ks[0] * 1e3, misses[n]))
    return rc


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, OSError) as e:
        print("fdb_latency: %s" % e, file=sys.stderr)
        sys.exit(1)
