# shellcheck shell=bash
# Scenario B on l2gw-vtepd: two clouds joined by their border gateways
# (sourced by vtepd.sh; every function runs named checks).

rc_id() { "$L2GW" --url "$1" l2-remote-gateway-connection-list -f value -c id 2>>"$WORK/cli.log" | head -n 1; }

# wan_dev S KEY: gateway S's WAN VXLAN device for KEY exists with its local
# address in the WAN namespace.
wan_dev() {
    local ip=198.18.0.1
    [ "$1" = B ] && ip=198.18.0.2
    nsx wan$1 ip -d link show ve-x$2 | grep -q "id $2 local $ip"
}

# scenario_b: cloud B joins, WAN VNI 456, remote MACs with their IPs.
scenario_b() {
    start_cap hyg_wan wanA wan0
    start_cap hyg_ulb gwB ul0
    cliB network create netB --provider-network-type vxlan --provider-segment 789
    cliB host create hostB --tunnel-ip 10.97.0.2
    cliB port create vmB --network netB --mac-address $VMB_MAC --host hostB \
        --fixed-ip ip-address=$VMB_IP
    cliB l2-gateway-create --device "name=borderB,interface_names=p1" gwb
    cliB l2-gateway-connection-create gwb netB
    check "A: remote gateway B" cliA l2-remote-gateway-create rgB 198.18.0.2
    check "A: remote connection (WAN VNI 456)" cliA l2-remote-gateway-connection-create gwa netA rgB --seg-id 456
    check "B: remote gateway A" cliB l2-remote-gateway-create rgA 198.18.0.1
    check "B: remote connection (WAN VNI 456)" cliB l2-remote-gateway-connection-create gwb netB rgA --seg-id 456
    RC_A=$(rc_id "$URL_A")
    RC_B=$(rc_id "$URL_B")
    check "A: remote MAC of VM B" cliA l2-remote-mac-create "$VMB_MAC;$VMB_IP" "$RC_A"
    check "B: remote MAC of VM A" cliB l2-remote-mac-create "$VMA_MAC;$VMA_IP" "$RC_B"
    check "A: WAN VXLAN key 456 in the WAN namespace" retry 20 wan_dev A 456
    check "A: WAN locator carries tunnel_key 456 (vtep-ctl)" sh -c \
        "vtep-ctl --db=unix:$WORK/a.sock --columns=tunnel_key find Physical_Locator dst_ip=198.18.0.2 | grep -q ': 456$'"
    check "VM A -> VM B (VNI 123 -> 456 -> 789)" retry 20 pingx vmA $VMB_IP
    check "VM B -> VM A" retry 5 pingx vmB $VMA_IP
    check "bare metal B -> VM A" retry 10 pingx bmB $VMA_IP
    check "bare metal A -> bare metal B" retry 10 pingx bmA $BMB_IP
    check "A: remote connection ACTIVE" retry 20 sh -c "'$L2GW' --url '$URL_A' l2-remote-gateway-connection-show $RC_A -f json | grep -q '\"status\": \"ACTIVE\"'"
    check "borderA advertises per-locator keys" sh -c "vtep-ctl --db=unix:$WORK/a.sock get Physical_Switch borderA other_config:l2gw-per-locator-key | grep -q true"
}

# cap3 TAG: captures the WAN link and both clouds' VM links (while the
# caller's commands run: start with cap3 TAG, end with cap3_stop TAG).
cap3() { start_cap "$1_wan" wanA wan0; start_cap "$1_a" gwA ul0; start_cap "$1_b" gwB ul0; }
cap3_stop() { stop_cap "$1_wan"; stop_cap "$1_a"; stop_cap "$1_b"; }

# pings_ab: VM A <-> VM B both ways, neighbour caches flushed first.
pings_ab() {
    flush vmA vmB
    pingx vmA $VMB_IP && pingx vmB $VMA_IP
}

# scenario_b_vnis: each link carries its own VNI only; with the remote
# MACs' IPs gateway A answers the bare metal's ARP itself (suppression).
scenario_b_vnis() {
    cap3 v
    check "B/vni: VM A <-> VM B, neighbour caches flushed" retry 5 pings_ab
    cap3_stop v
    check "B/vni: WAN link carries VNI 456 only" vnis_are v_wan 456
    check "B/vni: cloud A's link carries VNI 123 only" vnis_are v_a 123
    check "B/vni: cloud B's link carries VNI 789 only" vnis_are v_b 789
    # ARP suppression: the kernel answers requests that enter the bridge on
    # a port without neigh_suppress, i.e. from the physical port; requests
    # from a compute node (or the WAN) cross, as the K=V check shows.
    cap3 s
    flush bmA
    check "B/arp: bare metal A -> VM B, neighbour cache flushed" retry 5 pingx bmA $VMB_IP
    flush bmA
    check "B/arp: bare metal A -> VM A, neighbour cache flushed" retry 5 pingx bmA $VMA_IP
    cap3_stop s
    check "B/arp: bare metal's ARP for VM B answered by gateway A (none on the WAN)" \
        none "ARP requests for VM B on the WAN" "$(inner s_wan | grep -c "Request who-has $VMB_IP tell")"
    check "B/arp: bare metal's ARP for VM A answered by gateway A (none to the compute node)" \
        none "ARP requests for VM A on A's link" "$(inner s_a | grep -c "Request who-has $VMA_IP tell")"
}

# scenario_b_k_equals_v: the remote connections are deleted (traffic
# stops), then re-created with WAN VNI = cloud A's VNI 123: side A leaves
# seg_id to its default, side B gives 123.  The remote MACs have no IP this
# time, so ARP has to cross both gateways.
scenario_b_k_equals_v() {
    check "B/delete: A's remote connection deleted" cliA l2-remote-gateway-connection-delete "$RC_A"
    check "B/delete: A's WAN device for 456 removed" retry 20 sh -c "! ip netns exec $VT-wanA ip link show ve-x456"
    check "B/delete: VM A -> VM B stops" noping vmA $VMB_IP
    check "B/delete: VM B -> VM A stops" noping vmB $VMA_IP
    check "B/delete: B's remote connection deleted" cliB l2-remote-gateway-connection-delete "$RC_B"

    check "B/K=V: A's remote connection, seg_id left to its default" \
        cliA l2-remote-gateway-connection-create gwa netA rgB
    check "B/K=V: B's remote connection, seg_id 123" \
        cliB l2-remote-gateway-connection-create gwb netB rgA --seg-id 123
    RC_A=$(rc_id "$URL_A")
    RC_B=$(rc_id "$URL_B")
    check "B/K=V: A's default seg_id is netA's VNI 123" \
        sh -c "[ \"\$('$L2GW' --url '$URL_A' l2-remote-gateway-connection-show $RC_A -f value -c seg_id)\" = 123 ]"
    check "B/K=V: A's remote MAC of VM B (no IP)" cliA l2-remote-mac-create "$VMB_MAC" "$RC_A"
    check "B/K=V: B's remote MAC of VM A (no IP)" cliB l2-remote-mac-create "$VMA_MAC" "$RC_B"
    check "B/K=V: A's WAN device key 123 next to its cloud device 123" retry 20 kv_devs
    check "B/K=V: B's WAN device key 123" retry 20 wan_dev B 123
    cap3 k
    check "B/K=V: VM A <-> VM B, neighbour caches flushed" retry 20 pings_ab
    cap3_stop k
    check "B/K=V: WAN link carries VNI 123 only" vnis_are k_wan 123
    check "B/K=V: cloud B's link carries VNI 789 only" vnis_are k_b 789
    check "B/K=V: ARP crossed the WAN" some "ARP requests for VM B on the WAN" \
        "$(inner k_wan | grep -c "Request who-has $VMB_IP tell")"
}

kv_devs() { wan_dev A 123 && nsx gwA ip -d link show ve-v123 | grep -q 'id 123 local 10.98.0.1'; }
arp_blocked() { flush vmA vmB; noping vmA $VMB_IP; }

# static_neigh NS IP MAC
static_neigh() { nsx "$1" ip neigh replace "$2" lladdr "$3" nud permanent dev eth0; }

# scenario_b_flood_false: flood=false on both remote connections: no
# broadcast crosses (ARP fails), known unicast to the remote MACs still
# does once the VMs have static neighbour entries.
scenario_b_flood_false() {
    check "B/flood: A's remote connection flood=False" \
        cliA l2-remote-gateway-connection-update "$RC_A" --flood False
    check "B/flood: B's remote connection flood=False" \
        cliB l2-remote-gateway-connection-update "$RC_B" --flood False
    check "B/flood: A's WAN device has no flood entry" retry 20 sh -c \
        "! ip netns exec $VT-wanA bridge fdb show dev ve-x123 | grep -q '^00:00:00:00:00:00'"
    check "B/flood: ARP does not cross (VM A -> VM B, caches flushed)" arp_blocked
    static_neigh vmA $VMB_IP $VMB_MAC
    static_neigh vmB $VMA_IP $VMA_MAC
    check "B/flood: VM A -> VM B by unicast (static neighbour)" retry 10 pingx vmA $VMB_IP
    check "B/flood: VM B -> VM A by unicast (static neighbour)" retry 5 pingx vmB $VMA_IP
    check "B/flood: A's remote connection flood=True again" \
        cliA l2-remote-gateway-connection-update "$RC_A" --flood True
    check "B/flood: B's remote connection flood=True again" \
        cliB l2-remote-gateway-connection-update "$RC_B" --flood True
    check "B/flood: ARP crosses again" retry 20 pings_ab
}

# scenario_b_restart: l2gw-vtepd of each gateway is killed and started
# again; forwarding (with ARP across) is back within a few seconds.
scenario_b_restart() {
    local s n0 t
    for s in A B; do
        n0=$(links_of gw$s ve | wc -l)
        stop_vtepd gw$s
        if [ $s = A ]; then
            check "B/restart: A's kernel objects stay while its l2gw-vtepd is stopped" \
                sh -c "[ \$(ip netns exec $VT-gwA ip -o link show | grep -c ': ve-') = $n0 ]"
            check "B/restart: VM A <-> VM B while A's l2gw-vtepd is stopped" pings_ab
        fi
        start_vtepd gw$s "$WORK/gw$s.ini"
        t=$SECONDS
        check "B/restart: $s's l2gw-vtepd restarted, VM A <-> VM B within 10 s" retry 10 pings_ab
        note "forwarding back after $((SECONDS - t)) s"
        check "B/restart: $s's gateway has as many links as before ($n0)" \
            retry 5 sh -c "[ \$(ip netns exec $VT-gw$s ip -o link show | grep -c ': ve-') = $n0 ]"
    done
    check "B/restart: bare metal B -> VM A" retry 5 pingx bmB $VMA_IP
}
