// Lookups shared by the readers and the edits of every module: where things live in a libvirt domain.

import type { Element } from '@xmldom/xmldom';
import { type XmlDoc, ELEMENT_NODE, attr, child, elements } from './xml/xml-doc';
import type { DeviceAddress } from './types';

export const LIBOSINFO_NS = 'http://libosinfo.org/xmlns/libvirt/domain/1.0';
export const QEMU_NS = 'http://libvirt.org/schemas/domain/qemu/1.0';

/** libvirt's order of <domain> children; new top-level elements go where libvirt would put them. */
export const DOMAIN_ORDER = [
  'name', 'uuid', 'genid', 'title', 'description', 'metadata', 'maxMemory', 'memory', 'currentMemory',
  'blkiotune', 'memtune', 'memoryBacking', 'vcpu', 'vcpus', 'iothreads', 'iothreadids', 'cputune',
  'numatune', 'resource', 'sysinfo', 'bootloader', 'bootloader_args', 'os', 'idmap', 'features', 'cpu',
  'clock', 'on_poweroff', 'on_reboot', 'on_crash', 'on_lockfailure', 'pm', 'perf', 'devices', 'seclabel',
] as const;

/** Device elements that may appear in <devices>, in libvirt's order. */
export const DEVICE_TAGS = [
  'emulator', 'disk', 'controller', 'lease', 'filesystem', 'interface', 'smartcard', 'serial', 'parallel',
  'console', 'channel', 'input', 'tpm', 'graphics', 'sound', 'audio', 'video', 'hostdev', 'redirdev',
  'redirfilter', 'hub', 'watchdog', 'memballoon', 'rng', 'panic', 'shmem', 'memory', 'iommu', 'vsock',
  'crypto', 'pstore', 'nvram',
] as const;
export type DeviceTag = (typeof DEVICE_TAGS)[number];

export function isDeviceTag(s: string): s is DeviceTag {
  return (DEVICE_TAGS as readonly string[]).includes(s);
}

/** The <domain> element: the root, or the one inside a <domainsnapshot>. */
export function findDomain(xd: XmlDoc): Element {
  const root = xd.root;
  if (root.nodeName === 'domain') return root;
  const nested = root.getElementsByTagName('domain').item(0);
  if (nested) return nested;
  throw new Error(`not a libvirt domain: the root element is <${root.nodeName}>, expected <domain>`);
}

export function devicesOf(domain: Element): Element | null {
  return child(domain, 'devices');
}

/** The device elements of one kind, in document order. */
export function devicesOfKind(domain: Element, tag: string): Element[] {
  const devices = devicesOf(domain);
  return devices ? elements(devices, tag) : [];
}

/** The index-th device of a kind, with an error that says how many there are. */
export function nthDevice(domain: Element, tag: string, index: number): Element {
  const list = devicesOfKind(domain, tag);
  if (!Number.isInteger(index) || index < 0 || index >= list.length) {
    throw new Error(`no <${tag}> at index ${index} (the domain has ${list.length})`);
  }
  return list[index]!;
}

// ---- numbers -----------------------------------------------------------------------------

/** libvirt's scaled-integer units in bytes (domain and storage XML alike). */
export const UNIT_BYTES: Record<string, number> = {
  b: 1, bytes: 1,
  kb: 1e3, k: 1024, kib: 1024,
  mb: 1e6, m: 1024 ** 2, mib: 1024 ** 2,
  gb: 1e9, g: 1024 ** 3, gib: 1024 ** 3,
  tb: 1e12, t: 1024 ** 4, tib: 1024 ** 4,
  pb: 1e15, p: 1024 ** 5, pib: 1024 ** 5,
  eb: 1e18, e: 1024 ** 6, eib: 1024 ** 6,
};

/** A libvirt scaled integer (<memory unit='GiB'>4</memory>) in KiB; the default unit is KiB. */
export function toKiB(el: Element | null): number | null {
  if (!el) return null;
  const n = Number((el.textContent ?? '').trim());
  if (!Number.isFinite(n)) return null;
  const unit = (attr(el, 'unit') ?? 'KiB').toLowerCase();
  const bytes = UNIT_BYTES[unit];
  return bytes === undefined ? null : Math.round((n * bytes) / 1024);
}

export function intOrNull(s: string | null): number | null {
  if (s === null || s.trim() === '') return null;
  const n = Number(s.trim());
  return Number.isFinite(n) ? n : null;
}

export function isElement(n: unknown): n is Element {
  return typeof n === 'object' && n !== null && (n as { nodeType?: number }).nodeType === ELEMENT_NODE;
}

// ---- reading -------------------------------------------------------------------------------

export function addressOf(el: Element): DeviceAddress | null {
  const a = child(el, 'address');
  if (!a) return null;
  const out: DeviceAddress = {};
  for (let i = 0; i < a.attributes.length; i++) {
    const at = a.attributes.item(i)!;
    out[at.name] = at.value;
  }
  return out;
}

export function bootOrder(el: Element): number | null {
  return intOrNull(attr(child(el, 'boot'), 'order'));
}

export function yesNo(s: string | null): boolean | null {
  return s === null ? null : s === 'yes' || s === 'on';
}
