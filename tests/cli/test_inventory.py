"""Inventory: network, port and host (create list show update delete)."""

import clitest
from clitest import fails, ok, parse_table, show_rows, unique


def net(cli, *extra, name=None):
    return ok(cli("network", "create", name or unique("net"), *extra, "-f", "json")).json()


def host(cli, *extra, name=None):
    return ok(cli("host", "create", name or unique("host"), *extra, "-f", "json")).json()


# -- network -------------------------------------------------------------------

def test_network_create_show_list(cli, api):
    name = unique("net")
    r = ok(cli("network", "create", name, "--provider-segment", "4242", "--mtu", "1400",
               "--provider-network-type", "vxlan", "--description", "a net"))
    rows = dict(show_rows(r.out))
    # show rows under attribute names, as "openstack network show"
    assert rows["name"] == name and rows["provider:segmentation_id"] == "4242"
    assert rows["provider:network_type"] == "vxlan" and rows["mtu"] == "1400"
    assert rows["description"] == "a net" and "tenant_id" not in rows
    nid = rows["id"]
    status, body = api.get("/v2.0/networks/" + nid)
    assert body["network"]["provider:segmentation_id"] == 4242
    shown = ok(cli("network", "show", name, "-f", "json")).json()
    assert shown == body["network"]
    titles, table = parse_table(ok(cli("network", "list")).out)
    assert titles == ["ID", "Name", "Network Type", "Segmentation ID", "Status"]
    assert [nid, name, "vxlan", "4242", "ACTIVE"] in table
    r = ok(cli("network", "list", "-f", "value", "-c", "ID", "-c", "MTU"))
    assert "%s 1400\n" % nid in r.out


def test_network_vni_allocated_and_errors(cli):
    n = net(cli)
    assert isinstance(n["provider:segmentation_id"], int)
    fails(cli("network", "create", unique("net"), "--provider-segment",
              str(n["provider:segmentation_id"])), 1)
    fails(cli("network", "create", unique("net"), "--provider-network-type", "vlan"), 1)
    fails(cli("network", "create"), 2, "missing arguments")
    fails(cli("network", "show", "no-such-net"), 1,
          "Unable to find network with name or id 'no-such-net'")


def test_network_update_and_delete(cli, api):
    n = net(cli)
    new = unique("renamed")
    rows = dict(show_rows(ok(cli("network", "update", n["name"], "--name", new,
                                 "--mtu", "1300")).out))
    assert rows["name"] == new and rows["mtu"] == "1300"
    other = net(cli)
    fails(cli("network", "delete", new, "nonet", other["id"]), 1,
          "Failed to delete Network with name or ID 'nonet'",
          "Failed to delete 1 of 3 Network.")
    for x in (n, other):
        assert api.get("/v2.0/networks/" + x["id"])[0] == 404


def test_network_delete_in_use_exit_1(cli):
    n = net(cli)
    ok(cli("port", "create", unique("port"), "--network", n["id"]))
    fails(cli("network", "delete", n["id"]), 1, "Failed to delete 1 of 1 Network.")


# -- host -------------------------------------------------------------------------

def test_host_lifecycle(cli, api):
    name = unique("compute")
    r = ok(cli("host", "create", name, "--tunnel-ip", "192.0.2.11"))
    rows = dict(show_rows(r.out))
    assert rows["Name"] == name and rows["Tunnel IP"] == "192.0.2.11"
    hid = rows["ID"]
    titles, table = parse_table(ok(cli("host", "list")).out)
    assert titles == ["ID", "Name", "Tunnel IP"] and [hid, name, "192.0.2.11"] in table
    r = ok(cli("host", "update", name, "--tunnel-ip", "192.0.2.12", "-f", "value",
               "-c", "Tunnel IP"))
    assert r.out == "192.0.2.12\n"
    assert ok(cli("host", "show", hid, "-f", "json")).json() == \
        api.get("/v2.0/hosts/" + hid)[1]["host"]
    fails(cli("host", "create", name, "--tunnel-ip", "192.0.2.13"), 1)  # duplicate name
    fails(cli("host", "create", unique("h"), "--tunnel-ip", "2001:db8::1"), 1)  # IPv6
    fails(cli("host", "delete", name, "no-such-host"), 1, "Failed to delete 1 of 2 Host.")
    assert api.get("/v2.0/hosts/" + hid)[0] == 404


# -- port ---------------------------------------------------------------------------

def test_port_create_with_every_option(cli, api):
    n, h = net(cli), host(cli, "--tunnel-ip", "192.0.2.21")
    name = unique("port")
    r = ok(cli("port", "create", name, "--network", n["name"], "--mac-address",
               "fa:16:3e:00:00:01", "--host", h["name"], "--fixed-ip", "ip-address=10.0.0.3",
               "--allowed-address", "ip-address=10.0.0.9,mac-address=fa:16:3e:00:00:09",
               "--device-owner", "compute:nova", "--device-id", "vm-1", "-f", "json"))
    p = r.json()
    assert p["network_id"] == n["id"] and p["mac_address"] == "fa:16:3e:00:00:01"
    assert p["binding:host_id"] == h["name"]
    assert p["fixed_ips"] == [{"ip_address": "10.0.0.3"}]
    assert p["allowed_address_pairs"] == [{"ip_address": "10.0.0.9",
                                           "mac_address": "fa:16:3e:00:00:09"}]
    assert p["device_owner"] == "compute:nova" and p["device_id"] == "vm-1"
    assert api.get("/v2.0/ports/" + p["id"])[1]["port"] == p
    rows = dict(show_rows(ok(cli("port", "show", name)).out))
    assert rows["fixed_ips"] == "ip_address='10.0.0.3'"
    assert rows["allowed_address_pairs"] == "ip_address='10.0.0.9', mac_address='fa:16:3e:00:00:09'"


def test_port_list_and_filters(cli):
    n1, n2 = net(cli), net(cli)
    p1 = ok(cli("port", "create", unique("port"), "--network", n1["id"], "--host", "hx",
                "--fixed-ip", "10.1.0.5", "-f", "json")).json()
    p2 = ok(cli("port", "create", unique("port"), "--network", n2["id"], "-f", "json")).json()
    titles, rows = parse_table(ok(cli("port", "list")).out)
    assert titles == ["ID", "Name", "MAC Address", "Fixed IP Addresses", "Status"]
    assert [p1["id"], p1["name"], p1["mac_address"], "ip_address='10.1.0.5'",
            p1["status"]] in rows
    r = ok(cli("port", "list", "--network", n1["name"], "-f", "value", "-c", "ID"))
    assert r.out.split() == [p1["id"]]
    r = ok(cli("port", "list", "--host", "hx", "-f", "value", "-c", "ID"))
    assert r.out.split() == [p1["id"]]
    r = ok(cli("port", "list", "--mac-address", p2["mac_address"], "-f", "value", "-c", "ID"))
    assert r.out.split() == [p2["id"]]


def test_port_update(cli, api):
    n = net(cli)
    p = ok(cli("port", "create", unique("port"), "--network", n["id"], "--fixed-ip",
               "ip_address=10.2.0.1", "-f", "json")).json()
    r = ok(cli("port", "update", p["name"], "--fixed-ip", "ip-address=10.2.0.2",
               "--host", "compute-9", "--allowed-address", "ip-address=10.2.0.9",
               "-f", "json"))
    got = r.json()
    assert got["fixed_ips"] == [{"ip_address": "10.2.0.1"}, {"ip_address": "10.2.0.2"}]
    assert got["binding:host_id"] == "compute-9"
    assert got["allowed_address_pairs"][0]["ip_address"] == "10.2.0.9"
    got = ok(cli("port", "update", p["id"], "--no-fixed-ip", "--no-allowed-address",
                 "--name", "renamed-" + p["name"], "-f", "json")).json()
    assert got["fixed_ips"] == [] and got["allowed_address_pairs"] == []
    assert got["name"] == "renamed-" + p["name"]


def test_port_errors(cli):
    n = net(cli)
    fails(cli("port", "create", unique("port")), 2, "--network is required")
    fails(cli("port", "create", unique("port"), "--network", n["id"], "--fixed-ip",
              "subnet=abc"), 2, "invalid --fixed-ip 'subnet=abc'")
    fails(cli("port", "create", unique("port"), "--network", "no-such-net"), 1,
          "Unable to find network with name or id 'no-such-net'")
    p = ok(cli("port", "create", unique("port"), "--network", n["id"], "-f", "json")).json()
    fails(cli("port", "create", unique("port"), "--network", n["id"], "--mac-address",
              p["mac_address"]), 1)  # MacAddressInUse
    fails(cli("port", "delete", p["id"], "no-such-port"), 1, "Failed to delete 1 of 2 Port.")
