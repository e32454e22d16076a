#!/bin/bash
# Usage: bash e2e/lab/spice-vms.sh
# The SPICE VMs of the lab, each defined by Debian's virt-install on its host (`--print-xml`, so
# the display is exactly what virt-install gives there: SPICE with a spicevmc channel, USB
# redirection and audio), booting the lab's guest kernel and initramfs:
#   hv3 rw-spice  virt-install's default graphics, untouched;
#   hv1 spice-pw  the same with a SPICE password (`--graphics spice,password=…`).
# Both log their serial port to /var/log/libvirt/qemu/NAME-serial.log (what a test reads to see
# that keys typed on the screen reached the guest's shell). Idempotent: an existing VM is left
# as it is. up.sh runs it; on a running lab run it under `flock -o /tmp/lab.lock`.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"

SPICE_PASSWORD=spice-lab-pw

define() { # $1 = host, $2 = name, $3 = last MAC byte, rest = extra virt-install options
  local h=$1 name=$2 mac="52:54:00:d0:0${1#hv}:$3" xml
  shift 3
  if bash "$here/vm.sh" "$h" -q dominfo "$name" >/dev/null 2>&1; then return 0; fi
  bash "$here/vm.sh" "$h" -q vol-delete --pool default "$name.qcow2" >/dev/null 2>&1 || true
  xml=$(bash "$here/in-host.sh" "$h" virt-install --connect qemu:///system --print-xml --noautoconsole \
    --name "$name" --osinfo linux2022 --virt-type qemu --memory 128 --vcpus 1 \
    --disk size=0.016,format=qcow2 --network "bridge=br-lan,mac=$mac" \
    --boot "kernel=/var/lib/libvirt/boot/virtdeck-kernel,initrd=/var/lib/libvirt/boot/virtdeck-initrd.img,kernel_args=console=ttyS0 vd.name=$name quiet" \
    --serial "pty,log.file=/var/log/libvirt/qemu/$name-serial.log,log.append=off" "$@")
  mkdir -p "$STATE/$h/lib/rw-xml"
  printf '%s\n' "$xml" > "$STATE/$h/lib/rw-xml/$name.xml"
  bash "$here/vm.sh" "$h" -q define "/var/lib/libvirt/rw-xml/$name.xml" >/dev/null
  log "$h: defined $name (virt-install's SPICE display)"
}

define hv3 rw-spice 21
define hv1 spice-pw 22 --graphics "spice,password=$SPICE_PASSWORD"
