"""api.md "Conventions": request envelopes and the framework's 400/413 answers."""

import json

import pytest

from l2gwtest import (MAX_BODY, assert_error, neutron_error, tagged_devices,
                      unique, untagged_devices)

GW = "/v2.0/l2-gateways"
BAD = "HTTPBadRequest"


def gw_path(gid):
    return "%s/%s" % (GW, gid)


# -- missing body -------------------------------------------------------------

@pytest.mark.parametrize("raw", ["", "{}"], ids=["empty", "empty-object"])
def test_post_without_body(api, raw):
    assert_error(api.post(GW, raw=raw), 400, BAD, "Resource body required")


@pytest.mark.parametrize("raw", ["", "{}"], ids=["empty", "empty-object"])
def test_put_without_body(api, raw):
    gw = api.gateway()
    assert_error(api.put(gw_path(gw["id"]), raw=raw), 400, BAD, "Resource body required")
    assert api.show("l2-gateways", "l2_gateway", gw["id"]) == gw


def test_post_without_body_on_networks(api):
    assert_error(api.post("/v2.0/networks", raw=""), 400, BAD, "Resource body required")


# -- envelope ---------------------------------------------------------------

@pytest.mark.parametrize("body", [
    {"name": "x", "devices": untagged_devices()},
    {"l2gateway": {"devices": untagged_devices()}},
    {"devices": untagged_devices()},
], ids=["bare", "misspelt", "devices-only"])
def test_post_missing_envelope(api, body):
    assert_error(api.post(GW, body), 400, BAD, "Unable to find 'l2_gateway' in request body")


def test_put_missing_envelope(api):
    gw = api.gateway()
    assert_error(api.put(gw_path(gw["id"]), {"name": "x"}), 400, BAD,
                 "Unable to find 'l2_gateway' in request body")


def test_missing_envelope_names_the_resource(api):
    r = api.post("/v2.0/l2-gateway-connections", {"network_id": "x"})
    assert_error(r, 400, BAD, "Unable to find 'l2_gateway_connection' in request body")
    r = api.post("/v2.0/networks", {"name": "x"})
    assert_error(r, 400, BAD, "Unable to find 'network' in request body")


def test_envelope_not_an_object(api):
    r = api.post(GW, {"l2_gateway": ["devices"]})
    assert r.status == 400, r
    neutron_error(r)


# -- attributes ---------------------------------------------------------------

def test_unknown_attribute_post(api):
    r = api.post(GW, {"l2_gateway": {"devices": untagged_devices(), "foo": 1}})
    assert_error(r, 400, BAD, "Unrecognized attribute(s) 'foo'")


def test_unknown_attributes_post_two(api):
    r = api.post(GW, {"l2_gateway": {"devices": untagged_devices(), "foo": 1, "bar": 2}})
    assert r.status == 400, r
    _, msg, _ = neutron_error(r)
    assert msg in ("Unrecognized attribute(s) 'foo, bar'",
                   "Unrecognized attribute(s) 'bar, foo'"), r


def test_unknown_attribute_put(api):
    gw = api.gateway()
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"foo": "x"}})
    assert_error(r, 400, BAD, "Unrecognized attribute(s) 'foo'")


def test_unknown_attribute_creates_nothing(api):
    name = unique("gw")
    r = api.post(GW, {"l2_gateway": {"name": name, "devices": untagged_devices(), "foo": 1}})
    assert r.status == 400, r
    assert api.list("l2-gateways", "l2_gateways", "name=" + name) == []


def test_id_in_post(api):
    r = api.post(GW, {"l2_gateway": {"id": "6a5d6b52-6cf3-4a6f-9a8c-3d0e7d3e9d21",
                                     "devices": untagged_devices()}})
    assert_error(r, 400, BAD, "Attribute 'id' not allowed in POST")


def test_id_in_post_network(api):
    r = api.post("/v2.0/networks", {"network": {"id": "6a5d6b52-6cf3-4a6f-9a8c-3d0e7d3e9d21"}})
    assert_error(r, 400, BAD, "Attribute 'id' not allowed in POST")


@pytest.mark.parametrize("attr,value", [
    ("id", "6a5d6b52-6cf3-4a6f-9a8c-3d0e7d3e9d21"),
    ("tenant_id", "other"),
    ("project_id", "other"),
])
def test_read_only_in_put(api, attr, value):
    gw = api.gateway()
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {attr: value}})
    assert_error(r, 400, BAD, "Cannot update read-only attribute %s" % attr)
    assert api.show("l2-gateways", "l2_gateway", gw["id"]) == gw


def test_missing_required_devices(api):
    r = api.post(GW, {"l2_gateway": {"name": unique("gw")}})
    assert_error(r, 400, BAD,
                 "Failed to parse request. Required attribute 'devices' not specified")


def test_missing_required_network_id(api):
    gw = api.gateway()
    r = api.post("/v2.0/l2-gateway-connections",
                 {"l2_gateway_connection": {"l2_gateway_id": gw["id"]}})
    assert_error(r, 400, BAD,
                 "Failed to parse request. Required attribute 'network_id' not specified")


def test_missing_required_port_network_id(api):
    r = api.post("/v2.0/ports", {"port": {"name": unique("p")}})
    assert_error(r, 400, BAD,
                 "Failed to parse request. Required attribute 'network_id' not specified")


# -- malformed JSON and sizes -------------------------------------------------

@pytest.mark.parametrize("raw", [
    '{"l2_gateway": {"devices": [}',
    "{'l2_gateway': {}}",
    "not json",
    '{"l2_gateway": {"name": "a"}} trailing',
    "\xff\xfe",
], ids=["truncated", "single-quotes", "text", "trailing-garbage", "binary"])
def test_malformed_json(api, raw):
    r = api.post(GW, raw=raw.encode("latin-1"))
    assert r.status == 400, r
    t, msg, _ = neutron_error(r)
    assert t == BAD, r
    assert msg, r


def test_malformed_json_put(api):
    gw = api.gateway()
    r = api.put(gw_path(gw["id"]), raw='{"l2_gateway": ')
    assert r.status == 400, r
    assert neutron_error(r)[0] == BAD


def padded_gateway_body(size):
    """A valid gateway POST body of exactly 'size' bytes (padded with spaces)."""
    name = unique("big")
    core = json.dumps({"l2_gateway": {"name": name, "devices": untagged_devices()}})
    assert len(core) < size
    return name, core[:-1] + " " * (size - len(core)) + "}"


def send_large(daemon, body):
    """POSTs 'body' on a fresh raw socket; tolerates the server answering
    (and closing) before the whole body was sent.  Returns (status, body)."""
    import http.client
    import socket
    data = body.encode()
    s = socket.create_connection(("127.0.0.1", daemon.port), timeout=30)
    head = ("POST /v2.0/l2-gateways HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\nX-Roles: admin\r\nX-Project-Id: admin\r\n"
            "Content-Length: %d\r\n\r\n" % len(data)).encode()
    try:
        s.sendall(head + data)
    except (BrokenPipeError, ConnectionResetError):
        pass
    resp = http.client.HTTPResponse(s, method="POST")
    resp.begin()
    payload = resp.read()
    s.close()
    return resp.status, payload


def test_body_over_limit_413(daemon, api):
    name, body = padded_gateway_body(MAX_BODY + 1)
    status, payload = send_large(daemon, body)
    assert status == 413, payload[:300]
    err = json.loads(payload)["NeutronError"]
    assert err["type"] and isinstance(err["message"], str)
    assert api.list("l2-gateways", "l2_gateways", "name=" + name) == []


def test_body_far_over_limit_413(daemon):
    _, body = padded_gateway_body(4 * MAX_BODY)
    status, payload = send_large(daemon, body)
    assert status == 413, payload[:300]


def test_body_just_under_limit_accepted(api):
    name, body = padded_gateway_body(MAX_BODY - 64)
    r = api.post(GW, raw=body)
    assert r.status == 201, r
    assert r.json()["l2_gateway"]["name"] == name


def test_body_at_limit_accepted(api):
    name, body = padded_gateway_body(MAX_BODY)
    r = api.post(GW, raw=body)
    assert r.status == 201, r


def test_server_survives_413(daemon, api):
    _, body = padded_gateway_body(MAX_BODY + 1)
    send_large(daemon, body)
    api.close()
    assert api.get(GW).status == 200


# -- tenant_id / project_id --------------------------------------------------

def test_project_defaults_to_caller(daemon):
    c = daemon.client(project="proj-%s" % unique("p"), roles="admin")
    gw = c.gateway()
    assert gw["tenant_id"] == c.project
    assert gw["project_id"] == c.project
    c.close()


def test_project_default_header_missing_is_admin(daemon):
    c = daemon.client(project=None, roles=None)
    gw = c.gateway()
    assert gw["tenant_id"] == "admin" and gw["project_id"] == "admin"
    c.close()


@pytest.mark.parametrize("given", ["tenant_id", "project_id", "both"])
def test_project_given(api, given):
    proj = unique("proj")
    attrs = {"devices": untagged_devices()}
    if given in ("tenant_id", "both"):
        attrs["tenant_id"] = proj
    if given in ("project_id", "both"):
        attrs["project_id"] = proj
    gw = api.create("l2-gateways", "l2_gateway", attrs)
    assert gw["tenant_id"] == proj and gw["project_id"] == proj
    shown = api.show("l2-gateways", "l2_gateway", gw["id"])
    assert shown["tenant_id"] == proj and shown["project_id"] == proj


def test_project_and_tenant_differ(api):
    r = api.post(GW, {"l2_gateway": {"devices": untagged_devices(),
                                     "tenant_id": "a", "project_id": "b"}})
    assert_error(r, 400, BAD, "'project_id' and 'tenant_id' do not match")


def test_project_and_tenant_differ_network(api):
    r = api.post("/v2.0/networks", {"network": {"name": unique("n"),
                                                "tenant_id": "a", "project_id": "b"}})
    assert_error(r, 400, BAD, "'project_id' and 'tenant_id' do not match")


def test_every_resource_renders_both_project_keys(api):
    gw = api.gateway(devices=tagged_devices())
    net = api.network()
    port = api.port(net["id"])
    conn = api.connection(gw["id"], net["id"])
    for obj in (gw, net, port, conn):
        assert obj["tenant_id"] == obj["project_id"] == "admin", obj


# -- extra: JSON types of plain attributes -----------------------------------

def test_name_must_be_string(api):
    r = api.post(GW, {"l2_gateway": {"name": 12, "devices": untagged_devices()}})
    assert r.status == 400, r
    neutron_error(r)
