"""Shared helpers of the cluster tests: what a switch must hold for a set
of connections, and small API scenarios."""

import collections
import threading
import time

from vteplab import eventually

H1_IP, H2_IP = "10.0.0.11", "10.0.0.12"
SETTLE = 15.0   # convergence of a switch once it is served (seconds)


def mac(n):
    return "fa:16:3e:%02x:%02x:%02x" % ((n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)


def desired(snap, switch, bindings, macs):
    """Asserts that the switch database of 'snap' holds exactly what l2gwd
    should write for it:
      bindings {port: {vlan: network id}} of 'switch' (ports not listed:
               no binding),
      macs     {network id: {mac: dst_ip}} (the Ucast_Macs_Remote rows).
    The Logical_Switches are exactly the networks of 'bindings'."""
    want_ls = sorted({net for per in bindings.values() for net in per.values()})
    got_ls = sorted(r["name"] for r in snap.logical_switches())
    assert got_ls == want_ls, "Logical_Switch rows %r, want %r" % (got_ls, want_ls)
    got_b = collections.defaultdict(dict)
    for ps, port, vlan, ls in snap.all_bindings():
        assert ps == switch, "binding on an unexpected switch %r" % ps
        got_b[port][vlan] = ls
    want_b = {p: dict(v) for p, v in bindings.items() if v}
    assert dict(got_b) == want_b, "bindings %r, want %r" % (dict(got_b), want_b)
    got_m = collections.defaultdict(dict)
    for r in snap.ucast_remote():
        assert r["mac"].lower() not in got_m[r["ls"]], "duplicate MAC row %r" % r
        got_m[r["ls"]][r["mac"].lower()] = r["dst_ip"]
    want_m = {n: {m.lower(): ip for m, ip in v.items()} for n, v in macs.items() if v}
    assert dict(got_m) == want_m, "Ucast_Macs_Remote %r, want %r" % (dict(got_m), want_m)
    for r in snap.mcast_remote():
        assert r["ls"] in want_ls, "Mcast_Macs_Remote of an unexpected LS %r" % r


def on_switch(server, check, timeout=SETTLE):
    return eventually(lambda: check(server.dump()), timeout, interval=0.1)


def wire(api, switch, port, seg, net=None, host=None, tunnel_ip=H1_IP, macs=(1,)):
    """A network (or 'net'), a gateway on (switch, port), their connection
    with VLAN 'seg', a host and one port per MAC number of 'macs' bound to
    it.  Returns (net, gw, conn, ports)."""
    net = net or api.network()
    gw = api.gateway([(switch, [port])])
    conn = api.connection(gw["id"], net["id"], seg)
    if host is None:
        host = api.host(tunnel_ip)["name"]
    ports = [api.port(net["id"], mac=mac(m), host=host) for m in macs]
    return net, gw, conn, ports


def race(fns, spans=None):
    """Runs every function of 'fns' in its own thread, released together by
    a barrier; returns their results (an exception is returned, not
    raised).  'spans', a list, gets the (start, end) monotonic times of
    each call."""
    barrier = threading.Barrier(len(fns))
    out = [None] * len(fns)
    times = [None] * len(fns)

    def run(i, fn):
        try:
            barrier.wait(10)
            t0 = time.monotonic()
            out[i] = fn()
            times[i] = (t0, time.monotonic())
        except Exception as e:  # noqa: BLE001 - reported by the caller
            out[i] = e
    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    if spans is not None:
        spans.extend(times)
    return out


def overlapped(spans):
    """True when the calls of 'spans' (from race()) were all in flight at
    one moment."""
    spans = [s for s in spans if s is not None]
    return bool(spans) and max(s[0] for s in spans) < min(s[1] for s in spans)


def measure(pred, timeout, interval=0.05):
    """Seconds until pred() is true (polled every 'interval'); None after
    'timeout'."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if pred():
            return time.monotonic() - t0
        time.sleep(interval)
    return None
