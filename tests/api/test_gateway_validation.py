"""api.md "l2_gateway": validation of 'devices' and of VLAN values on POST."""

import pytest

from l2gwtest import assert_error, devices_reason, neutron_error, unique

GW = "/v2.0/l2-gateways"
BAD = "HTTPBadRequest"

EMPTY_LIST = "Cannot create a gateway with an empty device list"
NOT_LIST = "devices format is not a type list of dicts"
EMPTY_DEVICE_NAME = "Cannot create a gateway with an empty device_name"
EMPTY_INTERFACES = "Cannot create a gateway with an empty interfaces"
IFACES_NOT_LIST = "interfaces format is not a type list of dicts"
IFACE_NOT_DICT = "interfaces format is not a type dict"
EMPTY_IFACE_NAME = "Cannot create a gateway with an empty interface name"
SEG_NOT_LIST = "segmentation_id type should be of list type "
SEG_EMPTY = "segmentation_id_list should not be empty"

VLAN_NOT_INT = "Invalid input for operation: Segmentation id must be a valid integer."
VLAN_RANGE = "Invalid input for operation: Segmentation id is out of range."


def post_devices(api, devices, name=None):
    return api.post(GW, {"l2_gateway": {"name": name or unique("gw"), "devices": devices}})


def assert_nothing_named(api, name):
    assert api.list("l2-gateways", "l2_gateways", "name=" + name) == []


# Every row of the devices table, with each variant the table names.
CASES = [
    ("null", None, EMPTY_LIST),
    ("empty-list", [], EMPTY_LIST),
    ("string", "sw1", NOT_LIST),
    ("object", {"device_name": "sw1", "interfaces": [{"name": "p1"}]}, NOT_LIST),
    ("number", 7, NOT_LIST),
    ("true", True, NOT_LIST),
    ("empty-device-name", [{"device_name": "", "interfaces": [{"name": "p1"}]}],
     EMPTY_DEVICE_NAME),
    ("missing-device-name", [{"interfaces": [{"name": "p1"}]}], EMPTY_DEVICE_NAME),
    ("null-device-name", [{"device_name": None, "interfaces": [{"name": "p1"}]}],
     EMPTY_DEVICE_NAME),
    ("missing-interfaces", [{"device_name": "sw1"}], EMPTY_INTERFACES),
    ("empty-interfaces", [{"device_name": "sw1", "interfaces": []}], EMPTY_INTERFACES),
    ("null-interfaces", [{"device_name": "sw1", "interfaces": None}], EMPTY_INTERFACES),
    ("interfaces-string", [{"device_name": "sw1", "interfaces": "p1"}], IFACES_NOT_LIST),
    ("interfaces-object", [{"device_name": "sw1", "interfaces": {"name": "p1"}}],
     IFACES_NOT_LIST),
    ("interfaces-number", [{"device_name": "sw1", "interfaces": 3}], IFACES_NOT_LIST),
    ("interface-string", [{"device_name": "sw1", "interfaces": ["p1"]}], IFACE_NOT_DICT),
    ("interface-number", [{"device_name": "sw1", "interfaces": [5]}], IFACE_NOT_DICT),
    ("interface-list", [{"device_name": "sw1", "interfaces": [["p1"]]}], IFACE_NOT_DICT),
    ("second-interface-string",
     [{"device_name": "sw1", "interfaces": [{"name": "p1"}, "p2"]}], IFACE_NOT_DICT),
    ("empty-interface-name", [{"device_name": "sw1", "interfaces": [{"name": ""}]}],
     EMPTY_IFACE_NAME),
    ("missing-interface-name",
     [{"device_name": "sw1", "interfaces": [{"segmentation_id": ["1"]}]}], EMPTY_IFACE_NAME),
    ("segid-string",
     [{"device_name": "sw1", "interfaces": [{"name": "p1", "segmentation_id": "100"}]}],
     SEG_NOT_LIST),
    ("segid-number",
     [{"device_name": "sw1", "interfaces": [{"name": "p1", "segmentation_id": 100}]}],
     SEG_NOT_LIST),
    ("segid-object",
     [{"device_name": "sw1", "interfaces": [{"name": "p1", "segmentation_id": {"a": 1}}]}],
     SEG_NOT_LIST),
    ("segid-empty",
     [{"device_name": "sw1", "interfaces": [{"name": "p1", "segmentation_id": []}]}],
     SEG_EMPTY),
    ("second-device-bad",
     [{"device_name": "sw1", "interfaces": [{"name": "p1"}]},
      {"device_name": "sw2", "interfaces": []}], EMPTY_INTERFACES),
]


@pytest.mark.parametrize("devices,reason", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_devices_table(api, devices, reason):
    name = unique("gw")
    r = post_devices(api, devices, name)
    assert_error(r, 400, BAD, devices_reason(reason))
    assert_nothing_named(api, name)


def test_devices_missing_is_required_error(api):
    r = api.post(GW, {"l2_gateway": {"name": unique("gw")}})
    assert_error(r, 400, BAD,
                 "Failed to parse request. Required attribute 'devices' not specified")


def test_device_not_an_object(api):
    # Not a row of the table (the reference crashes): must be a clean 400
    # for 'devices', not a 500.
    r = post_devices(api, ["sw1"])
    assert r.status == 400, r
    t, msg, _ = neutron_error(r)
    assert t == BAD and msg.startswith("Invalid input for devices. Reason: "), r


def test_devices_validated_on_update_too(api):
    gw = api.gateway()
    r = api.put("%s/%s" % (GW, gw["id"]), {"l2_gateway": {"devices": "sw1"}})
    assert_error(r, 400, BAD, devices_reason(NOT_LIST))
    r = api.put("%s/%s" % (GW, gw["id"]), {"l2_gateway": {"devices": [
        {"device_name": gw["devices"][0]["device_name"], "interfaces": []}]}})
    assert_error(r, 400, BAD, devices_reason(EMPTY_INTERFACES))


# -- VLAN values --------------------------------------------------------------

def one_iface(vlans):
    return [{"device_name": unique("sw"), "interfaces": [{"name": "p1", "segmentation_id": vlans}]}]


@pytest.mark.parametrize("vlans,expected", [
    ([100], ["100"]),
    (["100"], ["100"]),
    ([0], ["0"]),
    (["0"], ["0"]),
    ([4094], ["4094"]),
    (["4094"], ["4094"]),
    ([1, "2", 3], ["1", "2", "3"]),
], ids=["int", "str", "zero-int", "zero-str", "max-int", "max-str", "mixed"])
def test_vlan_values_accepted(api, vlans, expected):
    r = post_devices(api, one_iface(vlans))
    assert r.status == 201, r
    gw = r.json()["l2_gateway"]
    assert gw["devices"][0]["interfaces"][0]["segmentation_id"] == expected
    shown = api.show("l2-gateways", "l2_gateway", gw["id"])
    assert shown["devices"][0]["interfaces"][0]["segmentation_id"] == expected


@pytest.mark.parametrize("vlans,message", [
    (["abc"], VLAN_NOT_INT),
    (["1.5"], VLAN_NOT_INT),
    ([""], VLAN_NOT_INT),
    (["12abc"], VLAN_NOT_INT),
    ([100, "abc"], VLAN_NOT_INT),
    ([4095], VLAN_RANGE),
    (["4095"], VLAN_RANGE),
    ([-1], VLAN_RANGE),
    (["-1"], VLAN_RANGE),
    ([100000], VLAN_RANGE),
    ([100, 4095], VLAN_RANGE),
], ids=["abc", "decimal-str", "empty-str", "12abc", "second-abc", "4095", "4095-str",
        "-1", "-1-str", "100000", "second-4095"])
def test_vlan_values_rejected(api, vlans, message):
    name = unique("gw")
    r = post_devices(api, one_iface(vlans), name)
    assert_error(r, 400, "InvalidInput", message)
    assert_nothing_named(api, name)


# -- consistency, duplicates, extra keys --------------------------------------

def test_mixed_vlan_mode_in_one_device_409(api):
    name = unique("gw")
    r = post_devices(api, [{"device_name": "sw1", "interfaces": [
        {"name": "p1", "segmentation_id": ["100"]}, {"name": "p2"}]}], name)
    assert_error(r, 409, "L2GatewaySegmentationRequired",
                 "L2 gateway segmentation id must be consistent for all the interfaces")
    assert_nothing_named(api, name)


def test_mixed_vlan_mode_first_untagged_409(api):
    r = post_devices(api, [{"device_name": "sw1", "interfaces": [
        {"name": "p1"}, {"name": "p2", "segmentation_id": [7]}]}])
    assert_error(r, 409, "L2GatewaySegmentationRequired",
                 "L2 gateway segmentation id must be consistent for all the interfaces")


def test_devices_may_differ_in_vlan_mode(api):
    r = post_devices(api, [
        {"device_name": "sw1", "interfaces": [{"name": "p1", "segmentation_id": [10]}]},
        {"device_name": "sw2", "interfaces": [{"name": "p1"}, {"name": "p2"}]}])
    assert r.status == 201, r
    devs = r.json()["l2_gateway"]["devices"]
    assert devs[0]["interfaces"][0]["segmentation_id"] == ["10"]
    assert devs[1]["interfaces"][0]["segmentation_id"] == []
    assert devs[1]["interfaces"][1]["segmentation_id"] == []


def test_duplicate_device_name(api):
    name = unique("gw")
    r = post_devices(api, [{"device_name": "swd", "interfaces": [{"name": "p1"}]},
                           {"device_name": "swd", "interfaces": [{"name": "p2"}]}], name)
    assert_error(r, 400, BAD, devices_reason("duplicate device_name swd"))
    assert_nothing_named(api, name)


def test_duplicate_interface_name(api):
    name = unique("gw")
    r = post_devices(api, [{"device_name": "sw1", "interfaces": [
        {"name": "eth9", "segmentation_id": [1]}, {"name": "eth9", "segmentation_id": [2]}]}],
        name)
    assert_error(r, 400, BAD, devices_reason("duplicate interface name eth9"))
    assert_nothing_named(api, name)


def test_same_interface_name_on_two_devices_is_fine(api):
    r = post_devices(api, [{"device_name": "sw1", "interfaces": [{"name": "p1"}]},
                           {"device_name": "sw2", "interfaces": [{"name": "p1"}]}])
    assert r.status == 201, r


def test_extra_keys_ignored(api):
    r = post_devices(api, [{"device_name": "sw1", "foo": "bar", "id": "x",
                            "interfaces": [{"name": "p1", "segmentation_id": [5],
                                            "baz": [1, 2], "qux": None}]}])
    assert r.status == 201, r
    dev = r.json()["l2_gateway"]["devices"][0]
    assert set(dev) == {"id", "device_name", "interfaces"}
    assert dev["id"] != "x"
    assert dev["interfaces"] == [{"name": "p1", "segmentation_id": ["5"]}]


def test_gateway_create_does_not_need_known_switch(api):
    r = post_devices(api, [{"device_name": unique("never-seen"), "interfaces": [{"name": "p1"}]}])
    assert r.status == 201, r
