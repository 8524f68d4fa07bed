# shellcheck shell=bash
# Scenario A on l2gw-vtepd, and the gateway hygiene checks (sourced by
# vtepd.sh; every function runs named checks).

# scenario_a: the seed walkthrough on cloud A alone: netA untagged on p1.
# The hygiene captures of cloud A's two compute links start before the
# gateway creates any device.
scenario_a() {
    start_cap hyg_ul0 gwA ul0
    start_cap hyg_ul1 gwA ul1
    check "A: switch borderA registered by vtepd, seen by l2gwd" \
        retry 20 sh -c "'$L2GW' --url '$URL_A' switch list | grep -q borderA"
    cliA network create netA --provider-network-type vxlan --provider-segment 123
    cliA host create hostA --tunnel-ip 10.98.0.2
    cliA port create vmA --network netA --mac-address $VMA_MAC --host hostA \
        --fixed-ip ip-address=$VMA_IP
    check "A: gateway created" cliA l2-gateway-create --device "name=borderA,interface_names=p1" gwa
    check "A: connection created" cliA l2-gateway-connection-create gwa netA
    check "A: bridge for VNI 123 on the gateway" retry 20 nsx gwA ip link show ve-b123
    check "A: VM -> bare metal" retry 20 pingx vmA $BMA_IP
    check "A: bare metal -> VM" retry 5 pingx bmA $VMA_IP
    check "A: bare-metal MAC learned into the API" \
        retry 20 sh -c "'$L2GW' --url '$URL_A' learned-mac list | grep -q $BMA_MAC"
    check "A: connection ACTIVE" retry 20 sh -c "'$L2GW' --url '$URL_A' l2-gateway-connection-list -f json | grep -q '\"status\": \"ACTIVE\"'"
}

# scenario_a_vlan: a second network, netT (VNI 124, its VM on another
# compute node), bound to VLAN 100 of the same port p1: what an operator
# does for a tagged host behind the same ToR.  netT uses the same IP
# subnet as netA, so any leak between the two would answer a ping.
scenario_a_vlan() {
    cliA network create netT --provider-network-type vxlan --provider-segment 124
    cliA host create hostT --tunnel-ip 10.98.1.2
    cliA port create vmT --network netT --mac-address $VMT_MAC --host hostT \
        --fixed-ip ip-address=$VMT_IP
    check "A/vlan: connection netT on VLAN 100 of the same gateway" \
        cliA l2-gateway-connection-create gwa netT --default-segmentation-id 100
    check "A/vlan: switch binds p1 VLAN 0 and VLAN 100" retry 20 sh -c \
        "[ \"\$(vtep-ctl --db=unix:$WORK/a.sock list-bindings borderA p1 | awk '{print \$1}' | paste -sd' ' -)\" = '0000 0100' ]"
    check "A/vlan: no port fault on p1" sh -c \
        "[ -z \"\$(vtep-ctl --db=unix:$WORK/a.sock get Physical_Port p1 port_fault_status | tr -d '[]')\" ]"
    check "A/vlan: VLAN-100 cls_bpf program on p1 (no 8021q here)" retry 20 sh -c \
        "ip netns exec $VT-gwA tc filter show dev p1 ingress | grep -q 'bpf.*direct-action'"
    check "A/vlan: VM T -> VLAN-100 bare metal" retry 20 pingx vmT $BMT_IP
    capture gwA p1 "$WORK/p1.pcap" "ether host $VMT_MAC" && local td=$CAPTURE_PID
    check "A/vlan: VLAN-100 bare metal -> VM T" retry 5 pingx bmT $VMT_IP
    capture_stop "$td"
    check "A/vlan: VM T's frames leave p1 tagged 100" \
        sh -c "tcpdump -nn -e -r '$WORK/p1.pcap' 2>/dev/null | grep '^.* $VMT_MAC >' | grep -q 'vlan 100'"
    check "A/vlan: untagged bare metal -> VM A still" retry 5 pingx bmA $VMA_IP
    check "A/vlan: VLAN-100 MAC learned into the API" \
        retry 20 sh -c "'$L2GW' --url '$URL_A' learned-mac list | grep -q $BMT_MAC"
    check "A/vlan: no leak: untagged bare metal cannot reach netT's VM" noping bmA $VMT_IP
    check "A/vlan: no leak: VLAN-100 bare metal cannot reach netA's VM" noping bmT $VMA_IP
    check "A/vlan: no leak: VM A cannot reach the VLAN-100 bare metal" noping vmA $BMT_IP
    check "A/vlan: no leak: VM T cannot reach the untagged bare metal" noping vmT $BMA_IP
}

# toggle NS: every link of the namespace goes down and up again (a cable
# flap, an operator's "ip link set down/up").
toggle() {
    local l
    for l in $(nsx "$1" ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -vx lo); do
        nsx "$1" ip link set "$l" down
        nsx "$1" ip link set "$l" up
    done
}

# hygiene: (a) the captures started before the devices existed, plus a
# toggle of every gateway link: no frame of the gateways' own stacks in
# any VNI; (b) unicast to a compute VM never on the WAN; (c) a frame with
# a VM's source MAC on p1 does not move the VM's entry.
hygiene() {
    local s c t
    t=$SECONDS
    for s in A B; do toggle gw$s; toggle wan$s; done
    note "toggles took $((SECONDS - t)) s"
    sleep 3
    for c in hyg_ul0 hyg_ul1 hyg_wan hyg_ulb; do stop_cap $c; done
    gw_macs A B >"$WORK/gwmacs"
    check "hygiene: the captures hold VXLAN frames (control)" \
        some "frames on A's link, WAN" "$(($(inner hyg_ul0 | wc -l) * $(inner hyg_wan | wc -l)))"
    check "hygiene: no IGMP/MLD/RS/DAD frame in any VNI (A links, WAN, B link)" \
        none "multicast-MAC inner frames" "$(($(stack_frames hyg_ul0) + $(stack_frames hyg_ul1) + $(stack_frames hyg_wan) + $(stack_frames hyg_ulb)))"
    check "hygiene: no frame from a gateway's own MAC in any VNI" \
        none "inner frames from gateway MACs" "$(($(frames_from hyg_ul0 "$WORK/gwmacs") + $(frames_from hyg_ul1 "$WORK/gwmacs") + $(frames_from hyg_wan "$WORK/gwmacs") + $(frames_from hyg_ulb "$WORK/gwmacs")))"
    check "hygiene: no netA host inside netT's VNI, nor the reverse" \
        none "bmA frames on ul1 + bmT frames on ul0" "$(($(inner hyg_ul1 | grep -c " $BMA_MAC > ") + $(inner hyg_ul0 | grep -c " $BMT_MAC > ")))"
    local t0=$SECONDS
    check "hygiene: forwarding back after the toggles (VM A -> VM B)" retry 15 pingx vmA $VMB_IP
    note "VM A -> VM B back $((SECONDS - t0)) s after the captures stopped"
    check "hygiene: forwarding back after the toggles (VLAN-100 bare metal)" retry 15 pingx bmT $VMT_IP
    note "VLAN-100 bare metal -> VM T back after $((SECONDS - t0)) s"
    check "hygiene: ARP suppression entry of VM B back after the toggles" retry 15 sh -c \
        "ip netns exec $VT-gwA ip neigh show dev ve-b123 | grep -q '^$VMB_IP lladdr $VMB_MAC PERMANENT'"
    # The detector itself: a multicast ping from bare metal A is counted.
    nsx bmA ip route add 224.0.0.0/4 dev eth0
    start_cap mc gwA ul0
    nsx bmA ping -c2 -i0.2 -W1 224.0.0.1 >/dev/null 2>&1
    stop_cap mc
    check "hygiene: a multicast frame inside VXLAN is detected (control)" some "multicast frames" "$(stack_frames mc)"

    flush bmA vmA
    start_cap uc_wan wanA wan0
    start_cap uc_ul0 gwA ul0
    pingx bmA $VMA_IP >/dev/null 2>&1
    nsx bmA ping -c3 -i0.2 -W1 -q $VMA_IP >/dev/null 2>&1
    nsx vmA ping -c3 -i0.2 -W1 -q $BMA_IP >/dev/null 2>&1
    stop_cap uc_wan; stop_cap uc_ul0
    check "hygiene: unicast to VM A reaches its compute link (control)" some "to VM A on ul0" "$(frames_to uc_ul0 $VMA_MAC)"
    check "hygiene: unicast to VM A never reaches the WAN peer" none "to VM A on the WAN" "$(frames_to uc_wan $VMA_MAC)"

    check "hygiene: VM A's MAC sits on a VXLAN device before the spoof" on_vxlan A $VMA_MAC
    capture gwA p1 "$WORK/spoof.pcap" "ether src $VMA_MAC" && local td=$CAPTURE_PID
    for _ in 1 2 3; do
        nsx bmA python3 "$RAWFRAME" eth0 $VMA_MAC $VMA_IP $BMA_IP 0
        sleep 0.2
    done
    capture_stop "$td"
    check "hygiene: the spoofed frames reached p1 (control)" some "spoofed frames on p1" "$(captured "$WORK/spoof.pcap")"
    check "hygiene: spoofed source MAC leaves VM A's entry on the VXLAN device" on_vxlan A $VMA_MAC
    check "hygiene: VM A's MAC not reported as a local MAC" \
        none "Ucast_Macs_Local rows of VM A" "$(vtep-ctl --db=unix:$WORK/a.sock --columns=MAC list Ucast_Macs_Local | grep -c $VMA_MAC)"
    # The spoofed ARP is a broadcast: the gateway floods it (as it must
    # flood broadcast), so the learning switches around it learnt VM A's
    # MAC in the wrong place: the ToR on bmA's port, compute node A's br-int
    # on its VXLAN port.  Their tables are not the gateway's: flush them.
    ovs_in torA ovs-appctl fdb/flush tor >/dev/null
    ovs_in cnA ovs-appctl fdb/flush br-int >/dev/null
    flush bmA vmA
    check "hygiene: VM A <-> bare metal A after the spoof" sh -c \
        "ip netns exec $VT-bmA ping -c1 -W1 $VMA_IP && ip netns exec $VT-vmA ping -c1 -W1 $BMA_IP"
}
