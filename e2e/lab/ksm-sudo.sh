#!/bin/bash
# Usage: bash e2e/lab/ksm-sudo.sh [hvN]   (as root; idempotent; hv3 by default)
# Lets the lab user turn KSM on/off and set its scan rate on hvN, as an admin's sudo rule would:
# `tee` on exactly /sys/kernel/mm/ksm/{run,pages_to_scan,sleep_millisecs}, on hvN only (sudo
# matches the host's own hostname). The other hosts get no rule, so the app says why it cannot.
# KSM is the machine's one kernel's: tuning.spec puts back the values it found.
# Removed by down.sh (virtdeck-lab-*).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
[[ $(id -u) == 0 ]] || die "run as root"
h=${1:-hv3}
k=/sys/kernel/mm/ksm
rule=/etc/sudoers.d/virtdeck-lab-ksm-$h
cat > "$rule.new" <<RULE
# VirtDeck lab (e2e/lab/ksm-sudo.sh): on $h only, the lab user may write KSM's run and scan rate.
$LAB_USER $h = (root) NOPASSWD: /usr/bin/tee $k/run, /usr/bin/tee $k/pages_to_scan, /usr/bin/tee $k/sleep_millisecs
RULE
chmod 440 "$rule.new"
visudo -cqf "$rule.new" || die "the lab's KSM sudoers rule does not parse: $rule.new"
mv -f "$rule.new" "$rule"
log "$h: sudo rule $rule (KSM run, pages_to_scan, sleep_millisecs)"
