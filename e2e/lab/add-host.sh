#!/bin/bash
# Usage: bash e2e/lab/add-host.sh hvN [--shell PATH] [--locale LOCALE]   (N >= 5, as root)
# Adds one extra host to the RUNNING lab, made exactly as up.sh makes hv1–hv3 (host-make.sh),
# with its own profile: the lab user's login shell there and the locale of its sessions. The
# other hosts are not touched; the host joins ssh_config and known_hosts, gets the default
# pool, and is removed by down.sh with the rest. Idempotent: an extra host already up with the
# same profile is left as it is. Run under `flock /tmp/lab.lock` (the lab is shared).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
source "$HERE/host-make.sh"
[[ $(id -u) == 0 ]] || die "run as root"
h=${1:-}; shift || true
[[ $h =~ ^hv([5-9])$ ]] || die "usage: $0 hvN [--shell PATH] [--locale LOCALE] with N from 5 to 9"
shell=/bin/bash locale=
while (($#)); do
  case $1 in
    --shell) shell=$2; shift 2 ;;
    --locale) locale=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[[ -s $STATE/ssh_config ]] || die "the lab is not up: run npm run lab:up first"
[[ -x $shell ]] || die "$shell is not installed"
[[ -z $locale ]] || ensure_locale "$locale"
want=$(printf 'shell=%s\nlocale=%s\n' "$shell" "$locale")
if host_pid "$h" >/dev/null && [[ $(cat "$STATE/$h/extra" 2>/dev/null) == "$want" ]] &&
  [[ $(bash "$HERE/in-host.sh" "$h" getent passwd "$LAB_USER" | cut -d: -f7) == "$shell" ]]; then
  log "$h is already up ($shell${locale:+, $locale})"
  exit 0
fi
# Up with another profile (or a lost one): made again from scratch.
[[ -e $STATE/$h/extra ]] && lab_remove_host "$h"
host_pid "$h" >/dev/null && die "$h is up but not an extra host of add-host.sh; pick another name"
ip=$(host_ip "$h")
ip -o addr show | grep -q " inet $ip/" && die "$ip is already configured on an interface of this machine"
lab_remove_host "$h"
mkdir -p "$STATE/$h"
echo "$want" > "$STATE/$h/extra"
[[ -s $CACHE/keys/${h}_host_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C "$h" -f "$CACHE/keys/${h}_host_ed25519"
lab_make_host "$h"
# A host added again must not leave its old entry (or old key) behind.
sed -i "/^$h /d;/^$ip /d" "$STATE/known_hosts"
awk -v h="$h" '/^Host /{skip = ($2 == h)} !skip' "$STATE/ssh_config" > "$STATE/ssh_config.new" && mv "$STATE/ssh_config.new" "$STATE/ssh_config"
lab_client_entry "$h"
lab_wait_host "$h"
bash "$HERE/vm.sh" "$h" -q pool-define-as default dir --target /var/lib/libvirt/images >/dev/null
bash "$HERE/vm.sh" "$h" -q pool-autostart default >/dev/null
bash "$HERE/vm.sh" "$h" -q pool-start default >/dev/null
out=$(ssh -F "$STATE/ssh_config" -o BatchMode=yes -o ConnectTimeout=5 "$h" virsh -c qemu:///system version) || die "ssh $h virsh failed"
log "$h is up at $ip ($shell${locale:+, $locale}): ${out//$'\n'/ | }"
