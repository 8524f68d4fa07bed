-- Schema version 3: border gateways (spec/border.md).  Portable SQL (SQLite
-- and PostgreSQL).  Written by core/border.c, read by core/plan.c.

-- A remote border gateway: the far end of WAN tunnels.
CREATE TABLE remote_gateways (
    id         TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    ipaddr     TEXT NOT NULL,          -- IPv4, inet_ntop form
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX remote_gateways_name ON remote_gateways(name);

-- (local gateway G, network N, remote gateway R) with the WAN key.  The
-- local connection (G, N) must exist for as long as this row does: the
-- foreign key on connections(gateway_id, network_id) makes that a schema
-- rule (core answers 409 before it would fire).
CREATE TABLE remote_gateway_connections (
    id                TEXT PRIMARY KEY NOT NULL,
    project_id        TEXT NOT NULL,
    gateway_id        TEXT NOT NULL REFERENCES gateways(id),
    network_id        TEXT NOT NULL REFERENCES networks(id),
    remote_gateway_id TEXT NOT NULL REFERENCES remote_gateways(id),
    seg_id            INTEGER NOT NULL CHECK (seg_id BETWEEN 1 AND 16777215),
    flood             INTEGER NOT NULL DEFAULT 1 CHECK (flood IN (0, 1)),
    status            TEXT NOT NULL DEFAULT 'PENDING',
    status_reason     TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (gateway_id, network_id, remote_gateway_id),
    FOREIGN KEY (gateway_id, network_id)
        REFERENCES connections(gateway_id, network_id)
);
CREATE INDEX remote_gateway_connections_network
    ON remote_gateway_connections(network_id);
CREATE INDEX remote_gateway_connections_remote
    ON remote_gateway_connections(remote_gateway_id);
CREATE INDEX remote_gateway_connections_key
    ON remote_gateway_connections(seg_id);

-- Hosts behind a remote gateway.  Each MAC is also claimed in network_macs
-- (owner_kind 'remote', owner_id = this row's id), so that a MAC is unique
-- per network across ports, address pairs and remote MACs; the foreign key
-- makes the claim a schema rule (claim first, release last).  network_id
-- repeats the connection's network for that key.
CREATE TABLE remote_macs (
    id                TEXT PRIMARY KEY NOT NULL,
    project_id        TEXT NOT NULL,
    rgw_connection_id TEXT NOT NULL REFERENCES remote_gateway_connections(id),
    network_id        TEXT NOT NULL,
    mac               TEXT NOT NULL,     -- lower case aa:bb:cc:dd:ee:ff, unicast
    ipaddr            TEXT NOT NULL DEFAULT '',  -- IPv4 or ''
    created_at        TEXT NOT NULL,
    UNIQUE (network_id, mac),
    FOREIGN KEY (network_id, mac) REFERENCES network_macs(network_id, mac)
);
CREATE INDEX remote_macs_connection ON remote_macs(rgw_connection_id);
