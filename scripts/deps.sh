#!/bin/sh
# Installs the Debian 12 packages l2gw needs to build, run and test.
# Idempotent: installs only what is missing; runs apt-get update only then.
set -eu
PKGS="make gcc clang meson ninja-build pkg-config
libjansson-dev libmicrohttpd-dev libsqlite3-dev libinih-dev libssl-dev
libcurl4-openssl-dev libpq-dev libmnl-dev libnftnl-dev libcmocka-dev libclang-rt-14-dev
sqlite3 curl openssl python3 python3-pytest
openvswitch-common openvswitch-switch openvswitch-vtep
python3-openstackclient python3-networking-l2gw
postgresql iproute2 iputils-ping ethtool tcpdump nftables iperf3 jq"
case "${1:-}" in --build-only) PKGS="make gcc meson ninja-build pkg-config
libjansson-dev libmicrohttpd-dev libsqlite3-dev libinih-dev libssl-dev
libcurl4-openssl-dev libpq-dev libmnl-dev libnftnl-dev libcmocka-dev" ;; esac
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Packaged services (OVS, PostgreSQL) must not start on install: the tests
# start their own instances.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
