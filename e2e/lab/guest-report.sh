#!/bin/bash
# Usage: bash e2e/lab/guest-report.sh hvN VM [timeout_seconds=60]
# Waits until the VM's serial log (state/hvN/log/qemu/VM-serial.log, i.e. the host's
# /var/log/libvirt/qemu/VM-serial.log) holds a complete guest report, then prints the latest
# one (VIRTDECK-GUEST … VIRTDECK-READY). Exit 1 on timeout.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $# -ge 2 ]] || { echo "usage: $0 hvN VM [timeout_seconds]" >&2; exit 2; }
logf="$STATE/$1/log/qemu/$2-serial.log"
deadline=$((SECONDS + ${3:-60}))
while ((SECONDS < deadline)); do
  if [[ -r $logf ]] && grep -q '^VIRTDECK-READY' "$logf"; then
    tr -d '\r' < "$logf" | awk '/^VIRTDECK-GUEST /{buf=""; on=1} on{buf=buf $0 "\n"} /^VIRTDECK-READY/{if(on){last=buf}; on=0} END{printf "%s", last}'
    exit 0
  fi
  sleep 0.2
done
echo "no guest report from $2 on $1 within ${3:-60}s ($logf)" >&2
exit 1
