#!/bin/bash
# Usage: bash e2e/lab/ssh-ca.sh [hvN]   (as root; idempotent, for a running host; hv2 by default)
# The organisation-style SSH login: a user CA (its keys cached in $CACHE/keys/user_ca*, stable
# across runs) and on host hvN a second sshd on port $LAB_CA_PORT that trusts that CA
# (TrustedUserCAKeys) and reads no authorized_keys at all, so only a certificate signed by the
# CA logs in. The host's own sshd on port 22 is untouched. Tests sign their keys with
# $STATE/ca/user_ca (ssh-keygen -s).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
[[ $(id -u) == 0 ]] || die "run as root"
h=${1:-hv2}
S="$STATE/$h"
mkdir -p "$CACHE/keys" "$STATE/ca"
[[ -s $CACHE/keys/user_ca ]] || ssh-keygen -q -t ed25519 -N '' -C 'VirtDeck lab user CA' -f "$CACHE/keys/user_ca"
install -m 600 "$CACHE/keys/user_ca" "$STATE/ca/user_ca"
install -m 644 "$CACHE/keys/user_ca.pub" "$STATE/ca/user_ca.pub"

cat > "$S/ssh/sshd_config-ca" <<CONF
# sshd of lab host $h for certificate logins only (started by e2e/lab/ssh-ca.sh)
ListenAddress $(host_ip "$h")
Port $LAB_CA_PORT
$(host_key_lines "$h")
PidFile /run/sshd-ca.pid
UsePAM no
TrustedUserCAKeys $STATE/ca/user_ca.pub
AuthorizedKeysFile none
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
PrintMotd no
PrintLastLog no
UseDNS no
CONF

pid=$(bash "$HERE/in-host.sh" "$h" cat /run/sshd-ca.pid 2>/dev/null || true)
if [[ -n $pid ]] && bash "$HERE/in-host.sh" "$h" kill -0 "$pid" 2>/dev/null; then
  log "$h: certificate sshd already on port $LAB_CA_PORT"
  exit 0
fi
# The daemon must not inherit the caller's descriptors beyond 0-2 (the lab lock's above all).
(
  for fd in /proc/$BASHPID/fd/*; do n=${fd##*/}; ((n > 2)) && eval "exec $n>&-" 2>/dev/null || true; done
  bash "$HERE/in-host.sh" "$h" /usr/sbin/sshd -f "$S/ssh/sshd_config-ca" -E "$S/sshd-ca.log" </dev/null >/dev/null 2>&1
)
for ((i = 0; i < 100; i++)); do
  ip netns exec "$h" timeout 1 bash -c "exec 3<>/dev/tcp/$(host_ip "$h")/$LAB_CA_PORT" 2>/dev/null && break
  sleep 0.2
done
((i < 100)) || die "$h: the certificate sshd does not answer (see $S/sshd-ca.log)"
log "$h: certificate-only sshd on port $LAB_CA_PORT (user CA $STATE/ca/user_ca.pub)"
