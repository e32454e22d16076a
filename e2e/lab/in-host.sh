#!/bin/bash
# Usage: bash e2e/lab/in-host.sh hvN <command> [args…]
# Runs a command as root inside lab host hvN: its network, mount (/run, /etc/libvirt,
# /var/lib/libvirt, …) and UTS namespaces, entered through the host's libvirtd (or its sshd while libvirtd is stopped).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $# -ge 2 ]] || { echo "usage: $0 hvN <command> [args…]" >&2; exit 2; }
h=$1; shift
[[ " ${LAB_ALL_HOSTS[*]} " == *" $h "* ]] || die "unknown lab host '$h' (expected one of ${LAB_ALL_HOSTS[*]})"
pid=$(host_ns_pid "$h") || die "lab host $h is not running (no libvirtd, no sshd); run: npm run lab:up"
exec nsenter -t "$pid" -m -n -u -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root "$@"
