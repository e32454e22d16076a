# shellcheck shell=bash
# shellcheck disable=SC2034  # the names are used by the scripts that source this file
# Shared names for the lab scripts (sourced by up.sh, down.sh, vm.sh, in-host.sh).

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE="$LAB_DIR/state"        # per-run: wiped by down.sh
CACHE="$LAB_DIR/cache"        # survives down.sh: guest kernel/initrd, stable SSH keys

LAB_HOSTS=(hv1 hv2 hv3)
# hv4 sits behind hv1: its only link is a veth into hv1's namespace, so it is reachable only
# through hv1 (ProxyJump). From this machine its address is a blackhole route.
LAB_JUMP_HOST=hv4
LAB_JUMP_VIA=hv1
LAB_ALL_HOSTS=("${LAB_HOSTS[@]}" "$LAB_JUMP_HOST")
# Per-host profile of the lab user's SSH sessions; a host not named here gets bash and no locale.
# A login shell that is not POSIX (fish: \' escapes inside single quotes; tcsh: ! expands inside
# them) proves no command line depends on the login shell; a German locale with libvirt's
# translations proves the app reads no translated words.
declare -A LAB_SHELL=([hv1]=/usr/bin/fish [hv4]=/usr/bin/tcsh)
declare -A LAB_LOCALE=([hv3]=de_DE.UTF-8)
# Extra hosts (add-host.sh: hv5 and up, into a running lab) join every script's host list;
# their profile is kept in their own state dir. down.sh removes them with the rest.
# `fresh` and `fresh2` (fresh.sh: servers not prepared yet) join them while they are up.
for _f in fresh fresh2; do [[ -d $STATE/$_f/repo ]] && LAB_ALL_HOSTS+=("$_f"); done
for _extra in "$STATE"/hv*/extra; do
  [[ -e $_extra ]] && LAB_ALL_HOSTS+=("$(basename "$(dirname "$_extra")")")
done
unset _extra
LAB_USER=virtdeck
LAB_PASSWORD=virtdeck-lab
# Address the root namespace uses towards the lab (one /32 on each root-side veth). Not .1/.2:
# on some machines (this one) eth0 itself lives in 192.0.2.0/24 with the gateway at .1.
LAB_ROOT_IP=192.0.2.10

# The host keys every lab sshd offers: ed25519 first (the type the lab's known_hosts records),
# then ECDSA and RSA, so a client that knows a host only by an older key type can be tested.
LAB_HOST_KEY_TYPES=(ed25519 ecdsa rsa)
# The port of the certificate-only sshd (ssh-ca.sh) beside a host's own sshd on 22.
LAB_CA_PORT=2222

# Host keys of $1 from the cache (made once, stable across runs) into the host's ssh folder.
install_host_keys() {
  local h=$1 t
  mkdir -p "$CACHE/keys" "$STATE/$h/ssh"
  for t in "${LAB_HOST_KEY_TYPES[@]}"; do
    [[ -s $CACHE/keys/${h}_host_$t ]] || ssh-keygen -q -t "$t" -N '' -C "$h" -f "$CACHE/keys/${h}_host_$t"
    install -m 600 "$CACHE/keys/${h}_host_$t" "$STATE/$h/ssh/ssh_host_${t}_key"
    install -m 644 "$CACHE/keys/${h}_host_$t.pub" "$STATE/$h/ssh/ssh_host_${t}_key.pub"
  done
}

# The sshd_config HostKey lines of $1, in the order sshd offers them.
host_key_lines() {
  local t
  for t in "${LAB_HOST_KEY_TYPES[@]}"; do echo "HostKey $STATE/$1/ssh/ssh_host_${t}_key"; done
}

host_ip() {                                       # hv1 -> 192.0.2.11
  case $1 in fresh) echo 192.0.2.21 ;; fresh2) echo 192.0.2.22 ;; *) echo "192.0.2.1${1#hv}" ;; esac
}
host_shell() { # $1 = host -> the lab user's login shell there
  local f="$STATE/$1/extra"
  if [[ -r $f ]]; then sed -n 's/^shell=//p' "$f"; else echo "${LAB_SHELL[$1]:-/bin/bash}"; fi
}
host_locale() { # $1 = host -> the locale sshd gives its sessions (empty: none)
  local f="$STATE/$1/extra"
  if [[ -r $f ]]; then sed -n 's/^locale=//p' "$f"; else echo "${LAB_LOCALE[$1]:-}"; fi
}
host_veth() { echo "vd-$1"; }                    # root-side end of the host's veth pair
# The bridge the fresh servers' veths join in the root namespace: it holds LAB_ROOT_IP and their
# routes from the lab's start, so making a fresh server anew mid-run adds no address here.
LAB_FRESH_BRIDGE=vd-freshbr

# Every link the lab makes in the root namespace: no IPv6 link-local address. The kernel would
# add one about two seconds after the link comes up, and Chromium (the e2e browser, in this
# namespace) takes any address change for a network change: it fails the requests in flight
# with ERR_NETWORK_CHANGED, e.g. a page load just after a spec made a host.
lab_no_ipv6_autoconf() { ip link set "$1" addrgenmode none; }

log() { printf '[lab %5.1fs] %s\n' "$(lab_elapsed)" "$*"; }
die() { printf '[lab] ERROR: %s\n' "$*" >&2; exit 1; }
LAB_T0=${LAB_T0:-$(date +%s.%N)}
lab_elapsed() { awk -v a="$LAB_T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

# PID of the host's libvirtd (it lives in the host's net+mount+uts namespaces); empty if down.
host_pid() {
  local f="$STATE/$1/run/libvirtd.pid" pid
  [[ -r $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ && -d /proc/$pid ]] || return 1
  # Guard against a recycled PID: it must be libvirtd and sit in the lab's netns.
  [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == */libvirtd ]] || return 1
  echo "$pid"
}

# PID of a process that holds the host's namespaces: its libvirtd, else its sshd (so a host
# whose libvirtd is stopped on purpose can still be entered, e.g. to start it again).
host_ns_pid() {
  local f="$STATE/$1/run/sshd.pid" pid
  host_pid "$1" && return 0
  [[ -r $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ && $(readlink "/proc/$pid/exe" 2>/dev/null) == */sshd ]] || return 1
  echo "$pid"
}

# The migration network: a bridge in the root namespace (no address of its own) joining these
# hosts on TEST-NET-2, so QEMU and libvirt can talk host to host as a live migration needs.
# Hosts not named here (hv4 behind hv1, hv5 and other extra hosts) get no link to it: a
# cold move is the only way onto them.
LAB_MIG_HOSTS=(hv1 hv2 hv3)
LAB_MIG_BRIDGE=vd-mig
mig_ip() { echo "198.51.100.1${1#hv}"; }         # hv2 -> 198.51.100.12
mig_veth() { echo "vm-$1"; }                     # root-side end of the host's migration veth
