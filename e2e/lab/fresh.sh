#!/bin/bash
# Usage: bash e2e/lab/fresh.sh up [--repo-without PKG]   (as root; makes `fresh` anew each time)
#        bash e2e/lab/fresh.sh repo [--without PKG]      (the package source's contents, host kept)
#        bash e2e/lab/fresh.sh down
# A server that is not a hypervisor yet, for the Prepare flow: host `fresh` at 192.0.2.21 in its
# own network + mount + UTS namespaces, running only sshd. Its login user `freshadm` (password
# below) is not in the libvirt group, has no authorized key, and may use sudo with its password.
# libvirt's binaries are there (they are this machine's) but no libvirtd or virtlogd runs.
#
# Copy-on-write: /etc, /usr and /var are overlays on this machine's own, their changes kept in
# $STATE/fresh/*-upper, so apt, useradd/usermod and update-rc.d inside `fresh` change only
# `fresh` (its own passwd, group, shadow, sudoers, dpkg database). Its apt source is only a local
# file-based repository ($STATE/fresh/repo: bridge-utils, vlan and sysfsutils, downloaded once into the
# cache); `--without PKG` leaves one out, so installing it fails for real with apt's own message.
# No systemd here: the stand-in service manager is Debian's own `service` running small init
# scripts in /etc/init.d (libvirtd, virtlogd) that start the daemons inside this namespace, and
# update-rc.d's rc?.d links say whether they are enabled. KSM's /sys/kernel/mm/ksm/run is a file
# of its own there, so turning KSM on in `fresh` leaves this machine's KSM as it is.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
source "$HERE/host-make.sh"
[[ $(id -u) == 0 ]] || die "run as root"
# FRESH_HOST=fresh2: a second such server (192.0.2.22), e.g. for the exported playbook to prepare.
h=${FRESH_HOST:-fresh}
[[ $h == fresh || $h == fresh2 ]] || die "FRESH_HOST is fresh or fresh2"
S="$STATE/$h"
fresh_ip() { host_ip "$h"; }
FRESH_USER=freshadm
FRESH_PASSWORD=fresh-lab-pw
FRESH_UID=2721
# sysfsutils (and its library): what keeps KSM on at boot on a host without systemd.
REPO_PKGS=(bridge-utils vlan sysfsutils libsysfs2 pci.ids)

fresh_down() {
  local pids
  pids=$(ip netns pids "$h" 2>/dev/null || true)
  # shellcheck disable=SC2086
  if [[ -n $pids ]]; then
    kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 30); do [[ -z $(ip netns pids "$h" 2>/dev/null) ]] && break; sleep 0.1; done
    pids=$(ip netns pids "$h" 2>/dev/null || true)
    [[ -n $pids ]] && kill -KILL $pids 2>/dev/null || true
  fi
  ip link del "$(host_veth "$h")" 2>/dev/null || true
  if ip netns list | grep -qE "^$h( |$)"; then ip netns del "$h"; fi
  rm -rf "${STATE:?}/$h"
  if [[ -s $STATE/known_hosts ]]; then sed -i "/^$h /d;/^$(fresh_ip) /d" "$STATE/known_hosts"; fi
  if [[ -s $STATE/ssh_config ]]; then
    awk -v h="$h" '/^Host /{skip = ($2 == h)} !skip' "$STATE/ssh_config" > "$STATE/ssh_config.new" && mv "$STATE/ssh_config.new" "$STATE/ssh_config"
  fi
}

# The package source: the cached .debs, minus the one left out, with a Packages index.
fresh_repo() { # [$1 = package to leave out]
  local p deb
  mkdir -p "$CACHE/fresh-repo"
  for p in "${REPO_PKGS[@]}"; do
    compgen -G "$CACHE/fresh-repo/${p}_*.deb" >/dev/null || (cd "$CACHE/fresh-repo" && apt-get download -q "$p" 2>&1 >/dev/null | { grep -v "^W: Download is performed unsandboxed" >&2 || true; })
  done
  rm -rf "$S/repo.new"; mkdir -p "$S/repo.new"
  for p in "${REPO_PKGS[@]}"; do
    [[ $p == "${1:-}" ]] && continue
    for deb in "$CACHE/fresh-repo/${p}"_*.deb; do cp "$deb" "$S/repo.new/"; done
  done
  (cd "$S/repo.new" && dpkg-scanpackages -m . 2>/dev/null > Packages)
  rm -rf "$S/repo"; mv "$S/repo.new" "$S/repo"
  chmod -R a+rX "$S/repo"
}

# The root side: a port on LAB_FRESH_BRIDGE (made once, with the address and both servers'
# routes), so that making a server anew changes only links here, never an address.
fresh_link() { # $1 = address, $2 = root-side veth
  local b=$LAB_FRESH_BRIDGE f
  if ! ip link show "$b" >/dev/null 2>&1; then
    ip link add "$b" type bridge
    lab_no_ipv6_autoconf "$b"
    ip addr add "$LAB_ROOT_IP/32" dev "$b"
    ip link set "$b" up
    for f in fresh fresh2; do ip route replace "$(host_ip "$f")/32" dev "$b" src "$LAB_ROOT_IP"; done
  fi
  ip link add "$2" type veth peer name eth0 netns "$h"
  lab_no_ipv6_autoconf "$2"
  ip link set "$2" master "$b" up
  lab_host_side "$h" "$1"
}

fresh_up() { # [$1 = package to leave out of the source]
  local ip veth t
  fresh_down
  ip=$(fresh_ip) veth=$(host_veth "$h")
  mkdir -p "$S"/{run,ssh,home,apt-lists/partial,etc-upper,etc-work,usr-upper,usr-work,var-upper,var-work}
  fresh_repo "${1:-}"
  cp -a /etc/libvirt "$S/etc-libvirt"
  rm -rf "$S/etc-libvirt/qemu/"*.xml "$S/etc-libvirt/qemu/autostart" "$S/etc-libvirt/storage" "$S/etc-libvirt/qemu/networks"
  skel_copy /var/lib/libvirt "$S/lib"
  skel_copy /var/log/libvirt "$S/log"
  skel_copy /var/cache/libvirt "$S/cache"
  # Like every lab host: no D-Bus/polkit in the namespace, so the socket's group authorises.
  cat >> "$S/etc-libvirt/libvirtd.conf" <<CONF

# --- VirtDeck lab (fresh): no D-Bus/polkit in the namespace, so the socket's group authorises.
unix_sock_group = "libvirt"
unix_sock_rw_perms = "0770"
unix_sock_ro_perms = "0777"
auth_unix_rw = "none"
auth_unix_ro = "none"
host_uuid = "5ad0c0de-0000-4000-8000-0000000000${ip##*.}"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
  printf '\n# --- VirtDeck lab\nnamespaces = [ ]\n' >> "$S/etc-libvirt/qemu.conf"
  if [[ -d $CACHE/qemu-caps ]]; then
    mkdir -p "$S/cache/qemu/capabilities"
    cp -a "$CACHE/qemu-caps/." "$S/cache/qemu/capabilities/"
  fi
  echo 0 > "$S/ksm-run"
  install_host_keys "$h"
  # Password and key are both accepted (the key must work once Prepare installed it); the user
  # has no authorized key, so the first login is by password.
  cat > "$S/ssh/sshd_config" <<CONF
# sshd of lab host $h (e2e/lab/fresh.sh)
$(sshd_common "$h" "$ip")
AllowUsers $FRESH_USER
PrintMotd no
PrintLastLog no
UseDNS no
LogLevel VERBOSE
Subsystem sftp /usr/lib/openssh/sftp-server
CONF
  ip netns add "$h"
  ip -n "$h" link set lo up
  fresh_link "$ip" "$veth"
  ip netns exec "$h" unshare --mount --uts --propagation private bash "$HERE/fresh-boot.sh" \
    "$S" "$FRESH_USER" "$FRESH_PASSWORD" "$FRESH_UID" "$h"
  # The client side: password login as freshadm, the lab's key offered first (refused until Prepare).
  local kt kb
  read -r kt kb _ < "$S/ssh/ssh_host_ed25519_key.pub"
  { echo "$ip $kt $kb"; echo "$h $kt $kb"; } >> "$STATE/known_hosts"
  cat >> "$STATE/ssh_config" <<CONF
Host $h
  HostName $ip
  Port 22
  User $FRESH_USER
  IdentityFile $STATE/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $STATE/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes

CONF
  for t in $(seq 100); do
    ip netns exec "$h" timeout 1 bash -c "exec 3<>/dev/tcp/$ip/22" 2>/dev/null && break
    ((t < 100)) || die "$h sshd did not come up"
    sleep 0.1
  done
  log "$h is up at $ip (user $FRESH_USER, sshd only${1:+, package source without $1})"
}

case ${1:-} in
  up)
    [[ -s $STATE/ssh_config ]] || die "the lab is not up: run npm run lab:up first"
    without=
    [[ ${2:-} == --repo-without ]] && without=${3:?package}
    fresh_up "$without" ;;
  repo)
    [[ -d $S ]] || die "$h is not up"
    without=
    [[ ${2:-} == --without ]] && without=${3:?package}
    fresh_repo "$without"; log "$h: package source holds $(grep -c '^Package:' "$S/repo/Packages") packages" ;;
  down) fresh_down ;;
  *) echo "usage: $0 up [--repo-without PKG] | repo [--without PKG] | down" >&2; exit 2 ;;
esac
