"""switch.md "Replication and faults": service-node replication for
switches that cannot do source-node, switch and port faults driving the
connection status, a bound port that disappears."""

import pytest

from vteplab import eventually
from swutil import (H1_IP, H2_IP, assert_flood, assert_ls, assert_macs, connect, mac,
                    on_switch)

NO_SOURCE_NODE = "unsupported_source_node_replication"
SERVICE_NODES = ["10.20.0.1", "10.20.0.2"]


def _hosts_and_ports(api, net):
    api.host(H1_IP, name="h1")
    api.host(H2_IP, name="h2")
    api.port(net["id"], mac=mac(1), host="h1")
    api.port(net["id"], mac=mac(2), host="h2")


# -- replication ------------------------------------------------------------------

def test_source_node_by_default_even_with_service_nodes_configured(lab):
    s, d, api = lab.basic(ovsdb={"service_node_ips": ",".join(SERVICE_NODES)})
    net, _, c = connect(api)
    _hosts_and_ports(api, net)
    on_switch(s, lambda snap: (snap.ls(net["id"])["replication_mode"] == "source_node" or _no(),
                               assert_flood(snap, net["id"], [H1_IP, H2_IP])))


def test_service_node_for_switch_without_source_node(lab):
    """The set is the service nodes, never the hypervisors; the unicast
    rows still point at the hosts."""
    s, d, api = lab.basic(ovsdb={"service_node_ips": ",".join(SERVICE_NODES)})
    s.set_switch_fault("sw1", [NO_SOURCE_NODE])
    net, _, c = connect(api, wait=None)
    _hosts_and_ports(api, net)

    def check(snap):
        ls = assert_ls(snap, net)
        assert ls["replication_mode"] == "service_node", ls
        assert_flood(snap, net["id"], SERVICE_NODES)
        assert_macs(snap, net["id"], {mac(1): ("", H1_IP), mac(2): ("", H2_IP)})
    on_switch(s, check)
    # the fault is handled by the configured service nodes (see report: the
    # spec lists this fault among those that make a connection ERROR; with
    # service nodes configured the switch is fully programmed)
    api.wait_status(c["id"], "ACTIVE")


def test_switch_turns_service_node_later(lab):
    s, d, api = lab.basic(ovsdb={"service_node_ips": ",".join(SERVICE_NODES)})
    net, _, c = connect(api)
    _hosts_and_ports(api, net)
    on_switch(s, lambda snap: assert_flood(snap, net["id"], [H1_IP, H2_IP]))
    s.set_switch_fault("sw1", [NO_SOURCE_NODE])
    on_switch(s, lambda snap: (snap.ls(net["id"])["replication_mode"] == "service_node" or _no(),
                               assert_flood(snap, net["id"], SERVICE_NODES)))
    s.set_switch_fault("sw1", [])
    on_switch(s, lambda snap: (snap.ls(net["id"])["replication_mode"] == "source_node" or _no(),
                               assert_flood(snap, net["id"], [H1_IP, H2_IP])))
    api.wait_status(c["id"], "ACTIVE")


def test_no_source_node_without_service_nodes_is_error(lab):
    s, d, api = lab.basic()
    net, _, c = connect(api)
    _hosts_and_ports(api, net)
    s.set_switch_fault("sw1", [NO_SOURCE_NODE])
    c = api.wait_status(c["id"], "ERROR", reason=NO_SOURCE_NODE)
    s.set_switch_fault("sw1", [])
    api.wait_status(c["id"], "ACTIVE")
    on_switch(s, lambda snap: (snap.ls(net["id"])["replication_mode"] == "source_node" or _no(),
                               assert_flood(snap, net["id"], [H1_IP, H2_IP])))


# -- switch and port faults --------------------------------------------------------

@pytest.mark.parametrize("fault", ["invalid_vlan_map", "mac_table_exhaustion",
                                   "tunnel_exhaustion", "vendor_specific_meltdown"])
def test_switch_fault_error_then_active(lab, fault):
    s, d, api = lab.basic()
    net, _, c = connect(api)
    s.set_switch_fault("sw1", [fault])
    api.wait_status(c["id"], "ERROR", reason=fault)
    s.set_switch_fault("sw1", [])
    c = api.wait_status(c["id"], "ACTIVE")
    assert not c.get("status_reason"), c


def test_port_fault_error_then_active(lab):
    s, d, api = lab.basic()
    net, _, c = connect(api, ifaces=("p1", "p2"))
    s.set_port_fault("sw1", "p2", ["invalid_vlan_map"])
    api.wait_status(c["id"], "ERROR", reason="invalid_vlan_map")
    s.set_port_fault("sw1", "p2", [])
    api.wait_status(c["id"], "ACTIVE")


def test_fault_on_an_unused_port_does_not_matter(lab):
    s, d, api = lab.basic()
    net, _, c = connect(api, ifaces=("p1",))
    other, _, c2 = connect(api, ifaces=("p2",))
    s.set_port_fault("sw1", "p3", ["mac_table_exhaustion"])
    s.set_port_fault("sw1", "p2", ["mac_table_exhaustion"])
    api.wait_status(c2["id"], "ERROR", reason="mac_table_exhaustion")
    assert api.conn(c["id"])["status"] == "ACTIVE"


def test_fault_on_one_switch_leaves_others_active(lab):
    s1 = lab.server("db1", {"sw1": ("192.0.2.1", ["p1"])})
    s2 = lab.server("db2", {"sw2": ("192.0.2.2", ["p1"])})
    d = lab.daemon([s1, s2])
    d.api.wait_switch("sw1")
    d.api.wait_switch("sw2")
    _, _, c1 = connect(d.api, device="sw1")
    _, _, c2 = connect(d.api, device="sw2")
    s2.set_switch_fault("sw2", ["tunnel_exhaustion"])
    d.api.wait_status(c2["id"], "ERROR", reason="tunnel_exhaustion")
    assert d.api.conn(c1["id"])["status"] == "ACTIVE"


def test_create_on_faulty_switch_is_409(lab):
    s, d, api = lab.basic()
    s.set_switch_fault("sw1", ["mac_table_exhaustion"])
    eventually(lambda: api.switch("sw1")["switch_fault_status"] == ["mac_table_exhaustion"]
               or _no())
    net = api.network()
    gw = api.gateway([("sw1", ["p1"])])
    r = api.post_connection(gw["id"], net["id"], 10)
    assert r.status == 409 and r.error_type() == "L2GatewayPhysicalSwitchFaultStatus", r


def test_create_on_faulty_port_is_409(lab):
    s, d, api = lab.basic()
    s.set_port_fault("sw1", "p1", ["invalid_vlan_map"])
    eventually(lambda: "invalid_vlan_map" in repr(
        [p for p in api.switch("sw1")["ports"] if p["name"] == "p1"]) or _no())
    net = api.network()
    gw = api.gateway([("sw1", ["p1"])])
    r = api.post_connection(gw["id"], net["id"], 10)
    assert r.status == 409 and r.error_type() == "L2GatewayPhysicalPortFaultStatus", r


def test_fault_status_up_is_not_a_fault(lab):
    """api.md step 5: a fault status "UP" is not a fault."""
    s, d, api = lab.basic()
    s.set_port_fault("sw1", "p1", ["UP"])
    s.set_switch_fault("sw1", ["UP"])
    net, _, c = connect(api)
    assert api.conn(c["id"])["status"] == "ACTIVE"


# -- a bound port disappears --------------------------------------------------------

def test_bound_port_deleted_then_readded(lab):
    s, d, api = lab.basic()
    net, _, c = connect(api, ifaces=("p1", "p2"))
    on_switch(s, lambda snap: snap.bindings("sw1", "p2") == {100: net["id"]} or _no())
    s.del_port("sw1", "p2")
    c = api.wait_status(c["id"], "ERROR", reason="p2")
    # the rest stays programmed
    snap = s.dump()
    assert snap.bindings("sw1", "p1") == {100: net["id"]}
    assert_ls(snap, net)
    s.add_port("sw1", "p2")
    on_switch(s, lambda snap: snap.bindings("sw1", "p2") == {100: net["id"]} or _no())
    api.wait_status(c["id"], "ACTIVE")
    # the connection was not deleted (the reference did that)
    assert api.conn(c["id"])["id"] == c["id"]


def test_port_gone_with_its_switch_row(lab):
    """The whole Physical_Switch disappears and comes back."""
    s, d, api = lab.basic()
    net, _, c = connect(api)
    s.del_switch("sw1")
    api.wait_status(c["id"], "ERROR")
    s.add_switch("sw1", "192.0.2.100", ["p1", "p2", "p3"])
    on_switch(s, lambda snap: snap.bindings("sw1", "p1") == {100: net["id"]} or _no())
    api.wait_status(c["id"], "ACTIVE")


def _no():
    raise AssertionError("not yet")
