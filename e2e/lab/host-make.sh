# shellcheck shell=bash
# Making one lab host, sourced by up.sh (every host) and add-host.sh (one extra host into a
# running lab): its state dirs, libvirt config, sshd, namespaces and daemons, its profile (the
# lab user's login shell and session locale) and its client-side SSH entries.

libvirt_conf() { # $1 = host, appended to the host's own copy of libvirtd.conf
  cat <<CONF

# --- VirtDeck lab ($1): no D-Bus/polkit in the namespace, so the socket's group authorises.
unix_sock_group = "libvirt"
unix_sock_rw_perms = "0770"
unix_sock_ro_perms = "0777"
auth_unix_rw = "none"
auth_unix_ro = "none"
# Distinct host UUIDs, as three real machines would have (all share this machine's SMBIOS).
host_uuid = "5ad0c0de-0000-4000-8000-00000000001${1#hv}"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
}

skel_copy() { # $1 -> $2: the directory tree only, keeping modes and owners
  local m u g p
  (cd "$1" && find . -type d -printf '%m %u %g %p\n') | while read -r m u g p; do
    install -d -m "$m" -o "$u" -g "$g" "$2/$p"
  done
}

# The host's profile: the lab user's login shell there and the locale sshd sets for its
# sessions; `profile` records both for the e2e specs, which pick hosts by it. /etc is shared by
# all hosts, so the shell comes from a per-host overlay on /etc holding only its own passwd
# (host-boot.sh). Not a bind mount of the file: when anything on this machine rewrites
# /etc/passwd (useradd renames a new file over it), the kernel drops such file mounts in
# every namespace, and the host would silently fall back to bash.
host_profile_files() { # $1 = host
  local h=$1 S="$STATE/$1" shell locale
  shell=$(host_shell "$h") locale=$(host_locale "$h")
  printf 'shell=%s\nlocale=%s\n' "$shell" "$locale" > "$S/profile"
  rm -rf "$S/etc-upper" "$S/etc-work"
  if [[ $shell != /bin/bash ]]; then
    [[ -x $shell ]] || die "$h: login shell $shell is not installed"
    mkdir -p "$S/etc-upper" "$S/etc-work"
    awk -F: -v OFS=: -v u="$LAB_USER" -v s="$shell" '$1 == u { $7 = s } { print }' /etc/passwd > "$S/etc-upper/passwd"
    chmod 644 "$S/etc-upper/passwd"
  fi
}

# Stop an extra host (add-host.sh) and remove its namespace, link and state; others untouched.
lab_remove_host() { # $1 = host
  local h=$1 pids
  pids=$(ip netns pids "$h" 2>/dev/null || true)
  # shellcheck disable=SC2086
  if [[ -n $pids ]]; then kill -TERM $pids 2>/dev/null || true; sleep 1; kill -KILL $pids 2>/dev/null || true; fi
  ip route del "$(host_ip "$h")/32" 2>/dev/null || true
  ip link del "$(host_veth "$h")" 2>/dev/null || true
  if ip netns list | grep -qE "^$h( |$)"; then ip netns del "$h"; fi
  rm -rf "${STATE:?}/$h"
}

host_setenv() { # $1 = host: the sshd_config line giving its sessions their locale, if any
  local locale; locale=$(host_locale "$1")
  [[ -n $locale ]] && echo "SetEnv LANG=$locale LC_MESSAGES=$locale"
  true
}

# A locale for host sessions, with libvirt's translations (Debian's libvirt-l10n).
ensure_locale() { # $1 = locale, e.g. de_DE.UTF-8
  local l=$1 norm
  norm=$(sed 's/UTF-8$/utf8/' <<< "$l")
  locale -a 2>/dev/null | grep -qx "$norm" && return 0
  grep -q "^# *$l " /etc/locale.gen && sed -i "s/^# *\($l .*\)/\1/" /etc/locale.gen
  grep -q "^$l " /etc/locale.gen || echo "$l ${l##*.}" >> /etc/locale.gen
  locale-gen >/dev/null
}

# The sshd_config lines every lab host's sshd starts with: address, host keys, pid file, auth.
sshd_common() { # $1 = host, $2 = address
  cat <<CONF
ListenAddress $2
Port 22
$(host_key_lines "$1")
PidFile /run/sshd.pid
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin no
CONF
}

# A veth from the root namespace into host $1's, with /32 routes both ways.
lab_root_link() { # $1 = host, $2 = its address, $3 = root-side veth
  ip link add "$3" type veth peer name eth0 netns "$1"
  lab_no_ipv6_autoconf "$3"
  ip addr add "$LAB_ROOT_IP/32" dev "$3"
  ip link set "$3" up
  lab_host_side "$1" "$2"
  ip route add "$2/32" dev "$3" src "$LAB_ROOT_IP"
}

# Inside host $1: its address $2 on eth0, and the route back to this machine.
lab_host_side() {
  ip -n "$1" addr add "$2/32" dev eth0
  ip -n "$1" link set eth0 up
  ip -n "$1" route add "$LAB_ROOT_IP/32" dev eth0
}

lab_make_host() { # $1 = host
  local h=$1 S ip veth via via_ip
  S="$STATE/$h"
  ip=$(host_ip "$h")
  veth=$(host_veth "$h")
  mkdir -p "$S"/{run,ssh,xml}
  host_profile_files "$h"
  # The host's config starts as this machine's /etc/libvirt minus any domains/pools/autostart
  # links defined there; the data dirs start as empty copies of the real tree (same modes).
  cp -a /etc/libvirt "$S/etc-libvirt"
  rm -rf "$S/etc-libvirt/qemu/"*.xml "$S/etc-libvirt/qemu/autostart" "$S/etc-libvirt/storage"
  skel_copy /var/lib/libvirt "$S/lib"
  skel_copy /var/log/libvirt "$S/log"
  skel_copy /var/cache/libvirt "$S/cache"
  libvirt_conf "$h" >> "$S/etc-libvirt/libvirtd.conf"
  # No per-VM /dev namespace: libvirt would try to move the host's /dev/kvm bind mount (see
  # host-boot.sh) into it and fail: "Unable to move …kvm mount to /dev/kvm: Invalid argument".
  printf '\n# --- VirtDeck lab\nnamespaces = [ ]\n' >> "$S/etc-libvirt/qemu.conf"
  # Seed QEMU's capability cache (probing QEMU takes seconds per host); libvirt revalidates it.
  if [[ -d $CACHE/qemu-caps ]]; then
    mkdir -p "$S/cache/qemu/capabilities"
    cp -a "$CACHE/qemu-caps/." "$S/cache/qemu/capabilities/"
  fi
  mkdir -p "$S/lib/boot" "$S/lib/images"
  cp --sparse=always "$CACHE/guest/kernel" "$S/lib/boot/virtdeck-kernel"; chmod 644 "$S/lib/boot/virtdeck-kernel"
  install -m 644 "$CACHE/guest/initrd.img" "$S/lib/boot/virtdeck-initrd.img"

  install_host_keys "$h"
  cat > "$S/ssh/sshd_config" <<CONF
# sshd of lab host $h (started by e2e/lab/host-boot.sh inside the host's namespaces)
$(sshd_common "$h" "$ip")
AllowTcpForwarding yes
X11Forwarding no
PrintMotd no
PrintLastLog no
UseDNS no
AcceptEnv LANG LC_*
$(host_setenv "$h")
Subsystem sftp /usr/lib/openssh/sftp-server
CONF

  ip netns add "$h"
  ip -n "$h" link set lo up
  if [[ $h == "$LAB_JUMP_HOST" ]]; then
    via=$LAB_JUMP_VIA via_ip=$(host_ip "$LAB_JUMP_VIA")
    ip -n "$via" link add "$veth" type veth peer name eth0 netns "$h"
    ip -n "$via" link set "$veth" up
    ip -n "$h" addr add "$ip/32" dev eth0
    ip -n "$h" link set eth0 up
    ip -n "$h" route add "$via_ip/32" dev eth0
    ip -n "$via" route add "$ip/32" dev "$veth" src "$via_ip"
    # Not reachable from here, and nothing for it may leave through this machine's own network.
    ip route replace blackhole "$ip/32"
  else
    lab_root_link "$h" "$ip" "$veth"
  fi
  ip -n "$h" link add br-lan type bridge
  ip -n "$h" link set br-lan up

  ip netns exec "$h" unshare --mount --uts --propagation private bash "$LAB_DIR/host-boot.sh" "$h"
}

# The host in the client-side ssh_config and known_hosts the app and the tests use.
lab_client_entry() { # $1 = host
  local h=$1 ip kt kb
  ip=$(host_ip "$h")
  read -r kt kb _ < "$STATE/$h/ssh/ssh_host_ed25519_key.pub"
  echo "$ip $kt $kb" >> "$STATE/known_hosts"
  echo "$h $kt $kb" >> "$STATE/known_hosts"
  cat >> "$STATE/ssh_config" <<CONF
Host $h
  HostName $ip
  Port 22
  User $LAB_USER
  IdentityFile $STATE/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $STATE/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
$([[ $h == "$LAB_JUMP_HOST" ]] && echo "  ProxyJump $LAB_JUMP_VIA")

CONF
}

wait_for() { # $1 = what, $2 = timeout seconds, rest = command
  local what=$1 t=$2 i; shift 2
  for ((i = 0; i < t * 10; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "$what did not come up within ${t}s"
}

lab_wait_host() { # $1 = host
  local h=$1
  wait_for "$h virtlogd socket" 20 test -S "$STATE/$h/run/libvirt/virtlogd-sock"
  wait_for "$h libvirtd socket" 20 test -S "$STATE/$h/run/libvirt/libvirt-sock"
  wait_for "$h sshd" 20 ip netns exec "$h" timeout 1 bash -c "exec 3<>/dev/tcp/$(host_ip "$h")/22"
}
