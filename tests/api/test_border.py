"""border.md "API": /v2.0/l2-remote-gateways, /v2.0/l2-remote-gateway-
connections, /v2.0/l2-remote-macs and the spec's own remote-macs form under
a remote connection; every rule with its status, NeutronError type and
message.

The daemon of this module talks to two real hardware_vtep databases
(ovsdb-server, set up with vtep-ctl through tests/cli/clitest.py's Vtep), so
that the switch registry holds what the border rules read:
  ovsdb1: swb and swc advertise other_config:l2gw-per-locator-key=true,
          swp does not, swl does not but is listed in [ovsdb]
          per_locator_key_switches;
  ovsdb2: swd advertises the extension.
When the daemon does not register those switches within SWITCH_WAIT (a
build whose switch manager does not run yet), the module runs in its
"unregistered" mode instead: devices named in per_locator_key_switches
(edge1, edge2) are trusted, each device name standing for a switch database
of its own (border_key.c), and the messages name the devices; the tests that
need a registered switch are skipped with the reason.  Local gateways bind a
VLAN of their own on p1, so that local connections never collide on (port,
VLAN)."""

import itertools
import json
import os
import sys
import time

import pytest

import l2gwtest
from l2gwtest import UUID_RE, assert_error, unique

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from clitest import Vtep  # noqa: E402

RGW = "/v2.0/l2-remote-gateways"
RCONN = "/v2.0/l2-remote-gateway-connections"
RMAC = "/v2.0/l2-remote-macs"
NO_SUCH = "0b5b5d9e-0000-4000-8000-00000000beef"
SWITCH_WAIT = 8.0
PORTS = ("p1", "p2")
DB1_SWITCHES = {"swb": True, "swc": True, "swp": False, "swl": False}
DB2_SWITCHES = {"swd": True}
LISTED = "swl"
EDGES = ("edge1", "edge2")   # trusted by name in the unregistered mode
MAX_BULK = 10000

UNSUPPORTED = ("Switch %s does not support per-locator tunnel keys: it does not advertise "
               "other_config:l2gw-per-locator-key=true; list it in [ovsdb] "
               "per_locator_key_switches if it does")
UNKNOWN = ("Switch %s does not support per-locator tunnel keys: no switch of that name is "
           "registered (it never connected to l2gwd), so it cannot advertise "
           "other_config:l2gw-per-locator-key=true; list it in [ovsdb] "
           "per_locator_key_switches if it does")

_vlans = itertools.count(10)
_vnis = itertools.count(1000)


# -- fixtures: two VTEP databases and a daemon connected to both ------------------

def _vtep(tmp, name, switches):
    if not Vtep.available():
        pytest.fail("ovsdb-server, vtep-ctl or the vtep schema is missing")
    first, *others = switches
    v = Vtep(str(tmp), name=first, ports=PORTS, per_locator_key=switches[first]).start()
    for sw in others:
        v.ctl("add-ps", sw)
        for p in PORTS:
            v.ctl("add-port", sw, p)
        v.ctl("set", "Physical_Switch", sw, "tunnel_ips=192.0.2.9")
        if switches[sw]:
            v.ctl("set", "Physical_Switch", sw, "other_config:l2gw-per-locator-key=true")
    return v


@pytest.fixture(scope="module")
def vteps(tmp_path_factory):
    a = _vtep(tmp_path_factory.mktemp("vtep1"), "swb", DB1_SWITCHES)
    b = _vtep(tmp_path_factory.mktemp("vtep2"), "swd", DB2_SWITCHES)
    yield a, b
    a.stop()
    b.stop()


@pytest.fixture(scope="module")
def daemon(request, tmp_path_factory, vteps):
    a, b = vteps
    config = {"ovsdb": {"ovsdb_hosts": "ovsdb1:127.0.0.1:%d,ovsdb2:127.0.0.1:%d"
                        % (a.port, b.port),
                        "per_locator_key_switches": ",".join((LISTED,) + EDGES)}}
    d = l2gwtest.Daemon(config=config, tmpdir=str(tmp_path_factory.mktemp("l2gwd")))
    request.node._l2gwd = d
    try:
        d.start()
    except l2gwtest.DaemonError as e:
        pytest.fail(str(e), pytrace=False)
    c = d.client()
    names = set(DB1_SWITCHES) | set(DB2_SWITCHES)
    deadline = time.monotonic() + SWITCH_WAIT
    seen = set()
    while time.monotonic() < deadline and not names <= seen:
        r = c.get("/v2.0/l2-switches")
        if r.status == 200:
            seen = {s.get("name") for s in r.json().get("l2_switches", [])}
        time.sleep(0.1)
    c.close()
    d.registered = names <= seen
    yield d
    rc = d.stop()
    if hasattr(d, "close_lab"):
        d.close_lab()
    assert rc == 0, "l2gwd exited with %r on SIGTERM; stderr:\n%s" % (rc, d.stderr_text())


class Env:
    """The devices and message parts of the mode the daemon runs in."""

    def __init__(self, registered):
        self.registered = registered
        self.b = "swb" if registered else "edge1"       # supports the extension
        self.c = "swc" if registered else "edge1"       # same database as b
        self.d = "swd" if registered else "edge2"       # another database
        self.db_b = "switch database ovsdb1" if registered else "switch edge1"

    def need_registry(self):
        if not self.registered:
            pytest.skip("l2gwd did not register the VTEP switches (switch manager not "
                        "running in this build)")


@pytest.fixture
def env(daemon):
    return Env(daemon.registered)


# -- helpers ---------------------------------------------------------------------

def gateway(api, device):
    """A gateway with one device binding a VLAN of its own on p1."""
    return api.gateway(devices=[{"device_name": device, "interfaces": [
        {"name": "p1", "segmentation_id": [next(_vlans)]}]}])


def local(api, device, vni=None):
    """A gateway on 'device' connected to a new network: (gateway, network)."""
    gw = gateway(api, device)
    net = api.network(vni=vni if vni is not None else next(_vnis))
    api.connection(gw["id"], net["id"])
    return gw, net


def rgw(api, ip="198.51.100.7", name=None):
    return api.create("l2-remote-gateways", "l2_remote_gateway",
                      {"name": name or unique("rgw"), "ipaddr": ip})


def post_rconn(api, gw, net, r, **extra):
    attrs = {"gateway": gw, "network": net, "remote_gateway": r}
    attrs.update(extra)
    return api.post(RCONN, {"l2_remote_gateway_connection": attrs})


def rconn(api, gw, net, r, **extra):
    return api.ok(post_rconn(api, gw, net, r, **extra), 201)["l2_remote_gateway_connection"]


def border(api, device, vni=None):
    """(gateway, network, remote gateway, remote connection)."""
    gw, net = local(api, device, vni)
    r = rgw(api)
    return gw, net, r, rconn(api, gw["id"], net["id"], r["id"])


def post_mac(api, conn, mac, **extra):
    attrs = {"mac": mac, "rgw_connection": conn}
    attrs.update(extra)
    return api.post(RMAC, {"l2_remote_mac": attrs})


def rgw_not_found(rid):
    return "The remote gateway %s not found" % rid


def rconn_not_found(cid):
    return "The remote gateway connection %s not found" % cid


def macs(prefix, n, conn):
    return [{"mac": "%s:%02x:%02x" % (prefix, i >> 8, i & 255), "rgw_connection": conn}
            for i in range(n)]


# -- discovery ---------------------------------------------------------------------

@pytest.mark.parametrize("alias,name", [("l2-remote-gateway", "L2 Remote Gateway"),
                                        ("l2-remote-gateway-connection",
                                         "L2 Remote Gateway Connection"),
                                        ("l2-remote-mac", "L2 Remote MAC")])
def test_extension_aliases(api, alias, name):
    listed = {e["alias"]: e for e in api.get("/v2.0/extensions").json()["extensions"]}
    assert listed[alias]["name"] == name
    r = api.get("/v2.0/extensions/" + alias)
    assert r.status == 200 and r.json()["extension"] == listed[alias]


def test_resources_document(api):
    names = {x["collection"]: x["name"] for x in api.get("/v2.0").json()["resources"]}
    assert names["l2-remote-gateways"] == "l2_remote_gateway"
    assert names["l2-remote-gateway-connections"] == "l2_remote_gateway_connection"
    assert names["l2-remote-macs"] == "l2_remote_mac"


# -- remote gateways -----------------------------------------------------------------

def test_rgw_crud(api):
    name = unique("rgw")
    r = rgw(api, "198.51.100.7", name)
    assert UUID_RE.match(r["id"])
    assert r == {"id": r["id"], "name": name, "ipaddr": "198.51.100.7",
                 "tenant_id": "admin", "project_id": "admin"}
    assert api.show("l2-remote-gateways", "l2_remote_gateway", r["id"]) == r
    assert api.list("l2-remote-gateways", "l2_remote_gateways", "name=" + name) == [r]
    r2 = api.ok(api.put(RGW + "/" + r["id"], {"l2_remote_gateway": {
        "name": name + "-x", "ipaddr": "198.51.100.8"}}), 200)["l2_remote_gateway"]
    assert r2["name"] == name + "-x" and r2["ipaddr"] == "198.51.100.8"
    r3 = api.ok(api.put(RGW + "/" + r["id"], {"l2_remote_gateway": {}}), 200)
    assert r3["l2_remote_gateway"] == r2
    api.remove("l2-remote-gateways", r["id"])
    assert_error(api.get(RGW + "/" + r["id"]), 404, "L2RemoteGatewayNotFound",
                 rgw_not_found(r["id"]))


def test_rgw_name_default_empty(api):
    r = api.create("l2-remote-gateways", "l2_remote_gateway", {"ipaddr": "192.0.2.77"})
    assert r["name"] == ""


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_rgw_unknown_404(api, method):
    body = {"l2_remote_gateway": {"name": "x"}} if method == "PUT" else None
    assert_error(api.request(method, RGW + "/" + NO_SUCH, body=body), 404,
                 "L2RemoteGatewayNotFound", rgw_not_found(NO_SUCH))


def test_rgw_show_by_name_is_a_clean_404(api):
    r = rgw(api)
    assert_error(api.get(RGW + "/" + r["name"]), 404, "L2RemoteGatewayNotFound",
                 rgw_not_found(r["name"]))


@pytest.mark.parametrize("ip", ["2001:db8::7", "not-an-ip", "198.51.100.300", ""])
def test_rgw_ipaddr_ipv4_only(api, ip):
    r = api.post(RGW, {"l2_remote_gateway": {"name": "x", "ipaddr": ip}})
    assert_error(r, 400, "InvalidInput",
                 "Invalid input for operation: ipaddr '%s' is not an IPv4 address "
                 "(tunnel endpoints are IPv4)." % ip)
    g = rgw(api)
    r = api.put(RGW + "/" + g["id"], {"l2_remote_gateway": {"ipaddr": ip}})
    assert_error(r, 400, "InvalidInput",
                 "Invalid input for operation: ipaddr '%s' is not an IPv4 address "
                 "(tunnel endpoints are IPv4)." % ip)


def test_rgw_envelope_rules(api):
    assert_error(api.post(RGW, {"l2_remote_gateway": {"name": "x"}}), 400, "HTTPBadRequest",
                 "Failed to parse request. Required attribute 'ipaddr' not specified")
    assert_error(api.post(RGW, {"l2_remote_gateway": {"ipaddr": "192.0.2.1", "foo": 1}}),
                 400, "HTTPBadRequest", "Unrecognized attribute(s) 'foo'")
    assert_error(api.post(RGW, {"l2_remote_gateway": {"ipaddr": "192.0.2.1", "id": NO_SUCH}}),
                 400, "HTTPBadRequest", "Attribute 'id' not allowed in POST")
    assert_error(api.post(RGW, {"remote_gateway": {}}), 400, "HTTPBadRequest",
                 "Unable to find 'l2_remote_gateway' in request body")
    g = rgw(api)
    assert_error(api.put(RGW + "/" + g["id"], {"l2_remote_gateway": {"id": NO_SUCH}}), 400,
                 "HTTPBadRequest", "Cannot update read-only attribute id")


def test_rgw_delete_in_use(api, env):
    gw, net, r, c = border(api, env.b)
    assert_error(api.delete(RGW + "/" + r["id"]), 409, "L2RemoteGatewayInUse",
                 "The remote gateway %s is in use by remote gateway connection %s"
                 % (r["id"], c["id"]))
    api.remove("l2-remote-gateway-connections", c["id"])
    api.remove("l2-remote-gateways", r["id"])


@pytest.mark.parametrize("method,path,action", [
    ("POST", RGW, "CREATE"), ("GET", RGW, "GET"), ("GET", RCONN, "GET"),
    ("POST", RCONN, "CREATE"), ("GET", RMAC, "GET"), ("DELETE", RMAC + "/" + NO_SUCH, "DELETE"),
    ("PUT", RCONN + "/" + NO_SUCH, "UPDATE"),
    ("POST", RCONN + "/" + NO_SUCH + "/remote-macs", "CREATE")])
def test_admin_only(member, method, path, action):
    body = {"x": {}} if method in ("POST", "PUT") else None
    assert_error(member.request(method, path, body=body), 403, "AdminRequired",
                 l2gwtest.admin_required(action))


# -- remote gateway connections: create --------------------------------------------

def test_rconn_create_defaults(api, env):
    gw, net = local(api, env.b, vni=4001)
    r = rgw(api)
    c = rconn(api, gw["id"], net["id"], r["id"])
    assert UUID_RE.match(c["id"])
    assert c == {"id": c["id"], "gateway": gw["id"], "network": net["id"],
                 "remote_gateway": r["id"], "seg_id": 4001, "flood": True,
                 "status": "PENDING", "status_reason": "", "tenant_id": "admin",
                 "project_id": "admin"}
    shown = api.show("l2-remote-gateway-connections", "l2_remote_gateway_connection", c["id"])
    assert {k: v for k, v in shown.items() if k not in ("status", "status_reason")} == \
        {k: v for k, v in c.items() if k not in ("status", "status_reason")}
    listed = api.list("l2-remote-gateway-connections", "l2_remote_gateway_connections",
                      "network=" + net["id"])
    assert [x["id"] for x in listed] == [c["id"]]


def test_rconn_create_by_names_and_value_forms(api, env):
    gw, net = local(api, env.b)
    r = rgw(api)
    c = rconn(api, gw["name"], net["name"], r["name"], seg_id="4567", flood="False")
    assert (c["gateway"], c["network"], c["remote_gateway"]) == (gw["id"], net["id"], r["id"])
    assert c["seg_id"] == 4567 and c["flood"] is False
    r2 = rgw(api)
    # What the reference client sends for options not given.
    c2 = rconn(api, gw["id"], net["id"], r2["id"], seg_id=None, flood=None)
    assert c2["seg_id"] == net["provider:segmentation_id"] and c2["flood"] is True
    r3 = rgw(api)
    c3 = rconn(api, gw["id"], net["id"], r3["id"], flood="True", seg_id=16777215)
    assert c3["flood"] is True and c3["seg_id"] == 16777215


@pytest.mark.parametrize("seg_id", [0, 16777216, -5, "0"])
def test_rconn_seg_id_out_of_range(api, seg_id, env):
    gw, net = local(api, env.b)
    r = rgw(api)
    assert_error(post_rconn(api, gw["id"], net["id"], r["id"], seg_id=seg_id), 400,
                 "InvalidInput", "Invalid input for operation: seg_id %s is out of range "
                 "(1 through 16777215)." % int(seg_id))


def test_rconn_bad_values(api, env):
    gw, net = local(api, env.b)
    r = rgw(api)
    assert_error(post_rconn(api, gw["id"], net["id"], r["id"], seg_id="abc"), 400,
                 "HTTPBadRequest", "Invalid input for seg_id. Reason: 'abc' is not an integer.")
    assert_error(post_rconn(api, gw["id"], net["id"], r["id"], flood="maybe"), 400,
                 "HTTPBadRequest",
                 "Invalid input for flood. Reason: 'maybe' is not a valid boolean value.")
    assert_error(post_rconn(api, gw["id"], net["id"], r["id"], status="ACTIVE"), 400,
                 "HTTPBadRequest", "Attribute 'status' not allowed in POST")
    r2 = api.post(RCONN, {"l2_remote_gateway_connection": {"gateway": gw["id"],
                                                            "network": net["id"]}})
    assert_error(r2, 400, "HTTPBadRequest",
                 "Failed to parse request. Required attribute 'remote_gateway' not specified")


def test_rconn_unknown_references_404(api, env):
    gw, net = local(api, env.b)
    r = rgw(api)
    assert_error(post_rconn(api, NO_SUCH, net["id"], r["id"]), 404, "L2GatewayNotFound",
                 "L2 Gateway %s could not be found" % NO_SUCH)
    assert_error(post_rconn(api, "no-such-gw", net["id"], r["id"]), 404, "L2GatewayNotFound",
                 "L2 Gateway no-such-gw could not be found")
    assert_error(post_rconn(api, gw["id"], NO_SUCH, r["id"]), 404, "NetworkNotFound",
                 "Network %s could not be found." % NO_SUCH)
    assert_error(post_rconn(api, gw["id"], net["id"], "no-such-rgw"), 404,
                 "L2RemoteGatewayNotFound", rgw_not_found("no-such-rgw"))
    # In the order of the attributes.
    assert_error(post_rconn(api, NO_SUCH, NO_SUCH, NO_SUCH), 404, "L2GatewayNotFound",
                 "L2 Gateway %s could not be found" % NO_SUCH)


def test_rconn_ambiguous_name_409(api, env):
    gw, net = local(api, env.b)
    name = unique("twin")
    rgw(api, name=name)
    rgw(api, name=name)
    assert_error(post_rconn(api, gw["id"], net["id"], name), 409, "HTTPConflict",
                 "Multiple remote gateways are named '%s': give the id" % name)


def test_rconn_network_not_connected_400(api, env):
    gw, _ = local(api, env.b)
    other = api.network(vni=next(_vnis))
    r = rgw(api)
    assert_error(post_rconn(api, gw["id"], other["id"], r["id"]), 400, "InvalidInput",
                 "Invalid input for operation: Network %s is not connected to L2 gateway %s."
                 % (other["id"], gw["id"]))


def test_rconn_exists_409(api, env):
    gw, net, r, c = border(api, env.b)
    assert_error(post_rconn(api, gw["id"], net["id"], r["id"], seg_id=99), 409,
                 "L2RemoteGatewayConnectionExists",
                 "Remote gateway connection %s already connects network %s of L2 gateway %s "
                 "to remote gateway %s" % (c["id"], net["id"], gw["id"], r["id"]))


# -- per-locator key support ---------------------------------------------------------

def test_unsupported_switch_409(api, env):
    env.need_registry()
    gw, net = local(api, "swp")
    r = rgw(api)
    assert_error(post_rconn(api, gw["id"], net["id"], r["id"]), 409,
                 "L2RemoteGatewayUnsupported", UNSUPPORTED % "ovsdb1/swp")


def test_listed_switch_is_supported(api, env):
    env.need_registry()
    gw, net = local(api, LISTED)
    r = rgw(api)
    rconn(api, gw["id"], net["id"], r["id"])


def test_every_device_must_support(api, env):
    env.need_registry()
    gw = api.gateway(devices=[
        {"device_name": "swb", "interfaces": [{"name": "p2", "segmentation_id": [next(_vlans)]}]},
        {"device_name": "swp", "interfaces": [{"name": "p2", "segmentation_id": [next(_vlans)]}]}])
    net = api.network(vni=next(_vnis))
    api.connection(gw["id"], net["id"])
    r = rgw(api)
    assert_error(post_rconn(api, gw["id"], net["id"], r["id"]), 409,
                 "L2RemoteGatewayUnsupported", UNSUPPORTED % "ovsdb1/swp")


def test_unregistered_device_409(api):
    gw = gateway(api, unique("ghost"))
    net = api.network(vni=next(_vnis))
    resp = api.post("/v2.0/l2-gateway-connections", {"l2_gateway_connection": {
        "l2_gateway_id": gw["id"], "network_id": net["id"]}})
    if resp.status == 404:
        pytest.skip("local connections need a registered switch: the unregistered case "
                    "cannot be reached through the API")
    assert resp.status == 201, resp
    r = rgw(api)
    assert_error(post_rconn(api, gw["id"], net["id"], r["id"]), 409,
                 "L2RemoteGatewayUnsupported",
                 UNKNOWN % gw["devices"][0]["device_name"])


# -- the key rule --------------------------------------------------------------------

def test_key_may_be_own_vni(api, env):
    gw, net = local(api, env.b)
    r = rgw(api)
    c = rconn(api, gw["id"], net["id"], r["id"], seg_id=net["provider:segmentation_id"])
    assert c["seg_id"] == net["provider:segmentation_id"]


def test_key_other_networks_vni_same_database_409(api, env):
    gw, net = local(api, env.b)
    _, other = local(api, env.c)    # ovsdb1 too
    r = rgw(api)
    vni = other["provider:segmentation_id"]
    assert_error(post_rconn(api, gw["id"], net["id"], r["id"], seg_id=vni), 409,
                 "L2RemoteGatewaySegmentationIdInUse",
                 "Segmentation id %d is already in use on %s: it is the "
                 "VNI of network %s" % (vni, env.db_b, other["id"]))


def test_key_other_database_is_free(api, env):
    gw, net = local(api, env.b)
    _, other = local(api, env.d)    # ovsdb2
    r = rgw(api)
    rconn(api, gw["id"], net["id"], r["id"], seg_id=other["provider:segmentation_id"])


def test_key_other_networks_wan_key_409(api, env):
    gw, net = local(api, env.b)
    gw2, net2 = local(api, env.c)
    r = rgw(api)
    rconn(api, gw["id"], net["id"], r["id"], seg_id=777001)
    assert_error(post_rconn(api, gw2["id"], net2["id"], r["id"], seg_id=777001), 409,
                 "L2RemoteGatewaySegmentationIdInUse",
                 "Segmentation id 777001 is already in use on %s: it is "
                 "the WAN key of network %s" % (env.db_b, net["id"]))
    # The same network may use its key towards another remote gateway.
    rconn(api, gw["id"], net["id"], rgw(api)["id"], seg_id=777001)


# -- remote gateway connections: update, delete ----------------------------------------

def test_rconn_update(api, env):
    gw, net, r, c = border(api, env.b)
    _, other = local(api, env.c)
    path = RCONN + "/" + c["id"]
    u = api.ok(api.put(path, {"l2_remote_gateway_connection": {"flood": "False"}}), 200)
    u = u["l2_remote_gateway_connection"]
    assert u["flood"] is False and u["seg_id"] == c["seg_id"] and u["status"] == "PENDING"
    u = api.ok(api.put(path, {"l2_remote_gateway_connection": {"seg_id": "123456"}}), 200)
    assert u["l2_remote_gateway_connection"]["seg_id"] == 123456
    assert u["l2_remote_gateway_connection"]["flood"] is False
    vni = other["provider:segmentation_id"]
    assert_error(api.put(path, {"l2_remote_gateway_connection": {"seg_id": vni}}), 409,
                 "L2RemoteGatewaySegmentationIdInUse",
                 "Segmentation id %d is already in use on %s: it is the "
                 "VNI of network %s" % (vni, env.db_b, other["id"]))
    u = api.ok(api.put(path, {"l2_remote_gateway_connection": {"seg_id": None,
                                                                "flood": None}}), 200)
    u = u["l2_remote_gateway_connection"]
    assert u["seg_id"] == net["provider:segmentation_id"] and u["flood"] is True
    for attr, value in (("gateway", gw["id"]), ("network", net["id"]),
                        ("remote_gateway", r["id"]), ("status", "ACTIVE")):
        assert_error(api.put(path, {"l2_remote_gateway_connection": {attr: value}}), 400,
                     "HTTPBadRequest", "Cannot update read-only attribute %s" % attr)
    assert_error(api.put(RCONN + "/" + NO_SUCH, {"l2_remote_gateway_connection": {
        "flood": True}}), 404, "L2RemoteGatewayConnectionNotFound", rconn_not_found(NO_SUCH))


def test_rconn_delete_404(api):
    assert_error(api.delete(RCONN + "/" + NO_SUCH), 404, "L2RemoteGatewayConnectionNotFound",
                 rconn_not_found(NO_SUCH))
    assert_error(api.get(RCONN + "/" + NO_SUCH), 404, "L2RemoteGatewayConnectionNotFound",
                 rconn_not_found(NO_SUCH))


def test_dependents_refuse_delete(api, env):
    gw, net, r, c = border(api, env.b)
    local_conns = api.list("l2-gateway-connections", "l2_gateway_connections",
                           "network_id=" + net["id"])
    assert len(local_conns) == 1
    lc = local_conns[0]["id"]
    assert_error(api.delete("/v2.0/l2-gateway-connections/" + lc), 409,
                 "L2RemoteGatewayConnectionExists",
                 "The connection %s is used by remote gateway connection %s: delete the remote "
                 "gateway connections of this gateway and network first" % (lc, c["id"]))
    assert_error(api.delete("/v2.0/networks/" + net["id"]), 409, "NetworkInUse",
                 "Unable to complete operation on network %s. There are one or more remote "
                 "gateway connections still in use on the network." % net["id"])
    assert_error(api.delete("/v2.0/l2-gateways/" + gw["id"]), 409, "L2GatewayInUse",
                 "L2 Gateway '%s' still has active mappings with one or more neutron networks."
                 % gw["id"])
    m = api.ok(post_mac(api, c["id"], "02:00:00:aa:00:01"), 201)["l2_remote_mac"]
    api.remove("l2-remote-gateway-connections", c["id"])
    # Its MACs went with it, and their addresses are free again.
    assert_error(api.get(RMAC + "/" + m["id"]), 404, "L2RemoteMacNotFound",
                 "The remote MAC %s not found" % m["id"])
    api.port(net["id"], mac_address="02:00:00:aa:00:01")
    api.remove("l2-gateway-connections", lc)


# -- remote MACs ---------------------------------------------------------------------

def test_mac_create_show_list_delete(api, env):
    _, _, _, c = border(api, env.b)
    m = api.ok(post_mac(api, c["id"], "02:AB:CD:00:00:01", ipaddr="10.9.0.1"), 201)
    m = m["l2_remote_mac"]
    assert UUID_RE.match(m["id"])
    assert m == {"id": m["id"], "mac": "02:ab:cd:00:00:01", "ipaddr": "10.9.0.1",
                 "rgw_connection": c["id"], "tenant_id": "admin", "project_id": "admin"}
    assert api.show("l2-remote-macs", "l2_remote_mac", m["id"]) == m
    m2 = api.ok(post_mac(api, c["id"], "02-ab-cd-00-00-02"), 201)["l2_remote_mac"]
    assert m2["mac"] == "02:ab:cd:00:00:02" and m2["ipaddr"] == ""
    m3 = api.ok(post_mac(api, c["id"], "02:ab:cd:00:00:03", ipaddr=None), 201)["l2_remote_mac"]
    assert m3["ipaddr"] == ""
    listed = api.list("l2-remote-macs", "l2_remote_macs", "rgw_connection=" + c["id"])
    assert sorted(x["id"] for x in listed) == sorted([m["id"], m2["id"], m3["id"]])
    assert api.list("l2-remote-macs", "l2_remote_macs", "rgw_connection=" + NO_SUCH) == []
    assert_error(api.put(RMAC + "/" + m["id"], {"l2_remote_mac": {"ipaddr": "10.9.0.9"}}),
                 405, "HTTPMethodNotAllowed", "The method PUT is not allowed for this resource.")
    api.remove("l2-remote-macs", m["id"])
    assert_error(api.delete(RMAC + "/" + m["id"]), 404, "L2RemoteMacNotFound",
                 "The remote MAC %s not found" % m["id"])


@pytest.mark.parametrize("mac,reason", [
    ("ff:ff:ff:ff:ff:ff", "is not a unicast MAC address (multicast and broadcast addresses "
                          "cannot be remote hosts)"),
    ("01:00:5e:00:00:01", "is not a unicast MAC address (multicast and broadcast addresses "
                          "cannot be remote hosts)"),
    ("00:00:00:00:00:00", "is not a valid MAC address"),
    ("02:00:00:00:00", "is not a valid MAC address"),
    ("zz:00:00:00:00:01", "is not a valid MAC address")])
def test_mac_must_be_unicast(api, mac, reason, env):
    _, _, _, c = border(api, env.b)
    assert_error(post_mac(api, c["id"], mac), 400, "HTTPBadRequest",
                 "Invalid input for mac. Reason: '%s' %s." % (mac, reason))


def test_mac_input_errors(api, env):
    _, _, _, c = border(api, env.b)
    assert_error(post_mac(api, c["id"], "02:00:00:00:00:01", ipaddr="2001:db8::1"), 400,
                 "InvalidInput", "Invalid input for operation: ipaddr '2001:db8::1' is not an "
                 "IPv4 address (tunnel endpoints are IPv4).")
    assert_error(post_mac(api, NO_SUCH, "02:00:00:00:00:01"), 404,
                 "L2RemoteGatewayConnectionNotFound", rconn_not_found(NO_SUCH))
    assert_error(api.post(RMAC, {"l2_remote_mac": {"mac": "02:00:00:00:00:01"}}), 400,
                 "HTTPBadRequest",
                 "Failed to parse request. Required attribute 'rgw_connection' not specified")
    assert_error(api.post(RMAC, {"l2_remote_mac": {"rgw_connection": c["id"]}}), 400,
                 "HTTPBadRequest", "Failed to parse request. Required attribute 'mac' not "
                 "specified")


def test_mac_used_in_network_409(api, env):
    gw, net, r, c = border(api, env.b)
    c2 = rconn(api, gw["id"], net["id"], rgw(api)["id"])
    m = api.ok(post_mac(api, c["id"], "02:00:00:bb:00:01"), 201)["l2_remote_mac"]
    assert_error(post_mac(api, c2["id"], "02:00:00:BB:00:01"), 409, "L2RemoteMacExists",
                 "The MAC address 02:00:00:bb:00:01 is already used in network %s by remote "
                 "MAC %s" % (net["id"], m["id"]))
    port = api.port(net["id"], mac_address="fa:16:3e:bb:00:01", allowed_address_pairs=[
        {"ip_address": "10.0.0.5", "mac_address": "fa:16:3e:bb:00:02"}])
    assert_error(post_mac(api, c["id"], "fa:16:3e:bb:00:01"), 409, "L2RemoteMacExists",
                 "The MAC address fa:16:3e:bb:00:01 is already used in network %s by port %s"
                 % (net["id"], port["id"]))
    assert_error(post_mac(api, c["id"], "fa:16:3e:bb:00:02"), 409, "L2RemoteMacExists",
                 "The MAC address fa:16:3e:bb:00:02 is already used in network %s by an "
                 "address pair of port %s" % (net["id"], port["id"]))
    # And a port cannot take a remote MAC's address.
    resp = api.post("/v2.0/ports", {"port": {"network_id": net["id"],
                                             "mac_address": "02:00:00:bb:00:01"}})
    assert_error(resp, 409, "MacAddressInUse")
    # Another network may use it.
    _, _, _, c3 = border(api, env.d)
    api.ok(post_mac(api, c3["id"], "02:00:00:bb:00:01"), 201)


def test_mac_bulk_10000_in_one_request(api, env):
    _, _, _, c = border(api, env.b)
    items = macs("02:10:00:00", MAX_BULK, c["id"])
    for i, item in enumerate(items):
        item["ipaddr"] = "10.16.%d.%d" % (i >> 8, i & 255)
    body = json.dumps({"l2_remote_macs": items})
    assert len(body) > 1048576          # over the default limit of other routes
    t0 = time.monotonic()
    resp = api.post(RMAC, raw=body)
    elapsed = time.monotonic() - t0
    print("bulk create of %d remote MACs: %.3f s" % (MAX_BULK, elapsed))
    created = api.ok(resp, 201)["l2_remote_macs"]
    assert len(created) == MAX_BULK
    assert [x["mac"] for x in created[:2]] == ["02:10:00:00:00:00", "02:10:00:00:00:01"]
    listed = api.list("l2-remote-macs", "l2_remote_macs",
                      "rgw_connection=%s&fields=id" % c["id"])
    assert len(listed) == MAX_BULK


def test_mac_bulk_all_or_nothing(api, env):
    _, _, _, c = border(api, env.b)
    items = macs("02:11:00:00", 50, c["id"]) + [{"mac": "02:11:00:00:00:00",
                                                 "rgw_connection": c["id"]}]
    resp = api.post(RMAC, {"l2_remote_macs": items})
    assert_error(resp, 409, "L2RemoteMacExists")
    items = macs("02:12:00:00", 50, c["id"]) + [{"mac": "01:00:00:00:00:01",
                                                 "rgw_connection": c["id"]}]
    assert_error(api.post(RMAC, {"l2_remote_macs": items}), 400, "HTTPBadRequest")
    items = macs("02:13:00:00", 50, c["id"]) + [{"mac": "02:13:00:00:ff:ff",
                                                 "rgw_connection": NO_SUCH}]
    assert_error(api.post(RMAC, {"l2_remote_macs": items}), 404,
                 "L2RemoteGatewayConnectionNotFound", rconn_not_found(NO_SUCH))
    assert api.list("l2-remote-macs", "l2_remote_macs", "rgw_connection=" + c["id"]) == []


def test_mac_bulk_limits(api, env):
    _, _, _, c = border(api, env.b)
    resp = api.post(RMAC, {"l2_remote_macs": macs("02:14:00:00", MAX_BULK + 1, c["id"])})
    assert_error(resp, 400, "HTTPBadRequest", "Bulk request holds more than 10000 resources")
    assert_error(api.post(RMAC, {"l2_remote_macs": []}), 400, "HTTPBadRequest",
                 "Resources required")
    big = json.dumps({"l2_remote_macs": [{"mac": "02:00:00:00:00:01",
                                          "rgw_connection": "x" * (9 * 1024 * 1024)}]})
    assert api.post(RMAC, raw=big).status == 413
    # Other routes keep the default limit.
    big = json.dumps({"l2_remote_gateway": {"name": "x" * (2 * 1024 * 1024)}})
    assert api.post(RGW, raw=big).status == 413


# -- the spec's remote-macs form --------------------------------------------------------

def test_spec_form_single_and_bulk(api, env):
    _, _, _, c = border(api, env.b)
    path = RCONN + "/" + c["id"] + "/remote-macs"
    one = api.ok(api.post(path, {"remote-mac": {"mac": "02:20:00:00:00:01",
                                                "ip": "10.20.0.1"}}), 201)["l2_remote_mac"]
    assert one["mac"] == "02:20:00:00:00:01" and one["ipaddr"] == "10.20.0.1"
    assert one["rgw_connection"] == c["id"]
    assert api.show("l2-remote-macs", "l2_remote_mac", one["id"]) == one
    many = api.ok(api.post(path, {"remote-macs": [
        {"mac": "02:20:00:00:00:02", "ip": "10.20.0.2"},
        {"mac": "02:20:00:00:00:03"}]}), 201)["l2_remote_macs"]
    assert [m["mac"] for m in many] == ["02:20:00:00:00:02", "02:20:00:00:00:03"]
    assert many[1]["ipaddr"] == ""
    listed = api.list("l2-remote-macs", "l2_remote_macs", "rgw_connection=" + c["id"])
    assert len(listed) == 3
    # This route takes bodies up to 8 MiB too.
    padded = json.dumps({"remote-mac": {"mac": "02:20:00:00:00:04"}}) + " " * (2 << 20)
    assert api.post(path, raw=padded).status == 201
    assert api.post(path, raw=padded + " " * (7 << 20)).status == 413


def test_spec_form_errors(api, env):
    _, _, _, c = border(api, env.b)
    path = RCONN + "/" + c["id"] + "/remote-macs"
    assert_error(api.post(RCONN + "/" + NO_SUCH + "/remote-macs",
                          {"remote-mac": {"mac": "02:21:00:00:00:01"}}),
                 404, "L2RemoteGatewayConnectionNotFound", rconn_not_found(NO_SUCH))
    assert_error(api.post(path, {"mac": "02:21:00:00:00:01"}), 400, "HTTPBadRequest",
                 "Unable to find 'remote-mac' or 'remote-macs' in request body")
    assert_error(api.post(path, {"remote-mac": {"mac": "02:21:00:00:00:01", "vlan": 3}}),
                 400, "HTTPBadRequest", "Unrecognized attribute(s) 'vlan'")
    assert_error(api.post(path, {"remote-macs": []}), 400, "HTTPBadRequest",
                 "Resources required")
    assert_error(api.post(path, {"remote-mac": {"mac": "ff:ff:ff:ff:ff:ff"}}), 400,
                 "HTTPBadRequest", "Invalid input for mac. Reason: 'ff:ff:ff:ff:ff:ff' is not "
                 "a unicast MAC address (multicast and broadcast addresses cannot be remote "
                 "hosts).")
    assert_error(api.post(path, raw="{not json"), 400, "HTTPBadRequest",
                 "Body contains invalid data")
    assert_error(api.post(path, raw=""), 400, "HTTPBadRequest", "Resource body required")
    assert_error(api.get(path), 405, "HTTPMethodNotAllowed")
    assert_error(api.post(RCONN + "/" + c["id"] + "/other", {}), 404, "HTTPNotFound")
    resp = api.post(path, {"remote-macs": [{"mac": "02:22:%02x:%02x:00:01" % (i >> 8, i & 255)}
                                           for i in range(MAX_BULK + 1)]})
    assert_error(resp, 400, "HTTPBadRequest", "Bulk request holds more than 10000 resources")
    assert api.list("l2-remote-macs", "l2_remote_macs", "rgw_connection=" + c["id"]) == []
