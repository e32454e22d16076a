#!/bin/bash
# Usage: bash e2e/lab/install-media.sh [hvN…]   (as root; idempotent, for a running lab)
# Install media made from the lab's own guest, for the New VM wizard:
#  - virtdeck-install.iso: a bootable ISO (isolinux + xorriso): Debian's kernel (the bzImage of
#    the guest's kernel package) and the guest's initramfs, so "install from ISO" boots for real
#    and the guest reports what it sees (hostname from the ISO's command line: virtdeck-install).
#    It is isohybrid (an MBR in front), so the same bytes also boot as a hard disk.
#  - virtdeck-import.qcow2: those bytes as a qcow2 disk image, for "import an existing disk".
# Built once into $CACHE/install/ (again when the guest changes) and copied into each host's
# pool `default` (every lab host when none is named), then the pool is refreshed.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
[[ $(id -u) == 0 ]] || die "run as root"
OUT="$CACHE/install"
mkdir -p "$OUT"
bash "$HERE/guest/build.sh"
stamp="$(cat "$CACHE/guest/stamp") $(sha256sum "$HERE/install-media.sh" | cut -c1-16)"
if [[ ! -s $OUT/virtdeck-install.iso || ! -s $OUT/virtdeck-import.qcow2 || $(cat "$OUT/stamp" 2>/dev/null) != "$stamp" ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  deb=$(ls "$CACHE"/kernel/linux-image-*-amd64_*.deb | head -n1)
  K=$(cat "$CACHE/guest/kernel-version")
  mkdir -p "$work/iso/isolinux"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -O "./boot/vmlinuz-$K" > "$work/iso/isolinux/vmlinuz"
  cp "$CACHE/guest/initrd.img" "$work/iso/isolinux/initrd.img"
  cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$work/iso/isolinux/"
  cat > "$work/iso/isolinux/isolinux.cfg" <<'CFG'
DEFAULT install
PROMPT 0
TIMEOUT 0
LABEL install
  KERNEL vmlinuz
  INITRD initrd.img
  APPEND console=ttyS0 console=tty0 vd.name=virtdeck-install quiet
CFG
  xorriso -as mkisofs -quiet -o "$work/virtdeck-install.iso" -V VIRTDECK_INSTALL -J -R \
    -isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table "$work/iso"
  qemu-img convert -q -f raw -O qcow2 "$work/virtdeck-install.iso" "$work/virtdeck-import.qcow2"
  mv "$work/virtdeck-install.iso" "$work/virtdeck-import.qcow2" "$OUT/"
  echo "$stamp" > "$OUT/stamp"
  log "install media: $(du -k "$OUT/virtdeck-install.iso" | cut -f1) KiB ISO, qcow2 $(du -k "$OUT/virtdeck-import.qcow2" | cut -f1) KiB"
fi
hosts=("$@")
((${#hosts[@]})) || hosts=("${LAB_ALL_HOSTS[@]}")
for h in "${hosts[@]}"; do
  dir="$STATE/$h/lib/images"
  [[ -d $dir ]] || die "$h: no $dir (is the lab up?)"
  for f in virtdeck-install.iso virtdeck-import.qcow2; do
    cmp -s "$OUT/$f" "$dir/$f" || install -m 644 "$OUT/$f" "$dir/$f"
  done
  bash "$HERE/vm.sh" "$h" -q pool-refresh default >/dev/null
done
log "install media in pool default of: ${hosts[*]}"
