#!/bin/bash
# Usage: bash e2e/lab/lxc-tools.sh hvN   (as root; idempotent, for a running host; after containers.sh)
# Makes lab host hvN an LXC-tools host, as the Ubuntu-hypervisor guide's admin has one:
# - its own /var/lib/lxc (a bind mount of state/hvN/lxc in the host's mount namespace), so its
#   containers are its own and not the machine's;
# - binfmt_misc mounted there and QEMU's aarch64 handler enabled (qemu-user-static registers it
#   with flags PF: the emulator is opened at registration, so no copy of it goes into a root
#   filesystem). The registration is kernel-wide, like on a real host;
# - libvirt network lxc-lan (isolated, bridge br-lxc, DHCP) as the lab bridge for container NICs;
# - containers lxc-box (x86_64 busybox, NIC on br-lxc) and lxc-arm (arm64 busybox from Debian's
#   busybox-static:arm64, the one guest/build.sh extracts; no NIC), both stopped;
# - the lab user may run the LXC tools as root on this host only, without a password
#   (/etc/sudoers.d/virtdeck-lxc; `Host_List` = the host's UTS name). The tools can run any
#   command as root (lxc-execute, lxc-usernsexec), so the rule is root in effect: it spares a
#   password, it does not confine.
# Containers that exist are left as they are.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
[[ $(id -u) == 0 ]] || die "run as root"
h=${1:?usage: $0 hvN}
command -v lxc-create >/dev/null || die "lxc is not installed"
[[ -x /usr/libexec/qemu-binfmt/aarch64-binfmt-P ]] || die "qemu-user-static is not installed"
ARM_BUSYBOX="$CACHE/kernel-arm64/busybox-arm64"
[[ -s $ARM_BUSYBOX ]] || LAB_GUEST_ARCH=arm64 bash "$HERE/guest/build.sh"
[[ -s $ARM_BUSYBOX ]] || die "$ARM_BUSYBOX missing (guest/build.sh extracts it from busybox-static:arm64)"

mkdir -p "$STATE/$h/lxc" "$STATE/$h/arm64"
chmod 755 "$STATE/$h/lxc"
# The busybox template copies the binary under its own file name and runs it as bin/busybox.
install -m 755 "$ARM_BUSYBOX" "$STATE/$h/arm64/busybox"
# sudo looks its host name up: the host's own /etc/hosts names it (a file of this host only).
{ grep -v "[[:space:]]$h\$" /etc/hosts; echo "127.0.1.1 $h"; } > "$STATE/$h/hosts"
bash "$HERE/in-host.sh" "$h" env LXC_DIR="$STATE/$h/lxc" ARM_BUSYBOX="$STATE/$h/arm64/busybox" HOSTS="$STATE/$h/hosts" bash -s <<'SH'
set -euo pipefail
mountpoint -q /etc/hosts || mount --bind "$HOSTS" /etc/hosts
mountpoint -q /var/lib/lxc || { mkdir -p /var/lib/lxc; mount --bind "$LXC_DIR" /var/lib/lxc; }
mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
update-binfmts --enable qemu-aarch64 2>/dev/null || update-binfmts --import qemu-aarch64
grep -q '^flags: PF' /proc/sys/fs/binfmt_misc/qemu-aarch64 || { echo "qemu-aarch64 handler without flags PF" >&2; exit 1; }
conf=$(mktemp)
trap 'rm -f "$conf"' EXIT
mk() { # name, busybox, NIC link or ""
  [[ -e /var/lib/lxc/$1/config && -e /var/lib/lxc/$1/rootfs/sbin/init ]] && return 0
  # Half made (an earlier run stopped inside the template): made again.
  [[ -e /var/lib/lxc/$1 ]] && { lxc-destroy -n "$1" -f >/dev/null 2>&1 || rm -rf "/var/lib/lxc/$1"; }
  { echo 'lxc.apparmor.profile = unconfined'
    if [[ -n $3 ]]; then printf 'lxc.net.0.type = veth\nlxc.net.0.link = %s\nlxc.net.0.flags = up\n' "$3"
    else echo 'lxc.net.0.type = empty'; fi
  } > "$conf"
  lxc-create -q -n "$1" -t busybox -f "$conf" -- --busybox-path "$2"
}
mk lxc-box /bin/busybox br-lxc
mk lxc-arm "$ARM_BUSYBOX" ""
SH

vsh() { bash "$HERE/vm.sh" "$h" -q "$@"; }
if ! vsh net-info lxc-lan >/dev/null 2>&1; then
  vsh net-define /dev/stdin >/dev/null <<'XML'
<network>
  <name>lxc-lan</name>
  <bridge name='br-lxc' stp='off'/>
  <ip address='198.51.100.193' netmask='255.255.255.192'>
    <dhcp><range start='198.51.100.200' end='198.51.100.250'/></dhcp>
  </ip>
</network>
XML
fi
vsh net-autostart lxc-lan >/dev/null
[[ $(vsh net-info lxc-lan | awk '/^Active:/{print $2}') == yes ]] || vsh net-start lxc-lan >/dev/null

rule=/etc/sudoers.d/virtdeck-lxc-$h
tools=(attach autostart console create destroy freeze info ls start stop unfreeze usernsexec config)
cmds=$(printf '/usr/bin/lxc-%s, ' "${tools[@]}")
tmp=$(mktemp)
printf '# VirtDeck lab: %s may run the LXC tools as root on lab host %s (lxc-tools.sh)\n%s %s = (root) NOPASSWD: %s\n' \
  "$LAB_USER" "$h" "$LAB_USER" "$h" "${cmds%, }" > "$tmp"
visudo -cq -f "$tmp" || die "sudoers rule does not parse"
install -m 440 "$tmp" "$rule"
rm -f "$tmp"
log "$h: LXC tools with containers lxc-box (x86_64) and lxc-arm (aarch64 via qemu-user binfmt), network lxc-lan, sudo rule $rule"
