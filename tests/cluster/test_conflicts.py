"""Issue 8 (d): conflicting writes posted at the same moment to two nodes
(threads released by a barrier): exactly one is accepted, the other gets
the 409 of api.md, every time; and the store holds only the winner."""

from cluutil import overlapped, race

ROUNDS = 20


class Rounds:
    """Counts the rounds whose two requests were really in flight together:
    a race test where they never were tested nothing."""

    def __init__(self):
        self.total = 0
        self.together = 0

    def run(self, fns):
        spans = []
        res = race(fns, spans)
        self.total += 1
        self.together += overlapped(spans)
        return res

    def check(self):
        print("\n%d of %d rounds overlapped" % (self.together, self.total))
        assert self.together >= self.total // 2, \
            "only %d of %d rounds had both requests in flight together" % (
                self.together, self.total)


def post_conn(api, gw_id, net_id, seg):
    return lambda: api.post_connection(gw_id, net_id, seg)


def one_winner(results, etype, what):
    """Exactly one 201 and one 409 'etype' among two responses; returns the
    winner's index."""
    for r in results:
        assert not isinstance(r, Exception), "%s: request failed: %r" % (what, r)
    statuses = sorted(r.status for r in results)
    assert statuses == [201, 409], "%s: %r" % (what, results)
    loser = [r for r in results if r.status == 409][0]
    assert loser.error_type() == etype, "%s: 409 type %r, want %s: %r" % (
        what, loser.error_type(), etype, loser)
    return [i for i, r in enumerate(results) if r.status == 201][0]


def test_same_gateway_and_network_on_two_nodes(cluster):
    rounds = Rounds()
    n1, n2 = cluster.nodes[0].api, cluster.nodes[1].api
    sw = cluster.switch(cluster.servers[0])
    gw = n1.gateway([(sw, ["p1"])])
    for i in range(ROUNDS):
        net = n2.network()
        res = rounds.run([post_conn(n1, gw["id"], net["id"], 1000 + i),
                    post_conn(n2, gw["id"], net["id"], 1000 + i)])
        one_winner(res, "L2GatewayConnectionExists", "round %d" % i)
        conns = n1.list("l2-gateway-connections", "l2_gateway_connections",
                        "network_id=%s" % net["id"])
        assert len(conns) == 1, "round %d: %d connections stored: %r" % (i, len(conns), conns)
    rounds.check()


def test_same_port_and_vlan_for_two_networks_on_two_nodes(cluster):
    """Two networks connected through one gateway with the same VLAN: the
    (switch, port, VLAN) can be bound to one of them only."""
    rounds = Rounds()
    n1, n2 = cluster.nodes[0].api, cluster.nodes[2].api
    sw = cluster.switch(cluster.servers[1])
    gw = n1.gateway([(sw, ["p2"])])
    for i in range(ROUNDS):
        na, nb = n1.network(), n2.network()
        res = rounds.run([post_conn(n1, gw["id"], na["id"], 2000 + i),
                    post_conn(n2, gw["id"], nb["id"], 2000 + i)])
        one_winner(res, "L2GatewayDuplicateSegmentationID", "round %d" % i)
        conns = [c for c in n2.list("l2-gateway-connections", "l2_gateway_connections",
                                    "l2_gateway_id=%s" % gw["id"])
                 if c["segmentation_id"] == str(2000 + i)]
        assert len(conns) == 1, "round %d: %r" % (i, conns)
    rounds.check()


def test_same_mac_in_one_network_on_two_nodes(cluster):
    rounds = Rounds()
    n1, n3 = cluster.nodes[0].api, cluster.nodes[2].api
    net = n1.network()
    for i in range(ROUNDS):
        m = "fa:16:3e:77:00:%02x" % i
        body = {"port": {"network_id": net["id"], "mac_address": m, "name": "race-%d" % i}}
        res = rounds.run([lambda: n1.post("/v2.0/ports", body),
                          lambda: n3.post("/v2.0/ports", body)])
        one_winner(res, "MacAddressInUse", "round %d" % i)
    ports = n3.list_all("ports", "ports", "network_id=%s" % net["id"])
    assert len(ports) == ROUNDS, len(ports)
    rounds.check()


def test_same_unique_names_on_two_nodes(cluster):
    """Host names and network VNIs are unique: the loser gets the same 409
    as a plain duplicate."""
    rounds = Rounds()
    n1, n2 = cluster.nodes[0].api, cluster.nodes[1].api
    first = n1.host(name="dup-host-ref")
    r = n2.post("/v2.0/hosts", {"host": {"name": first["name"]}})
    assert r.status == 409, r
    host_type = r.error_type()
    vni_net = n1.network(vni=77000)
    r = n2.post("/v2.0/networks", {"network": {"name": "dup", "provider:network_type": "vxlan",
                                               "provider:segmentation_id": 77000}})
    assert r.status == 409, r
    vni_type = r.error_type()
    assert vni_net
    for i in range(ROUNDS):
        hb = {"host": {"name": "race-host-%d" % i}}
        res = rounds.run([lambda: n1.post("/v2.0/hosts", hb), lambda: n2.post("/v2.0/hosts", hb)])
        one_winner(res, host_type, "host round %d" % i)
        nb = {"network": {"name": "race-net-%d" % i, "provider:network_type": "vxlan",
                          "provider:segmentation_id": 78000 + i}}
        res = rounds.run([lambda: n1.post("/v2.0/networks", nb),
                          lambda: n2.post("/v2.0/networks", nb)])
        one_winner(res, vni_type, "network round %d" % i)
    rounds.check()
