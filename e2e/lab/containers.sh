#!/bin/bash
# Usage: bash e2e/lab/containers.sh hvN   (as root; idempotent, for a running host)
# Makes lab host hvN a container host for libvirt's LXC driver (libvirt-daemon-driver-lxc, loaded
# by a libvirtd started after its install): mounts the cgroup v1 controllers in the host's mount
# namespace (`ip netns exec` remounted /sys, so none is mounted there; the LXC driver needs them,
# and must not see the controller-less cgroup2 "unified" mount: "Unable to create directory
# /sys/fs/cgroup/unified"), builds two busybox root filesystems from the lab guest's busybox and
# defines container box-1 on the first. The second (…/lxc/spare) is for containers created from
# the app. A running box-1 is left as it is.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
[[ $(id -u) == 0 ]] || die "run as root"
h=${1:?usage: $0 hvN}
in_host() { bash "$HERE/in-host.sh" "$h" "$@"; }

in_host bash -s <<'SH'
set -euo pipefail
mountpoint -q /sys/fs/cgroup || mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup
for c in cpu cpuacct cpuset memory devices freezer blkio pids; do
  mkdir -p "/sys/fs/cgroup/$c"
  mountpoint -q "/sys/fs/cgroup/$c" || mount -t cgroup -o "$c" cgroup "/sys/fs/cgroup/$c"
done
mkdir -p /sys/fs/cgroup/systemd
mountpoint -q /sys/fs/cgroup/systemd || mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd
# A busybox system: init runs a shell on the console, so `virsh console` gets a prompt at once.
rootfs() {
  local r=$1 a
  mkdir -p "$r"/{bin,sbin,etc,proc,sys,dev,tmp,root,run,var}
  cp /bin/busybox "$r/bin/busybox"
  for a in $(/bin/busybox --list); do [[ -e $r/bin/$a ]] || ln -s busybox "$r/bin/$a"; done
  ln -sf ../bin/busybox "$r/sbin/init"
  printf '::respawn:-/bin/sh\n' > "$r/etc/inittab"
  # libvirt gives each container its name as hostname: the prompt says which container it is.
  printf 'export PS1='"'"'\\h:\\w# '"'"'\n' > "$r/etc/profile"
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$r/etc/passwd"
}
rootfs /var/lib/libvirt/lxc/box-1
rootfs /var/lib/libvirt/lxc/spare
SH

if ! bash "$HERE/vm.sh" "$h" -c lxc:///system -q dominfo box-1 >/dev/null 2>&1; then
  bash "$HERE/vm.sh" "$h" -c lxc:///system -q define /dev/stdin >/dev/null <<'XML'
<domain type='lxc'>
  <name>box-1</name>
  <title>busybox container</title>
  <memory unit='MiB'>64</memory>
  <os><type>exe</type><init>/sbin/init</init></os>
  <devices>
    <filesystem type='mount'><source dir='/var/lib/libvirt/lxc/box-1'/><target dir='/'/></filesystem>
    <interface type='bridge'><source bridge='br-lan'/></interface>
    <console type='pty'/>
  </devices>
</domain>
XML
fi
log "$h: LXC driver with cgroup v1 controllers; container box-1 on /var/lib/libvirt/lxc/box-1"
