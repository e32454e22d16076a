#!/bin/bash
# The lab's migration network (lib.sh LAB_MIG_HOSTS): bridge vd-mig in the root namespace, a veth
# from it into each of hv1–hv3 (mig0, 198.51.100.1N/28), and each of those hosts' sshd listening
# on that address too, so one host's virsh can reach another's libvirt over SSH. hv5 and hv4 get
# nothing: no route from hv1–hv3 to them. Called by up.sh; idempotent on a running lab (a link
# or address already there is kept; sshd re-reads its config (SIGHUP, open sessions stay) only
# when its ListenAddress lines changed). Run as root, under flock /tmp/lab.lock on a shared lab.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $(id -u) == 0 ]] || die "run as root"
STATE=$(cd "$STATE" && pwd -P)

if ! ip link show "$LAB_MIG_BRIDGE" >/dev/null 2>&1; then
  ip link add "$LAB_MIG_BRIDGE" type bridge
  lab_no_ipv6_autoconf "$LAB_MIG_BRIDGE"
fi
ip link set "$LAB_MIG_BRIDGE" up

for h in "${LAB_MIG_HOSTS[@]}"; do
  veth=$(mig_veth "$h") addr=$(mig_ip "$h")
  host_ns_pid "$h" >/dev/null || die "$h is not up"
  if ! ip -n "$h" link show mig0 >/dev/null 2>&1; then
    ip link del "$veth" 2>/dev/null || true
    ip link add "$veth" type veth peer name mig0 netns "$h"
    lab_no_ipv6_autoconf "$veth"
  fi
  ip link set "$veth" master "$LAB_MIG_BRIDGE"
  ip link set "$veth" up
  # A /28 (198.51.100.0–15): the rest of TEST-NET-2 stays free for the networks specs' subnets.
  ip -n "$h" addr del "$addr/24" dev mig0 2>/dev/null || true
  ip -n "$h" addr replace "$addr/28" dev mig0
  ip -n "$h" link set mig0 up

  cfg="$STATE/$h/ssh/sshd_config"
  want=$(awk -v mig="ListenAddress $addr" '
    $0 == mig { next }
    { print }
    /^ListenAddress / && !done { print mig; done = 1 }' "$cfg")
  if [[ $want != "$(<"$cfg")" ]]; then
    printf '%s\n' "$want" > "$cfg"
    pid=$(<"$STATE/$h/run/sshd.pid")
    [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == */sshd ]] || die "$h: pid $pid is not sshd"
    kill -HUP "$pid"
  fi
  for ((i = 0; i < 50; i++)); do
    ip netns exec "$h" timeout 1 bash -c "exec 3<>/dev/tcp/$addr/22" 2>/dev/null && break
    sleep 0.1
  done
  ((i < 50)) || die "$h: sshd does not answer on $addr"
done
log "migration network $LAB_MIG_BRIDGE: ${LAB_MIG_HOSTS[*]} on 198.51.100.0/28"
