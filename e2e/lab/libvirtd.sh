#!/bin/bash
# Usage: bash e2e/lab/libvirtd.sh hvN stop|kill|start|freeze|thaw|status
# Stops or starts lab host hvN's libvirtd alone (sshd, virtlogd and running QEMU processes stay),
# as an admin would to see how a client copes with a hypervisor whose libvirt is down:
#   stop   SIGTERM, as `pkill -x libvirtd`; waits until it has exited
#   kill   SIGKILL (leaves its socket file behind: clients then get "Connection refused")
#   start  starts it again exactly as host-boot.sh does (same config, clean environment) and
#          waits until it answers; does nothing when it is already running (but thaws it)
#   freeze SIGSTOP: a hung daemon (its socket accepts, nothing answers) until thaw (SIGCONT)
#   status exit 0 when running
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $# -eq 2 ]] || { echo "usage: $0 hvN stop|kill|start|freeze|thaw|status" >&2; exit 2; }
h=$1; action=$2
[[ " ${LAB_ALL_HOSTS[*]} " == *" $h "* ]] || die "unknown lab host '$h' (expected one of ${LAB_ALL_HOSTS[*]})"

wait_gone() { # $1 = pid
  local i
  for ((i = 0; i < 100; i++)); do [[ -d /proc/$1 ]] || return 0; sleep 0.1; done
  return 1
}

case $action in
  status) host_pid "$h" >/dev/null ;;
  stop | kill)
    pid=$(host_pid "$h") || exit 0
    if [[ $action == kill ]]; then kill -KILL "$pid"; else kill -TERM "$pid"; fi
    wait_gone "$pid" || { kill -KILL "$pid" 2>/dev/null || true; wait_gone "$pid"; }
    ;;
  freeze | thaw)
    pid=$(host_pid "$h") || die "libvirtd on $h is not running"
    if [[ $action == freeze ]]; then kill -STOP "$pid"; else kill -CONT "$pid"; fi
    ;;
  start)
    if pid=$(host_pid "$h"); then kill -CONT "$pid"; exit 0; fi
    ns=$(host_ns_pid "$h") || die "lab host $h is not running (no sshd); run: npm run lab:up"
    # Same environment and options as host-boot.sh; a stale pid file from `kill` is replaced.
    nsenter -t "$ns" -m -n -u -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root \
      /usr/sbin/libvirtd -d </dev/null >/dev/null 2>&1
    for ((i = 0; i < 200; i++)); do
      if host_pid "$h" >/dev/null && bash "$LAB_DIR/vm.sh" "$h" uri >/dev/null 2>&1; then exit 0; fi
      sleep 0.1
    done
    die "libvirtd on $h did not answer within 20 s"
    ;;
  *) echo "usage: $0 hvN stop|kill|start|freeze|thaw|status" >&2; exit 2 ;;
esac
