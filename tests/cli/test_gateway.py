"""L2 gateways: l2-gateway-* and gateway * against a live l2gwd."""

import os
import subprocess

import clitest
from clitest import fails, ok, parse_table, show_rows, unique, UUID_RE


def dev(name=None, ifs="p1"):
    return "name=%s,interface_names=%s" % (name or unique("sw"), ifs)


def get_gw(api, gid):
    status, body = api.get("/v2.0/l2-gateways/" + gid)
    assert status == 200, body
    return body["l2_gateway"]


def create(cli, name=None, *devices, extra=()):
    name = name or unique("gw")
    args = ["gateway", "create", name]
    for d in devices or (dev(),):
        args += ["--device", d]
    r = ok(cli(*args, *extra, "-f", "json"))
    return r.json()


def test_seed_command_verbatim_through_a_shell(daemon, api):
    # The networking-l2gw README line, run by a shell exactly as written.
    line = ('"%s" l2-gateway-create --device name="myphyswitch",interface_names="ens5" '
            'openstackname' % clitest.cli_path())
    env = dict(os.environ, L2GW_URL=daemon.url)
    p = subprocess.run(line, shell=True, capture_output=True, text=True, env=env)
    assert p.returncode == 0 and p.stderr == "", (p.stdout, p.stderr)
    rows = show_rows(p.stdout)
    assert [f for f, _ in rows] == ["Devices", "ID", "Name", "Tenant"]
    values = dict(rows)
    assert values["Name"] == "openstackname" and values["Tenant"] == "admin"
    gw = get_gw(api, values["ID"])
    assert gw["devices"][0]["device_name"] == "myphyswitch"
    assert gw["devices"][0]["interfaces"] == [{"name": "ens5", "segmentation_id": []}]
    assert values["Devices"] == (
        "device_name='myphyswitch', id='%s', interfaces='[{'name': 'ens5', "
        "'segmentation_id': []}]'" % gw["devices"][0]["id"])


def test_device_spec_reaches_the_server_as_the_openstack_client_sends_it(cli, api):
    sw1, sw2 = unique("sw"), unique("sw")
    gw = create(cli, None, dev(sw1, "p1|100#200;p2|300"), dev(sw2, "eth0|0"))
    stored = get_gw(api, gw["id"])
    assert [(d["device_name"], d["interfaces"]) for d in stored["devices"]] == [
        (sw1, [{"name": "p1", "segmentation_id": ["100", "200"]},
               {"name": "p2", "segmentation_id": ["300"]}]),
        (sw2, [{"name": "eth0", "segmentation_id": ["0"]}])]


def test_show_rows_and_device_rendering(cli, api):
    name, sw = unique("gw"), unique("sw")
    gw = create(cli, name, dev(sw, "p1|100#200;p2|300"))
    for args in (["gateway", "show", name], ["l2-gateway-show", gw["id"]]):
        rows = show_rows(ok(cli(*args)).out)
        assert [f for f, _ in rows] == ["Devices", "ID", "Name", "Tenant"]
        d = gw["devices"][0]
        assert dict(rows)["Devices"] == (
            "device_name='%s', id='%s', interfaces='[{'name': 'p1', 'segmentation_id': "
            "['100', '200']}, {'name': 'p2', 'segmentation_id': ['300']}]'" % (sw, d["id"]))
        assert dict(rows)["ID"] == gw["id"] and dict(rows)["Name"] == name


def test_list_titles_and_multiline_devices(cli):
    name = unique("gw")
    gw = create(cli, name, dev(), dev())
    for args in (["gateway", "list"], ["l2-gateway-list"]):
        titles, rows = parse_table(ok(cli(*args)).out)
        assert titles == ["ID", "Tenant", "Name", "Devices"]
        mine = [r for r in rows if r[0] == gw["id"]]
        assert len(mine) == 1 and mine[0][2] == name and mine[0][1] == "admin"
        assert len(mine[0][3].split("\n")) == 2, mine


def test_json_is_the_api_object(cli, api):
    gw = create(cli, None, dev(None, "p1|7"))
    assert gw == get_gw(api, gw["id"])
    shown = ok(cli("gateway", "show", gw["id"], "-f", "json")).json()
    assert shown == get_gw(api, gw["id"])
    listed = ok(cli("gateway", "list", "-f", "json")).json()
    status, body = api.get("/v2.0/l2-gateways")
    assert sorted(listed, key=lambda g: g["id"]) == sorted(body["l2_gateways"],
                                                          key=lambda g: g["id"])
    sel = ok(cli("gateway", "show", gw["id"], "-f", "json", "-c", "Name", "-c", "ID")).json()
    assert sel == {"id": gw["id"], "name": gw["name"]}


def test_value_csv_yaml(cli):
    name = unique("gw")
    gw = create(cli, name)
    r = ok(cli("gateway", "show", name, "-f", "value"))
    lines = r.out.split("\n")
    assert lines[1:] == [gw["id"], name, "admin", ""], r
    assert lines[0].startswith("[{'id': '%s', 'device_name': " % gw["devices"][0]["id"])
    r = ok(cli("gateway", "list", "-f", "value", "-c", "ID", "-c", "Name"))
    assert "%s %s\n" % (gw["id"], name) in r.out
    r = ok(cli("gateway", "list", "-f", "csv", "-c", "ID", "-c", "Name"))
    assert r.out.startswith('"ID","Name"\n') and '"%s","%s"\n' % (gw["id"], name) in r.out
    r = ok(cli("gateway", "show", name, "-f", "yaml"))
    assert "id: %s\n" % gw["id"] in r.out or "id: '%s'\n" % gw["id"] in r.out, r
    assert "name: %s\n" % name in r.out
    assert "devices:\n- " in r.out


def test_list_fields_sort_and_project(cli):
    base = unique("srt")
    names = [base + "-b", base + "-a", base + "-c"]
    for n in names:
        create(cli, n)
    other = create(cli, unique("demo"), extra=("--tenant-id", "demo"))
    assert other["tenant_id"] == "demo"
    r = ok(cli("gateway", "list", "-F", "name", "-F", "id"))
    titles, rows = parse_table(r.out)
    assert titles == ["Name", "ID"]
    r = ok(cli("l2-gateway-list", "--sort-key", "name", "--sort-dir", "desc",
               "-f", "value", "-c", "Name"))
    mine = [n for n in r.out.split() if n.startswith(base)]
    assert mine == sorted(names, reverse=True), r
    r = ok(cli("gateway", "list", "--project", "demo", "-f", "value", "-c", "ID"))
    assert r.out.split() == [other["id"]], r


def test_update_name_and_devices(cli, api):
    sw = unique("sw")
    gw = create(cli, None, dev(sw, "p1|10"))
    new = unique("renamed")
    rows = dict(show_rows(ok(cli("gateway", "update", gw["id"], "--name", new)).out))
    assert rows["Name"] == new and get_gw(api, gw["id"])["name"] == new
    ok(cli("l2-gateway-update", new, "--device", dev(sw, "p2|20#30")))
    stored = get_gw(api, gw["id"])
    assert stored["name"] == new
    assert stored["devices"][0]["interfaces"] == [{"name": "p2", "segmentation_id": ["20", "30"]}]
    # A device that is not in the gateway: the server's message, exit 1.
    fails(cli("gateway", "update", new, "--device", dev("nosuchdev", "p1|1")), 1,
          "L2 Gateway Device nosuchdev could not be found.")


def test_server_validation_message_exit_1(cli):
    sw = unique("sw")
    r = fails(cli("gateway", "create", unique("gw"), "--device", dev(sw), "--device", dev(sw)), 1,
              "Invalid input for devices. Reason: duplicate device_name %s." % sw)
    assert r.out == ""
    # Consistency of VLANs within a device is the server's rule (409).
    fails(cli("gateway", "create", unique("gw"), "--device", dev(None, "p1|5;p2")), 1,
          "L2 gateway segmentation id must be consistent for all the interfaces")


def test_unknown_name_exit_1(cli):
    for args in (["gateway", "show", "no-such-gw"], ["l2-gateway-update", "no-such-gw", "--name", "x"],
                 ["connection", "create", "no-such-gw", "no-such-net"]):
        r = fails(cli(*args), 1, "Unable to find l2_gateway with name or id 'no-such-gw'")
        assert r.out == ""


def test_ambiguous_name_lists_the_ids(cli):
    name = unique("dup")
    a = create(cli, name)
    b = create(cli, name)
    r = fails(cli("gateway", "show", name), 1,
              "Multiple l2_gateway matches found for name '%s'" % name, a["id"], b["id"])
    assert r.out == ""
    fails(cli("gateway", "delete", name), 1, a["id"], b["id"], "Failed to delete 1 of 1 L2 Gateway.")
    # Ids still work.
    ok(cli("gateway", "show", a["id"]))


def test_delete_several_with_one_missing(cli, api):
    g1, g2 = create(cli), create(cli)
    r = fails(cli("l2-gateway-delete", g1["id"], "missing-gw", g2["name"]), 1,
              "Failed to delete L2 Gateway with name or ID 'missing-gw': "
              "Unable to find l2_gateway with name or id 'missing-gw'",
              "Failed to delete 1 of 3 L2 Gateway.")
    assert r.out == ""
    for g in (g1, g2):
        assert api.get("/v2.0/l2-gateways/" + g["id"])[0] == 404
    g3 = create(cli)
    r = ok(cli("gateway", "delete", g3["name"]))
    assert r.out == ""
    assert api.get("/v2.0/l2-gateways/" + g3["id"])[0] == 404
    # Deleting an id that is gone: the server's 404 message.
    fails(cli("gateway", "delete", g3["id"]), 1,
          "Failed to delete 1 of 1 L2 Gateway.")


def test_empty_name_is_omitted_as_the_openstack_client_does(cli):
    r = ok(cli("gateway", "create", "", "--device", dev(), "-f", "json"))
    gw = r.json()
    assert gw["name"] == "" and UUID_RE.match(gw["id"])


def test_list_follows_every_page(cli, api):
    base = unique("pg")
    for i in range(5):
        create(cli, "%s-%d" % (base, i))
    r = cli("gateway", "list", "--limit", "2", "--sort-key", "name", "-f", "value", "-c", "Name",
            "--debug")
    assert r.rc == 0, r
    names = [n for n in r.out.split() if n.startswith(base)]
    assert names == ["%s-%d" % (base, i) for i in range(5)], r
    assert r.err.count("REQ: GET") >= 3, r  # several pages were fetched
    status, body = api.get("/v2.0/l2-gateways")
    assert len(r.out.splitlines()) == len(body["l2_gateways"])
