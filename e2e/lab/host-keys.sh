#!/bin/bash
# Gives running lab hosts the ECDSA and RSA host keys a fresh `lab:up` gives every host (see
# LAB_HOST_KEY_TYPES in lib.sh), without restarting anything else: the keys are installed, the
# host's sshd_config gets its HostKey lines, and only when they changed is that host's sshd
# told to re-read its config (SIGHUP; open sessions stay up). Idempotent.
# Usage: bash e2e/lab/host-keys.sh hv2 [hv3 …]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# The real folders (a checkout may reach the lab's state through a symlink): sshd re-reads these
# paths on every later SIGHUP.
STATE=$(cd "$STATE" && pwd -P)
CACHE=$(cd "$CACHE" && pwd -P)
(($#)) || die "usage: host-keys.sh hvN [hvN …]"
for h in "$@"; do
  cfg="$STATE/$h/ssh/sshd_config"
  [[ -f $cfg ]] || die "$h is not up (no $cfg)"
  install_host_keys "$h"
  want=$(awk -v keys="$(host_key_lines "$h")" '/^HostKey / { next } { print } /^Port / { print keys }' "$cfg")
  if [[ $want == "$(<"$cfg")" ]]; then
    log "$h: sshd already offers ${LAB_HOST_KEY_TYPES[*]}"
    continue
  fi
  printf '%s\n' "$want" > "$cfg"
  pid=$(<"$STATE/$h/run/sshd.pid")
  [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == */sshd ]] || die "$h: pid $pid is not sshd"
  kill -HUP "$pid"
  for ((i = 0; i < 50; i++)); do
    ip netns exec "$h" timeout 1 bash -c "exec 3<>/dev/tcp/$(host_ip "$h")/22" 2>/dev/null && break
    sleep 0.1
  done
  log "$h: sshd now offers ${LAB_HOST_KEY_TYPES[*]}"
done
