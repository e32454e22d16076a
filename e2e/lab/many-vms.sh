#!/bin/bash
# Usage: bash e2e/lab/many-vms.sh define [COUNT=300] [hvN…]   (default hosts: hv1 hv2 hv3)
#        bash e2e/lab/many-vms.sh undefine [hvN…]
# Defines COUNT tiny shut-off VMs `bulk-001`… on each host (never started: no disk, 16 MiB), or
# removes every `bulk-*` VM again. One virsh session per host reads all `define`/`undefine`
# commands from a script on stdin, so 300 VMs take seconds, not 300 SSH round trips.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
mode=${1:-}; shift || true
case "$mode" in
  define) count=300; if [[ ${1:-} =~ ^[0-9]+$ ]]; then count=$1; shift; fi ;;
  undefine) ;;
  *) echo "usage: $0 define [COUNT] [hvN…] | undefine [hvN…]" >&2; exit 2 ;;
esac
hosts=("$@"); [[ ${#hosts[@]} -gt 0 ]] || hosts=(hv1 hv2 hv3)

define_host() {
  local h=$1 i name outside
  # The host's /var/lib/libvirt is the lab's state/hvN/lib: write the XML there from outside.
  outside="$here/state/$h/lib/bulk-xml"
  rm -rf "$outside"
  mkdir -p "$outside"
  for ((i = 1; i <= count; i++)); do
    name=$(printf 'bulk-%03d' "$i")
    printf "<domain type='qemu'><name>%s</name><memory unit='MiB'>16</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><on_poweroff>destroy</on_poweroff><devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices></domain>\n" "$name" >"$outside/$name.xml"
  done
  for ((i = 1; i <= count; i++)); do printf 'define /var/lib/libvirt/bulk-xml/bulk-%03d.xml\n' "$i"; done |
    bash "$here/in-host.sh" "$h" virsh -q -c qemu:///system >/dev/null
  rm -rf "$outside"
}

undefine_host() {
  local h=$1
  bash "$here/vm.sh" "$h" list --all --name | grep '^bulk-' | sed 's/^/undefine --domain /' |
    bash "$here/in-host.sh" "$h" virsh -q -c qemu:///system >/dev/null || true
}

for h in "${hosts[@]}"; do
  if [[ $mode == define ]]; then define_host "$h" & else undefine_host "$h" & fi
done
wait
for h in "${hosts[@]}"; do
  echo "$h: $(bash "$here/vm.sh" "$h" list --all --name | grep -c '^bulk-' || true) bulk VMs"
done
