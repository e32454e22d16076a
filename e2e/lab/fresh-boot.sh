#!/bin/bash
# Runs inside `ip netns exec fresh unshare --mount --uts --propagation private`, called by
# fresh.sh: gives `fresh` copy-on-write /etc, /usr and /var (overlays on this machine's), its
# own /run, /home, libvirt folders, apt lists and KSM switch, its login user, sudo rule, apt source
# and stand-in init scripts; then starts sshd alone.
set -euo pipefail
S=$1 user=$2 password=$3 uid=$4 name=$5

for d in etc usr var; do
  mount -t overlay "vd-$d-fresh" -o "lowerdir=/$d,upperdir=$S/$d-upper,workdir=$S/$d-work" "/$d"
done
mount --bind "$S/run" /run
mount --bind "$S/home" /home
mount --bind "$S/etc-libvirt" /etc/libvirt
mount --bind "$S/lib" /var/lib/libvirt
mount --bind "$S/log" /var/log/libvirt
mount --bind "$S/cache" /var/cache/libvirt
mount --bind "$S/apt-lists" /var/lib/apt/lists
[[ -e /sys/kernel/mm/ksm/run ]] && mount --bind "$S/ksm-run" /sys/kernel/mm/ksm/run
if [[ -e /dev/kvm ]]; then # as on every lab host: QEMU runs TCG, libvirt sees no KVM
  : > "$S/no-kvm"; chmod 000 "$S/no-kvm"
  mount --bind "$S/no-kvm" /dev/kvm
fi
[[ -e /usr/bin/pkttyagent ]] && mount --bind /bin/true /usr/bin/pkttyagent
hostname "$name"
mkdir -p /run/sshd /run/libvirt /run/lock
chmod 1777 /run/lock
chmod 755 /run /run/sshd

# The login user, in fresh's own passwd/group/shadow only; sudo asks for its password.
echo "$name" > /etc/hostname
grep -q " $name\$" /etc/hosts || echo "127.0.1.1 $name" >> /etc/hosts
getent passwd "$user" >/dev/null || useradd --uid "$uid" --create-home --shell /bin/bash "$user"
echo "$user:$password" | chpasswd
rm -f "/home/$user/.bashrc" "/home/$user/.profile" "/home/$user/.bash_logout"
rm -f /etc/sudoers.d/virtdeck-*
cat > /etc/sudoers.d/fresh-admin <<RULE
# $name (VirtDeck lab): the admin may run anything as root after typing its own password.
$user ALL=(ALL:ALL) ALL
RULE
chmod 440 /etc/sudoers.d/fresh-admin

# Its package source: the lab's local repository only.
rm -f /etc/apt/sources.list.d/*
echo "deb [trusted=yes] file:$S/repo ./" > /etc/apt/sources.list

# The stand-in service manager: init scripts `service` runs (no systemd is PID 1 here).
for d in virtlogd libvirtd; do
  cat > "/etc/init.d/$d" <<SCRIPT
#!/bin/sh
### BEGIN INIT INFO
# Provides:          $d
# Required-Start:    \$remote_fs
# Required-Stop:     \$remote_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: $d (VirtDeck lab stand-in: runs it inside this host's namespaces)
### END INIT INFO
PIDFILE=/run/$d.pid
DAEMON=/usr/sbin/$d
case "\$1" in
  start) start-stop-daemon --start --quiet --oknodo --pidfile \$PIDFILE --exec \$DAEMON -- -d </dev/null >/dev/null 2>&1 ;;
  stop) start-stop-daemon --stop --quiet --oknodo --retry 5 --pidfile \$PIDFILE --exec \$DAEMON ;;
  restart) "\$0" stop && "\$0" start ;;
  status) if start-stop-daemon --status --pidfile \$PIDFILE --exec \$DAEMON; then echo "$d is running"; else echo "$d is not running"; exit 3; fi ;;
  *) echo "Usage: \$0 {start|stop|restart|status}" >&2; exit 2 ;;
esac
SCRIPT
  chmod 755 "/etc/init.d/$d"
  rm -f /etc/rc?.d/[SK]??"$d"
done
# Its distribution's template of the `default` network, on a TEST-NET-2 range of its own.
cat > /usr/share/libvirt/networks/default.xml <<'XML'
<network>
  <name>default</name>
  <bridge name='virbr0'/>
  <forward/>
  <ip address='198.51.100.225' netmask='255.255.255.240'>
    <dhcp>
      <range start='198.51.100.226' end='198.51.100.238'/>
    </dhcp>
  </ip>
</network>
XML

for fd in /proc/$$/fd/*; do
  n=${fd##*/}
  if ((n > 2)); then eval "exec $n>&-" 2>/dev/null || true; fi
done
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root \
  /usr/sbin/sshd -f "$S/ssh/sshd_config" -E "$S/sshd.log" </dev/null >/dev/null 2>&1
