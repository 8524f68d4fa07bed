"""api.md "Identity and policy" (noauth): every L2 gateway operation is admin
only; the admin check comes before the existence check."""

import pytest

from l2gwtest import admin_required, assert_error, tagged_devices, unique, untagged_devices

GW = "/v2.0/l2-gateways"
CONN = "/v2.0/l2-gateway-connections"
MISSING = "5a2f8b6d-7c9e-4fb0-91e2-5d6e7f8091a2"


def forbidden(r, action):
    assert_error(r, 403, "AdminRequired", admin_required(action))


def test_member_cannot_create_gateway(api, member):
    name = unique("gw")
    r = member.post(GW, {"l2_gateway": {"name": name, "devices": untagged_devices()}})
    forbidden(r, "CREATE")
    assert api.list("l2-gateways", "l2_gateways", "name=" + name) == []


def test_member_create_checked_before_body(member):
    forbidden(member.post(GW, {"nonsense": 1}), "CREATE")
    forbidden(member.post(GW, {"l2_gateway": {"devices": "x"}}), "CREATE")


def test_member_cannot_list(member):
    forbidden(member.get(GW), "GET")


def test_member_cannot_show(api, member):
    gw = api.gateway()
    forbidden(member.get("%s/%s" % (GW, gw["id"])), "GET")


def test_member_show_missing_is_403_not_404(member):
    forbidden(member.get("%s/%s" % (GW, MISSING)), "GET")


def test_member_cannot_update(api, member):
    gw = api.gateway()
    forbidden(member.put("%s/%s" % (GW, gw["id"]), {"l2_gateway": {"name": "x"}}), "UPDATE")
    assert api.show("l2-gateways", "l2_gateway", gw["id"]) == gw


def test_member_update_missing_is_403(member):
    forbidden(member.put("%s/%s" % (GW, MISSING), {"l2_gateway": {"name": "x"}}), "UPDATE")


def test_member_cannot_delete(api, member):
    gw = api.gateway()
    forbidden(member.delete("%s/%s" % (GW, gw["id"])), "DELETE")
    assert api.show("l2-gateways", "l2_gateway", gw["id"]) == gw


def test_member_delete_missing_is_403(member):
    forbidden(member.delete("%s/%s" % (GW, MISSING)), "DELETE")


def test_member_of_own_project_still_forbidden(daemon, api):
    proj = unique("proj")
    gw = api.gateway(tenant_id=proj)
    owner = daemon.client(project=proj, roles="member")
    forbidden(owner.get("%s/%s" % (GW, gw["id"])), "GET")
    forbidden(owner.put("%s/%s" % (GW, gw["id"]), {"l2_gateway": {"name": "x"}}), "UPDATE")
    forbidden(owner.delete("%s/%s" % (GW, gw["id"])), "DELETE")
    owner.close()


# -- connections ----------------------------------------------------------------------

def test_member_connections(api, member):
    gw = api.gateway(devices=tagged_devices())
    net = api.network()
    forbidden(member.post(CONN, {"l2_gateway_connection": {
        "l2_gateway_id": gw["id"], "network_id": net["id"]}}), "CREATE")
    c = api.connection(gw["id"], net["id"])
    forbidden(member.get(CONN), "GET")
    forbidden(member.get("%s/%s" % (CONN, c["id"])), "GET")
    forbidden(member.put("%s/%s" % (CONN, c["id"]),
                         {"l2_gateway_connection": {"segmentation_id": "1"}}), "UPDATE")
    forbidden(member.delete("%s/%s" % (CONN, c["id"])), "DELETE")
    assert api.show("l2-gateway-connections", "l2_gateway_connection", c["id"])["id"] == c["id"]


def test_member_connection_create_before_network_check(member):
    forbidden(member.post(CONN, {"l2_gateway_connection": {
        "l2_gateway_id": MISSING, "network_id": MISSING}}), "CREATE")


def test_member_connection_missing_is_403(member):
    forbidden(member.get("%s/%s" % (CONN, MISSING)), "GET")
    forbidden(member.delete("%s/%s" % (CONN, MISSING)), "DELETE")


# -- roles --------------------------------------------------------------------------------

@pytest.mark.parametrize("roles", ["member,admin", "admin,member", "reader,admin,member"])
def test_admin_among_roles(daemon, roles):
    c = daemon.client(project="demo", roles=roles)
    r = c.get(GW)
    assert r.status == 200, r
    c.close()


@pytest.mark.parametrize("roles", ["", "reader", "Admin-like", "administrator"])
def test_non_admin_roles(daemon, roles):
    c = daemon.client(project="demo", roles=roles)
    forbidden(c.get(GW), "GET")
    c.close()


def test_admin_in_other_project_sees_everything(daemon, api):
    gw = api.gateway(tenant_id=unique("proj"))
    other = daemon.client(project=unique("elsewhere"), roles="admin")
    assert other.show("l2-gateways", "l2_gateway", gw["id"])["id"] == gw["id"]
    other.close()


def test_member_switch_registry_forbidden(member):
    for path in ("/v2.0/l2-switches", "/v2.0/l2-learned-macs"):
        r = member.get(path)
        assert r.status == 403, r
