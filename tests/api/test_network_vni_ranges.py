"""api.md networks: provider:segmentation_id allocated from [l2gw] vni_ranges
when omitted; a small range is exhausted, then freed."""

import pytest

from l2gwtest import neutron_error, unique

DAEMON_CONFIG = {"l2gw": {"vni_ranges": "5000:5002"}}
RANGE = {5000, 5001, 5002}


def alloc(api):
    return api.post("/v2.0/networks", {"network": {"name": unique("alloc")}})


def test_allocate_exhaust_and_free(api):
    # An explicit VNI inside the range is taken into account ...
    explicit = api.network(vni=5001)
    # ... an explicit VNI outside the range is allowed (provider attribute).
    outside = api.network(vni=7000)
    assert outside["provider:segmentation_id"] == 7000
    got = []
    for _ in range(2):
        r = alloc(api)
        assert r.status == 201, r
        got.append(r.json()["network"])
    assert {n["provider:segmentation_id"] for n in got} == RANGE - {5001}
    # Exhausted.
    r = alloc(api)
    assert r.status in (409, 503), r
    neutron_error(r)
    name_check = api.list("networks", "networks")
    assert {n["provider:segmentation_id"] for n in name_check} == RANGE | {7000}
    # Freed by a delete, then allocated again.
    api.remove("networks", got[0]["id"])
    r = alloc(api)
    assert r.status == 201, r
    assert r.json()["network"]["provider:segmentation_id"] == got[0]["provider:segmentation_id"]
    api.remove("networks", explicit["id"])
    r = alloc(api)
    assert r.status == 201, r
    assert r.json()["network"]["provider:segmentation_id"] == 5001
    r = alloc(api)
    assert r.status in (409, 503), r


@pytest.mark.parametrize("value", [1, 16777215, "1", "16777215"])
def test_segmentation_id_bounds(api, value):
    # In this module the allocator never hands out 1 or 16777215.
    n = api.network(vni=value)
    assert n["provider:segmentation_id"] == int(value)
    api.remove("networks", n["id"])
