#!/bin/bash
# Brings up the VirtDeck test lab: three libvirt/QEMU hypervisors hv1–hv3 on this machine, each
# in its own network + mount + UTS namespace with sshd, libvirtd and virtlogd, reachable at
# 192.0.2.11–13 as user "virtdeck" (key in state/id_ed25519, password "virtdeck-lab").
# Idempotent: tears down any previous lab first. Run as root: bash e2e/lab/up.sh
set -euo pipefail
LAB_T0=$(date +%s.%N); export LAB_T0
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
[[ $(id -u) == 0 ]] || die "run as root (the lab creates namespaces, a user and daemons)"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export LANG=C.UTF-8

# ---------------------------------------------------------------- packages
PKGS=(qemu-system-x86 qemu-utils libvirt-daemon-system libvirt-clients openssh-server
      openssh-client busybox-static libxml2-utils iproute2 cpio kmod dnsmasq-base gzip xz-utils
      virtinst ovmf swtpm swtpm-tools)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# ---------------------------------------------------------------- clean slate
bash "$HERE/down.sh"
for h in "${LAB_HOSTS[@]}"; do
  ip=$(host_ip "$h")
  if ip -o addr show | grep -v " $(host_veth "$h") " | grep -q " inet $ip/"; then
    die "$ip is already configured on an interface of this machine; the lab needs it"
  fi
done

# ---------------------------------------------------------------- guest kernel + initramfs
bash "$HERE/guest/build.sh"

# ---------------------------------------------------------------- keys (stable across runs)
mkdir -p "$CACHE/keys" "$STATE"
chmod 700 "$CACHE/keys"
[[ -s $CACHE/keys/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C "virtdeck-lab-client" -f "$CACHE/keys/id_ed25519"
for h in "${LAB_ALL_HOSTS[@]}"; do
  [[ -s $CACHE/keys/${h}_host_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C "$h" -f "$CACHE/keys/${h}_host_ed25519"
done
install -m 600 "$CACHE/keys/id_ed25519" "$STATE/id_ed25519"
install -m 644 "$CACHE/keys/id_ed25519.pub" "$STATE/id_ed25519.pub"

# ---------------------------------------------------------------- the SSH user
getent group libvirt >/dev/null || groupadd --system libvirt
if ! id "$LAB_USER" >/dev/null 2>&1; then
  useradd --no-create-home --home-dir "/home/$LAB_USER" --shell /bin/bash --groups libvirt "$LAB_USER"
fi
usermod --shell /bin/bash --append --groups libvirt "$LAB_USER"
echo "$LAB_USER:$LAB_PASSWORD" | chpasswd
UHOME=$(getent passwd "$LAB_USER" | cut -d: -f6)
# An empty home: no rc files, so every exec over SSH starts fast (bash reads ~/.bashrc for
# commands run by sshd; /etc/bash.bashrc returns early when non-interactive).
mkdir -p "$UHOME/.ssh"
rm -f "$UHOME/.bashrc" "$UHOME/.profile" "$UHOME/.bash_profile" "$UHOME/.bash_login"
install -m 600 "$CACHE/keys/id_ed25519.pub" "$UHOME/.ssh/authorized_keys"
chown -R "$LAB_USER:$LAB_USER" "$UHOME"
chmod 755 "$UHOME"; chmod 700 "$UHOME/.ssh"

# ---------------------------------------------------------------- per-host state + namespaces
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

for h in "${LAB_ALL_HOSTS[@]}"; do
  S="$STATE/$h"
  ip=$(host_ip "$h")
  veth=$(host_veth "$h")
  mkdir -p "$S"/{run,ssh,xml}
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

  install -m 600 "$CACHE/keys/${h}_host_ed25519" "$S/ssh/ssh_host_ed25519_key"
  install -m 644 "$CACHE/keys/${h}_host_ed25519.pub" "$S/ssh/ssh_host_ed25519_key.pub"
  cat > "$S/ssh/sshd_config" <<CONF
# sshd of lab host $h (started by e2e/lab/host-boot.sh inside the host's namespaces)
ListenAddress $ip
Port 22
HostKey $S/ssh/ssh_host_ed25519_key
PidFile /run/sshd.pid
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin no
AllowTcpForwarding yes
X11Forwarding no
PrintMotd no
PrintLastLog no
UseDNS no
AcceptEnv LANG LC_*
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
    ip link add "$veth" type veth peer name eth0 netns "$h"
    ip addr add "$LAB_ROOT_IP/32" dev "$veth"
    ip link set "$veth" up
    ip -n "$h" addr add "$ip/32" dev eth0
    ip -n "$h" link set eth0 up
    ip -n "$h" route add "$LAB_ROOT_IP/32" dev eth0
    ip route add "$ip/32" dev "$veth" src "$LAB_ROOT_IP"
  fi
  ip -n "$h" link add br-lan type bridge
  ip -n "$h" link set br-lan up

  ip netns exec "$h" unshare --mount --uts --propagation private bash "$HERE/host-boot.sh" "$h"
done
log "namespaces and daemons started"

# ---------------------------------------------------------------- client-side SSH files
: > "$STATE/known_hosts"
: > "$STATE/ssh_config"
for h in "${LAB_ALL_HOSTS[@]}"; do
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
done

# ---------------------------------------------------------------- wait for the daemons
wait_for() { # $1 = what, $2 = timeout seconds, rest = command
  local what=$1 t=$2 i; shift 2
  for ((i = 0; i < t * 10; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "$what did not come up within ${t}s"
}
for h in "${LAB_ALL_HOSTS[@]}"; do
  wait_for "$h virtlogd socket" 20 test -S "$STATE/$h/run/libvirt/virtlogd-sock"
  wait_for "$h libvirtd socket" 20 test -S "$STATE/$h/run/libvirt/libvirt-sock"
  wait_for "$h sshd" 20 ip netns exec "$h" timeout 1 bash -c "exec 3<>/dev/tcp/$(host_ip "$h")/22"
done
log "libvirtd and sshd answer on all hosts"

# ---------------------------------------------------------------- provision each host
render() { # $1 = template, $2 = name, $3 = mac -> XML on stdout
  sed -e "s|@NAME@|$2|g" -e "s|@MAC@|$3|g" "$HERE/guests/$1.xml"
}
provision() {
  local h=$1
  vsh() { log "$h: virsh $*" >&2; bash "$HERE/vm.sh" "$h" -q "$@"; }
  vsh pool-define-as default dir --target /var/lib/libvirt/images >/dev/null
  vsh pool-autostart default >/dev/null
  vsh pool-start default >/dev/null
  local spec name tpl mac
  for spec in $(vms_of "$h"); do
    IFS=: read -r name tpl mac <<< "$spec"
    vsh vol-create-as default "$name.qcow2" 16M --format qcow2 >/dev/null
    render "$tpl" "$name" "$mac" > "$STATE/$h/xml/$name.xml"
    vsh define "$STATE/$h/xml/$name.xml" >/dev/null
  done
  if [[ $h == hv2 ]]; then vsh start desk-1 >/dev/null; fi
}
vms_of() { # name:template:mac
  case $1 in
    hv1) echo legacy-a:legacy:52:54:00:d0:01:01 legacy-b:legacy:52:54:00:d0:01:02 ;;
    hv2) echo desk-1:desk:52:54:00:d0:02:01 desk-2:desk:52:54:00:d0:02:02 ;;
    hv3) echo tuned-1:tuned:52:54:00:d0:03:01 ;;
    hv4) echo far-1:tuned:52:54:00:d0:04:01 ;;
  esac
}
pids=()
for h in "${LAB_ALL_HOSTS[@]}"; do
  provision "$h" > "$STATE/$h/provision.log" 2>&1 &
  pids+=($!)
done
fail=0
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "--- provisioning ${LAB_ALL_HOSTS[$i]} failed:" >&2
    cat "$STATE/${LAB_ALL_HOSTS[$i]}/provision.log" >&2
    fail=1
  fi
done
((fail == 0)) || die "provisioning failed"
log "pools, bridges and VMs defined"
# VMs exactly as virt-install defines them (one host: hv3).
bash "$HERE/real-world.sh" hv3 > "$STATE/hv3/real-world.log" 2>&1 || { cat "$STATE/hv3/real-world.log" >&2; die "real-world VMs on hv3 failed"; }
log "real-world VMs defined on hv3"

# Keep QEMU's probed capabilities for the next run (libvirt re-probes if QEMU changed).
if compgen -G "$STATE/hv1/cache/qemu/capabilities/*.xml" >/dev/null; then
  rm -rf "$CACHE/qemu-caps"; mkdir -p "$CACHE/qemu-caps"
  cp -a "$STATE/hv1/cache/qemu/capabilities/." "$CACHE/qemu-caps/"
fi

# ---------------------------------------------------------------- checks, as the app will connect
for h in "${LAB_ALL_HOSTS[@]}"; do
  out=$(ssh -F "$STATE/ssh_config" -o BatchMode=yes -o ConnectTimeout=5 "$h" virsh -c qemu:///system list --all --name) \
    || die "ssh $h virsh list failed"
  log "$h (ssh as $LAB_USER): ${out//$'\n'/ }"
done
[[ $(bash "$HERE/vm.sh" hv2 domstate desk-1 | head -n1) == running ]] || die "hv2 desk-1 is not running"

log "lab is up"
echo "ssh config: $STATE/ssh_config"
