// The host's truth for the input checks (shared/domain-xml/host-limits.ts): its CPUs and memory
// (capabilities XML, per-cell freecell), and the MAC addresses the other VMs use, on this host
// and on every other connected one. Read only when the change raises memory or vCPUs or adds a
// MAC, so an ordinary edit costs nothing extra.
import { addedMacs, checkAgainstHost, readDomain, type MacUse } from '../../../shared/domain-xml/index.js';
import { hostCapacity } from './host-facts.js';
import type { VirshRunner } from './domain-editor.js';

export interface CheckedHost {
  label: string;
  virsh: VirshRunner;
  /** The VMs the inventory knows there. */
  vmNames: string[];
}

/** The MAC addresses of one VM (its running XML when running, else the config), lower case;
 *  none when it cannot be read (just undefined). */
export async function vmMacs(virsh: VirshRunner, vm: string): Promise<string[]> {
  const out = await virsh.run(['dumpxml', '--domain', vm, '--xpath', '/domain/devices/interface/mac/@address']).catch(() => '');
  return [...out.matchAll(/address="([^"]+)"/g)].map((m) => m[1]!.toLowerCase());
}

/** MAC addresses of the VMs on one host. */
async function macUses(host: CheckedHost, sameHost: boolean, except: string | undefined, wanted: Set<string>): Promise<MacUse[]> {
  const names = host.vmNames.filter((n) => n !== except);
  const lists = await Promise.all(names.map(async (vm) => (await vmMacs(host.virsh, vm)).map((mac) => ({ mac, vm, host: host.label, sameHost }))));
  return lists.flat().filter((u) => wanted.has(u.mac));
}

/** Refusals and warnings for defining `afterXml` over `beforeXml` for VM `name` on `host`. */
export async function checkInput(host: CheckedHost, others: CheckedHost[], name: string, beforeXml: string, afterXml: string) {
  const before = readDomain(beforeXml);
  const after = readDomain(afterXml);
  const raises =
    Math.max(after.memory.maxKiB ?? 0, after.memory.currentKiB ?? 0) > Math.max(before.memory.maxKiB ?? 0, before.memory.currentKiB ?? 0) ||
    Math.max(after.vcpus.max ?? 0, after.vcpus.current ?? 0) > Math.max(before.vcpus.max ?? 0, before.vcpus.current ?? 0);
  const macs = new Set(addedMacs(before, after));
  const [capacity, uses] = await Promise.all([
    raises ? hostCapacity(host.virsh).catch(() => ({})) : Promise.resolve({}),
    macs.size ? Promise.all([macUses(host, true, name, macs), ...others.map((o) => macUses(o, false, undefined, macs))]).then((l) => l.flat()) : Promise.resolve([]),
  ]);
  return checkAgainstHost(before, after, { label: host.label, ...capacity }, uses);
}
