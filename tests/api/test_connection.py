"""api.md "l2_gateway_connection": create steps in order, rendering, PUT, delete."""

import pytest

from l2gwtest import UUID_RE, assert_error, neutron_error, tagged_devices, unique, untagged_devices

CONN = "/v2.0/l2-gateway-connections"
MISSING_NET = "0b7a3c1e-2d4f-4a6b-8c9d-0e1f2a3b4c5d"
MISSING_GW = "1c8b4d2f-3e5a-4b7c-9dae-1f2a3b4c5d6e"
MISSING_CONN = "2d9c5e3a-4f6b-4c8d-aebf-2a3b4c5d6e7f"

BOTH_SOURCES = ("Invalid input for operation: default segmentation_id should not be provided "
                "when segmentation_id is assigned during l2gateway creation.")
VLAN_RANGE = "Invalid input for operation: Segmentation id is out of range."
VLAN_NOT_INT = "Invalid input for operation: Segmentation id must be a valid integer."


def post_conn(api, **attrs):
    return api.post(CONN, {"l2_gateway_connection": attrs})


def conn_not_found(cid):
    return "The connection %s not found on the l2 gateway" % cid


# -- create: the steps, in order --------------------------------------------------

def test_step1_unknown_network_404(api):
    gw = api.gateway()
    r = post_conn(api, l2_gateway_id=gw["id"], network_id=MISSING_NET)
    assert_error(r, 404, "NetworkNotFound", "Network %s could not be found." % MISSING_NET)


def test_step1_network_checked_before_gateway(api):
    r = post_conn(api, l2_gateway_id=MISSING_GW, network_id=MISSING_NET)
    assert_error(r, 404, "NetworkNotFound", "Network %s could not be found." % MISSING_NET)


def test_step1_network_checked_before_vlan_source(api):
    gw = api.gateway(devices=tagged_devices())
    r = post_conn(api, l2_gateway_id=gw["id"], network_id=MISSING_NET, segmentation_id="abc")
    assert_error(r, 404, "NetworkNotFound", "Network %s could not be found." % MISSING_NET)


def test_step2_unknown_gateway_404(api):
    net = api.network()
    r = post_conn(api, l2_gateway_id=MISSING_GW, network_id=net["id"])
    assert_error(r, 404, "L2GatewayNotFound", "L2 Gateway %s could not be found" % MISSING_GW)


def test_step2_gateway_checked_before_vlan_source(api):
    net = api.network()
    r = post_conn(api, l2_gateway_id=MISSING_GW, network_id=net["id"], segmentation_id=5000)
    assert_error(r, 404, "L2GatewayNotFound", "L2 Gateway %s could not be found" % MISSING_GW)


@pytest.mark.parametrize("segid", ["100", 100, "0", 0])
def test_step3_both_vlan_sources_400(api, segid):
    gw = api.gateway(devices=tagged_devices(["10"]))
    net = api.network()
    r = post_conn(api, l2_gateway_id=gw["id"], network_id=net["id"], segmentation_id=segid)
    assert_error(r, 400, "InvalidInput", BOTH_SOURCES)
    assert api.list("l2-gateway-connections", "l2_gateway_connections",
                    "l2_gateway_id=" + gw["id"]) == []


@pytest.mark.parametrize("segid,message", [
    (4095, VLAN_RANGE), ("4095", VLAN_RANGE), (-1, VLAN_RANGE), ("-1", VLAN_RANGE),
    ("abc", VLAN_NOT_INT), ("1.5", VLAN_NOT_INT),
])
def test_step3_default_vlan_out_of_range_400(api, segid, message):
    gw = api.gateway(devices=untagged_devices())
    net = api.network()
    r = post_conn(api, l2_gateway_id=gw["id"], network_id=net["id"], segmentation_id=segid)
    assert_error(r, 400, "InvalidInput", message)


def test_step3_checked_before_step4_exists(api):
    gw = api.gateway(devices=tagged_devices(["10"]))
    net = api.network()
    api.connection(gw["id"], net["id"])
    r = post_conn(api, l2_gateway_id=gw["id"], network_id=net["id"], segmentation_id="20")
    assert_error(r, 400, "InvalidInput", BOTH_SOURCES)


def test_step4_exists_409(api):
    gw = api.gateway(devices=tagged_devices(["10"]))
    net = api.network()
    api.connection(gw["id"], net["id"])
    r = post_conn(api, l2_gateway_id=gw["id"], network_id=net["id"])
    assert_error(r, 409, "L2GatewayConnectionExists")
    assert len(api.list("l2-gateway-connections", "l2_gateway_connections",
                        "l2_gateway_id=" + gw["id"])) == 1


def test_step4_exists_409_whatever_the_vlan(api):
    gw = api.gateway(devices=untagged_devices())
    net = api.network()
    api.connection(gw["id"], net["id"], segmentation_id=100)
    r = post_conn(api, l2_gateway_id=gw["id"], network_id=net["id"], segmentation_id=200)
    assert_error(r, 409, "L2GatewayConnectionExists")


def test_exists_cleared_by_delete(api):
    gw = api.gateway(devices=tagged_devices(["10"]))
    net = api.network()
    c = api.connection(gw["id"], net["id"])
    api.remove("l2-gateway-connections", c["id"])
    c2 = api.connection(gw["id"], net["id"])
    assert c2["id"] != c["id"]


# Steps 5 and 6 (device and interface known and unambiguous, switch and
# port faults, a known but disconnected switch accepted, duplicate (port,
# VLAN)) need real switch databases: tests/switch/test_multi.py,
# test_replication_faults.py, test_ownership.py and test_sessions.py.


# -- create: success and rendering ----------------------------------------------------

def test_untagged_default_readme_walkthrough(api):
    """l2-gateway-create --device name=...,interface_names=ens5 GW;
    l2-gateway-connection-create GW NET → works (Deviation: ref 400)."""
    gw = api.gateway(devices=[{"device_name": "myphyswitch", "interfaces": [{"name": "ens5"}]}],
                     name="openstackname")
    net = api.network()
    r = post_conn(api, l2_gateway_id=gw["id"], network_id=net["id"])
    assert r.status == 201, r
    c = r.json()["l2_gateway_connection"]
    assert c["segmentation_id"] == ""


@pytest.mark.parametrize("given,rendered", [
    (100, "100"), ("100", "100"), (0, "0"), ("0", "0"), (4094, "4094"), ("4094", "4094"),
])
def test_segmentation_id_rendering(api, given, rendered):
    gw = api.gateway(devices=untagged_devices())
    net = api.network()
    c = api.connection(gw["id"], net["id"], segmentation_id=given)
    assert c["segmentation_id"] == rendered
    assert api.show("l2-gateway-connections", "l2_gateway_connection", c["id"])[
        "segmentation_id"] == rendered
    listed = api.list("l2-gateway-connections", "l2_gateway_connections", "id=" + c["id"])
    assert [x["segmentation_id"] for x in listed] == [rendered]


def test_segmentation_id_empty_when_gateway_has_vlans(api):
    gw = api.gateway(devices=tagged_devices(["33"]))
    net = api.network()
    c = api.connection(gw["id"], net["id"])
    assert c["segmentation_id"] == ""
    assert api.show("l2-gateway-connections", "l2_gateway_connection", c["id"])[
        "segmentation_id"] == ""


def test_connection_attributes(api):
    gw = api.gateway(devices=tagged_devices(["33"]))
    net = api.network()
    c = api.connection(gw["id"], net["id"])
    for key in ("id", "l2_gateway_id", "network_id", "segmentation_id", "tenant_id",
                "project_id", "status"):
        assert key in c, c
    assert UUID_RE.match(c["id"])
    assert c["l2_gateway_id"] == gw["id"] and c["network_id"] == net["id"]
    assert c["status"] in ("ACTIVE", "PENDING", "ERROR"), c
    shown = api.show("l2-gateway-connections", "l2_gateway_connection", c["id"])
    assert shown["status"] in ("ACTIVE", "PENDING", "ERROR"), shown
    for key in ("id", "l2_gateway_id", "network_id", "segmentation_id", "tenant_id",
                "project_id"):
        assert shown[key] == c[key]


def test_connection_belongs_to_gateway_project(api):
    proj = unique("proj")
    gw = api.gateway(tenant_id=proj)
    net = api.network()
    c = api.connection(gw["id"], net["id"], segmentation_id=5)
    assert c["tenant_id"] == proj and c["project_id"] == proj


def test_one_gateway_many_networks(api):
    gw = api.gateway(devices=untagged_devices())
    nets = [api.network() for _ in range(3)]
    conns = [api.connection(gw["id"], n["id"], segmentation_id=300 + i)
             for i, n in enumerate(nets)]
    listed = api.list("l2-gateway-connections", "l2_gateway_connections",
                      "l2_gateway_id=" + gw["id"])
    assert sorted(c["id"] for c in listed) == sorted(c["id"] for c in conns)


def test_unknown_attribute_connection(api):
    gw = api.gateway()
    net = api.network()
    r = post_conn(api, l2_gateway_id=gw["id"], network_id=net["id"], vlan=5)
    assert_error(r, 400, "HTTPBadRequest", "Unrecognized attribute(s) 'vlan'")


def test_status_not_allowed_in_post(api):
    gw = api.gateway()
    net = api.network()
    r = post_conn(api, l2_gateway_id=gw["id"], network_id=net["id"], status="ACTIVE")
    assert r.status == 400, r
    neutron_error(r)


# -- PUT ------------------------------------------------------------------------

@pytest.fixture
def conn(api):
    gw = api.gateway(devices=untagged_devices())
    net = api.network()
    return api.connection(gw["id"], net["id"], segmentation_id=42)


@pytest.mark.parametrize("attr,value", [
    ("segmentation_id", "43"), ("network_id", MISSING_NET), ("l2_gateway_id", MISSING_GW),
    ("tenant_id", "x"), ("project_id", "x"), ("id", MISSING_CONN),
])
def test_put_read_only(api, conn, attr, value):
    r = api.put("%s/%s" % (CONN, conn["id"]), {"l2_gateway_connection": {attr: value}})
    assert_error(r, 400, "HTTPBadRequest", "Cannot update read-only attribute %s" % attr)
    assert api.show("l2-gateway-connections", "l2_gateway_connection", conn["id"])[
        "segmentation_id"] == "42"


def test_put_empty_member_400(api, conn):
    r = api.put("%s/%s" % (CONN, conn["id"]), {"l2_gateway_connection": {}})
    assert r.status == 400, r
    assert neutron_error(r)[0] == "HTTPBadRequest", r


def test_put_no_body_400(api, conn):
    r = api.put("%s/%s" % (CONN, conn["id"]), raw="")
    assert_error(r, 400, "HTTPBadRequest", "Resource body required")


# -- show / delete -----------------------------------------------------------------

def test_get_unknown_404(api):
    r = api.get("%s/%s" % (CONN, MISSING_CONN))
    assert_error(r, 404, "L2GatewayConnectionNotFound", conn_not_found(MISSING_CONN))


def test_delete_unknown_404(api):
    r = api.delete("%s/%s" % (CONN, MISSING_CONN))
    assert_error(r, 404, "L2GatewayConnectionNotFound", conn_not_found(MISSING_CONN))


def test_delete_then_404(api, conn):
    r = api.delete("%s/%s" % (CONN, conn["id"]))
    assert r.status == 204 and r.body == b"", r
    assert_error(api.delete("%s/%s" % (CONN, conn["id"])), 404, "L2GatewayConnectionNotFound",
                 conn_not_found(conn["id"]))
    assert_error(api.get("%s/%s" % (CONN, conn["id"])), 404, "L2GatewayConnectionNotFound",
                 conn_not_found(conn["id"]))
