// Checks of a domain's next definition against the host it runs on, before anything is written:
// memory above the host's total is refused (no guest can ever get it), above its free memory is a
// warning (overcommit, allowed when the person says so); more vCPUs than the host has CPUs is a
// warning; a MAC address another VM on the same host already uses is refused, naming that VM (two
// NICs with one MAC on one network break both); one used on another connected host is a warning
// (a later migration or clone would collide). Only what the change raises or adds is checked, so
// an existing VM that already overcommits can still get an unrelated edit.
import type { DomainView } from './types';

export interface HostLimits {
  /** The host's name as the person knows it. */
  label: string;
  cpus?: number;
  memoryKiB?: number;
  memoryFreeKiB?: number;
}

/** A MAC address in use by some other VM. */
export interface MacUse {
  mac: string;
  vm: string;
  host: string;
  sameHost: boolean;
}

export interface InputVerdict {
  refusals: string[];
  warnings: string[];
}

/** Memory in the editor's unit (MiB), with GiB beside it from 1 GiB on: "65536 MiB (64 GiB)". */
export function formatMemory(kib: number): string {
  const mib = kib / 1024;
  const m = Number.isInteger(mib) ? `${mib} MiB` : `${mib.toFixed(1)} MiB`;
  if (mib < 1024) return m;
  const gib = mib / 1024;
  return `${m} (${Number.isInteger(gib) ? gib : gib.toFixed(1)} GiB)`;
}

const macsOf = (v: DomainView) => new Set(v.interfaces.map((i) => i.mac?.toLowerCase()).filter((m): m is string => !!m));

/** MAC addresses the change adds (set on a NIC or brought by a new one). */
export function addedMacs(before: DomainView, after: DomainView): string[] {
  const had = macsOf(before);
  return [...macsOf(after)].filter((m) => !had.has(m));
}

export function checkAgainstHost(before: DomainView, after: DomainView, host: HostLimits, macUses: readonly MacUse[] = []): InputVerdict {
  const refusals: string[] = [];
  const warnings: string[] = [];
  const mem = (v: DomainView) => Math.max(v.memory.maxKiB ?? 0, v.memory.currentKiB ?? 0);
  const wanted = mem(after);
  if (wanted > mem(before) && host.memoryKiB) {
    if (wanted > host.memoryKiB) {
      refusals.push(`${formatMemory(wanted)} of memory is more than ${host.label} has in all: ${formatMemory(host.memoryKiB)}.`);
    } else if (host.memoryFreeKiB !== undefined && wanted > host.memoryFreeKiB) {
      warnings.push(`${formatMemory(wanted)} of memory is more than ${host.label} has free now (${formatMemory(host.memoryFreeKiB)} of ${formatMemory(host.memoryKiB)}): the guest may not start, or the host may swap.`);
    }
  }
  const vcpus = (v: DomainView) => Math.max(v.vcpus.max ?? 0, v.vcpus.current ?? 0);
  if (vcpus(after) > vcpus(before) && host.cpus && vcpus(after) > host.cpus) {
    warnings.push(`${vcpus(after)} vCPUs is more than the ${host.cpus} CPUs of ${host.label}: the vCPUs will share CPUs and run slower.`);
  }
  for (const mac of addedMacs(before, after)) {
    for (const use of macUses.filter((u) => u.mac.toLowerCase() === mac)) {
      if (use.sameHost) refusals.push(`The MAC address ${mac} is already used by the VM ${use.vm} on ${use.host}.`);
      else warnings.push(`The MAC address ${mac} is also used by the VM ${use.vm} on ${use.host}: a migration or clone between the hosts would collide.`);
    }
  }
  return { refusals, warnings };
}
