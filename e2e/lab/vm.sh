#!/bin/bash
# Usage: bash e2e/lab/vm.sh hvN <virsh args…>
# Runs `virsh -c qemu:///system <args>` as root on lab host hvN (inside its namespaces), so a
# test can act on a hypervisor from outside the app, e.g.
#   bash e2e/lab/vm.sh hv2 domstate desk-1
#   bash e2e/lab/vm.sh hv1 define /dev/stdin < dom.xml
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
[[ $# -ge 2 ]] || { echo "usage: $0 hvN <virsh args…>" >&2; exit 2; }
h=$1; shift
exec bash "$here/in-host.sh" "$h" virsh -c qemu:///system "$@"
