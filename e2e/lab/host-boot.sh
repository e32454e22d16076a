#!/bin/bash
# Runs inside `ip netns exec hvN unshare --mount --uts --propagation private`, called by up.sh:
# gives the host its own /run, /etc/libvirt, /var/lib/libvirt, /var/log/libvirt,
# /var/cache/libvirt and hostname, then starts virtlogd, libvirtd and sshd. The daemons keep
# the namespaces alive after this script exits.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
h=$1
S="$STATE/$h"

mount --bind "$S/run" /run
# The lab user's login shell on this host (lib.sh LAB_SHELL): an overlay on /etc whose only own
# file is passwd (host-make.sh says why not a file bind mount). Before /etc/libvirt's mount.
if [[ -d $S/etc-upper ]]; then
  mount -t overlay "vd-etc-$h" -o "lowerdir=/etc,upperdir=$S/etc-upper,workdir=$S/etc-work" /etc
fi
mount --bind "$S/etc-libvirt" /etc/libvirt
mount --bind "$S/lib" /var/lib/libvirt
mount --bind "$S/log" /var/log/libvirt
mount --bind "$S/cache" /var/cache/libvirt
hostname "$h"
# The lab runs QEMU under TCG. Where /dev/kvm exists but is root-only (no udev) or broken,
# libvirt probes QEMU with KVM, then finds KVM unusable for the qemu user, declares its
# capability cache outdated and re-probes QEMU on nearly every API call (~4 s each). Hiding
# the device in the host's own mount namespace gives libvirt one consistent answer: no KVM.
if [[ -e /dev/kvm ]]; then
  : > "$S/no-kvm"; chmod 000 "$S/no-kvm"
  mount --bind "$S/no-kvm" /dev/kvm
fi
mkdir -p /run/sshd /run/libvirt /run/lock
chmod 1777 /run/lock   # virsh console: libvirtd locks the pty in /var/lock (-> /run/lock)
chmod 755 /run /run/sshd

# virsh started on a terminal (e.g. `ssh -t host virsh console vm`) launches polkit's
# pkttyagent, which prints "Authorization not available. Check if polkit service is running…"
# into the terminal when there is no system D-Bus, as in these namespaces. The socket's group
# authorises here anyway, so the host gets a silent agent in its own mount namespace.
if [[ -e /usr/bin/pkttyagent ]]; then
  mount --bind /bin/true /usr/bin/pkttyagent
fi

# The daemons outlive this script: they must not inherit any descriptor of the caller beyond
# 0-2, above all the fd of `flock /tmp/lab.lock`, or the shared lab lock stays taken for as long
# as the host runs.
for fd in /proc/$$/fd/*; do
  n=${fd##*/}
  if ((n > 2)); then eval "exec $n>&-" 2>/dev/null || true; fi
done
# A clean environment: nothing of the caller's (PATH with pyenv, etc.) leaks into the host.
clean=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root)
"${clean[@]}" /usr/sbin/virtlogd -d </dev/null >/dev/null 2>&1
"${clean[@]}" /usr/sbin/libvirtd -d </dev/null >/dev/null 2>&1
"${clean[@]}" /usr/sbin/sshd -f "$S/ssh/sshd_config" -E "$S/sshd.log" </dev/null >/dev/null 2>&1
