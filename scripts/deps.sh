#!/bin/sh
# deps.sh: install, with apt-get, only the Debian packages that are missing.
set -e
pkgs="cmake make gcc pkg-config libpcap-dev libcap-ng-dev libssl-dev libcmocka-dev tcpdump clang
      python3 iproute2 nftables ethtool openssl util-linux"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null; then SUDO=sudo; else
		echo "synack: deps: missing packages:$missing (run as root to install them)" >&2
		exit 2
	fi
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
${SUDO:-} apt-get update -qq
# shellcheck disable=SC2086
${SUDO:-} apt-get install -y -qq --no-install-recommends $missing >/dev/null
