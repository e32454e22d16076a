// Lookups shared by the reader and the edits: where things live in a libvirt domain.

import type { Element } from '@xmldom/xmldom';
import { type XmlDoc, ELEMENT_NODE, attr, child, elements } from './xml-doc';

export const LIBOSINFO_NS = 'http://libosinfo.org/xmlns/libvirt/domain/1.0';
export const QEMU_NS = 'http://libvirt.org/schemas/domain/qemu/1.0';

/** libvirt's order of <domain> children; new top-level elements go where libvirt would put them. */
export const DOMAIN_ORDER = [
  'name', 'uuid', 'genid', 'title', 'description', 'metadata', 'maxMemory', 'memory', 'currentMemory',
  'blkiotune', 'memtune', 'memoryBacking', 'vcpu', 'vcpus', 'iothreads', 'iothreadids', 'cputune',
  'numatune', 'resource', 'sysinfo', 'bootloader', 'bootloader_args', 'os', 'idmap', 'features', 'cpu',
  'clock', 'on_poweroff', 'on_reboot', 'on_crash', 'on_lockfailure', 'pm', 'perf', 'devices', 'seclabel',
] as const;

export const OS_ORDER = [
  'type', 'firmware', 'loader', 'nvram', 'kernel', 'initrd', 'cmdline', 'dtb', 'acpi', 'boot', 'bootmenu', 'smbios', 'bios',
] as const;

export const CPU_ORDER = ['model', 'vendor', 'topology', 'cache', 'maxphysaddr', 'feature', 'numa'] as const;

export const DISK_ORDER = [
  'driver', 'source', 'backingStore', 'backenddomain', 'geometry', 'blockio', 'target', 'iotune', 'readonly',
  'shareable', 'transient', 'serial', 'wwn', 'vendor', 'product', 'encryption', 'boot', 'alias', 'address',
] as const;

export const INTERFACE_ORDER = [
  'mac', 'source', 'virtualport', 'ip', 'route', 'script', 'downscript', 'backend', 'target', 'guest', 'model',
  'driver', 'filterref', 'tune', 'teaming', 'link', 'mtu', 'coalesce', 'boot', 'rom', 'alias', 'address',
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

export function diskTarget(disk: Element): string | null {
  return attr(child(disk, 'target'), 'dev');
}

export function diskBus(disk: Element): string | null {
  return attr(child(disk, 'target'), 'bus');
}

export function diskDevice(disk: Element): string {
  return attr(disk, 'device') ?? 'disk';
}

export function findDisk(domain: Element, target: string): Element {
  const disks = devicesOfKind(domain, 'disk');
  const disk = disks.find((d) => diskTarget(d) === target);
  if (!disk) {
    const known = disks.map(diskTarget).filter((t) => t !== null);
    throw new Error(`no disk with target '${target}' (disks: ${known.length ? known.join(', ') : 'none'})`);
  }
  return disk;
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

const UNIT_BYTES: Record<string, number> = {
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

// ---- disk names -----------------------------------------------------------------------------

/** Target name prefix libvirt expects for a bus. */
export function prefixForBus(bus: string): string {
  if (bus === 'virtio') return 'vd';
  if (bus === 'ide') return 'hd';
  if (bus === 'fdc') return 'fd';
  if (bus === 'xen') return 'xvd';
  return 'sd'; // scsi, sata, usb
}

/** 0 -> a, 25 -> z, 26 -> aa … (libvirt's virDiskNameParse numbering). */
export function diskLetters(idx: number): string {
  let s = '';
  let n = idx;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

/** Inverse of diskLetters for a full name like 'sdab'; null if it does not match the prefix. */
export function diskIndex(name: string, prefix: string): number | null {
  if (!name.startsWith(prefix)) return null;
  const m = /^([a-z]+)\d*$/.exec(name.slice(prefix.length));
  if (!m) return null;
  let idx = 0;
  for (const ch of m[1]!) idx = idx * 26 + (ch.charCodeAt(0) - 96);
  return idx - 1;
}

// ---- which controller a disk sits on -------------------------------------------------------

const BUS_CONTROLLER: Record<string, string> = { ide: 'ide', sata: 'sata', scsi: 'scsi', usb: 'usb', fdc: 'fdc' };

/**
 * The (type, index) of the controller a disk is attached to: from its drive/usb address, else the
 * way libvirt assigns one from the target name (virDomainDiskDefAssignAddress for QEMU: ide 4
 * units per controller, sata 6, scsi 7). Null for buses without a controller (virtio, xen).
 */
export function diskController(disk: Element): { type: string; index: number } | null {
  const bus = diskBus(disk);
  const type = bus ? BUS_CONTROLLER[bus] : undefined;
  if (!type) return null;
  const address = child(disk, 'address');
  const addrType = attr(address, 'type');
  if (addrType === 'drive') return { type, index: intOrNull(attr(address, 'controller')) ?? 0 };
  if (addrType === 'usb') return { type, index: intOrNull(attr(address, 'bus')) ?? 0 };
  const name = diskTarget(disk);
  const idx = name ? diskIndex(name, prefixForBus(bus!)) : null;
  const perController: Record<string, number> = { ide: 4, sata: 6, scsi: 7 };
  const per = perController[type];
  return { type, index: per && idx !== null ? Math.floor(idx / per) : 0 };
}

export function isElement(n: unknown): n is Element {
  return typeof n === 'object' && n !== null && (n as { nodeType?: number }).nodeType === ELEMENT_NODE;
}
