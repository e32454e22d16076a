#!/bin/bash
# Usage: bash e2e/lab/arm-guest.sh hvN   (as root; idempotent, for a running host)
# Puts the lab's aarch64 guest on host hvN: the arm64 kernel and initramfs of
# `LAB_GUEST_ARCH=arm64 guest/build.sh` into the host's boot folder and VM arm-1 (guests/arm.xml:
# QEMU's virt machine under TCG, virtio disk, e1000 NIC, serial on ttyAMA0), left shut off. Its
# boot report appears on the serial console in ~12 s. An existing arm-1 is left as it is.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
[[ $(id -u) == 0 ]] || die "run as root"
h=${1:?usage: $0 hvN}
LAB_GUEST_ARCH=arm64 bash "$HERE/guest/build.sh"
S="$STATE/$h"
install -m 644 "$CACHE/guest-arm64/kernel" "$S/lib/boot/virtdeck-arm64-kernel"
install -m 644 "$CACHE/guest-arm64/initrd.img" "$S/lib/boot/virtdeck-arm64-initrd.img"
vsh() { bash "$HERE/vm.sh" "$h" -q "$@"; }
if ! vsh dominfo arm-1 >/dev/null 2>&1; then
  vsh vol-info --pool default arm-1.qcow2 >/dev/null 2>&1 || vsh vol-create-as default arm-1.qcow2 16M --format qcow2 >/dev/null
  sed -e 's|@NAME@|arm-1|g' -e 's|@MAC@|52:54:00:d0:05:01|g' "$HERE/guests/arm.xml" > "$S/xml/arm-1.xml"
  vsh define /dev/stdin < "$S/xml/arm-1.xml" >/dev/null
fi
log "$h: aarch64 VM arm-1 (kernel $(cat "$CACHE/guest-arm64/kernel-version"))"
