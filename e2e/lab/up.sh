#!/bin/bash
# Brings up the VirtDeck test lab: three libvirt/QEMU hypervisors hv1–hv3 on this machine, each
# in its own network + mount + UTS namespace with sshd, libvirtd and virtlogd, reachable at
# 192.0.2.11–13 as user "virtdeck" (key in state/id_ed25519, password "virtdeck-lab").
# Idempotent: tears down any previous lab first. Run as root: bash e2e/lab/up.sh
set -euo pipefail
LAB_T0=$(date +%s.%N); export LAB_T0
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
source "$HERE/host-make.sh"
[[ $(id -u) == 0 ]] || die "run as root (the lab creates namespaces, a user and daemons)"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export LANG=C.UTF-8

# ---------------------------------------------------------------- packages
PKGS=(qemu-system-x86 qemu-utils libvirt-daemon-system libvirt-clients openssh-server
      openssh-client busybox-static libxml2-utils iproute2 cpio kmod dnsmasq-base gzip xz-utils
      fish tcsh locales libvirt-l10n virtinst ovmf swtpm swtpm-tools lvm2
      libvirt-daemon-driver-lxc qemu-system-arm ifupdown sudo isolinux syslinux-common xorriso genisoimage lxc qemu-user-static binfmt-support dpkg-dev)
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

for h in "${!LAB_LOCALE[@]}"; do ensure_locale "${LAB_LOCALE[$h]}"; done

# An emulated TPM: libvirt runs swtpm_setup as tss, which signs the TPM's certificates with the
# local CA in /var/lib/swtpm-localca (shared by every lab host). A swtpm_setup ever run there as
# root leaves that CA root-owned, and every later TPM start fails ("Need read/write rights on
# /var/lib/swtpm-localca/.lock.swtpm-localca for user tss"): give it back to tss.
[[ -d /var/lib/swtpm-localca ]] && chown -R tss:root /var/lib/swtpm-localca
# virtiofs shares: libvirt finds virtiofsd through QEMU's vhost-user description (Debian 12 ships
# it in qemu-system-common, which qemu-system-x86 pulls in).
[[ -x /usr/lib/qemu/virtiofsd ]] || die "virtiofsd missing (/usr/lib/qemu/virtiofsd, package qemu-system-common)"

# ---------------------------------------------------------------- clean slate
bash "$HERE/down.sh"
# down.sh removed any extra host (add-host.sh) too: the lab is the fixed set again.
LAB_ALL_HOSTS=("${LAB_HOSTS[@]}" "$LAB_JUMP_HOST")
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
for h in "${LAB_ALL_HOSTS[@]}"; do
  lab_make_host "$h"
done
log "namespaces and daemons started"

# ---------------------------------------------------------------- client-side SSH files
: > "$STATE/known_hosts"
: > "$STATE/ssh_config"
for h in "${LAB_ALL_HOSTS[@]}"; do lab_client_entry "$h"; done

# ---------------------------------------------------------------- wait for the daemons
for h in "${LAB_ALL_HOSTS[@]}"; do lab_wait_host "$h"; done
log "libvirtd and sshd answer on all hosts"
# hv1–hv3 reach each other on 198.51.100.0/24 for live migration; hv4 and hv5 do not.
bash "$HERE/migration-net.sh"

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
bash "$HERE/spice-vms.sh" > "$STATE/spice-vms.log" 2>&1 || { cat "$STATE/spice-vms.log" >&2; die "SPICE VMs failed"; }
log "SPICE VMs defined on hv3 and hv1"
# A second sshd on hv2 that lets in only certificates signed by the lab's user CA.
bash "$HERE/ssh-ca.sh" hv2
# hv3 keeps its network in ifupdown files the lab user may change through sudo (bridges).
bash "$HERE/host-net-config.sh" hv3
# hv3 also lets the lab user write KSM's run and scan rate through sudo (tuning); the others do not.
bash "$HERE/ksm-sudo.sh" hv3
# hv6: a quiet host made like hv2 (bash, no locale, no VMs of the lab's), for the specs that need
# one host and their own VM on it (ui, qmp): they then run beside hv2's many specs.
bash "$HERE/add-host.sh" hv6 > "$STATE/hv6-add.log" 2>&1 || { cat "$STATE/hv6-add.log" >&2; die "adding hv6 failed"; }
# Install media for the New VM wizard (a bootable ISO of the lab's guest and a qcow2 to import)
# in every host's pool default.
bash "$HERE/install-media.sh" > "$STATE/install-media.log" 2>&1 || { cat "$STATE/install-media.log" >&2; die "install media failed"; }
# A tiny cloud image (the guest with a NoCloud reader) in pool default of every host, for cloud-init.
bash "$HERE/cloud-image.sh" > "$STATE/cloud-image.log" 2>&1 || { cat "$STATE/cloud-image.log" >&2; die "cloud image failed"; }

# The container host: hv5, an extra host (bash, no locale) beside the fixed set, so containers and
# their cgroup mounts touch no other host's specs. Its LXC driver runs box-1 (containers.sh).
bash "$HERE/add-host.sh" hv5 > "$STATE/hv5-add.log" 2>&1 || { cat "$STATE/hv5-add.log" >&2; die "adding hv5 failed"; }
bash "$HERE/containers.sh" hv5
# and the aarch64 guest (Debian arm64 kernel + busybox initramfs, under TCG); its build also
# extracts the arm64 busybox that lxc-tools.sh needs, so it goes first.
bash "$HERE/arm-guest.sh" hv5
# and the LXC tools beside libvirt: containers lxc-box and lxc-arm (aarch64 through qemu-user).
bash "$HERE/lxc-tools.sh" hv5
log "container host hv5 up, with aarch64 VM arm-1"
# A server that is not a hypervisor yet (Prepare): sshd alone, its own user and package source.
bash "$HERE/fresh.sh" up --repo-without vlan

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
