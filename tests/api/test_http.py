"""api.md "Conventions": discovery documents, routing (404/405), the .json
suffix, keep-alive, and the read-only observability lists."""

import http.client
import socket
import uuid

import pytest

from l2gwtest import assert_error, href_path, neutron_error, unique, untagged_devices

GW = "/v2.0/l2-gateways"


# -- discovery ---------------------------------------------------------------------

def test_versions_document(daemon, api):
    r = api.get("/")
    assert r.status == 200, r
    versions = r.json()["versions"]
    v2 = [v for v in versions if v.get("id") == "v2.0"]
    assert len(v2) == 1, versions
    assert v2[0]["status"] == "CURRENT"
    hrefs = [link["href"] for link in v2[0]["links"] if link.get("rel") == "self"]
    assert len(hrefs) == 1, v2
    href = hrefs[0]
    assert href_path(href).rstrip("/") == "/v2.0", href
    if "://" in href:
        assert "127.0.0.1:%d" % daemon.port in href, href


def test_resources_document(api):
    for path in ("/v2.0", "/v2.0/"):
        r = api.get(path)
        assert r.status == 200, r
        resources = r.json()["resources"]
        assert isinstance(resources, list) and resources, r
        for res in resources:
            assert {"name", "collection", "links"} <= set(res), res


def test_extensions_list(api):
    r = api.get("/v2.0/extensions")
    assert r.status == 200, r
    exts = {e["alias"]: e for e in r.json()["extensions"]}
    for alias in ("l2-gateway", "l2-gateway-connection"):
        assert alias in exts, sorted(exts)
        for key in ("name", "alias", "description", "updated"):
            assert isinstance(exts[alias].get(key), str) and exts[alias][key], exts[alias]


@pytest.mark.parametrize("alias", ["l2-gateway", "l2-gateway-connection"])
def test_extension_show(api, alias):
    r = api.get("/v2.0/extensions/%s" % alias)
    assert r.status == 200, r
    ext = r.json()["extension"]
    assert ext["alias"] == alias
    for key in ("name", "description", "updated"):
        assert isinstance(ext.get(key), str) and ext[key], ext
    listed = {e["alias"]: e for e in api.get("/v2.0/extensions").json()["extensions"]}
    assert listed[alias] == ext


def test_extension_unknown_404(api):
    r = api.get("/v2.0/extensions/no-such-alias")
    assert r.status == 404, r
    neutron_error(r)


# -- routing ------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/v2.0/nonsense", "/v3", "/v2.0/l2-gateway",
                                  "/v2.0/l2-gateways/%s/extra" % uuid.uuid4(), "/favicon.ico"])
def test_unknown_url_404(api, path):
    r = api.get(path)
    assert r.status == 404, r
    neutron_error(r)


@pytest.mark.parametrize("method,member", [
    ("PUT", False), ("DELETE", False), ("PATCH", False), ("POST", True), ("PATCH", True),
])
def test_wrong_method_405(api, method, member):
    path = GW
    if member:
        path = "%s/%s" % (GW, api.gateway()["id"])
    r = api.request(method, path, body={"l2_gateway": {"name": "x"}})
    assert r.status == 405, r
    neutron_error(r)


def test_wrong_method_on_connections(api):
    r = api.request("PUT", "/v2.0/l2-gateway-connections", body={})
    assert r.status == 405, r
    neutron_error(r)


# -- .json suffix -----------------------------------------------------------------------

def test_json_suffix(api):
    name = unique("sfx")
    r = api.post(GW + ".json", {"l2_gateway": {"name": name, "devices": untagged_devices()}})
    assert r.status == 201, r
    gw = r.json()["l2_gateway"]
    r = api.get(GW + ".json")
    assert r.status == 200, r
    assert any(g["id"] == gw["id"] for g in r.json()["l2_gateways"])
    r = api.get("%s/%s.json" % (GW, gw["id"]))
    assert r.status == 200, r
    assert r.json()["l2_gateway"] == gw
    r = api.put("%s/%s.json" % (GW, gw["id"]), {"l2_gateway": {"name": name + "b"}})
    assert r.status == 200, r
    r = api.delete("%s/%s.json" % (GW, gw["id"]))
    assert r.status == 204, r


def test_json_suffix_with_query(api):
    name = unique("sfxq")
    gw = api.gateway(name=name)
    r = api.get("%s.json?name=%s" % (GW, name))
    assert r.status == 200, r
    assert [g["id"] for g in r.json()["l2_gateways"]] == [gw["id"]]


# -- keep-alive -----------------------------------------------------------------------

def test_keep_alive_several_requests_one_connection(daemon):
    conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=30)
    conn.connect()
    sock = conn.sock
    local = sock.getsockname()
    hdrs = {"X-Roles": "admin", "X-Project-Id": "admin", "Content-Type": "application/json"}
    import json
    gw_body = json.dumps({"l2_gateway": {"name": unique("ka"), "devices": untagged_devices()}})
    steps = [
        ("GET", GW, None, 200),
        ("POST", GW, gw_body, 201),
        ("GET", None, None, 200),            # show the created gateway
        ("GET", GW + "/" + str(uuid.uuid4()), None, 404),
        ("POST", GW, '{"l2_gateway": {"devices": "x"}}', 400),
        ("POST", GW, "{broken", 400),
        ("PUT", None, '{"l2_gateway": {"name": "ka2"}}', 200),
        ("GET", "/v2.0/extensions", None, 200),
        ("DELETE", None, None, 204),
        ("GET", None, None, 404),
    ]
    gid = None
    for method, path, body, status in steps:
        if path is None:
            path = "%s/%s" % (GW, gid)
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        payload = resp.read()
        assert resp.status == status, (method, path, resp.status, payload[:300])
        assert not resp.will_close, (method, path, resp.getheaders())
        assert conn.sock is sock and sock.getsockname() == local, "connection was reopened"
        if method == "POST" and status == 201:
            gid = json.loads(payload)["l2_gateway"]["id"]
    conn.close()


def test_keep_alive_raw_socket(daemon):
    s = socket.create_connection(("127.0.0.1", daemon.port), timeout=30)
    req = ("GET /v2.0/l2-gateways HTTP/1.1\r\nHost: x\r\nX-Roles: admin\r\n\r\n").encode()
    for _ in range(3):
        s.sendall(req)
        resp = http.client.HTTPResponse(s, method="GET")
        resp.begin()
        assert resp.status == 200
        resp.read()
        assert not resp.will_close
    s.close()


# -- read-only observability lists ---------------------------------------------------------

@pytest.mark.parametrize("path,collection", [("l2-switches", "l2_switches"),
                                             ("l2-learned-macs", "l2_learned_macs")])
def test_observability_lists_empty(api, path, collection):
    r = api.get("/v2.0/" + path)
    assert r.status == 200, r
    assert r.json()[collection] == []


@pytest.mark.parametrize("path", ["l2-switches", "l2-learned-macs"])
def test_observability_unknown_id_404(api, path):
    r = api.get("/v2.0/%s/%s" % (path, uuid.uuid4()))
    assert r.status == 404, r
    neutron_error(r)


@pytest.mark.parametrize("path,member", [("l2-switches", "l2_switch"),
                                         ("l2-learned-macs", "l2_learned_mac")])
def test_observability_read_only(api, path, member):
    r = api.post("/v2.0/" + path, {member: {"name": "x"}})
    assert r.status == 405, r
    neutron_error(r)


def test_learned_macs_filters_accepted(api):
    r = api.get("/v2.0/l2-learned-macs?network_id=%s&switch=sw1&mac=aa:bb:cc:dd:ee:ff&limit=5"
                % uuid.uuid4())
    assert r.status == 200, r
    assert r.json()["l2_learned_macs"] == []


def test_switch_delete_unknown_404(api):
    r = api.delete("/v2.0/l2-switches/%s" % uuid.uuid4())
    assert r.status == 404, r
    neutron_error(r)


def test_error_content_type_json(api):
    r = api.get("%s/%s" % (GW, uuid.uuid4()))
    assert r.status == 404
    assert (r.header("Content-Type") or "").startswith("application/json"), r.headers
    assert_error(r, 404, "L2GatewayNotFound")
