"""api.md "l2_gateway": rendering, show/list, update, delete, not-found."""

import uuid

import pytest

from l2gwtest import UUID_RE, assert_error, tagged_devices, unique, untagged_devices

GW = "/v2.0/l2-gateways"
MISSING = "8f1e4c5a-3b2d-4e6f-9a0b-1c2d3e4f5a6b"


def gw_path(gid):
    return "%s/%s" % (GW, gid)


def not_found(gid):
    return "L2 Gateway %s could not be found" % gid


# -- rendering -----------------------------------------------------------------

def test_render_full_example(api):
    """The request/response example of api.md, verbatim."""
    name = unique("gw")
    gw = api.create("l2-gateways", "l2_gateway", {"name": name, "devices": [
        {"device_name": "sw1", "interfaces": [
            {"name": "p1", "segmentation_id": ["100", 200]}]},
        {"device_name": "sw2", "interfaces": [{"name": "p2"}]}]})
    assert UUID_RE.match(gw["id"]), gw
    assert gw["name"] == name
    for key in ("id", "name", "devices", "tenant_id", "project_id"):
        assert key in gw, gw
    d1, d2 = gw["devices"]
    assert UUID_RE.match(d1["id"]) and UUID_RE.match(d2["id"]) and d1["id"] != d2["id"]
    assert d1 == {"id": d1["id"], "device_name": "sw1",
                  "interfaces": [{"name": "p1", "segmentation_id": ["100", "200"]}]}
    assert d2 == {"id": d2["id"], "device_name": "sw2",
                  "interfaces": [{"name": "p2", "segmentation_id": []}]}


def test_render_order_is_the_order_given(api):
    devices = [
        {"device_name": "zz", "interfaces": [
            {"name": "p9", "segmentation_id": [300, "5", 4094, 0, 17]},
            {"name": "p1", "segmentation_id": ["2"]},
            {"name": "p5", "segmentation_id": [1000]}]},
        {"device_name": "aa", "interfaces": [{"name": "x3"}, {"name": "x1"}, {"name": "x2"}]},
        {"device_name": "mm", "interfaces": [{"name": "q"}]},
    ]
    gw = api.gateway(devices=devices)
    expected = [
        ("zz", [("p9", ["300", "5", "4094", "0", "17"]), ("p1", ["2"]), ("p5", ["1000"])]),
        ("aa", [("x3", []), ("x1", []), ("x2", [])]),
        ("mm", [("q", [])]),
    ]

    def shape(g):
        return [(d["device_name"], [(i["name"], i["segmentation_id"]) for i in d["interfaces"]])
                for d in g["devices"]]
    assert shape(gw) == expected
    assert shape(api.show("l2-gateways", "l2_gateway", gw["id"])) == expected
    listed = [g for g in api.list("l2-gateways", "l2_gateways") if g["id"] == gw["id"]]
    assert len(listed) == 1 and shape(listed[0]) == expected


def test_show_and_list_equal_create(api):
    gw = api.gateway(devices=tagged_devices(["7", 8]))
    assert api.show("l2-gateways", "l2_gateway", gw["id"]) == gw
    listed = [g for g in api.list("l2-gateways", "l2_gateways") if g["id"] == gw["id"]]
    assert listed == [gw]


def test_name_defaults_to_empty_string(api):
    gw = api.create("l2-gateways", "l2_gateway", {"devices": untagged_devices()})
    assert gw["name"] == ""
    assert api.show("l2-gateways", "l2_gateway", gw["id"])["name"] == ""


def test_name_not_unique(api):
    name = unique("gw")
    a = api.gateway(name=name)
    b = api.gateway(name=name)
    assert a["id"] != b["id"]
    ids = {g["id"] for g in api.list("l2-gateways", "l2_gateways", "name=" + name)}
    assert ids == {a["id"], b["id"]}


def test_ids_differ_across_gateways(api):
    ids = {api.gateway()["id"] for _ in range(5)}
    assert len(ids) == 5


def test_create_answers_json(api):
    r = api.post(GW, {"l2_gateway": {"devices": untagged_devices()}})
    assert r.status == 201, r
    assert (r.header("Content-Type") or "").startswith("application/json"), r.headers


# -- not found -----------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_unknown_id_404(api, method):
    body = {"l2_gateway": {"name": "x"}} if method == "PUT" else None
    r = api.request(method, gw_path(MISSING), body=body)
    assert_error(r, 404, "L2GatewayNotFound", not_found(MISSING))


def test_deleted_gateway_is_gone(api):
    gw = api.gateway()
    api.remove("l2-gateways", gw["id"])
    assert_error(api.get(gw_path(gw["id"])), 404, "L2GatewayNotFound", not_found(gw["id"]))
    assert_error(api.delete(gw_path(gw["id"])), 404, "L2GatewayNotFound", not_found(gw["id"]))
    assert all(g["id"] != gw["id"] for g in api.list("l2-gateways", "l2_gateways"))


def test_delete_answers_204_without_body(api):
    gw = api.gateway()
    r = api.delete(gw_path(gw["id"]))
    assert r.status == 204 and r.body == b"", r


def test_name_lookup_flow(api):
    """What the OpenStack client does: GET by name (clean 404), then ?name=."""
    name = unique("lookup")
    gw = api.gateway(name=name)
    assert_error(api.get(gw_path(name)), 404, "L2GatewayNotFound", not_found(name))
    found = api.list("l2-gateways", "l2_gateways", "name=" + name)
    assert [g["id"] for g in found] == [gw["id"]]
    found = api.list("l2-gateways", "l2_gateways", "name=%s&fields=id" % name)
    assert found == [{"id": gw["id"]}]


def test_unknown_non_uuid_id_404(api):
    assert_error(api.get(gw_path("no-such-thing")), 404, "L2GatewayNotFound",
                 not_found("no-such-thing"))


# -- update ------------------------------------------------------------------

def test_update_name(api):
    gw = api.gateway(devices=tagged_devices([5]))
    new = unique("renamed")
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"name": new}})
    assert r.status == 200, r
    out = r.json()["l2_gateway"]
    assert out["name"] == new
    assert out["devices"] == gw["devices"]
    assert api.show("l2-gateways", "l2_gateway", gw["id"])["name"] == new


def test_update_name_to_empty(api):
    gw = api.gateway()
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"name": ""}})
    assert r.status == 200, r
    assert api.show("l2-gateways", "l2_gateway", gw["id"])["name"] == ""


def test_update_empty_member_keeps_everything(api):
    gw = api.gateway(devices=tagged_devices([5]))
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {}})
    assert r.status == 200, r
    assert r.json()["l2_gateway"] == gw
    assert api.show("l2-gateways", "l2_gateway", gw["id"]) == gw


def test_update_devices_keeps_name(api):
    gw = api.gateway(devices=untagged_devices(2))
    dev = gw["devices"][0]["device_name"]
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"devices": [
        {"device_name": dev, "interfaces": [{"name": "p7"}]}]}})
    assert r.status == 200, r
    out = api.show("l2-gateways", "l2_gateway", gw["id"])
    assert out["name"] == gw["name"]


def test_update_replaces_interfaces(api):
    gw = api.gateway(devices=[{"device_name": "swa", "interfaces": [
        {"name": "p1", "segmentation_id": ["1"]}, {"name": "p2", "segmentation_id": ["2"]}]}])
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"devices": [
        {"device_name": "swa", "interfaces": [{"name": "p3", "segmentation_id": [30, "31"]}]}]}})
    assert r.status == 200, r
    dev = api.show("l2-gateways", "l2_gateway", gw["id"])["devices"]
    assert len(dev) == 1
    assert dev[0]["device_name"] == "swa"
    assert dev[0]["interfaces"] == [{"name": "p3", "segmentation_id": ["30", "31"]}]
    assert r.json()["l2_gateway"]["devices"][0]["interfaces"] == dev[0]["interfaces"]


def test_update_only_listed_devices_change(api):
    gw = api.gateway(devices=[
        {"device_name": "sw1", "interfaces": [{"name": "a"}]},
        {"device_name": "sw2", "interfaces": [{"name": "b"}, {"name": "c"}]}])
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"devices": [
        {"device_name": "sw2", "interfaces": [{"name": "d"}]}]}})
    assert r.status == 200, r
    devs = {d["device_name"]: d for d in api.show("l2-gateways", "l2_gateway", gw["id"])["devices"]}
    assert set(devs) == {"sw1", "sw2"}
    assert devs["sw1"]["interfaces"] == [{"name": "a", "segmentation_id": []}]
    assert devs["sw2"]["interfaces"] == [{"name": "d", "segmentation_id": []}]


def test_update_name_and_devices(api):
    gw = api.gateway(devices=untagged_devices(device_name="swx"))
    new = unique("both")
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"name": new, "devices": [
        {"device_name": "swx", "interfaces": [{"name": "z"}]}]}})
    assert r.status == 200, r
    out = api.show("l2-gateways", "l2_gateway", gw["id"])
    assert out["name"] == new
    assert out["devices"][0]["interfaces"] == [{"name": "z", "segmentation_id": []}]


def test_update_unknown_device_404(api):
    gw = api.gateway(devices=untagged_devices(device_name="known"))
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"devices": [
        {"device_name": "stranger", "interfaces": [{"name": "p1"}]}]}})
    assert_error(r, 404, "L2GatewayDeviceNotFound",
                 "L2 Gateway Device stranger could not be found.")
    assert api.show("l2-gateways", "l2_gateway", gw["id"]) == gw


def test_update_device_of_another_gateway_404(api):
    other = api.gateway(devices=untagged_devices(device_name="theirs"))
    gw = api.gateway(devices=untagged_devices(device_name="mine"))
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"devices": [
        {"device_name": "theirs", "interfaces": [{"name": "p1"}]}]}})
    assert_error(r, 404, "L2GatewayDeviceNotFound",
                 "L2 Gateway Device theirs could not be found.")
    assert api.show("l2-gateways", "l2_gateway", other["id"]) == other


def test_update_unknown_device_changes_nothing_even_if_another_is_known(api):
    gw = api.gateway(devices=untagged_devices(device_name="k1"))
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"devices": [
        {"device_name": "k1", "interfaces": [{"name": "new"}]},
        {"device_name": "nope", "interfaces": [{"name": "p1"}]}]}})
    assert_error(r, 404, "L2GatewayDeviceNotFound", "L2 Gateway Device nope could not be found.")
    assert api.show("l2-gateways", "l2_gateway", gw["id"]) == gw


SEG_EXISTS = ("L2GatewaySegmentationIDExists",
              "The segmentation id is already specified in existing gateway interfaces.")
SEG_NOT_EXISTS = ("L2GatewaySegmentationIDNotExists",
                  "The segmentation id is not specified in existing gateway interfaces.")


def test_update_tagged_to_untagged_409(api):
    gw = api.gateway(devices=tagged_devices(["100"], device_name="swt"))
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"devices": [
        {"device_name": "swt", "interfaces": [{"name": "p2"}]}]}})
    assert_error(r, 409, *SEG_EXISTS)
    assert api.show("l2-gateways", "l2_gateway", gw["id"]) == gw


def test_update_untagged_to_tagged_409(api):
    gw = api.gateway(devices=untagged_devices(device_name="swu"))
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"devices": [
        {"device_name": "swu", "interfaces": [{"name": "p2", "segmentation_id": [5]}]}]}})
    assert_error(r, 409, *SEG_NOT_EXISTS)
    assert api.show("l2-gateways", "l2_gateway", gw["id"]) == gw


def test_update_mode_judged_per_device(api):
    """Deviation from the reference: each listed device is judged against its
    own stored interfaces, not against the gateway's first device."""
    gw = api.gateway(devices=[
        {"device_name": "tag", "interfaces": [{"name": "p1", "segmentation_id": [1]}]},
        {"device_name": "untag", "interfaces": [{"name": "p1"}]}])
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"devices": [
        {"device_name": "untag", "interfaces": [{"name": "p2"}, {"name": "p3"}]}]}})
    assert r.status == 200, r
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"devices": [
        {"device_name": "tag", "interfaces": [{"name": "p4", "segmentation_id": ["9"]}]}]}})
    assert r.status == 200, r
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"devices": [
        {"device_name": "untag", "interfaces": [{"name": "p5", "segmentation_id": ["9"]}]}]}})
    assert_error(r, 409, *SEG_NOT_EXISTS)


def test_update_inconsistent_new_interfaces_409(api):
    gw = api.gateway(devices=tagged_devices([1], device_name="swc"))
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"devices": [
        {"device_name": "swc", "interfaces": [{"name": "p1", "segmentation_id": [2]},
                                              {"name": "p2"}]}]}})
    assert_error(r, 409, "L2GatewaySegmentationRequired",
                 "L2 gateway segmentation id must be consistent for all the interfaces")


def test_update_bad_vlan_400(api):
    gw = api.gateway(devices=tagged_devices([1], device_name="swv"))
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"devices": [
        {"device_name": "swv", "interfaces": [{"name": "p1", "segmentation_id": [4095]}]}]}})
    assert_error(r, 400, "InvalidInput",
                 "Invalid input for operation: Segmentation id is out of range.")


def test_update_with_connections_validated_like_connection_create(api):
    """Update of a connected gateway: the new bindings are checked like a
    connection create (here: an interface that is not a port of the
    switch → 404 L2GatewayInterfaceNotFound) and nothing is stored."""
    name = unique("swu")
    gw = api.gateway(devices=[{"device_name": name, "interfaces": [{"name": "p1"}]}])
    net = api.network()
    api.connection(gw["id"], net["id"])
    r = api.put(gw_path(gw["id"]), {"l2_gateway": {"devices": [
        {"device_name": name, "interfaces": [{"name": "p9"}]}]}})
    assert_error(r, 404, "L2GatewayInterfaceNotFound",
                 "L2 Gateway interface 'p9' not found.")
    got = api.get(gw_path(gw["id"])).json()["l2_gateway"]
    assert [i["name"] for i in got["devices"][0]["interfaces"]] == ["p1"]


# -- delete ----------------------------------------------------------------------

def test_delete_in_use_409(api):
    gw = api.gateway()
    net = api.network()
    conn = api.connection(gw["id"], net["id"])
    r = api.delete(gw_path(gw["id"]))
    assert_error(r, 409, "L2GatewayInUse",
                 "L2 Gateway '%s' still has active mappings with one or more neutron networks."
                 % gw["id"])
    assert api.show("l2-gateways", "l2_gateway", gw["id"]) == gw
    api.remove("l2-gateway-connections", conn["id"])
    api.remove("l2-gateways", gw["id"])


def test_delete_in_use_two_connections(api):
    gw = api.gateway()
    conns = [api.connection(gw["id"], api.network()["id"], segmentation_id=500 + i)
             for i in range(2)]
    api.remove("l2-gateway-connections", conns[0]["id"])
    assert api.delete(gw_path(gw["id"])).status == 409
    api.remove("l2-gateway-connections", conns[1]["id"])
    assert api.delete(gw_path(gw["id"])).status == 204


def test_uuid_case(api):
    gw = api.gateway()
    r = api.get(gw_path(str(uuid.UUID(gw["id"])).upper()))
    # Either found (ids normalised) or a clean 404 – never a 500.
    assert r.status in (200, 404), r
