# shellcheck shell=bash
# shellcheck disable=SC2034  # (variables shared with the files that source this one)
# l2gwd under test, and the two ways the suite talks to it: curl (api) and
# the l2gw client (cli).  Sourced after lib.sh.  Everything that programs
# the switch goes through here: the suite never writes with vtep-ctl.

L2GWD=${L2GWD:-$E2E_TOP/build/src/daemon/l2gwd}
L2GW=${L2GW:-$E2E_TOP/build/src/cli/l2gw}
API=""
E2E_SHOW=${E2E_SHOW:-0}    # 1: print every API call and its answer (demo)

jsonq() { "$E2E_PY" "$E2E_HERE/jsonq.py" "$@"; }

# l2gwd_configure OVSDB_HOSTS: the run's configuration file.
l2gwd_configure() {
    mkdir -p "$RUN_DIR/l2gwd"
    cat >"$RUN_DIR/l2gwd.ini" <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 0
state_path = $RUN_DIR/l2gwd
debug = ${E2E_L2GWD_DEBUG:-true}

[database]
connection = sqlite:///$RUN_DIR/l2gwd/l2gw.db

[ovsdb]
ovsdb_hosts = $1
EOF
}

# l2gwd_start: starts l2gwd (log: $RUN_DIR/l2gwd.log, appended) and waits
# for "API listening on http://127.0.0.1:PORT"; sets API.  0 or 1.
l2gwd_start() {
    local log=$RUN_DIR/l2gwd.log n0 line pid end
    touch "$log"
    n0=$(grep -c 'API listening on http://' "$log")
    "$L2GWD" --config-file "$RUN_DIR/l2gwd.ini" >>"$log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$RUN_DIR/l2gwd.pid"
    end=$(( $(now_us) + 10000000 ))
    while [ "$(grep -c 'API listening on http://' "$log")" -le "$n0" ]; do
        if ! alive "$pid" || [ "$(now_us)" -ge "$end" ]; then
            log "l2gwd did not start; its log:"
            tail -n 20 "$log" | sed 's/^/#   /' >&2
            return 1
        fi
        sleep 0.05
    done
    line=$(grep 'API listening on http://' "$log" | tail -n 1)
    API=http://${line##*http://}
    API=${API%% *}
    log "l2gwd (pid $pid) serves $API"
}

l2gwd_stop() {
    local pid
    pid=$(cat "$RUN_DIR/l2gwd.pid" 2>/dev/null) || return 0
    kill_pidfile "$RUN_DIR/l2gwd.pid" "$RUN_DIR/"
    wait "$pid" 2>/dev/null || true
}

# show_cmd ARG...: prints a command line the way one would type it.
show_cmd() {
    local a out="\$"
    for a in "$@"; do
        if [[ $a =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then out="$out $a"; else out="$out '$a'"; fi
    done
    echo "$out"
}

# api METHOD PATH [BODY]: one HTTP request; sets API_STATUS and API_BODY.
# Returns 0 if it got an answer (any status), 1 if not.
api() {
    local out args=(-sS -m 20 -X "$1" -w '\n%{http_code}')
    [ $# -ge 3 ] && args+=(-H 'Content-Type: application/json' --data "$3")
    [ "$E2E_SHOW" = 1 ] && show_cmd curl -X "$1" "$API$2" ${3:+-d "$3"}
    out=$(curl "${args[@]}" "$API$2" 2>&1) || { API_STATUS=000; API_BODY=$out; return 1; }
    API_STATUS=${out##*$'\n'}
    API_BODY=${out%$'\n'*}
    [ "$E2E_SHOW" = 1 ] && printf '%s\n(HTTP %s)\n' "$API_BODY" "$API_STATUS"
    return 0
}

# api_q EXPR: jsonq on the last answer's body.
api_q() { printf '%s' "$API_BODY" | jsonq "$1"; }

# cli ARG...: runs the l2gw client against l2gwd; output in CLI_OUT.
cli() {
    local rc
    [ "$E2E_SHOW" = 1 ] && show_cmd l2gw "$@"
    CLI_OUT=$("$L2GW" --url "$API" --timeout 20 "$@" 2>&1)
    rc=$?
    [ "$E2E_SHOW" = 1 ] && printf '%s\n' "$CLI_OUT"
    [ $rc = 0 ] || log "l2gw $* -> exit $rc: $CLI_OUT"
    return $rc
}

# cli_id ARG...: runs "l2gw ARG... -f json" and prints the new object's id.
cli_id() {
    cli "$@" -f json || return 1
    printf '%s' "$CLI_OUT" | jsonq "d['id']"
}

# ----------------------------------------------------------------- reads

# switch_connected NAME: l2gwd lists switch NAME as connected.
switch_connected() {
    api GET "/v2.0/l2-switches?name=$1" && [ "$API_STATUS" = 200 ] &&
        [ "$(api_q "any(s.get('connected') for s in d['l2_switches'])")" = true ]
}

# switch_reconnects NAME: the switch's reconnect count (empty if unknown).
switch_reconnects() {
    api GET "/v2.0/l2-switches?name=$1" && [ "$API_STATUS" = 200 ] &&
        api_q "d['l2_switches'][0]['reconnects']" 2>/dev/null
}

# connection_status ID: prints the connection's status.
connection_status() {
    api GET "/v2.0/l2-gateway-connections/$1" && [ "$API_STATUS" = 200 ] &&
        api_q "d['l2_gateway_connection'].get('status', '')"
}

connection_active() { [ "$(connection_status "$1")" = ACTIVE ]; }

# learned_mac MAC NET: /v2.0/l2-learned-macs has MAC in network NET.
learned_mac() {
    api GET "/v2.0/l2-learned-macs?mac=$1" && [ "$API_STATUS" = 200 ] &&
        [ "$(api_q "any(m['network_id'] == '$2' for m in d['l2_learned_macs'])")" = true ]
}

# fdb_has NET MAC VTEP_IP: the overlay export lists MAC behind VTEP_IP.
fdb_has() {
    api GET "/v2.0/l2-fdb-entries?network_id=$1" && [ "$API_STATUS" = 200 ] &&
        [ "$(api_q "any(e['mac'] == '$2' and e['vtep_ip'] == '$3' and not e.get('deleted')
                        for e in d['l2_fdb_entries'])")" = true ]
}
