#!/bin/bash
# A throw-away PostgreSQL cluster for the tests of the PostgreSQL backend.
#
#   pgtmp.sh start DIR     creates DIR, a cluster in DIR/data listening on a
#                          unix socket in DIR/sock and on 127.0.0.1:<free
#                          port>, a database "l2gw" owned by the superuser
#                          "l2gw" (trust authentication: tests only), and
#                          prints its URL (also written to DIR/url; the
#                          unix socket form to DIR/url.socket)
#   pgtmp.sh stop DIR      stops the cluster and removes DIR
#   pgtmp.sh restart DIR   restarts the cluster (same port and socket)
#   pgtmp.sh url DIR       prints the URL again
#   pgtmp.sh newdb URL     creates a fresh database on the server of URL and
#                          prints the URL of the new database
#
# PostgreSQL refuses to run as root: as root the server runs as the user
# "postgres" (or, where there is none, a system user "l2gw-pg" created
# once); DIR must then be reachable by that user (e.g. under /tmp).
# Binaries: $PGBIN, else /usr/lib/postgresql/<newest>/bin.  The cluster
# uses the C locale (text sorts by bytes, as SQLite does) and no fsync.
#
# Typical use:
#   export L2GW_TEST_PG=$(tests/pg/pgtmp.sh start /tmp/l2gw-pg)
#   meson test -C build --suite unit store-
#   tests/pg/pgtmp.sh stop /tmp/l2gw-pg
set -euo pipefail

MARK=.l2gw-pgtmp
START_TIMEOUT=30

die() { echo "pgtmp: $*" >&2; exit 1; }

find_bin() {
    if [ -n "${PGBIN:-}" ]; then echo "$PGBIN"; return; fi
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$d" ] && [ -x "$d/initdb" ] || die "no PostgreSQL server binaries (set PGBIN)"
    echo "$d"
}

# The user the server runs as ("" when we are not root).
server_user() {
    [ "$(id -u)" = 0 ] || { echo ""; return; }
    if id -u postgres >/dev/null 2>&1; then echo postgres; return; fi
    if ! id -u l2gw-pg >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin l2gw-pg ||
            die "cannot create the system user l2gw-pg"
    fi
    echo l2gw-pg
}

as_server() {  # as_server USER CMD...
    local user=$1; shift
    if [ -n "$user" ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

check_dir() {  # check_dir DIR: DIR was made by this script
    [ -f "$1/$MARK" ] || die "$1 is not a directory made by pgtmp.sh start"
}

cmd_start() {
    local dir=$1 bin user port try
    bin=$(find_bin)
    user=$(server_user)
    [ ! -e "$dir/data" ] || die "$dir/data exists (stop it first)"
    mkdir -p "$dir/sock"
    touch "$dir/$MARK"
    if [ -n "$user" ]; then
        chown "$user" "$dir" "$dir/sock"
        chmod 0755 "$dir"
        as_server "$user" test -w "$dir" ||
            die "user $user cannot write $dir (is a parent directory private?)"
    fi
    as_server "$user" "$bin/initdb" -D "$dir/data" -U l2gw --auth=trust \
        -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    for try in 1 2 3; do
        port=$(free_port)
        if as_server "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" \
            -w -t "$START_TIMEOUT" -o "-p $port -c listen_addresses=127.0.0.1 \
-c unix_socket_directories=$dir/sock -c fsync=off -c synchronous_commit=off \
-c full_page_writes=off -c max_connections=200" start >/dev/null 2>&1; then
            break
        fi
        port=""
    done
    [ -n "$port" ] || { tail -n 20 "$dir/data/server.log" >&2; die "the server did not start"; }
    "$bin/psql" -X -q -h "$dir/sock" -p "$port" -U l2gw -d postgres \
        -v ON_ERROR_STOP=1 -c "CREATE DATABASE l2gw" >/dev/null ||
        die "cannot create the database l2gw"
    echo "postgresql://l2gw@127.0.0.1:$port/l2gw" >"$dir/url"
    echo "postgresql:///l2gw?host=$dir/sock&port=$port&user=l2gw" >"$dir/url.socket"
    cat "$dir/url"
}

cmd_stop() {
    local dir=$1 bin user
    [ -d "$dir" ] || return 0
    check_dir "$dir"
    bin=$(find_bin)
    user=$(server_user)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_server "$user" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop \
            >/dev/null 2>&1 || echo "pgtmp: pg_ctl stop failed" >&2
    fi
    rm -rf "$dir"
}

cmd_restart() {
    local dir=$1 bin user
    check_dir "$dir"
    bin=$(find_bin)
    user=$(server_user)
    as_server "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" \
        -m fast -w -t "$START_TIMEOUT" restart >/dev/null
}

# A new database "l2gw_<random>" on the server of URL; prints its URL.
cmd_newdb() {
    local url=$1 bin name
    bin=$(find_bin)
    name=l2gw_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
    "$bin/psql" -X -q -v ON_ERROR_STOP=1 -d "$url" -c "CREATE DATABASE $name" \
        >/dev/null || die "cannot create a database"
    # Replace the path (the database name) of the URL.
    echo "$url" | sed -E "s#^([a-zA-Z]+://[^/?]*)(/[^?]*)?#\\1/$name#"
}

[ $# = 2 ] || die "usage: pgtmp.sh start|stop|restart|url DIR | newdb URL"
case $1 in
    start) cmd_start "$(realpath -m "$2")" ;;
    stop) cmd_stop "$(realpath -m "$2")" ;;
    restart) cmd_restart "$(realpath -m "$2")" ;;
    url) check_dir "$2"; cat "$2/url" ;;
    newdb) cmd_newdb "$2" ;;
    *) die "unknown command $1" ;;
esac
