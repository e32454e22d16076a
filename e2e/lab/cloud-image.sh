#!/bin/bash
# Usage: bash e2e/lab/cloud-image.sh [hvN…]   (as root; idempotent, for a running lab)
# A tiny "cloud image" for the New VM wizard's "From a cloud image" and cloud-init: the lab's
# guest with a NoCloud reader (cloud/vdnocloud) run before its report, so a VM made from it
# reports the hostname, user and SSH keys its cidata seed gave it (VIRTDECK-CLOUD lines) and says
# "Cloud-init … finished" on its serial console, as a real cloud image would. No download.
#  - initrd: the guest's initramfs with a second cpio archive appended (the kernel unpacks both;
#    later entries win): isofs.ko, the reader, the guest's rc.sysinit and vdreport with one line
#    each added, modules.load with isofs. The shared guest itself stays as it is.
#  - virtdeck-cloud.qcow2: an isohybrid ISO (isolinux, no vd.name: the hostname comes from the
#    seed) converted to qcow2, so it boots as a hard disk and can back an overlay.
# Built once into $CACHE/cloud/ (again when the guest or this script changes) and copied into each
# host's pool `default` (every lab host when none is named), then the pool is refreshed.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
[[ $(id -u) == 0 ]] || die "run as root"
OUT="$CACHE/cloud"
IMAGE=virtdeck-cloud.qcow2
mkdir -p "$OUT"
bash "$HERE/guest/build.sh"
stamp="$(cat "$CACHE/guest/stamp") $(cat "$HERE/cloud-image.sh" "$HERE/cloud/vdnocloud" | sha256sum | cut -c1-16)"
if [[ ! -s $OUT/$IMAGE || $(cat "$OUT/stamp" 2>/dev/null) != "$stamp" ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  deb=$(ls "$CACHE"/kernel/linux-image-*-amd64_*.deb | head -n1)
  K=$(cat "$CACHE/guest/kernel-version")
  mkdir -p "$work/k" "$work/base" "$work/add/bin" "$work/add/etc" "$work/add/lib/modules" "$work/iso/isolinux"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/k" "./boot/vmlinuz-$K" "./lib/modules/$K/kernel/fs/isofs/isofs.ko"
  (cd "$work/base" && zcat "$CACHE/guest/initrd.img" | cpio -i --quiet -d etc/rc.sysinit etc/modules.load bin/vdreport)
  cp "$work/k/lib/modules/$K/kernel/fs/isofs/isofs.ko" "$work/add/lib/modules/"
  { cat "$work/base/etc/modules.load"; echo isofs.ko; } > "$work/add/etc/modules.load"
  install -m 755 "$HERE/cloud/vdnocloud" "$work/add/bin/vdnocloud"
  # The reader runs once the disks have settled, before the report; the report carries its lines.
  grep -q '^/bin/vdreport > /run/virtdeck-report$' "$work/base/etc/rc.sysinit" || die "guest rc.sysinit changed: no report line to hook"
  sed 's#^/bin/vdreport > /run/virtdeck-report$#/bin/vdnocloud\n&#' "$work/base/etc/rc.sysinit" > "$work/add/etc/rc.sysinit"
  grep -q '^echo "VIRTDECK-GUEST ' "$work/base/bin/vdreport" || die "guest vdreport changed: no first line to hook"
  sed '/^echo "VIRTDECK-GUEST /a [ -r /run/virtdeck-cloud ] && cat /run/virtdeck-cloud' "$work/base/bin/vdreport" > "$work/add/bin/vdreport"
  chmod 755 "$work/add/etc/rc.sysinit" "$work/add/bin/vdreport"
  cp "$CACHE/guest/initrd.img" "$work/iso/isolinux/initrd.img"
  (cd "$work/add" && find . | sort | cpio -o -H newc --quiet -R 0:0) | gzip -9 >> "$work/iso/isolinux/initrd.img"
  cp "$work/k/boot/vmlinuz-$K" "$work/iso/isolinux/vmlinuz"
  cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$work/iso/isolinux/"
  cat > "$work/iso/isolinux/isolinux.cfg" <<'CFG'
DEFAULT cloud
PROMPT 0
TIMEOUT 0
LABEL cloud
  KERNEL vmlinuz
  INITRD initrd.img
  APPEND console=ttyS0 console=tty0 quiet
CFG
  xorriso -as mkisofs -quiet -o "$work/cloud.iso" -V VIRTDECK_CLOUD -J -R \
    -isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table "$work/iso"
  qemu-img convert -q -f raw -O qcow2 "$work/cloud.iso" "$work/$IMAGE"
  mv "$work/$IMAGE" "$OUT/"
  echo "$stamp" > "$OUT/stamp"
  log "cloud image: qcow2 $(du -k "$OUT/$IMAGE" | cut -f1) KiB"
fi
hosts=("$@")
((${#hosts[@]})) || hosts=("${LAB_ALL_HOSTS[@]}")
for h in "${hosts[@]}"; do
  dir="$STATE/$h/lib/images"
  [[ -d $dir ]] || die "$h: no $dir (is the lab up?)"
  cmp -s "$OUT/$IMAGE" "$dir/$IMAGE" || install -m 644 "$OUT/$IMAGE" "$dir/$IMAGE"
  bash "$HERE/vm.sh" "$h" -q pool-refresh default >/dev/null
done
log "cloud image in pool default of: ${hosts[*]}"
