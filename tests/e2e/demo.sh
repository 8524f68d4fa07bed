#!/bin/bash
# shellcheck disable=SC2034  # (variables shared with the sourced files)
# make demo: the seed walkthrough of networking-l2gw, on this machine, in
# network namespaces: an l2gw node (Open vSwitch + the ovs-vtep emulator),
# two compute nodes with a VM each, a bare-metal host on VLAN 100, and
# l2gwd.  Prints every API call (l2gw client or curl) with its answer, the
# gateway's "vtep-ctl show", and the ping between a VM and the bare-metal
# host; then removes everything.  Exit status 0 if the ping worked.
#
# Needs root and what scripts/deps.sh installs.  Env: L2GWD, L2GW (as
# run.sh), E2E_KEEP=1 to leave it running (run.sh --teardown DIR removes it).
set -u
. "$(dirname "$0")/lib.sh"
. "$E2E_HERE/topo.sh"
. "$E2E_HERE/api.sh"
. "$E2E_HERE/agent.sh"

step() { printf '\n==== %s\n' "$*"; }

why=$(preflight)
[ -z "$why" ] || { echo "demo: cannot run here: $why" >&2; exit 1; }
for b in "$L2GWD" "$L2GW"; do
    [ -x "$b" ] || { echo "demo: $b is not built (run make first)" >&2; exit 1; }
done

run_init
sweep_stale
topo_names

step "The test network (namespaces $P-*)"
topo_up || { echo "demo: the test network could not be built" >&2; exit 1; }
cat <<EOF
  compute node $NS_CN1  tunnel IP $CN1_TIP   VM $NS_VM1 $VM1_IP ($VM1_MAC)
  compute node $NS_CN2  tunnel IP $CN2_TIP   VM $NS_VM2 $VM2_IP ($VM2_MAC)
  l2gw node    $NS_GW   tunnel IP $GW_TIP  Physical_Switch $PS, ports $PORT1 (VLAN trunk), $PORT2
  bare metal   $NS_BM   $BM_IP ($BM_MAC) on VLAN $VLAN behind port $PORT1
EOF

step "The l2gw node before l2gwd: vtep-ctl show"
vtep show

step "l2gwd: configuration and start"
l2gwd_configure "$OVSDB_NAME:unix:$RUN_DIR/$NS_GW/db.sock"
cat "$RUN_DIR/l2gwd.ini"
l2gwd_start || { echo "demo: l2gwd did not start" >&2; exit 1; }
echo "l2gwd serves $API"
if ! wait_until 20 switch_connected "$PS"; then
    echo "demo: l2gwd did not connect to the switch" >&2
    tail -n 20 "$RUN_DIR/l2gwd.log" >&2
    exit 1
fi

E2E_SHOW=1
step "The switch as l2gwd sees it"
cli switch list

step "The overlay inventory (what Neutron knows in a cloud)"
cli network create net1 --provider-network-type vxlan --provider-segment $VNI
NET_ID=$(E2E_SHOW=0 cli_id network show net1)
cli host create "$NS_CN1" --tunnel-ip $CN1_TIP
cli host create "$NS_CN2" --tunnel-ip $CN2_TIP
cli port create vm1 --network net1 --mac-address "$VM1_MAC" --host "$NS_CN1" \
    --fixed-ip ip-address=$VM1_IP
cli port create vm2 --network net1 --mac-address "$VM2_MAC" --host "$NS_CN2" \
    --fixed-ip ip-address=$VM2_IP

step "The gateway and the connection"
cli l2-gateway-create --device "name=$PS,interface_names=$PORT1|$VLAN" gw1
t0=$(now_us)
cli l2-gateway-connection-create gw1 net1 --wait 20

step "The overlay agent: where to send the network's broadcast"
agent_wait "$NET_ID" 20 "$NS_CN1" "$NS_CN2" || echo "demo: no flood entry for net1" >&2
E2E_SHOW=0

step "Ping VM -> bare metal and back"
rc=0
if wait_ping "$NS_VM1" $BM_IP 20; then
    echo "(first ping $(since_s "$t0") s after the connection was created)"
    echo "\$ ping $BM_IP    # in $NS_VM1"
    ip netns exec "$NS_VM1" ping -c3 -i0.2 $BM_IP
    echo "\$ ping $VM2_IP    # in $NS_BM"
    ip netns exec "$NS_BM" ping -c3 -i0.2 $VM2_IP || rc=1
else
    echo "ping FAILED: $NS_VM1 cannot reach $BM_IP"
    rc=1
fi

step "The l2gw node: vtep-ctl show, and the remote MACs l2gwd wrote"
echo "\$ vtep-ctl show"
vtep show
echo "\$ vtep-ctl list-remote-macs $NET_ID"
vtep list-remote-macs "$NET_ID"

E2E_SHOW=1
step "What the switch learned"
E2E_SHOW=0 wait_until 10 learned_mac "$BM_MAC" "$NET_ID"
cli learned-mac list
cli fdb list --network net1
cli l2-gateway-connection-list

step "Clean-up through the API"
E2E_SHOW=0 cli l2-gateway-connection-list -f value -c ID
cli l2-gateway-connection-delete $CLI_OUT
E2E_SHOW=0
wait_until 20 switch_clean && echo "the switch holds nothing of l2gwd any more:"
echo "\$ vtep-ctl list-ls"
vtep list-ls
echo "\$ vtep-ctl show"
vtep show
exit $rc
