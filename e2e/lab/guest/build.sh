#!/bin/bash
# Builds the lab's tiny guest into $CACHE/guest/ (kernel, initrd.img, kernel-version); with
# LAB_GUEST_ARCH=arm64 the same guest for aarch64 into $CACHE/guest-arm64/ (Debian's arm64 kernel
# and busybox-static:arm64 through a private apt state, so this machine's architectures and
# package lists stay as they are; serial console ttyAMA0, the PL011 of QEMU's virt machine).
# a Debian kernel (apt-get download + dpkg -x, so no initramfs-tools run) and a gzip'd cpio
# initramfs with busybox-static, a few driver modules and the report scripts from rootfs/.
# The kernel .deb is downloaded once; the initramfs is rebuilt when its inputs change.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=e2e/lab/lib.sh
source "$HERE/../lib.sh"

ARCH=${LAB_GUEST_ARCH:-amd64}
case $ARCH in
  amd64) OUT="$CACHE/guest" KDIR="$CACHE/kernel" APT=() ;;
  arm64)
    OUT="$CACHE/guest-arm64" KDIR="$CACHE/kernel-arm64"
    mkdir -p "$KDIR/apt/lists/partial" "$KDIR/apt/cache/archives/partial"
    APT=(-o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o "Dir::State::Lists=$KDIR/apt/lists"
         -o "Dir::Cache=$KDIR/apt/cache" -o Dir::State::status=/dev/null) ;;
  *) die "LAB_GUEST_ARCH must be amd64 or arm64" ;;
esac
mkdir -p "$OUT" "$KDIR"

# --- 1. the kernel package (cached) ---
deb=$(ls "$KDIR"/linux-image-*-"$ARCH"_*.deb 2>/dev/null | head -n1 || true)
if [[ -z $deb ]]; then
  # An empty private apt state (a fresh clone) makes apt-cache fail: then update it and ask again.
  pkg=$(apt-cache "${APT[@]}" depends "linux-image-$ARCH" 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}' || true)
  if [[ -z $pkg ]]; then
    apt-get "${APT[@]}" update -qq
    pkg=$(apt-cache "${APT[@]}" depends "linux-image-$ARCH" | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
  fi
  [[ -n $pkg ]] || die "cannot resolve the kernel package behind linux-image-$ARCH"
  log "downloading $pkg"
  dl=$(mktemp -d); chown _apt "$dl" 2>/dev/null || true   # lets apt drop privileges quietly
  (cd "$dl" && apt-get "${APT[@]}" download -q "$pkg" && if [[ $ARCH != amd64 ]]; then apt-get "${APT[@]}" download -q busybox-static; fi)
  mv "$dl"/*.deb "$KDIR"/
  rmdir "$dl"
  deb=$(ls "$KDIR"/linux-image-*-"$ARCH"_*.deb | head -n1)
fi
# The guest's busybox: this machine's for amd64, else the architecture's busybox-static.
busybox=/bin/busybox
if [[ $ARCH != amd64 ]]; then
  bbdeb=$(ls "$KDIR"/busybox-static_*_"$ARCH".deb | head -n1)
  busybox="$KDIR/busybox-$ARCH"
  [[ -s $busybox ]] || { bbx=$(mktemp -d); dpkg -x "$bbdeb" "$bbx"; cp "$bbx/bin/busybox" "$busybox"; rm -rf "$bbx"; }
fi

# --- 2. the initramfs (rebuilt when the deb, this script, modules.txt or rootfs/ change) ---
stamp=$( { sha256sum "$HERE/build.sh" "$HERE/modules.txt"; basename "$deb";
           (cd "$HERE/rootfs" && find . -type f -print0 | sort -z | xargs -0 sha256sum);
           sha256sum "$busybox"; echo "boot=${LAB_GUEST_BOOT:-pvh} arch=$ARCH"; } | sha256sum | cut -c1-16)
if [[ -s $OUT/kernel && -s $OUT/initrd.img && $(cat "$OUT/stamp" 2>/dev/null) == "$stamp" ]]; then
  exit 0
fi
log "building guest initramfs ($stamp)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg -x "$deb" "$work/k"
K=$(ls "$work/k/lib/modules")
depmod -b "$work/k" "$K"

root="$work/root"
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,run,tmp,root,lib/modules}
cp -a "$HERE/rootfs/." "$root/"
cp "$busybox" "$root/bin/busybox"
# Same busybox version for every architecture: this machine's lists the applets.
for applet in $(/bin/busybox --list); do
  [[ -e $root/bin/$applet ]] || ln -s busybox "$root/bin/$applet"
done
ln -sf ../bin/busybox "$root/sbin/init"
mknod -m 600 "$root/dev/console" c 5 1
mknod -m 666 "$root/dev/null" c 1 3

# Modules in load order: each wanted module after its dependencies (and softdeps).
declare -A seen=()
declare -A params=()
: > "$root/etc/modules.load"
while read -r name args; do
  [[ -z $name || $name == \#* ]] && continue
  params[$name]=$args
  if ! deps=$(modprobe -d "$work/k" -S "$K" --show-depends "$name" 2>/dev/null); then
    log "  module $name: not in this kernel, skipped"
    continue
  fi
  while read -r kind path _; do
    [[ $kind == insmod ]] || continue          # "builtin NAME" lines need nothing
    base=$(basename "$path")
    [[ -n ${seen[$base]:-} ]] && continue
    seen[$base]=1
    cp "$path" "$root/lib/modules/$base"
    mod=${base%.ko}; mod=${mod//-/_}
    echo "$base ${params[$mod]:-}" >> "$root/etc/modules.load"
  done <<< "$deps"
done < <(cat "$HERE/modules.txt"; [[ $ARCH == arm64 ]] && echo virtio_mmio)
# busybox modprobe (`modprobe virtio_scsi` at the console, for a module vd.skip= left out) reads
# /lib/modules/$K/modules.dep: that name points at the flat folder, and depmod's list, folders
# dropped, names the copied modules.
ln -s . "$root/lib/modules/$K"
sed 's#[^ :]*/##g' "$work/k/lib/modules/$K/modules.dep" | awk -F: 'NR == FNR { want[$1] = 1; next } want[$1]' <(printf '%s\n' "${!seen[@]}") - > "$root/lib/modules/modules.dep"
# QEMU's ARM virt machine has its serial console on a PL011: ttyAMA0, not the PC's ttyS0.
[[ $ARCH == arm64 ]] && grep -rl ttyS0 "$root/etc" "$root/bin" "$root/init" | grep -v '/bin/busybox$' | xargs -r sed -i 's/ttyS0/ttyAMA0/g'

(cd "$root" && find . | sort | cpio -o -H newc --quiet -R 0:0) | gzip -9 > "$work/initrd.img"
# The kernel QEMU boots: the bzImage's payload, decompressed once here. Under TCG the guest
# needs ~4.5 s just to unpack Debian's xz'd bzImage; QEMU boots the uncompressed vmlinux ELF
# directly through its PVH entry point (CONFIG_PVH=y) instead. Falls back to the bzImage.
# LAB_GUEST_BOOT=bzimage keeps the bzImage (slower; the screen is then VGA text mode, while a
# PVH-booted kernel has no VGA text console and draws on a DRM framebuffer, see modules.txt).
bz="$work/k/boot/vmlinuz-$K"
kernel_fmt=$([[ $ARCH == amd64 ]] && echo bzImage || echo Image)
cp "$bz" "$work/kernel"
# arm64: Debian's vmlinuz is a gzip'd Image, which QEMU's ARM loader unpacks itself.
if [[ $ARCH == amd64 && ${LAB_GUEST_BOOT:-pvh} == pvh ]] && grep -q '^CONFIG_PVH=y' "$work/k/boot/config-$K"; then
  u32() { od -An -t u4 -j "$2" -N 4 "$1" | tr -d ' '; }
  setup_sects=$(od -An -t u1 -j $((0x1f1)) -N 1 "$bz" | tr -d ' ')
  ((setup_sects == 0)) && setup_sects=4
  pm_start=$(((setup_sects + 1) * 512))
  off=$(u32 "$bz" $((0x248))); len=$(u32 "$bz" $((0x24c)))
  magic=$(od -An -t x1 -j $((pm_start + off)) -N 6 "$bz" | tr -d ' ')
  case $magic in
    fd377a585a00) unpack=(xz -dc) ;;
    1f8b*) unpack=(gzip -dc) ;;
    *) unpack=() ;;
  esac
  # The payload ends with 4 bytes of decompressed size (kbuild's size_append): leave them out.
  # (tail gets SIGPIPE once head has its bytes: not an error)
  len=$((len - 4))
  { tail -c +$((pm_start + off + 1)) "$bz" | head -c "$len" > "$work/payload"; } || true
  if ((${#unpack[@]})) && [[ $(stat -c %s "$work/payload") == "$len" ]] \
     && "${unpack[@]}" < "$work/payload" > "$work/vmlinux" \
     && [[ $(od -An -c -N 4 "$work/vmlinux" | tr -d ' ') == 177ELF ]]; then
    mv "$work/vmlinux" "$work/kernel"
    kernel_fmt="vmlinux (PVH)"
  fi
fi
echo "$K" > "$work/kernel-version"
mv "$work/kernel" "$work/initrd.img" "$work/kernel-version" "$OUT/"
rm -f "$OUT/vmlinuz"
echo "$stamp" > "$OUT/stamp"
log "guest: kernel $K as $kernel_fmt, initrd $(du -k "$OUT/initrd.img" | cut -f1) KiB, $(wc -l < "$root/etc/modules.load") modules"
