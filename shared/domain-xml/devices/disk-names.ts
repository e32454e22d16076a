// Disk layout and names: libvirt's order of <disk> children, the target name a bus expects (vda,
// sdb, hdc…) and the controller libvirt attaches a disk to. Shared by the disk, disk-bus and
// controller modules.

import type { Element } from '@xmldom/xmldom';
import { devicesOfKind, intOrNull } from '../domain';
import { attr, child } from '../xml/xml-doc';

/** libvirt's order of <disk> children. */
export const DISK_ORDER = [
  'driver', 'source', 'backingStore', 'backenddomain', 'geometry', 'blockio', 'target', 'iotune', 'readonly',
  'shareable', 'transient', 'serial', 'wwn', 'vendor', 'product', 'encryption', 'boot', 'alias', 'address',
] as const;

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
  const matches = disks.filter((d) => diskTarget(d) === target);
  // Two disks with one target name: libvirt refuses such a definition at its next define, and an
  // edit of "the first" may change the wrong one. Say so instead of guessing.
  if (matches.length > 1) throw new Error(`${matches.length} disks have target '${target}': the edit is ambiguous; give the disks distinct targets in the XML first`);
  const disk = matches[0];
  if (!disk) {
    const known = disks.map(diskTarget).filter((t) => t !== null);
    throw new Error(`no disk with target '${target}' (disks: ${known.length ? known.join(', ') : 'none'})`);
  }
  return disk;
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

