"""api.md "Overlay inventory": /v2.0/ports and /v2.0/hosts."""

import re

import pytest

from l2gwtest import UUID_RE, assert_error, neutron_error, unique

PORTS = "/v2.0/ports"
HOSTS = "/v2.0/hosts"
MISSING = "4f1e7a5c-6b8d-4eaf-80d1-4c5d6e7f8091"
MAC_RE = re.compile(r"^fa:16:3e(:[0-9a-f]{2}){3}$")


def mac_in_use(r):
    assert_error(r, 409, "MacAddressInUse")


# -- ports -------------------------------------------------------------------------

def test_port_generated_mac(api):
    net = api.network()
    ports = [api.port(net["id"]) for _ in range(5)]
    macs = [p["mac_address"] for p in ports]
    for m in macs:
        assert MAC_RE.match(m), m
    assert len(set(macs)) == 5


def test_port_attributes(api):
    net = api.network()
    host = api.host(tunnel_ip="192.0.2.21")
    p = api.port(net["id"], fixed_ips=[{"ip_address": "10.0.0.5"}],
                 allowed_address_pairs=[{"ip_address": "10.0.0.6",
                                         "mac_address": "fa:16:3e:00:00:66"}],
                 **{"binding:host_id": host["name"], "device_owner": "compute:nova",
                    "device_id": "vm-1"})
    assert UUID_RE.match(p["id"])
    for key in ("id", "name", "network_id", "mac_address", "fixed_ips",
                "allowed_address_pairs", "binding:host_id", "device_owner", "device_id",
                "admin_state_up", "status", "tenant_id", "project_id"):
        assert key in p, (key, p)
    assert p["network_id"] == net["id"]
    assert p["binding:host_id"] == host["name"]
    assert [f["ip_address"] for f in p["fixed_ips"]] == ["10.0.0.5"]
    assert [(a["ip_address"], a["mac_address"]) for a in p["allowed_address_pairs"]] == \
        [("10.0.0.6", "fa:16:3e:00:00:66")]
    assert p["device_owner"] == "compute:nova" and p["device_id"] == "vm-1"
    assert api.show("ports", "port", p["id"]) == p


def test_port_mac_lower_cased(api):
    net = api.network()
    p = api.port(net["id"], mac_address="AA:BB:CC:0D:0E:F1")
    assert p["mac_address"] == "aa:bb:cc:0d:0e:f1"
    assert api.show("ports", "port", p["id"])["mac_address"] == "aa:bb:cc:0d:0e:f1"


def test_port_duplicate_mac_409(api):
    net = api.network()
    api.port(net["id"], mac_address="aa:bb:cc:00:00:01")
    name = unique("dupmac")
    r = api.post(PORTS, {"port": {"network_id": net["id"], "name": name,
                                  "mac_address": "aa:bb:cc:00:00:01"}})
    mac_in_use(r)
    assert api.list("ports", "ports", "name=" + name) == []


def test_port_duplicate_mac_other_case_409(api):
    net = api.network()
    api.port(net["id"], mac_address="aa:bb:cc:00:00:02")
    r = api.post(PORTS, {"port": {"network_id": net["id"], "mac_address": "AA:BB:CC:00:00:02"}})
    mac_in_use(r)


def test_port_same_mac_other_network_ok(api):
    n1, n2 = api.network(), api.network()
    api.port(n1["id"], mac_address="aa:bb:cc:00:00:03")
    p = api.port(n2["id"], mac_address="aa:bb:cc:00:00:03")
    assert p["mac_address"] == "aa:bb:cc:00:00:03"


def test_port_mac_of_address_pair_409(api):
    net = api.network()
    api.port(net["id"], allowed_address_pairs=[{"ip_address": "10.1.0.9",
                                                "mac_address": "aa:bb:cc:00:00:04"}])
    r = api.post(PORTS, {"port": {"network_id": net["id"], "mac_address": "aa:bb:cc:00:00:04"}})
    mac_in_use(r)


def test_address_pair_mac_of_other_port_409(api):
    net = api.network()
    api.port(net["id"], mac_address="aa:bb:cc:00:00:05")
    r = api.post(PORTS, {"port": {"network_id": net["id"], "allowed_address_pairs": [
        {"ip_address": "10.1.0.10", "mac_address": "aa:bb:cc:00:00:05"}]}})
    mac_in_use(r)


def test_port_mac_free_after_delete(api):
    net = api.network()
    p = api.port(net["id"], mac_address="aa:bb:cc:00:00:06")
    api.remove("ports", p["id"])
    api.port(net["id"], mac_address="aa:bb:cc:00:00:06")


@pytest.mark.parametrize("mac", ["zz:bb:cc:00:00:01", "aa:bb:cc:00:00", "aabbcc000001x", ""])
def test_port_bad_mac_400(api, mac):
    net = api.network()
    r = api.post(PORTS, {"port": {"network_id": net["id"], "mac_address": mac}})
    assert r.status == 400, r
    neutron_error(r)


def test_port_unknown_network_404(api):
    r = api.post(PORTS, {"port": {"network_id": MISSING, "name": unique("p")}})
    assert_error(r, 404, "NetworkNotFound", "Network %s could not be found." % MISSING)


def test_port_binding_host_update(api):
    net = api.network()
    h1 = api.host(tunnel_ip="192.0.2.31")
    h2 = api.host(tunnel_ip="192.0.2.32")
    p = api.port(net["id"], **{"binding:host_id": h1["name"]})
    r = api.put("%s/%s" % (PORTS, p["id"]), {"port": {"binding:host_id": h2["name"]}})
    assert r.status == 200, r
    assert r.json()["port"]["binding:host_id"] == h2["name"]
    assert api.show("ports", "port", p["id"])["binding:host_id"] == h2["name"]
    assert api.show("ports", "port", p["id"])["mac_address"] == p["mac_address"]


def test_port_bound_to_host_without_tunnel_ip(api):
    net = api.network()
    h = api.host()
    p = api.port(net["id"], **{"binding:host_id": h["name"]})
    assert p["binding:host_id"] == h["name"]


def test_port_network_id_read_only(api):
    n1, n2 = api.network(), api.network()
    p = api.port(n1["id"])
    r = api.put("%s/%s" % (PORTS, p["id"]), {"port": {"network_id": n2["id"]}})
    assert_error(r, 400, "HTTPBadRequest", "Cannot update read-only attribute network_id")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_port_unknown_404(api, method):
    body = {"port": {"name": "x"}} if method == "PUT" else None
    r = api.request(method, "%s/%s" % (PORTS, MISSING), body=body)
    assert_error(r, 404, "PortNotFound")
    assert MISSING in neutron_error(r)[1]


def test_port_list_filter_by_network(api):
    n1, n2 = api.network(), api.network()
    a = api.port(n1["id"])
    api.port(n2["id"])
    assert [p["id"] for p in api.list("ports", "ports", "network_id=" + n1["id"])] == [a["id"]]


# -- hosts --------------------------------------------------------------------------

def test_host_create_show(api):
    name = unique("compute")
    h = api.create("hosts", "host", {"name": name, "tunnel_ip": "192.0.2.11"})
    assert UUID_RE.match(h["id"])
    assert h["name"] == name and h["tunnel_ip"] == "192.0.2.11"
    assert api.show("hosts", "host", h["id"]) == h


def test_host_name_unique_409(api):
    name = unique("compute")
    api.host(name=name, tunnel_ip="192.0.2.12")
    r = api.post(HOSTS, {"host": {"name": name, "tunnel_ip": "192.0.2.13"}})
    assert r.status == 409, r
    neutron_error(r)
    assert len(api.list("hosts", "hosts", "name=" + name)) == 1


def test_host_rename_to_existing_409(api):
    # api.md does not say whether a host's name can be changed; if it can,
    # a duplicate is 409 like on create.
    a = api.host()
    b = api.host()
    r = api.put("%s/%s" % (HOSTS, b["id"]), {"host": {"name": a["name"]}})
    if r.status == 400:
        assert_error(r, 400, "HTTPBadRequest", "Cannot update read-only attribute name")
    else:
        assert r.status == 409, r
        neutron_error(r)
    assert api.show("hosts", "host", b["id"])["name"] == b["name"]


@pytest.mark.parametrize("ip", ["2001:db8::1", "::ffff:192.0.2.1", "not-an-ip", "256.1.1.1",
                                "192.0.2", "192.0.2.1/24", "192.0.2.1 "])
def test_host_tunnel_ip_ipv4_only(api, ip):
    name = unique("compute")
    r = api.post(HOSTS, {"host": {"name": name, "tunnel_ip": ip}})
    assert_error(r, 400, "InvalidInput")
    assert api.list("hosts", "hosts", "name=" + name) == []


def test_host_tunnel_ip_update(api):
    h = api.host()
    r = api.put("%s/%s" % (HOSTS, h["id"]), {"host": {"tunnel_ip": "192.0.2.44"}})
    assert r.status == 200, r
    assert api.show("hosts", "host", h["id"])["tunnel_ip"] == "192.0.2.44"
    r = api.put("%s/%s" % (HOSTS, h["id"]), {"host": {"tunnel_ip": "2001:db8::2"}})
    assert_error(r, 400, "InvalidInput")
    assert api.show("hosts", "host", h["id"])["tunnel_ip"] == "192.0.2.44"


def test_host_unknown_404(api):
    r = api.get("%s/%s" % (HOSTS, MISSING))
    assert r.status == 404, r
    neutron_error(r)
