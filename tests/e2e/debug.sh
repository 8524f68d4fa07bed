# shellcheck shell=bash
# shellcheck disable=SC2034  # (variables shared with the files that source this one)
# Private debug mode of run.sh (--debug-dataplane), NOT part of the suite:
# no l2gwd; the switch is programmed by hand with vtep-ctl, the way l2gwd
# must program it (spec/switch.md "Desired state"), to prove that the
# topology carries frames, and that the assertions of the scenarios fail
# when the switch lacks what they test (no unknown-dst row, service_node
# replication).  Checks are named "debug.*".

DBG_LS=dbg-net

dbg_program() {
    vtep add-ls $DBG_LS &&
        vtep set Logical_Switch $DBG_LS tunnel_key=$VNI replication_mode=source_node &&
        vtep bind-ls "$PS" "$PORT1" $VLAN $DBG_LS &&
        vtep bind-ls "$PS" "$PORT2" 0 $DBG_LS &&
        vtep add-ucast-remote $DBG_LS "$VM1_MAC" $CN1_TIP &&
        vtep add-ucast-remote $DBG_LS "$VM2_MAC" $CN2_TIP &&
        vtep add-mcast-remote $DBG_LS unknown-dst $CN1_TIP &&
        vtep add-mcast-remote $DBG_LS unknown-dst $CN2_TIP
}

dbg_flood() {
    vtep add-mcast-remote $DBG_LS unknown-dst $CN1_TIP &&
        vtep add-mcast-remote $DBG_LS unknown-dst $CN2_TIP
}

dbg_no_flood() {
    vtep del-mcast-remote $DBG_LS unknown-dst $CN1_TIP &&
        vtep del-mcast-remote $DBG_LS unknown-dst $CN2_TIP
}

# dbg_arp_fails: with an empty neighbour cache, the bare-metal host does
# not reach vm1 within 3 s.
dbg_arp_fails() { flush_neighbours; ! wait_ping "$NS_BM" $VM1_IP 3; }

dbg_broadcast_not_both() { flush_neighbours; ! broadcast_reaches "$NS_BM" $VM1_IP $VM2_IP; }

debug_dataplane() {
    local t0
    AGENT_SOURCE=switch
    NET_ID=$DBG_LS
    t0=$(now_us)
    check debug.program dbg_program
    agent_sync $DBG_LS "$NS_CN1" "$NS_CN2"
    check debug.flood-entry test "$AGENT_FLOOD" = "$GW_TIP $VNI"
    if wait_ping "$NS_VM1" $BM_IP 20; then
        pass debug.ping-vm1-to-bm
        timing debug_program_to_first_ping_s "$(since_s "$t0")"
    else
        fail debug.ping-vm1-to-bm
    fi
    ping_check debug.ping-bm-to-vm1 "$NS_BM" $VM1_IP 5
    ping_check debug.ping-vm2-to-bm "$NS_VM2" $BM_IP 5
    ping_check debug.ping-vm2-to-untagged-bm "$NS_VM2" $BM0_IP 5
    ping_check debug.ping-untagged-bm-to-vm1 "$NS_BM0" $VM1_IP 5
    check_remote debug.remote-rows "$VM1_MAC $CN1_TIP" "$VM2_MAC $CN2_TIP" \
        "unknown-dst $CN1_TIP" "unknown-dst $CN2_TIP"
    check debug.binding binding_is "$PORT1" $VLAN
    check debug.ucast-local-learned wait_until 5 eval 'vtep list-local-macs $DBG_LS | grep -q "$BM_MAC"'
    check debug.broadcast-reaches-both-vms eval 'flush_neighbours; broadcast_reaches "$NS_BM" $VM1_IP $VM2_IP'
    check debug.arp-from-bm eval 'flush_neighbours; wait_ping "$NS_BM" $VM1_IP 5'
    # the assertions of (b) catch a switch without unknown-dst ...
    dbg_no_flood; sleep 2.5
    check debug.b-catches-missing-unknown-dst dbg_arp_fails
    check debug.b-broadcast-catches-missing-unknown-dst dbg_broadcast_not_both
    dbg_flood
    # ... and one in service_node replication (one VM only gets broadcast)
    vtep set Logical_Switch $DBG_LS replication_mode=service_node; sleep 2.5
    check debug.b-catches-service-node dbg_broadcast_not_both
    vtep set Logical_Switch $DBG_LS replication_mode=source_node; sleep 2.5
    check debug.broadcast-back eval 'flush_neighbours; broadcast_reaches "$NS_BM" $VM1_IP $VM2_IP'
    # migration, by hand
    vm_move "$NS_CN1" "$NS_CN2" "$IF_CN1V"
    t0=$(now_us)
    vtep del-ucast-remote $DBG_LS "$VM1_MAC" && vtep add-ucast-remote $DBG_LS "$VM1_MAC" $CN2_TIP
    if wait_ping "$NS_VM1" $BM_IP 20; then
        pass debug.ping-after-migration
        timing debug_migration_to_first_ping_s "$(since_s "$t0")"
    else
        fail debug.ping-after-migration
    fi
    # the gateway's ovsdb-server restarts on its file
    t0=$(now_us)
    check debug.ovsdb-restart gateway_ovsdb_restart
    if wait_ping "$NS_VM1" $BM_IP 30; then
        pass debug.ping-after-ovsdb-restart
        timing debug_ovsdb_restart_to_first_ping_s "$(since_s "$t0")"
    else
        fail debug.ping-after-ovsdb-restart
    fi
    # blank database: nothing until programmed again
    check debug.reboot-blank gateway_reboot_blank
    sleep 2.5
    check debug.no-ping-when-blank ping_stopped "$NS_VM1" $BM_IP
    t0=$(now_us)
    dbg_program && vtep del-ucast-remote $DBG_LS "$VM1_MAC" &&
        vtep add-ucast-remote $DBG_LS "$VM1_MAC" $CN2_TIP
    if wait_ping "$NS_VM1" $BM_IP 30; then
        pass debug.ping-after-reprogram
        timing debug_reprogram_to_first_ping_s "$(since_s "$t0")"
    else
        fail debug.ping-after-reprogram
    fi
    # unprogram the way l2gwd does: bindings and remote rows, then the LS
    t0=$(now_us)
    vtep unbind-ls "$PS" "$PORT1" $VLAN && vtep unbind-ls "$PS" "$PORT2" 0 &&
        vtep clear-remote-macs $DBG_LS
    check debug.ping-stops wait_until 10 ping_stopped "$NS_VM1" $BM_IP
    wait_until 10 eval '[ -z "$(vtep list-local-macs $DBG_LS | grep -- "->")" ]'
    vtep del-ls $DBG_LS
    check debug.switch-clean switch_clean
    timing debug_unprogram_to_clean_s "$(since_s "$t0")"
    if [ "$E2E_FAILED" -gt 0 ]; then dump_state; fi
}
