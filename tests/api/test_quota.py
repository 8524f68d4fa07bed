"""api.md "Quota": [QUOTAS] quota_l2_gateway_connection = 1 → the second is 409 OverQuota."""

from l2gwtest import assert_error, unique, untagged_devices

DAEMON_CONFIG = {"QUOTAS": {"quota_l2_gateway_connection": "1"}}


def test_quota_one_connection(api):
    proj = unique("quota")
    gw = api.gateway(devices=untagged_devices(), tenant_id=proj)
    n1, n2 = api.network(), api.network()
    first = api.connection(gw["id"], n1["id"], segmentation_id=11)
    r = api.post("/v2.0/l2-gateway-connections", {"l2_gateway_connection": {
        "l2_gateway_id": gw["id"], "network_id": n2["id"], "segmentation_id": 12}})
    assert_error(r, 409, "OverQuota")
    listed = api.list("l2-gateway-connections", "l2_gateway_connections",
                      "l2_gateway_id=" + gw["id"])
    assert [c["id"] for c in listed] == [first["id"]]
    # Freed by a delete.
    api.remove("l2-gateway-connections", first["id"])
    second = api.connection(gw["id"], n2["id"], segmentation_id=12)
    assert second["network_id"] == n2["id"]


def test_quota_counts_across_gateways_of_a_project(api):
    proj = unique("quota")
    g1 = api.gateway(devices=untagged_devices(), tenant_id=proj)
    g2 = api.gateway(devices=untagged_devices(), tenant_id=proj)
    net = api.network()
    api.connection(g1["id"], net["id"], segmentation_id=21)
    r = api.post("/v2.0/l2-gateway-connections", {"l2_gateway_connection": {
        "l2_gateway_id": g2["id"], "network_id": net["id"], "segmentation_id": 22}})
    assert_error(r, 409, "OverQuota")


def test_quota_is_per_project(api):
    g1 = api.gateway(devices=untagged_devices(), tenant_id=unique("qa"))
    g2 = api.gateway(devices=untagged_devices(), tenant_id=unique("qb"))
    net = api.network()
    api.connection(g1["id"], net["id"], segmentation_id=31)
    api.connection(g2["id"], net["id"], segmentation_id=32)
