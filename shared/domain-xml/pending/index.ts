// What waits for the next boot: the running config compared with the next-boot config, device by
// device and part by part, each without the runtime-only state its module states (RUNTIME in
// devices/<kind>.ts and parts/<part>.ts). A started, unchanged VM has nothing pending; a real
// change shows exactly its device, with that device's running-vs-next-boot diff.

import type { Element } from '@xmldom/xmldom';
import { DEVICE_TAGS, type DeviceTag, devicesOf, findDomain } from '../domain';
import { CHARDEV_RUNTIME } from '../devices/chardev';
import { DISK_RUNTIME } from '../devices/disk';
import { FILESYSTEM_RUNTIME } from '../devices/filesystem';
import { GRAPHICS_RUNTIME } from '../devices/graphics';
import { NIC_RUNTIME } from '../devices/nic';
import { TPM_RUNTIME } from '../devices/tpm';
import { BOOT_RUNTIME } from '../parts/boot';
import { CPU_RUNTIME } from '../parts/cpu';
import { MEMORY_RUNTIME } from '../parts/memory';
import { type DiffLine, diffLines } from '../xml/diff';
import { XmlDoc, elements } from '../xml/xml-doc';
import { type Canon, canon, formatCanon, normalizePair } from './compare';
import { DEVICE_RUNTIME, type RuntimeState } from './runtime';

export { DEVICE_RUNTIME, type RuntimeState } from './runtime';

/** Each device kind's runtime-only state beyond every device's alias and address. */
const DEVICE_RULES: Partial<Record<DeviceTag, RuntimeState>> = {
  disk: DISK_RUNTIME,
  interface: NIC_RUNTIME,
  serial: CHARDEV_RUNTIME,
  console: CHARDEV_RUNTIME,
  channel: CHARDEV_RUNTIME,
  parallel: CHARDEV_RUNTIME,
  graphics: GRAPHICS_RUNTIME,
  tpm: TPM_RUNTIME,
  filesystem: FILESYSTEM_RUNTIME,
};

/** The domain's parts: which top-level elements each groups (the device list's General entries). */
export const DOMAIN_PARTS = {
  cpu: ['vcpu', 'vcpus', 'cpu', 'cputune', 'iothreads', 'iothreadids'],
  memory: ['memory', 'maxMemory', 'currentMemory', 'memoryBacking', 'memtune', 'numatune'],
  boot: ['os', 'bootloader', 'bootloader_args'],
} as const;
export type DomainPart = keyof typeof DOMAIN_PARTS | 'overview';

/** The state of the domain itself that only a running VM has (its id is an attribute of <domain>). */
const DOMAIN_RUNTIME: RuntimeState = {
  runtime: ['seclabel/label', 'seclabel/imagelabel', 'clock@adjustment', 'clock@basis'],
  resolved: ['resource', 'seclabel'],
};
const PART_RULES: Record<DomainPart, RuntimeState> = { cpu: CPU_RUNTIME, memory: MEMORY_RUNTIME, boot: BOOT_RUNTIME, overview: DOMAIN_RUNTIME };

export interface PendingItem {
  /** 'cpu' | 'memory' | 'boot' | 'overview', or `${deviceTag}:${position}` in the next-boot config. */
  key: string;
  /** A device the running VM has and the next boot will not (key: its position in the running config). */
  removed: boolean;
  /** This element's running (−) vs next-boot (+) config, canonical, with the runtime-only state out. */
  diff: DiffLine[];
}

function partOf(tag: string): DomainPart {
  for (const [part, tags] of Object.entries(DOMAIN_PARTS)) if ((tags as readonly string[]).includes(tag)) return part as DomainPart;
  return 'overview';
}

function group(domain: Element, part: DomainPart): { raw: Element[]; canon: Canon } {
  const raw = elements(domain).filter((e) => e.nodeName !== 'devices' && partOf(e.nodeName) === part);
  return { raw, canon: { name: 'domain', attrs: new Map(), text: '', children: raw.map(canon) } };
}

/** One element pair compared; null when equal after normalizing. */
function compare(a: Canon, b: Canon, rules: readonly RuntimeState[], rawA: Element | null, rawB: Element | null): DiffLine[] | null {
  if (rawA && rawB) normalizePair(a, b, rules, rawA, rawB);
  const x = formatCanon(a);
  const y = formatCanon(b);
  if (x.join('\n') === y.join('\n')) return null;
  return diffLines(x.join('\n'), y.join('\n'));
}

const EMPTY: Canon = { name: '', attrs: new Map(), text: '', children: [] };
const side = (c: Canon | null, other: Canon) => c ?? { ...EMPTY, name: other.name };

/** Everything that waits for the next boot, entry by entry; [] when the VM does not run. */
export function pendingChanges(liveXml: string | null, nextXml: string): PendingItem[] {
  if (!liveXml) return [];
  const live = findDomain(new XmlDoc(liveXml));
  const next = findDomain(new XmlDoc(nextXml));
  const out: PendingItem[] = [];
  for (const part of ['overview', 'cpu', 'memory', 'boot'] as const) {
    const a = group(live, part);
    const b = group(next, part);
    // The parts' rules name their top-level elements, so they apply to the group as a whole.
    const d = compare(a.canon, b.canon, [PART_RULES[part]], live, next);
    if (d) out.push({ key: part, removed: false, diff: d.filter((l) => l.line !== '<domain>' && l.line !== '</domain>') });
  }
  const tags = new Set<string>([...DEVICE_TAGS, ...deviceTagsOf(live), ...deviceTagsOf(next)]);
  for (const tag of tags) {
    const a = devicesOf(live) ? elements(devicesOf(live)!, tag) : [];
    const b = devicesOf(next) ? elements(devicesOf(next)!, tag) : [];
    const rules = [DEVICE_RUNTIME, DEVICE_RULES[tag as DeviceTag] ?? {}];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const ca = a[i] ? canon(a[i]!) : null;
      const cb = b[i] ? canon(b[i]!) : null;
      const d = compare(side(ca, cb ?? EMPTY), side(cb, ca ?? EMPTY), rules, a[i] ?? null, b[i] ?? null);
      if (d) out.push({ key: `${tag}:${i}`, removed: !b[i], diff: d.filter((l) => l.line !== `<${tag}/>` || (a[i] && b[i])) });
    }
  }
  return out;
}

function deviceTagsOf(domain: Element): string[] {
  const d = devicesOf(domain);
  return d ? elements(d).map((e) => e.nodeName) : [];
}

/** The whole running-vs-next-boot diff: every pending entry's diff in turn; [] when nothing waits. */
export function pendingDiff(items: readonly PendingItem[]): DiffLine[] {
  return items.flatMap((i) => i.diff);
}
