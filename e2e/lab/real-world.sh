#!/bin/bash
# Usage: bash e2e/lab/real-world.sh [hvN=hv3]
# Defines the "real-world" VMs on one lab host: each exactly as Debian's virt-install (virtinst)
# defines it for an OS variant (`virt-install --print-xml --osinfo …`, run on the host against its
# own libvirtd, so every default is virt-install's), booting the lab's guest kernel and initramfs
# (--boot kernel=…), plus rw-every, which carries every device kind the lab can run.
# Idempotent: a VM that exists already is left as it is (specs may have changed it), a missing
# one is defined. up.sh runs it; on a running lab run it under `flock -o /tmp/lab.lock`.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
h=${1:-hv3}
n=${h#hv}

vsh() { bash "$here/vm.sh" "$h" -q "$@"; }
boot_args() { # $1 = name
  echo "kernel=/var/lib/libvirt/boot/virtdeck-kernel,initrd=/var/lib/libvirt/boot/virtdeck-initrd.img,kernel_args=console=ttyS0 vd.name=$1 quiet"
}

# name:osinfo:last MAC byte. Debian 12's osinfo-db knows debian11 as its newest Debian.
VARIANTS=(rw-linux2022:linux2022:11 rw-debian11:debian11:12 rw-ubuntu2204:ubuntu22.04:13
          rw-rhel9:rhel9.0:14 rw-win10:win10:15 rw-win11:win11:16)

# Extra options of rw-every: every device kind this lab's QEMU runs under TCG without host
# hardware (no vhost-vsock, no PCI/USB device to pass through, no lock manager for leases).
EVERY=(--sound ich9 --redirdev usb,type=spicevmc --smartcard passthrough,type=spicevmc
       --tpm emulator,model=tpm-crb,version=2.0 --panic isa
       --memorybacking source.type=memfd,access.mode=shared
       --filesystem type=mount,source.dir=/var/lib/libvirt/boot,target.dir=boot,driver.type=virtiofs
       --filesystem type=mount,source.dir=/var/lib/libvirt/rw-share,target.dir=boot9p,accessmode=mapped
       --shmem name=rw-every-shm,model.type=ivshmem-plain,size=1,size.unit=M
       --parallel pty --watchdog i6300esb,action=reset)

define() { # $1 = name, $2 = osinfo, $3 = MAC byte, rest = extra virt-install options
  local name=$1 os=$2 mac="52:54:00:d0:0$n:$3" xml
  shift 3
  if vsh dominfo "$name" >/dev/null 2>&1; then return 0; fi
  # virt-install creates the disk itself (as qcow2 with discard='unmap', as it does for users).
  vsh vol-delete --pool default "$name.qcow2" >/dev/null 2>&1 || true
  xml=$(bash "$here/in-host.sh" "$h" virt-install --connect qemu:///system --print-xml --noautoconsole \
    --name "$name" --osinfo "$os" --virt-type qemu --memory 128 --vcpus 1 \
    --disk size=0.016,format=qcow2 \
    --network "bridge=br-lan,mac=$mac" --boot "$(boot_args "$name")" "$@")
  # The host's /var/lib/libvirt is state/hvN/lib: hand the XML over through it.
  mkdir -p "$STATE/$h/lib/rw-xml"
  printf '%s\n' "$xml" > "$STATE/$h/lib/rw-xml/$name.xml"
  vsh define "/var/lib/libvirt/rw-xml/$name.xml" >/dev/null
  log "$h: defined $name (virt-install --osinfo $os)"
}

for spec in "${VARIANTS[@]}"; do
  IFS=: read -r name os mac <<< "$spec"
  define "$name" "$os" "$mac"
done
# QEMU itself (as libvirt-qemu) opens a 9p share, unlike virtiofs (virtiofsd runs as root): the
# 9p one is a directory of its own that user may read (the boot directory is root's, mode 711).
install -d -m 0755 -o libvirt-qemu -g libvirt-qemu "$STATE/$h/lib/rw-share"
define rw-every linux2022 20 "${EVERY[@]}"
