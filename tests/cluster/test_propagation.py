"""Issue 8 (b): an API write on any node reaches the switch, whichever node
serves it (NOTIFY l2gw_changes), and the status computed from the
switch's verdict is visible through every node."""

from cluutil import H1_IP, H2_IP, desired, mac, on_switch


def test_writes_on_any_node_reach_the_switch_of_another(cluster):
    n1, n2, n3 = cluster.nodes
    db = sorted(cluster.serving()[n3.node_id])[0]
    srv = cluster.server(db)
    sw = cluster.switch(srv)
    assert cluster.owner_of(db) == [n3.node_id]
    # gateway and connection through node 1
    net = n1.api.network()
    gw = n1.api.gateway([(sw, ["p1"])])
    conn = n1.api.connection(gw["id"], net["id"], 100)
    on_switch(srv, lambda s: desired(s, sw, {"p1": {100: net["id"]}}, {}))
    # host and port through node 2
    h = n2.api.host(H1_IP)
    p = n2.api.port(net["id"], mac=mac(1), host=h["name"])
    on_switch(srv, lambda s: desired(s, sw, {"p1": {100: net["id"]}},
                                     {net["id"]: {mac(1): H1_IP}}))
    n2.api.wait_status(conn["id"], "ACTIVE")
    n1.api.wait_status(conn["id"], "ACTIVE")
    # an update through node 1 (VM migration), a delete through node 2
    h2 = n1.api.host(H2_IP)
    n1.api.update_port(p["id"], **{"binding:host_id": h2["name"]})
    on_switch(srv, lambda s: desired(s, sw, {"p1": {100: net["id"]}},
                                     {net["id"]: {mac(1): H2_IP}}))
    n2.api.delete_connection(conn["id"])
    on_switch(srv, lambda s: desired(s, sw, {}, {}))
    # the other switches were never touched
    for other in cluster.servers:
        if other is not srv:
            snap = other.dump()
            assert snap.logical_switches() == [] and snap.all_bindings() == [], other.name


def test_connection_over_switches_of_three_nodes(cluster):
    """One gateway with a device on a switch of each node: every switch is
    programmed and the connection is ACTIVE on every node only when all
    three are."""
    serving = cluster.serving()
    picks = [cluster.server(sorted(serving[n.node_id])[0]) for n in cluster.nodes]
    api = cluster.nodes[0].api
    net = api.network()
    gw = api.gateway([(cluster.switch(s), ["p2"]) for s in picks])
    h = cluster.nodes[1].api.host(H1_IP)
    cluster.nodes[2].api.port(net["id"], mac=mac(7), host=h["name"])
    conn = cluster.nodes[1].api.connection(gw["id"], net["id"], 7)
    for s in picks:
        on_switch(s, lambda snap, s=s: desired(snap, cluster.switch(s), {"p2": {7: net["id"]}},
                                               {net["id"]: {mac(7): H1_IP}}))
    for n in cluster.nodes:
        n.api.wait_status(conn["id"], "ACTIVE")
