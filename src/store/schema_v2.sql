-- Schema version 2: switch manager records.  Portable SQL (SQLite and
-- PostgreSQL).  Written by the switch manager (src/manager), read by core.

-- A mirror of the Logical_Switch rows of each switch database, so that a
-- connection create can refuse a VNI that a foreign Logical_Switch already
-- carries on that database (L2GatewayVniInUse).  owner: the row's
-- other_config:l2gw-owner ('' when unmarked).  Replaced per database on
-- every (re)connect, then kept from the replica's changes.
CREATE TABLE switch_logical_switches (
    ovsdb_identifier TEXT NOT NULL,
    uuid             TEXT NOT NULL,   -- the row's _uuid
    name             TEXT NOT NULL,
    tunnel_key       INTEGER,         -- NULL: none
    owner            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (ovsdb_identifier, uuid)
);
CREATE INDEX switch_logical_switches_key
    ON switch_logical_switches(ovsdb_identifier, tunnel_key);

-- The overlay export (/v2.0/l2-fdb-entries).  Every change takes the next
-- revision (meta 'fdb_revision'); a removed entry stays as a tombstone
-- (deleted = 1) so that ?changes_since=R can list it, until pruned (meta
-- 'fdb_pruned_revision': asking for changes since an older revision is
-- 410).  mac '00:00:00:00:00:00' is a flood entry (a serving switch's
-- tunnel IP); other rows are learned bare-metal MACs.
CREATE TABLE fdb_entries (
    id          TEXT PRIMARY KEY NOT NULL,
    network_id  TEXT NOT NULL,
    vni         INTEGER NOT NULL,
    mac         TEXT NOT NULL,
    ip_address  TEXT NOT NULL DEFAULT '',
    vtep_ip     TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT '',  -- "<ovsdb_identifier>/<switch>"
    revision    INTEGER NOT NULL,
    deleted     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX fdb_entries_network ON fdb_entries(network_id, deleted);
CREATE INDEX fdb_entries_revision ON fdb_entries(revision);

-- Observability of each switch (per database figures are repeated on
-- every switch of that database).
ALTER TABLE switches ADD COLUMN owned_logical_switches INTEGER NOT NULL DEFAULT 0;
ALTER TABLE switches ADD COLUMN owned_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE switches ADD COLUMN pending_operations INTEGER NOT NULL DEFAULT 0;
ALTER TABLE switches ADD COLUMN last_txn_latency_ms INTEGER;
ALTER TABLE switches ADD COLUMN last_error_operation TEXT NOT NULL DEFAULT '';
ALTER TABLE switches ADD COLUMN last_error_table TEXT NOT NULL DEFAULT '';
ALTER TABLE switches ADD COLUMN last_error_row TEXT NOT NULL DEFAULT '';
-- 1: forget this switch once its database has been cleaned up
-- (DELETE /v2.0/l2-switches/<id>?cleanup=true on a connected switch).
ALTER TABLE switches ADD COLUMN forget_requested INTEGER NOT NULL DEFAULT 0;
