"""api.md "Overlay inventory": /v2.0/networks."""

import itertools
import random

import pytest

from l2gwtest import UUID_RE, assert_error, neutron_error, unique, untagged_devices

NETS = "/v2.0/networks"
MISSING = "3e0d6f4b-5a7c-4d9e-bfc0-3b4c5d6e7f80"
_vni = itertools.count(random.randint(100000, 9000000))


def vni():
    return next(_vni)


def net_not_found(nid):
    return "Network %s could not be found." % nid


def test_create_renders_all_attributes(api):
    v = vni()
    name = unique("net")
    n = api.create("networks", "network", {"name": name, "provider:network_type": "vxlan",
                                           "provider:segmentation_id": v})
    assert UUID_RE.match(n["id"])
    assert n["name"] == name
    for key in ("id", "name", "description", "admin_state_up", "status", "shared", "subnets",
                "mtu", "provider:network_type", "provider:segmentation_id", "tenant_id",
                "project_id"):
        assert key in n, (key, n)
    assert n["status"] == "ACTIVE"
    assert n["shared"] is False
    assert n["subnets"] == []
    assert n["admin_state_up"] is True
    assert n["provider:network_type"] == "vxlan"
    assert n["provider:segmentation_id"] == v
    assert isinstance(n["mtu"], int)
    assert api.show("networks", "network", n["id"]) == n


def test_segmentation_id_numeric_string(api):
    v = vni()
    n = api.network(vni=str(v))
    assert n["provider:segmentation_id"] == v
    assert api.show("networks", "network", n["id"])["provider:segmentation_id"] == v


def test_network_type_defaults_to_vxlan(api):
    n = api.create("networks", "network", {"name": unique("net")})
    assert n["provider:network_type"] == "vxlan"
    assert isinstance(n["provider:segmentation_id"], int)
    assert 1 <= n["provider:segmentation_id"] <= 16777215


@pytest.mark.parametrize("ntype", ["vlan", "flat", "geneve", "gre", "local", ""])
def test_only_vxlan(api, ntype):
    name = unique("net")
    r = api.post(NETS, {"network": {"name": name, "provider:network_type": ntype,
                                    "provider:segmentation_id": vni()}})
    assert r.status == 400, r
    neutron_error(r)
    assert api.list("networks", "networks", "name=" + name) == []


@pytest.mark.parametrize("value", [0, -1, 16777216, "16777216", "abc", "", 1.5, True])
def test_segmentation_id_out_of_range(api, value):
    name = unique("net")
    r = api.post(NETS, {"network": {"name": name, "provider:network_type": "vxlan",
                                    "provider:segmentation_id": value}})
    assert r.status == 400, r
    neutron_error(r)
    assert api.list("networks", "networks", "name=" + name) == []


def test_segmentation_id_unique(api):
    v = vni()
    api.network(vni=v)
    name = unique("dup")
    r = api.post(NETS, {"network": {"name": name, "provider:network_type": "vxlan",
                                    "provider:segmentation_id": v}})
    assert r.status == 409, r
    neutron_error(r)
    r = api.post(NETS, {"network": {"name": name, "provider:network_type": "vxlan",
                                    "provider:segmentation_id": str(v)}})
    assert r.status == 409, r
    assert api.list("networks", "networks", "name=" + name) == []


def test_segmentation_id_free_after_delete(api):
    v = vni()
    n = api.network(vni=v)
    api.remove("networks", n["id"])
    assert api.network(vni=v)["provider:segmentation_id"] == v


def test_allocated_vnis_differ(api):
    vnis = {api.create("networks", "network", {"name": unique("a")})["provider:segmentation_id"]
            for _ in range(5)}
    assert len(vnis) == 5


@pytest.mark.parametrize("attr,value", [
    ("provider:segmentation_id", 77), ("provider:network_type", "vxlan"),
    ("id", MISSING), ("tenant_id", "x"), ("project_id", "x"),
])
def test_read_only_in_put(api, attr, value):
    n = api.network(vni=vni())
    r = api.put("%s/%s" % (NETS, n["id"]), {"network": {attr: value}})
    assert_error(r, 400, "HTTPBadRequest", "Cannot update read-only attribute %s" % attr)
    assert api.show("networks", "network", n["id"]) == n


def test_update_name_description(api):
    n = api.network(vni=vni())
    r = api.put("%s/%s" % (NETS, n["id"]), {"network": {"name": "renamed", "description": "d"}})
    assert r.status == 200, r
    out = api.show("networks", "network", n["id"])
    assert out["name"] == "renamed" and out["description"] == "d"
    assert out["provider:segmentation_id"] == n["provider:segmentation_id"]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_unknown_network_404(api, method):
    body = {"network": {"name": "x"}} if method == "PUT" else None
    r = api.request(method, "%s/%s" % (NETS, MISSING), body=body)
    assert_error(r, 404, "NetworkNotFound", net_not_found(MISSING))


def test_name_lookup_clean_404(api):
    name = unique("net")
    n = api.network(name=name)
    assert_error(api.get("%s/%s" % (NETS, name)), 404, "NetworkNotFound", net_not_found(name))
    assert [x["id"] for x in api.list("networks", "networks", "name=" + name)] == [n["id"]]


def test_delete_with_port_409(api):
    n = api.network(vni=vni())
    p = api.port(n["id"])
    r = api.delete("%s/%s" % (NETS, n["id"]))
    assert_error(r, 409, "NetworkInUse")
    assert api.show("networks", "network", n["id"]) == n
    api.remove("ports", p["id"])
    api.remove("networks", n["id"])
    assert_error(api.get("%s/%s" % (NETS, n["id"])), 404, "NetworkNotFound",
                 net_not_found(n["id"]))


def test_delete_cascades_connections(api):
    n = api.network(vni=vni())
    gw = api.gateway(devices=untagged_devices())
    c = api.connection(gw["id"], n["id"], segmentation_id=77)
    r = api.delete("%s/%s" % (NETS, n["id"]))
    assert r.status == 204, r
    r = api.get("/v2.0/l2-gateway-connections/%s" % c["id"])
    assert_error(r, 404, "L2GatewayConnectionNotFound",
                 "The connection %s not found on the l2 gateway" % c["id"])
    assert api.list("l2-gateway-connections", "l2_gateway_connections",
                    "network_id=" + n["id"]) == []
    # The gateway is no longer in use.
    api.remove("l2-gateways", gw["id"])


def test_network_post_unknown_attribute(api):
    r = api.post(NETS, {"network": {"name": unique("n"), "router:external": True}})
    assert_error(r, 400, "HTTPBadRequest", "Unrecognized attribute(s) 'router:external'")

