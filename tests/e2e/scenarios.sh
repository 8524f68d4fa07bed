# shellcheck shell=bash
# shellcheck disable=SC2034  # (variables shared with the files that source this one)
# The scenarios of the end-to-end suite, (a) to (f), run in this order on
# one topology and one l2gwd (each starts from the state the previous one
# left).  Sourced after lib.sh, topo.sh, api.sh, agent.sh.  Only the API
# programs anything; the switch is read with vtep-ctl.

NET=net1
NET_ID=""
GW1=gw1
CONN1_ID=""
READY=0               # a connection of (a) exists and the overlay is set

sc_begin() {
    SC_NAME=$1
    SC_FAIL0=$E2E_FAILED
    log "==== scenario ($1): $2"
}

sc_end() {
    if [ "$E2E_FAILED" -gt "$SC_FAIL0" ]; then
        log "scenario ($SC_NAME) had failures; state of the switch and l2gwd:"
        dump_state
    fi
}

# need_ready NAME: SKIP the scenario unless (a) set things up.
need_ready() {
    [ "$READY" = 1 ] && return 0
    skip "$1" "needs the connection of scenario (a), which failed"
    return 1
}

# --------------------------------------------------- switch expectations

ls_is() {
    [ "$(vtep list-ls)" = "$NET_ID" ] &&
        [ "$(vtep get Logical_Switch "$NET_ID" tunnel_key 2>/dev/null)" = "$VNI" ]
}

ls_source_node() {
    [ "$(vtep get Logical_Switch "$NET_ID" replication_mode 2>/dev/null | tr -d '"')" = source_node ]
}

# binding_is PORT VLAN: PORT binds exactly VLAN to our logical switch.
binding_is() {
    [ "$(vtep list-bindings "$PS" "$1" 2>/dev/null)" = "$(printf '%04d %s' "$2" "$NET_ID")" ]
}

# remote_is LINE...: the logical switch's remote MACs are exactly these
# "MAC IP" lines ("unknown-dst IP" once per locator of the flood set).
remote_is() {
    local want
    want=$(printf '%s\n' "$@" | sort)
    [ "$(vtep_remote "$NET_ID")" = "$want" ]
}

a_programmed() {
    ls_is && binding_is "$PORT1" $VLAN &&
        remote_is "$VM1_MAC $CN1_TIP" "$VM2_MAC $CN2_TIP" \
                  "unknown-dst $CN1_TIP" "unknown-dst $CN2_TIP"
}

c_followed() {
    remote_is "$VM1_MAC $CN2_TIP" "$VM2_MAC $CN2_TIP" "unknown-dst $CN2_TIP"
}

# check_remote NAME LINE...: PASS/FAIL with what the switch holds.
check_remote() {
    local name=$1; shift
    if remote_is "$@"; then pass "$name"; else
        fail "$name" "remote MACs: $(vtep_remote "$NET_ID" | tr '\n' ',') expected: $(printf '%s,' "$@")"
    fi
}

# cli_shows TEXT ARG...: "l2gw ARG..." succeeds and prints TEXT.
cli_shows() {
    local text=$1; shift
    cli "$@" && grep -qF -- "$text" <<<"$CLI_OUT" ||
        { log "l2gw $* does not show $text: $CLI_OUT"; return 1; }
}

# ping_check NAME NS DST SECONDS
ping_check() {
    if wait_ping "$2" "$3" "$4"; then pass "$1"; else fail "$1" "$2 cannot ping $3"; fi
}

# ----------------------------------------------------------------- (a)

a_inventory() {
    NET_ID=$(cli_id network create "$NET" --provider-network-type vxlan \
        --provider-segment $VNI) && [ -n "$NET_ID" ] &&
        cli host create "$NS_CN1" --tunnel-ip $CN1_TIP &&
        cli host create "$NS_CN2" --tunnel-ip $CN2_TIP &&
        cli port create vm1 --network "$NET" --mac-address "$VM1_MAC" \
            --host "$NS_CN1" --fixed-ip ip-address=$VM1_IP &&
        cli port create vm2 --network "$NET" --mac-address "$VM2_MAC" \
            --host "$NS_CN2" --fixed-ip ip-address=$VM2_IP
}

scenario_a() {
    local t0
    sc_begin a "the seed walkthrough: network, hosts, ports, gateway, connection"
    if a_inventory; then pass a.inventory; else fail a.inventory; sc_end; return; fi
    if cli l2-gateway-create --device "name=$PS,interface_names=$PORT1|$VLAN" "$GW1"; then
        pass a.gateway-create
    else
        fail a.gateway-create; sc_end; return
    fi
    t0=$(now_us)
    if CONN1_ID=$(cli_id l2-gateway-connection-create "$GW1" "$NET") && [ -n "$CONN1_ID" ]; then
        pass a.connection-create
    else
        fail a.connection-create; sc_end; return
    fi
    if wait_until 20 a_programmed; then
        pass a.switch-programmed
        timing a_connection_to_switch_rows_s "$(since_s "$t0")"
    else
        fail a.switch-programmed "logical switch, binding $PORT1/$VLAN or remote MACs missing"
        degrade "the switch was not programmed in scenario (a)"
    fi
    check a.switch-logical-switch ls_is
    check a.switch-source-node-replication ls_source_node
    check a.switch-binding binding_is "$PORT1" $VLAN
    check_remote a.switch-remote-macs "$VM1_MAC $CN1_TIP" "$VM2_MAC $CN2_TIP" \
        "unknown-dst $CN1_TIP" "unknown-dst $CN2_TIP"
    # the overlay agent configures the compute nodes from the export
    if agent_wait "$NET_ID" 20 "$NS_CN1" "$NS_CN2" && [ "$AGENT_FLOOD" = "$GW_TIP $VNI" ]; then
        pass a.fdb-flood-entry
    else
        fail a.fdb-flood-entry "flood entries '${AGENT_FLOOD}' (expected '$GW_TIP $VNI')"
    fi
    READY=1
    if wait_ping "$NS_VM1" $BM_IP 20; then
        pass a.ping-vm1-to-bm
        timing a_program_to_first_ping_s "$(since_s "$t0")"
    else
        fail a.ping-vm1-to-bm "vm1 cannot ping the bare-metal host"
    fi
    ping_check a.ping-bm-to-vm1 "$NS_BM" $VM1_IP 5
    ping_check a.ping-vm2-to-bm "$NS_VM2" $BM_IP 10
    ping_check a.ping-bm-to-vm2 "$NS_BM" $VM2_IP 5
    check a.connection-active wait_until 15 connection_active "$CONN1_ID"
    check a.learned-mac wait_until 20 learned_mac "$BM_MAC" "$NET_ID"
    check a.fdb-learned-mac wait_until 10 fdb_has "$NET_ID" "$BM_MAC" $GW_TIP
    # the operator's view (docs/walkthrough.md, "Check")
    check a.cli-switch-list cli_shows "$PS" switch list
    check a.gateway-ovsdb-tcp eval 'ip netns exec "$NS_GW" vtep-ctl --db=tcp:$GW_TIP:6632 list-ps | grep -qx "$PS"'
    check a.cli-fdb-list cli_shows "$GW_TIP" fdb list --network "$NET"
    check a.cli-learned-mac-list cli_shows "$BM_MAC" learned-mac list
    log "ovs-vsctl show; vtep-ctl show (gateway):"
    { on "$NS_GW" ovs-vsctl show; vtep show; } 2>&1 | sed 's/^/#   /' >&2
    sc_end
}

# ----------------------------------------------------------------- (b)

flush_neighbours() {
    local ns
    for ns in "$NS_BM" "$NS_BM0" "$NS_VM1" "$NS_VM2"; do ip -n "$ns" neigh flush all 2>/dev/null; done
    # flushed entries may linger as FAILED/INCOMPLETE, never with a lladdr
    ! ip -n "$NS_BM" neigh show | grep -q lladdr
}

# broadcast_reaches NS IP...: a broadcast ping from NS is answered by
# every IP given.
broadcast_reaches() {
    local ns=$1 out ip
    shift
    out=$(ip netns exec "$ns" ping -b -c4 -i0.3 -W2 $BCAST_IP 2>&1)
    for ip in "$@"; do
        grep -q "from $ip:" <<<"$out" || { log "no answer from $ip to the broadcast"; return 1; }
    done
}

scenario_b() {
    sc_begin b "broadcast from the physical side reaches the VMs (unknown-dst)"
    need_ready b || return
    check b.neighbour-cache-empty flush_neighbours
    if wait_ping "$NS_BM" $VM1_IP 5 &&
        ip -n "$NS_BM" neigh show $VM1_IP | grep -q "lladdr $VM1_MAC"; then
        pass b.arp-from-bm-resolves-vm1
    else
        fail b.arp-from-bm-resolves-vm1 "ARP from the bare-metal host did not resolve vm1"
    fi
    flush_neighbours
    check b.broadcast-reaches-both-vms broadcast_reaches "$NS_BM" $VM1_IP $VM2_IP
    sc_end
}

# ----------------------------------------------------------------- (c)

scenario_c() {
    local t0
    sc_begin c "VM migration: vm1 moves from $NS_CN1 to $NS_CN2"
    need_ready c || return
    check c.vm1-link-moved vm_move "$NS_CN1" "$NS_CN2" "$IF_CN1V"
    t0=$(now_us)
    check c.port-update cli port update vm1 --host "$NS_CN2"
    if wait_until 20 c_followed; then
        pass c.switch-follows
        timing c_migration_to_switch_s "$(since_s "$t0")"
    else
        fail c.switch-follows "remote MACs: $(vtep_remote "$NET_ID" | tr '\n' ',')"
    fi
    agent_sync "$NET_ID" "$NS_CN1" "$NS_CN2" || log "overlay agent sync failed"
    if wait_ping "$NS_VM1" $BM_IP 20; then
        pass c.ping-vm1-to-bm
        timing c_migration_to_first_ping_s "$(since_s "$t0")"
    else
        fail c.ping-vm1-to-bm "vm1 cannot ping the bare-metal host after the migration"
    fi
    ping_check c.ping-bm-to-vm1 "$NS_BM" $VM1_IP 5
    sc_end
}

# ----------------------------------------------------------------- (d)

scenario_d() {
    local t0
    sc_begin d "connection delete and re-create"
    need_ready d || return
    t0=$(now_us)
    check d.connection-delete cli l2-gateway-connection-delete "$CONN1_ID"
    if wait_until 30 switch_clean; then
        pass d.switch-clean
        timing d_delete_to_switch_clean_s "$(since_s "$t0")"
    else
        fail d.switch-clean "rows of l2gwd left on the switch"
    fi
    check d.ping-stops wait_until 10 ping_stopped "$NS_VM1" $BM_IP
    check d.fdb-flood-gone agent_wait_gone "$NET_ID" 10 "$NS_CN1" "$NS_CN2"
    t0=$(now_us)
    if CONN1_ID=$(cli_id l2-gateway-connection-create "$GW1" "$NET") && [ -n "$CONN1_ID" ]; then
        pass d.connection-recreate
    else
        fail d.connection-recreate; READY=0; sc_end; return
    fi
    agent_wait "$NET_ID" 20 "$NS_CN1" "$NS_CN2" || log "overlay agent: no flood entry"
    if wait_ping "$NS_VM1" $BM_IP 20; then
        pass d.ping-after-recreate
        timing d_recreate_to_first_ping_s "$(since_s "$t0")"
    else
        fail d.ping-after-recreate "vm1 cannot ping the bare-metal host"
    fi
    ping_check d.ping-bm-to-vm2-after-recreate "$NS_BM" $VM2_IP 5
    sc_end
}

# ----------------------------------------------------------------- (e)

e_rows_back() {
    ls_is && binding_is "$PORT1" $VLAN &&
        remote_is "$VM1_MAC $CN2_TIP" "$VM2_MAC $CN2_TIP" "unknown-dst $CN2_TIP"
}

e_no_duplicates() {
    local u m l
    u=$(vtep_rows Ucast_Macs_Remote) m=$(vtep_rows Mcast_Macs_Remote) l=$(vtep_rows Logical_Switch)
    [ "$u/$m/$l" = 2/1/1 ] || { log "rows Ucast_Macs_Remote/Mcast_Macs_Remote/Logical_Switch: $u/$m/$l, expected 2/1/1"; return 1; }
}

# switch_reconnected NAME COUNT0: connected, and reconnected since COUNT0.
switch_reconnected() {
    local n
    switch_connected "$1" && n=$(switch_reconnects "$1") && [ -n "$n" ] && [ "$n" -gt "$2" ]
}

scenario_e() {
    local t0 r0
    sc_begin e "restarts: the gateway's ovsdb-server, l2gwd, the switch losing its database"
    need_ready e || return
    r0=$(switch_reconnects "$PS") || r0=0
    # 1. ovsdb-server restarts on its database file; no API call until ping
    t0=$(now_us)
    check e.ovsdb-server-restart gateway_ovsdb_restart
    if wait_ping "$NS_VM1" $BM_IP 30; then
        pass e.ping-after-ovsdb-restart
        timing e_ovsdb_restart_to_first_ping_s "$(since_s "$t0")"
    else
        fail e.ping-after-ovsdb-restart
    fi
    check e.l2gwd-reconnected wait_until 40 switch_reconnected "$PS" "${r0:-0}"
    # 2. l2gwd restarts; no API call until ping
    l2gwd_stop
    t0=$(now_us)
    if l2gwd_start; then pass e.l2gwd-restart; else fail e.l2gwd-restart; READY=0; sc_end; return; fi
    if wait_ping "$NS_VM1" $BM_IP 30; then
        pass e.ping-after-l2gwd-restart
        timing e_l2gwd_restart_to_first_ping_s "$(since_s "$t0")"
    else
        fail e.ping-after-l2gwd-restart
    fi
    check e.switch-connected-after-l2gwd-restart wait_until 20 switch_connected "$PS"
    sleep 1     # let a reconnect pass that would duplicate rows finish
    check e.no-duplicate-rows e_no_duplicates
    # 3. the switch reboots and comes back with an empty database (only
    #    its switch and ports): l2gwd rewrites everything by itself
    t0=$(now_us)
    check e.switch-reboot-blank-db gateway_reboot_blank
    if wait_until 40 e_rows_back; then
        pass e.switch-reprogrammed-after-db-loss
        timing e_db_loss_to_switch_rows_s "$(since_s "$t0")"
    else
        fail e.switch-reprogrammed-after-db-loss
    fi
    if wait_ping "$NS_VM1" $BM_IP 30; then
        pass e.ping-after-db-loss
        timing e_db_loss_to_first_ping_s "$(since_s "$t0")"
    else
        fail e.ping-after-db-loss
    fi
    check e.connection-active-after-restarts wait_until 20 connection_active "$CONN1_ID"
    sc_end
}

# ----------------------------------------------------------------- (f)

f_free_port1() {
    cli l2-gateway-connection-delete "$CONN1_ID" && cli l2-gateway-delete "$GW1" &&
        wait_until 30 switch_clean
}

scenario_f() {
    local conn_u conn_s t0
    sc_begin f "untagged binding (VLAN 0) and the VLAN of the connection"
    need_ready f || return
    check f.connection-of-a-removed f_free_port1
    # untagged: the networking-l2gw README's two commands, as written
    if cli l2-gateway-create --device "name=$PS,interface_names=$PORT2" openstackname &&
        conn_u=$(cli_id l2-gateway-connection-create openstackname "$NET") && [ -n "$conn_u" ]; then
        pass f.untagged-connection-create
    else
        fail f.untagged-connection-create
    fi
    check f.untagged-binding-vlan0 wait_until 20 binding_is "$PORT2" 0
    agent_wait "$NET_ID" 20 "$NS_CN1" "$NS_CN2" || log "overlay agent: no flood entry"
    ping_check f.ping-vm2-to-untagged-bm "$NS_VM2" $BM0_IP 20
    ping_check f.ping-untagged-bm-to-vm1 "$NS_BM0" $VM1_IP 5
    # VLAN from the connection: the gateway's interface has none
    if cli l2-gateway-create --device "name=$PS,interface_names=$PORT1" gw2 &&
        conn_s=$(cli_id l2-gateway-connection-create gw2 "$NET" \
            --default-segmentation-id $VLAN) && [ -n "$conn_s" ]; then
        pass f.segid-connection-create
    else
        fail f.segid-connection-create
    fi
    check f.segid-binding-vlan$VLAN wait_until 20 binding_is "$PORT1" $VLAN
    ping_check f.ping-vm1-to-vlan-bm "$NS_VM1" $BM_IP 20
    ping_check f.ping-vlan-bm-to-vm2 "$NS_BM" $VM2_IP 5
    # the end: both connections go, the switch holds nothing of ours
    t0=$(now_us)
    if cli l2-gateway-connection-delete "$conn_u" "$conn_s" && wait_until 30 switch_clean; then
        pass f.switch-clean-at-end
        timing f_delete_to_switch_clean_s "$(since_s "$t0")"
    else
        fail f.switch-clean-at-end
    fi
    sc_end
}
