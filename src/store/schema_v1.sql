-- Schema version 1.  Portable SQL (SQLite and PostgreSQL).
-- Ids are UUID strings; timestamps "YYYY-MM-DDTHH:MM:SSZ"; booleans 0/1.
-- Every table that the API lists has created_at and id for a stable order.
-- Single-column TEXT primary keys say NOT NULL: SQLite, unlike PostgreSQL,
-- would otherwise accept a NULL id.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL              -- 'deployment_id' → uuid (made once)
);

-- ---- overlay inventory (standalone Neutron subset) ----
CREATE TABLE networks (
    id             TEXT PRIMARY KEY NOT NULL,
    project_id     TEXT NOT NULL,
    name           TEXT NOT NULL DEFAULT '',
    description    TEXT NOT NULL DEFAULT '',
    admin_state_up INTEGER NOT NULL DEFAULT 1,
    mtu            INTEGER NOT NULL DEFAULT 1450,
    network_type   TEXT NOT NULL DEFAULT 'vxlan' CHECK (network_type = 'vxlan'),
    vni            INTEGER NOT NULL UNIQUE CHECK (vni BETWEEN 1 AND 16777215),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE hosts (
    id         TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL,
    name       TEXT NOT NULL UNIQUE,
    tunnel_ip  TEXT,                 -- IPv4 (inet_ntop form) or NULL
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE ports (
    id             TEXT PRIMARY KEY NOT NULL,
    project_id     TEXT NOT NULL,
    name           TEXT NOT NULL DEFAULT '',
    network_id     TEXT NOT NULL REFERENCES networks(id),
    mac_address    TEXT NOT NULL,    -- lower case aa:bb:cc:dd:ee:ff
    host           TEXT NOT NULL DEFAULT '',  -- binding:host_id (a host name)
    device_owner   TEXT NOT NULL DEFAULT '',
    device_id      TEXT NOT NULL DEFAULT '',
    admin_state_up INTEGER NOT NULL DEFAULT 1,
    status         TEXT NOT NULL DEFAULT 'DOWN',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (network_id, mac_address)
);
CREATE INDEX ports_host ON ports(host);

CREATE TABLE port_fixed_ips (
    port_id    TEXT NOT NULL REFERENCES ports(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    ip_address TEXT NOT NULL,
    subnet_id  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (port_id, position)
);

CREATE TABLE port_address_pairs (
    port_id     TEXT NOT NULL REFERENCES ports(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    ip_address  TEXT NOT NULL,       -- address or CIDR, as given
    mac_address TEXT NOT NULL,       -- lower case; the port's MAC when omitted
    PRIMARY KEY (port_id, position)
);

-- Every MAC in use in a network, whoever uses it: a port's own MAC, an
-- address pair's MAC that differs from its port's, a remote MAC (border).
-- The unique key is what makes "MAC already used in the network" a schema
-- rule.  owner_kind: 'port' | 'pair' | 'remote'.
CREATE TABLE network_macs (
    network_id TEXT NOT NULL REFERENCES networks(id),
    mac        TEXT NOT NULL,
    owner_kind TEXT NOT NULL,
    owner_id   TEXT NOT NULL,        -- port id, or remote MAC id
    PRIMARY KEY (network_id, mac)
);
CREATE INDEX network_macs_owner ON network_macs(owner_id);

-- ---- L2 gateways ----
CREATE TABLE gateways (
    id         TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE gateway_devices (
    id          TEXT PRIMARY KEY NOT NULL,
    gateway_id  TEXT NOT NULL REFERENCES gateways(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    device_name TEXT NOT NULL CHECK (device_name <> ''),
    UNIQUE (gateway_id, device_name)
);

CREATE TABLE gateway_interfaces (
    device_id TEXT NOT NULL REFERENCES gateway_devices(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL CHECK (name <> ''),
    has_vlans INTEGER NOT NULL DEFAULT 0,  -- 1: segmentation_id given
    PRIMARY KEY (device_id, position),
    UNIQUE (device_id, name)
);

CREATE TABLE interface_vlans (
    device_id TEXT NOT NULL,
    interface TEXT NOT NULL,
    position  INTEGER NOT NULL,
    vlan      INTEGER NOT NULL CHECK (vlan BETWEEN 0 AND 4094),
    PRIMARY KEY (device_id, interface, position),
    FOREIGN KEY (device_id, interface)
        REFERENCES gateway_interfaces(device_id, name) ON DELETE CASCADE
);

-- Covering index for rendering gateways (the VLANs of a page in one join).
CREATE INDEX interface_vlans_render
    ON interface_vlans(device_id, interface, position, vlan);

CREATE TABLE connections (
    id              TEXT PRIMARY KEY NOT NULL,
    project_id      TEXT NOT NULL,
    gateway_id      TEXT NOT NULL REFERENCES gateways(id),
    network_id      TEXT NOT NULL REFERENCES networks(id),
    segmentation_id INTEGER CHECK (segmentation_id BETWEEN 0 AND 4094),  -- NULL: unset
    status          TEXT NOT NULL DEFAULT 'PENDING',
    status_reason   TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (gateway_id, network_id)
);
CREATE INDEX connections_network ON connections(network_id);

-- ---- switch manager records (filled by the manager) ----
CREATE TABLE switches (
    id                  TEXT PRIMARY KEY NOT NULL,
    name                TEXT NOT NULL,           -- Physical_Switch.name
    ovsdb_identifier    TEXT NOT NULL,
    ps_uuid             TEXT NOT NULL DEFAULT '', -- Physical_Switch row UUID
    description         TEXT NOT NULL DEFAULT '',
    connected           INTEGER NOT NULL DEFAULT 0,
    tunnel_ips          TEXT NOT NULL DEFAULT '[]',  -- JSON array
    switch_fault_status TEXT NOT NULL DEFAULT '[]',  -- JSON array
    other_config        TEXT NOT NULL DEFAULT '{}',  -- JSON object
    last_sync_at        TEXT,
    reconnects          INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (ovsdb_identifier, name)
);
CREATE INDEX switches_name ON switches(name);

CREATE TABLE switch_ports (
    switch_id         TEXT NOT NULL REFERENCES switches(id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    port_fault_status TEXT NOT NULL DEFAULT '[]',  -- JSON array
    vlan_bindings     TEXT NOT NULL DEFAULT '{}',  -- JSON object vlan → logical switch name
    PRIMARY KEY (switch_id, name)
);

CREATE TABLE learned_macs (
    id               TEXT PRIMARY KEY NOT NULL,
    ovsdb_identifier TEXT NOT NULL,
    switch           TEXT NOT NULL DEFAULT '',  -- Physical_Switch name, when known
    mac              TEXT NOT NULL,
    ip_address       TEXT NOT NULL DEFAULT '',
    network_id       TEXT NOT NULL DEFAULT '',  -- from Logical_Switch.name
    logical_switch   TEXT NOT NULL DEFAULT '',
    tunnel_ip        TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL
);
CREATE INDEX learned_macs_db ON learned_macs(ovsdb_identifier);
CREATE INDEX learned_macs_network ON learned_macs(network_id);
CREATE INDEX learned_macs_mac ON learned_macs(mac);

-- Logical_Switch rows l2gwd owns on a switch database, recorded before the
-- insert is sent (so a crash never orphans a row).
CREATE TABLE owned_logical_switches (
    ovsdb_identifier TEXT NOT NULL,
    name             TEXT NOT NULL,   -- the network's UUID
    vni              INTEGER NOT NULL,
    adopted          INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (ovsdb_identifier, name)
);
