#!/bin/bash
# Usage: bash e2e/lab/host-net-config.sh [hvN]   (as root; idempotent, for a running host; hv3 by default)
# Makes host hvN a Debian ifupdown host whose bridges the lab user may change, as an admin's sudo
# rule would allow: its own /etc/network (bind-mounted in its mount namespace from
# $STATE/hvN/etc-network: interfaces sourcing interfaces.d/, nothing else), a spare NIC vd-nic2
# (one end of a veth pair, the other end vd-nic2p) for bridge ports, and a sudoers file limited to
# hvN (sudo matches the host's own hostname) for `ip link` and the files of
# /etc/network/interfaces.d. The machine's own /etc/network is never touched.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
[[ $(id -u) == 0 ]] || die "run as root"
h=${1:-hv3}
S="$STATE/$h"
[[ -d /etc/network ]] || die "/etc/network is missing: the lab needs the ifupdown package (up.sh installs it)"

if [[ ! -e $S/etc-network/.virtdeck-lab ]]; then
  mkdir -p "$S/etc-network/interfaces.d"
  cat > "$S/etc-network/interfaces" <<'CONF'
# interfaces(5) of a VirtDeck lab host (e2e/lab/host-net-config.sh)
source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback
CONF
  : > "$S/etc-network/.virtdeck-lab"
fi
bash "$HERE/in-host.sh" "$h" test -e /etc/network/.virtdeck-lab 2>/dev/null \
  || bash "$HERE/in-host.sh" "$h" mount --bind "$S/etc-network" /etc/network

ip -n "$h" link show vd-nic2 >/dev/null 2>&1 || ip -n "$h" link add vd-nic2 type veth peer name vd-nic2p
ip -n "$h" link set vd-nic2 up

rule=/etc/sudoers.d/virtdeck-lab-$h
d=/etc/network/interfaces.d
cat > "$rule.new" <<RULE
# VirtDeck lab (e2e/lab/host-net-config.sh): on $h only, the lab user may change bridges and their
# ifupdown files. Removed by e2e/lab/down.sh.
$LAB_USER $h = (root) NOPASSWD: /usr/sbin/ip link *, /usr/bin/install -m 644 /dev/stdin $d/*, /usr/bin/mv -f $d/*, /usr/bin/cp -p $d/*, /usr/bin/rm -f $d/*
RULE
chmod 440 "$rule.new"
visudo -cqf "$rule.new" || die "the lab's sudoers rule does not parse: $rule.new"
mv -f "$rule.new" "$rule"
log "$h: ifupdown configuration in its own /etc/network, spare NIC vd-nic2, sudo rule $rule"
