-- Schema version 4: several l2gwd nodes sharing one database (PostgreSQL;
-- the tables exist on SQLite too, unused there).  Written and read by
-- cluster/ (nodes, leases, the change counter) and manager/status.c
-- (verdicts).  Portable SQL.

-- The live l2gwd nodes: each renews its row with its leases; a node whose
-- row expired is dead.  Times are the PostgreSQL server's clock in ms since
-- the epoch, so nodes' clocks never need to agree.
CREATE TABLE cluster_nodes (
    node_id     TEXT PRIMARY KEY NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    started_ms  BIGINT NOT NULL,
    renewed_ms  BIGINT NOT NULL,
    expires_ms  BIGINT NOT NULL
);

-- Which node serves each switch database (ovsdb_identifier).  node_id NULL
-- (or expires_ms in the past): free.  generation grows at each change of
-- owner.
CREATE TABLE switch_leases (
    ovsdb_identifier TEXT PRIMARY KEY NOT NULL,
    node_id          TEXT,
    expires_ms       BIGINT NOT NULL DEFAULT 0,
    generation       BIGINT NOT NULL DEFAULT 0,
    acquired_ms      BIGINT NOT NULL DEFAULT 0
);

-- Bumped by every API transaction that publishes change events; carried
-- in each NOTIFY so that a node can tell it missed one.
CREATE TABLE change_counter (
    id  INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO change_counter (id, seq) VALUES (1, 0);

-- What each switch database says about each connection (local or remote
-- gateway connection): the status of a connection is computed from the
-- verdicts of every database serving it, whichever node serves them.
CREATE TABLE connection_verdicts (
    connection_id    TEXT NOT NULL,
    ovsdb_identifier TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('ok', 'pending', 'error')),
    reason           TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (connection_id, ovsdb_identifier)
);
CREATE INDEX connection_verdicts_db ON connection_verdicts(ovsdb_identifier);
