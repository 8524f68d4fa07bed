"""Debian's real OpenStack client against a live l2gwd (api.md "Using the
OpenStack client without Keystone"):

    openstack --os-auth-type none --os-endpoint http://127.0.0.1:PORT ...

Every command runs with --debug (its stderr, which shows the HTTP requests,
is printed when a test fails) and -f json where it prints something; what
the client shows is compared with what the API holds."""

import json
import os
import re
import shutil
import subprocess

import pytest

from l2gwtest import unique

OPENSTACK = shutil.which("openstack")
pytestmark = pytest.mark.skipif(OPENSTACK is None, reason="the 'openstack' client is not installed")
CLI_TIMEOUT = 120


class CliError(AssertionError):
    pass


def osc(daemon, *args, fmt=True, expect_ok=True):
    """Runs one openstack command; returns parsed JSON (fmt) or the result."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    cmd = [OPENSTACK, "--debug", "--os-auth-type", "none", "--os-endpoint", daemon.endpoint]
    cmd += list(args)
    if fmt:
        cmd += ["-f", "json"]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=CLI_TIMEOUT)
    if expect_ok and p.returncode != 0:
        raise CliError("%s\n-> exit %d\nstdout:\n%s\nstderr (requests):\n%s" % (
            " ".join(args), p.returncode, p.stdout, requests_of(p.stderr)))
    if not expect_ok:
        return p
    if fmt:
        try:
            return json.loads(p.stdout)
        except ValueError:
            raise CliError("not JSON: %r\nstderr:\n%s" % (p.stdout, requests_of(p.stderr)))
    return p


def requests_of(debug):
    """The interesting lines of a --debug log (requests, responses, errors)."""
    keep = [line for line in debug.splitlines()
            if re.search(r"REQ: |RESP: |RESP BODY|curl |HTTP/1\.|Error|error|Traceback|"
                         r"Exception|Unable", line)]
    text = "\n".join(keep) if keep else debug
    return text[-12000:]


def api_gateway(api, gid):
    return api.show("l2-gateways", "l2_gateway", gid)


# -- l2gw ------------------------------------------------------------------------------

def test_l2gw_create_list_show_update_delete(daemon, api):
    name = unique("gw")
    out = osc(daemon, "l2gw", "create", "--device", "name=sw1,interface_names=p1|100", name)
    gid = out["ID"]
    assert out["Name"] == name
    gw = api_gateway(api, gid)
    assert gw["name"] == name
    assert [(d["device_name"], d["interfaces"]) for d in gw["devices"]] == \
        [("sw1", [{"name": "p1", "segmentation_id": ["100"]}])]
    assert out["Devices"] == gw["devices"]

    listed = osc(daemon, "l2gw", "list")
    mine = [g for g in listed if g["ID"] == gid]
    assert len(mine) == 1 and mine[0]["Name"] == name and mine[0]["Devices"] == gw["devices"]

    shown = osc(daemon, "l2gw", "show", name)          # name lookup
    assert shown["ID"] == gid and shown["Devices"] == gw["devices"]
    shown = osc(daemon, "l2gw", "show", gid)           # id lookup
    assert shown["ID"] == gid and shown["Name"] == name

    new = unique("gw-renamed")
    out = osc(daemon, "l2gw", "update", name, "--name", new)
    assert out["ID"] == gid and out["Name"] == new
    assert api_gateway(api, gid)["name"] == new
    assert api_gateway(api, gid)["devices"] == gw["devices"]

    out = osc(daemon, "l2gw", "update", new, "--device", "name=sw1,interface_names=p2|200#201")
    assert out["ID"] == gid
    now = api_gateway(api, gid)
    assert now["devices"][0]["interfaces"] == [{"name": "p2", "segmentation_id": ["200", "201"]}]
    assert now["name"] == new, "update with --device only must keep the name"

    osc(daemon, "l2gw", "delete", new, fmt=False)
    assert api.get("/v2.0/l2-gateways/%s" % gid).status == 404


def test_l2gw_create_several_devices_untagged(daemon, api):
    name = unique("gw")
    out = osc(daemon, "l2gw", "create",
              "--device", "name=swA,interface_names=p1;p2",
              "--device", "name=swB,interface_names=p3|5;p4|6#7", name)
    gw = api_gateway(api, out["ID"])
    assert [(d["device_name"], d["interfaces"]) for d in gw["devices"]] == [
        ("swA", [{"name": "p1", "segmentation_id": []}, {"name": "p2", "segmentation_id": []}]),
        ("swB", [{"name": "p3", "segmentation_id": ["5"]},
                 {"name": "p4", "segmentation_id": ["6", "7"]}]),
    ]
    assert out["Devices"] == gw["devices"]


def test_l2gw_errors_reach_the_user(daemon, api):
    name = unique("gw")
    p = osc(daemon, "l2gw", "create", name, expect_ok=False)      # no --device: devices []
    assert p.returncode != 0
    assert "Cannot create a gateway with an empty device list" in p.stderr + p.stdout, \
        requests_of(p.stderr)
    assert api.list("l2-gateways", "l2_gateways", "name=" + name) == []
    p = osc(daemon, "l2gw", "show", unique("nope"), expect_ok=False)
    assert p.returncode != 0


def test_l2gw_update_without_options(daemon, api):
    """`l2gw update GW` sends {"l2_gateway": {"name": null}}: reported, not asserted
    beyond "no 500" (api.md does not say what a null name does)."""
    name = unique("gw")
    out = osc(daemon, "l2gw", "create", "--device", "name=sw1,interface_names=p1", name)
    p = osc(daemon, "l2gw", "update", out["ID"], expect_ok=False)
    assert "RESP: [500]" not in p.stderr, requests_of(p.stderr)
    if p.returncode == 0:
        assert api_gateway(api, out["ID"])["devices"] == out["Devices"]


# -- network and port -----------------------------------------------------------------

def test_network_create_list_show_delete(daemon, api):
    name = unique("net")
    out = osc(daemon, "network", "create", "--provider-network-type", "vxlan",
              "--provider-segment", "1000", name)
    nid = out["id"]
    net = api.show("networks", "network", nid)
    assert net["name"] == name
    assert net["provider:network_type"] == "vxlan"
    assert net["provider:segmentation_id"] == 1000
    assert str(out["provider:segmentation_id"]) == "1000"

    listed = osc(daemon, "network", "list")
    assert [n["Name"] for n in listed if n["ID"] == nid] == [name]

    shown = osc(daemon, "network", "show", name)     # GET /networks/<name> → 404, then ?name=
    assert shown["id"] == nid and shown["name"] == name
    assert str(shown["provider:segmentation_id"]) == "1000"
    shown = osc(daemon, "network", "show", nid)
    assert shown["id"] == nid

    osc(daemon, "network", "delete", name, fmt=False)
    assert api.get("/v2.0/networks/%s" % nid).status == 404


def test_network_create_without_provider(daemon, api):
    name = unique("net")
    out = osc(daemon, "network", "create", name)
    net = api.show("networks", "network", out["id"])
    assert net["provider:network_type"] == "vxlan"
    assert isinstance(net["provider:segmentation_id"], int)


def test_port_create_with_host(daemon, api):
    host = api.host(tunnel_ip="192.0.2.50")
    net_name = unique("net")
    net = osc(daemon, "network", "create", "--provider-network-type", "vxlan",
              "--provider-segment", "1001", net_name)
    pname = unique("p")
    out = osc(daemon, "port", "create", "--network", net_name, "--host", host["name"], pname)
    port = api.show("ports", "port", out["id"])
    assert port["name"] == pname
    assert port["network_id"] == net["id"]
    assert port["binding:host_id"] == host["name"]
    assert re.match(r"^fa:16:3e(:[0-9a-f]{2}){3}$", port["mac_address"])
    assert out["mac_address"] == port["mac_address"]

    shown = osc(daemon, "port", "show", pname)
    assert shown["id"] == port["id"]
    listed = osc(daemon, "port", "list", "--network", net_name)
    assert [p["ID"] for p in listed] == [port["id"]]

    osc(daemon, "port", "set", "--host", "compute-elsewhere", pname, fmt=False)
    assert api.show("ports", "port", port["id"])["binding:host_id"] == "compute-elsewhere"

    p = osc(daemon, "network", "delete", net_name, fmt=False, expect_ok=False)
    assert p.returncode != 0, "network with a port must not be deleted"
    osc(daemon, "port", "delete", pname, fmt=False)
    osc(daemon, "network", "delete", net_name, fmt=False)


# -- l2gw connection ----------------------------------------------------------------

def make_gw_and_net(daemon, interface_names, vni):
    gname = unique("gw")
    gw = osc(daemon, "l2gw", "create", "--device",
             "name=%s,interface_names=%s" % (unique("sw"), interface_names), gname)
    nname = unique("net")
    net = osc(daemon, "network", "create", "--provider-network-type", "vxlan",
              "--provider-segment", str(vni), nname)
    return gname, gw["ID"], nname, net["id"]


def test_connection_lifecycle(daemon, api):
    gname, gid, nname, nid = make_gw_and_net(daemon, "p1|100", 2001)
    out = osc(daemon, "l2gw", "connection", "create", gname, nname)
    cid = out["ID"]
    conn = api.show("l2-gateway-connections", "l2_gateway_connection", cid)
    assert conn["l2_gateway_id"] == gid and conn["network_id"] == nid
    assert conn["segmentation_id"] == ""
    assert out["L2 GateWay ID"] == gid and out["Network ID"] == nid
    assert out["Segmentation ID"] == ""

    listed = osc(daemon, "l2gw", "connection", "list")
    mine = [c for c in listed if c["ID"] == cid]
    assert len(mine) == 1 and mine[0]["Network ID"] == nid

    shown = osc(daemon, "l2gw", "connection", "show", cid)
    assert shown["ID"] == cid and shown["L2 GateWay ID"] == gid

    p = osc(daemon, "l2gw", "delete", gname, fmt=False, expect_ok=False)
    assert p.returncode != 0
    assert "still has active mappings" in p.stderr, requests_of(p.stderr)

    osc(daemon, "l2gw", "connection", "delete", cid, fmt=False)
    assert api.get("/v2.0/l2-gateway-connections/%s" % cid).status == 404
    osc(daemon, "l2gw", "delete", gname, fmt=False)


def test_connection_default_segmentation_id(daemon, api):
    gname, gid, nname, nid = make_gw_and_net(daemon, "p1;p2", 2002)
    out = osc(daemon, "l2gw", "connection", "create", gname, nname,
              "--default-segmentation-id", "100")
    conn = api.show("l2-gateway-connections", "l2_gateway_connection", out["ID"])
    assert conn["segmentation_id"] == "100"
    assert out["Segmentation ID"] == "100"


def test_connection_untagged_readme_walkthrough(daemon, api):
    gname, gid, nname, nid = make_gw_and_net(daemon, "ens5", 2003)
    out = osc(daemon, "l2gw", "connection", "create", gname, nname)
    conn = api.show("l2-gateway-connections", "l2_gateway_connection", out["ID"])
    assert conn["segmentation_id"] == ""


def test_connection_both_vlan_sources_rejected(daemon, api):
    gname, gid, nname, nid = make_gw_and_net(daemon, "p1|100", 2004)
    p = osc(daemon, "l2gw", "connection", "create", gname, nname,
            "--default-segmentation-id", "5", expect_ok=False)
    assert p.returncode != 0
    assert "default segmentation_id should not be provided" in p.stderr, requests_of(p.stderr)
