"""The overlay export: /v2.0/l2-fdb-entries (spec/switch.md "Overlay
export"): flood entries per serving switch tunnel IP, learned bare-metal
MACs, revisions and ?changes_since."""
import sqlite3

import pytest

from switchlab import lab, wait_until  # noqa: F401  (lab is a fixture)

FLOOD = "00:00:00:00:00:00"


def entries(d, query=""):
    status, doc = d.api("GET", "/v2.0/l2-fdb-entries" + query)
    if status == 404:
        pytest.skip("l2gwd does not serve /v2.0/l2-fdb-entries yet")
    assert status == 200, doc
    return doc


def test_fdb_export(lab):
    db = lab.vtepdb("sw1db")
    db.add_switch("sw1", "192.0.2.100", ["p1"])
    d = lab.l2gwd()
    d.wait_switch("sw1")
    net = d.network("net1", 5000)
    assert entries(d)["l2_fdb_entries"] == []
    gw = d.gateway([{"device_name": "sw1", "interfaces": [{"name": "p1"}]}])
    conn = d.connection(gw["id"], net["id"], 100)
    d.wait_status(conn["id"], "ACTIVE")
    doc = wait_until(lambda: entries(d)["l2_fdb_entries"] and entries(d),
                     what="flood entry")
    [e] = doc["l2_fdb_entries"]
    assert (e["network_id"], e["vni"], e["mac"], e["vtep_ip"], e["source"]) == \
        (net["id"], 5000, FLOOD, "192.0.2.100", "sw1db/sw1")
    rev1 = doc["revision"]
    assert rev1 >= 1
    # A bare-metal MAC learned by the switch.
    db.vtepctl("add-ucast-local", net["id"], "02:00:00:00:01:01", "192.0.2.100")
    wait_until(lambda: len(entries(d)["l2_fdb_entries"]) == 2, what="learned entry")
    ch = entries(d, "?changes_since=%d" % rev1)
    assert [x["mac"] for x in ch["l2_fdb_entries"]] == ["02:00:00:00:01:01"]
    assert ch["l2_fdb_entries"][0]["deleted"] is False
    rev2 = ch["revision"]
    assert rev2 > rev1
    by_net = entries(d, "?network_id=%s&mac=%s" % (net["id"], FLOOD))
    assert len(by_net["l2_fdb_entries"]) == 1
    # The connection goes: the flood entry is removed (a tombstone).
    db.vtepctl("del-ucast-local", net["id"], "02:00:00:00:01:01")
    d.api("DELETE", "/v2.0/l2-gateway-connections/" + conn["id"], expect=204)
    wait_until(lambda: entries(d)["l2_fdb_entries"] == [], what="entries removed")
    ch = entries(d, "?changes_since=%d" % rev2)
    assert sorted((x["mac"], x["deleted"]) for x in ch["l2_fdb_entries"]) == \
        [(FLOOD, True), ("02:00:00:00:01:01", True)]
    assert entries(d, "?changes_since=%d" % ch["revision"])["l2_fdb_entries"] == []
    status, doc = d.api("GET", "/v2.0/l2-fdb-entries?changes_since=x")
    assert status == 400
    # Tombstones older than the pruned revision are gone: 410.
    con = sqlite3.connect(d.dir + "/l2gw.db")
    con.execute("INSERT INTO meta (key, value) VALUES ('fdb_pruned_revision', '2')")
    con.commit()
    con.close()
    status, doc = d.api("GET", "/v2.0/l2-fdb-entries?changes_since=1")
    assert status == 410, doc
    assert entries(d, "?changes_since=2")["revision"] == ch["revision"]
