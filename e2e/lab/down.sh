#!/bin/bash
# Tears the lab down: stops the lab's daemons and QEMU processes (only processes inside the
# lab's namespaces), deletes the namespaces and root-side veths, removes e2e/lab/state/.
# Keeps e2e/lab/cache/. Idempotent; succeeds when nothing is up.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $(id -u) == 0 ]] || die "run as root"

# Lab processes: those in a lab netns, plus any process whose mount table holds a lab
# bind mount (catches leftovers whose netns name was already deleted).
lab_pids() {
  local h p
  for h in "${LAB_ALL_HOSTS[@]}"; do
    ip netns pids "$h" 2>/dev/null || true
  done
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [[ $p == "$$" ]] && continue
    grep -qsF " $STATE/hv" "/proc/$p/mountinfo" 2>/dev/null && echo "$p"
  done
  true
}

pids=$(lab_pids | sort -un | grep -vx "$$" || true)
if [[ -n $pids ]]; then
  log "stopping $(wc -w <<< "$pids") lab processes"
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 50); do
    left=$(for p in $pids; do [[ -d /proc/$p ]] && echo "$p"; done || true)
    [[ -z $left ]] && break
    sleep 0.1
  done
  if [[ -n ${left:-} ]]; then
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
    sleep 0.2
  fi
  # Anything that appeared meanwhile (e.g. a qemu spawned during shutdown).
  late=$(lab_pids | sort -un || true)
  # shellcheck disable=SC2086
  if [[ -n $late ]]; then kill -KILL $late 2>/dev/null || true; sleep 0.2; fi
fi

for h in "${LAB_ALL_HOSTS[@]}"; do
  ip route del "$(host_ip "$h")/32" 2>/dev/null || true
  ip link del "$(host_veth "$h")" 2>/dev/null || true
  if ip netns list | grep -qE "^$h( |$)"; then ip netns del "$h"; fi
done

# The migration network's bridge (its veths went with the namespaces).
for h in "${LAB_MIG_HOSTS[@]}"; do ip link del "$(mig_veth "$h")" 2>/dev/null || true; done
ip link del "$LAB_MIG_BRIDGE" 2>/dev/null || true
ip link del "$LAB_FRESH_BRIDGE" 2>/dev/null || true   # the fresh servers' routes go with it

# Bind mounts of the state dir only exist inside the lab's own mount namespaces; if one
# leaked into this namespace, unmount it before deleting the files under it.
{ grep -F " $STATE" /proc/self/mountinfo || true; } | awk '{print $5}' | sort -r | while read -r m; do
  umount -l "$m" || true
done
rm -f /etc/sudoers.d/virtdeck-lab-*   # host-net-config.sh's rules, one per host
rm -rf "$STATE"
# The LXC hosts' sudo rules (lxc-tools.sh) name lab hosts that are gone now.
rm -f /etc/sudoers.d/virtdeck-lxc-hv*
log "lab is down"
