# shellcheck shell=bash
# shellcheck disable=SC2034  # (variables shared with the files that source this one)
# The overlay agent, played by the suite.  In a cloud, the hypervisors'
# L2 agent learns where a network's hardware VTEPs are (networking-l2gw
# told it through l2population); with l2gwd an agent reads the overlay
# export instead:
#
#   GET /v2.0/l2-fdb-entries?network_id=<id>
#     entries with mac 00:00:00:00:00:00 are flood entries: "send this
#     network's broadcast and unknown unicast to vtep_ip, with VNI vni".
#
# For every flood entry, a compute node gets one VXLAN port on br-int,
# "vx<tunnel IP in hex>" with options:remote_ip=<vtep_ip> and
# options:key=<vni>; VXLAN ports without an entry are removed.  Nothing is
# hard-coded: the gateway's address comes from the API.  (This harness
# carries one network per compute node at a time: the key is per port.)
#
# AGENT_SOURCE=switch is the private debug mode of run.sh
# (--debug-dataplane, no l2gwd): the flood entry is then read from the
# gateway's database (Physical_Switch tunnel_ips, Logical_Switch
# tunnel_key) instead.  The real suite never uses it.

AGENT_SOURCE=${AGENT_SOURCE:-api}
AGENT_FLOOD=""                  # the flood entries of the last sync

# agent_flood_list NET: prints the network's flood entries, one
# "VTEP_IP VNI" line each, sorted; 1 if they cannot be read.
agent_flood_list() {
    local E2E_SHOW=0
    if [ "$AGENT_SOURCE" = switch ]; then
        local ip key
        ip=$(vtep get Physical_Switch "$PS" tunnel_ips | tr -d '[]"')
        key=$(vtep get Logical_Switch "$1" tunnel_key 2>/dev/null) || return 0
        echo "$ip $key"
        return 0
    fi
    api GET "/v2.0/l2-fdb-entries?network_id=$1" && [ "$API_STATUS" = 200 ] || {
        log "overlay agent: GET l2-fdb-entries -> $API_STATUS $API_BODY"
        return 1
    }
    api_q "sorted({'%s %s' % (e['vtep_ip'], e['vni']) for e in d['l2_fdb_entries']
                   if e['mac'] == '00:00:00:00:00:00' and not e.get('deleted')})"
}

# agent_apply NS FLOOD: makes br-int of compute node NS match FLOOD.
agent_apply() {
    local ns=$1 flood=$2 ip vni name want=" " p
    while read -r ip vni; do
        [ -n "$ip" ] || continue
        # shellcheck disable=SC2086
        name=vx$(printf '%02x' ${ip//./ })
        want="$want$name "
        [ "$E2E_SHOW" = 1 ] && echo "\$ ovs-vsctl --may-exist add-port br-int $name -- set Interface $name type=vxlan options:remote_ip=$ip options:key=$vni    # on $ns"
        on "$ns" ovs-vsctl --may-exist add-port br-int "$name" \
            -- set Interface "$name" type=vxlan options:remote_ip="$ip" \
               options:key="$vni" || return 1
    done <<<"$flood"
    for p in $(on "$ns" ovs-vsctl list-ports br-int | grep '^vx'); do
        case $want in
            *" $p "*) ;;
            *) on "$ns" ovs-vsctl del-port br-int "$p" || return 1 ;;
        esac
    done
}

# agent_sync NET NS...: one pass of the agent on the given compute nodes.
agent_sync() {
    local net=$1 flood ns
    shift
    if [ "$E2E_SHOW" = 1 ] && [ "$AGENT_SOURCE" = api ]; then
        api GET "/v2.0/l2-fdb-entries?network_id=$net"
    fi
    flood=$(agent_flood_list "$net") || return 1
    for ns in "$@"; do
        agent_apply "$ns" "$flood" || return 1
    done
    AGENT_FLOOD=$flood
    return 0
}

# agent_wait NET SECONDS NS...: syncs once the network has a flood entry;
# 1 if none appeared within SECONDS.
agent_wait() {
    local net=$1 secs=$2
    shift 2
    wait_until "$secs" agent_has_flood "$net" || return 1
    agent_sync "$net" "$@"
}

agent_has_flood() { [ -n "$(agent_flood_list "$1")" ]; }

# agent_wait_gone NET SECONDS NS...: syncs once the network has no flood
# entry any more; 1 if one is still there after SECONDS.
agent_wait_gone() {
    local net=$1 secs=$2
    shift 2
    wait_until "$secs" agent_no_flood "$net" || return 1
    agent_sync "$net" "$@"
}

agent_no_flood() { local f; f=$(agent_flood_list "$1") && [ -z "$f" ]; }
