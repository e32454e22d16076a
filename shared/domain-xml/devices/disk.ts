// <disk>: disks, CD-ROMs and floppies. Value lists, the read, and the edits: bus moves (see
// disk-bus.ts), driver tuning, flags, media changes and new disks. A medium change is applied to a
// running VM too (update-device); a new or removed disk is hot-plugged where its bus allows
// (virtio, scsi, usb — not SATA/AHCI or IDE); the rest waits for the next boot.

import type { Element } from '@xmldom/xmldom';
import type { RuntimeState } from '../pending/runtime';
import { addressOf, bootOrder } from '../domain';
import { type Ctx, type Handlers, LIVE, NEXT_BOOT, hotplug, nonEmpty, oneOf, optionalBool, setFlagChild, setTextChild, textOrNull } from '../handler';
import type { DiskSource, DiskView } from '../types';
import { appendDevice } from '../xml/device-xml';
import { attr, child, createEl, elements, placeEl, removeEl, replaceEl, setAttr, text } from '../xml/xml-doc';
import { DISK_BUSES, type DiskBus, setDiskBus } from './disk-bus';
import { DISK_ORDER, diskBus, diskDevice, diskTarget, findDisk } from './disk-names';

export { DISK_BUSES, type DiskBus } from './disk-bus';

export const DISK_CACHES = ['default', 'none', 'writethrough', 'writeback', 'directsync', 'unsafe'] as const;
export const DISK_IOS = ['threads', 'native', 'io_uring'] as const;
export const DISK_DISCARDS = ['unmap', 'ignore'] as const;
export const DISK_DETECT_ZEROES = ['off', 'on', 'unmap'] as const;
/** The image formats a new disk can have (its driver type). */
export const DISK_FORMATS = ['qcow2', 'raw'] as const;
/** What add-disk can add. */
export const NEW_DISK_DEVICES = ['disk', 'cdrom'] as const;
/** Disk buses whose disks QEMU can plug into a running VM (SATA/AHCI and IDE cannot). */
export const HOTPLUG_DISK_BUSES = ['virtio', 'scsi', 'usb'] as const;

export type DiskCache = (typeof DISK_CACHES)[number];
export type DiskIo = (typeof DISK_IOS)[number];
export type DiskDiscard = (typeof DISK_DISCARDS)[number];
export type DiskDetectZeroes = (typeof DISK_DETECT_ZEROES)[number];

/** Where a CD-ROM/floppy's new medium comes from. */
export type MediaSource = { file: string } | { dev: string } | { pool: string; volume: string };

/** Where a new disk's data lives: a storage volume (the usual), a file or a block device. */
export type NewDiskSource = { pool: string; volume: string } | { file: string } | { dev: string };

export interface AddDisk {
  kind: 'add-disk';
  /** disk (default) or cdrom. */
  device?: 'disk' | 'cdrom';
  bus: DiskBus;
  /** null only for an empty CD-ROM. */
  source: NewDiskSource | null;
  /** The image format (driver type); default qcow2 for disks, raw for CD-ROMs. */
  format?: 'qcow2' | 'raw';
}

export type DiskEdit =
  // Moves a disk (by current target dev) to another bus; see disk-bus.ts for the rules.
  | { kind: 'set-disk-bus'; target: string; bus: DiskBus }
  // Sets <driver> cache/io/discard/detect_zeroes; undefined = unchanged, null = removed.
  | {
      kind: 'set-disk-driver';
      target: string;
      cache?: DiskCache | null;
      io?: DiskIo | null;
      discard?: DiskDiscard | null;
      detect_zeroes?: DiskDetectZeroes | null;
    }
  // Sets <readonly/>, <shareable/> (true adds, false removes) and <serial> (null removes); undefined = unchanged.
  | { kind: 'set-disk-flags'; target: string; readonly?: boolean; shareable?: boolean; serial?: string | null }
  // Inserts a new medium into a CD-ROM/floppy, or ejects it with source null.
  | { kind: 'change-media'; target: string; source: MediaSource | null }
  // Adds a disk or CD-ROM on a bus, with a free target name (a scsi disk goes on virtio-scsi).
  | AddDisk;

/** Whether a disk on this bus can be plugged into (or out of) a running VM. */
export function diskHotplugs(d: { bus: string | null } | undefined): boolean {
  return !!d && (HOTPLUG_DISK_BUSES as readonly string[]).includes(d.bus ?? '');
}

export function readDisk(disk: Element, index: number): DiskView {
  const src = child(disk, 'source');
  const driver = child(disk, 'driver');
  const source: DiskSource | null = src
    ? {
        file: attr(src, 'file'),
        dev: attr(src, 'dev'),
        pool: attr(src, 'pool'),
        volume: attr(src, 'volume'),
        protocol: attr(src, 'protocol'),
        name: attr(src, 'name'),
        hosts: elements(src, 'host').map((h) => ({
          name: attr(h, 'name'),
          port: attr(h, 'port'),
          transport: attr(h, 'transport'),
          socket: attr(h, 'socket'),
        })),
      }
    : null;
  return {
    index,
    device: diskDevice(disk),
    type: attr(disk, 'type'),
    bus: diskBus(disk),
    target: diskTarget(disk),
    source,
    driver: {
      name: attr(driver, 'name'),
      type: attr(driver, 'type'),
      cache: attr(driver, 'cache'),
      io: attr(driver, 'io'),
      discard: attr(driver, 'discard'),
      detectZeroes: attr(driver, 'detect_zeroes'),
    },
    readonly: child(disk, 'readonly') !== null,
    shareable: child(disk, 'shareable') !== null,
    serial: text(child(disk, 'serial')),
    bootOrder: bootOrder(disk),
    address: addressOf(disk),
  };
}

function setDiskDriver(c: Ctx, e: Extract<DiskEdit, { kind: 'set-disk-driver' }>): void {
  const disk = findDisk(c.domain, e.target);
  const changes: [string, string | null | undefined, readonly string[]][] = [
    ['cache', e.cache, DISK_CACHES],
    ['io', e.io, DISK_IOS],
    ['discard', e.discard, DISK_DISCARDS],
    ['detect_zeroes', e.detect_zeroes, DISK_DETECT_ZEROES],
  ];
  for (const [name, value, allowed] of changes) if (value !== undefined && value !== null) oneOf(`disk ${name}`, value, allowed);
  let driver = child(disk, 'driver');
  if (!driver) {
    if (changes.every(([, v]) => v === undefined || v === null)) return;
    const qemu = ['kvm', 'qemu'].includes(attr(c.domain, 'type') ?? '');
    driver = placeEl(c.xd, disk, createEl(c.xd, 'driver', { name: qemu ? 'qemu' : null }), DISK_ORDER);
  }
  for (const [name, value] of changes) if (value !== undefined) setAttr(driver, name, value);
  if (driver.attributes.length === 0 && !driver.firstChild) removeEl(driver);
}

function setDiskFlags(c: Ctx, e: Extract<DiskEdit, { kind: 'set-disk-flags' }>): void {
  const disk = findDisk(c.domain, e.target);
  optionalBool('readonly', e.readonly);
  optionalBool('shareable', e.shareable);
  if (e.serial !== undefined) textOrNull('disk serial', e.serial);
  if (e.readonly !== undefined) setFlagChild(c.xd, disk, 'readonly', e.readonly, DISK_ORDER);
  if (e.shareable !== undefined) setFlagChild(c.xd, disk, 'shareable', e.shareable, DISK_ORDER);
  if (e.serial !== undefined) {
    // libvirt's own rule for serials (they end up on the QEMU command line).
    if (e.serial !== null && !/^[A-Za-z0-9_.+\- ]+$/.test(e.serial)) {
      throw new Error(`invalid disk serial '${e.serial}' (letters, digits, space and _ . + - only)`);
    }
    setTextChild(c.xd, disk, 'serial', e.serial, DISK_ORDER);
  }
}

/** A <source> for a volume, file or block device, and the disk type it implies. */
function sourceEl(c: Ctx, what: 'disk' | 'media', source: NewDiskSource, invalid: string): { type: string; el: Element } {
  if ('file' in source) return { type: 'file', el: createEl(c.xd, 'source', { file: nonEmpty(`${what} file`, source.file) }) };
  if ('dev' in source) return { type: 'block', el: createEl(c.xd, 'source', { dev: nonEmpty(`${what} device`, source.dev) }) };
  if ('pool' in source && (what === 'disk' || 'volume' in source)) {
    const prefix = what === 'media' ? 'media ' : '';
    const el = createEl(c.xd, 'source', { pool: nonEmpty(`${prefix}pool`, source.pool), volume: nonEmpty(`${prefix}volume`, source.volume) });
    return { type: 'volume', el };
  }
  throw new Error(invalid);
}

function changeMedia(c: Ctx, target: string, source: MediaSource | null): void {
  const disk = findDisk(c.domain, target);
  const device = diskDevice(disk);
  if (device !== 'cdrom' && device !== 'floppy') {
    throw new Error(`disk '${target}' is a ${device}; media can only be changed on a cdrom or floppy`);
  }
  const old = child(disk, 'source');
  // The backing chain belongs to the old medium.
  elements(disk, 'backingStore').forEach(removeEl);
  if (source === null) {
    if (old) removeEl(old);
    return;
  }
  const { type, el } = sourceEl(c, 'media', source, 'invalid media source: expected { file }, { dev } or { pool, volume }');
  disk.setAttribute('type', type);
  if (old) replaceEl(c.xd, old, el);
  else placeEl(c.xd, disk, el, DISK_ORDER);
}

const PLACEHOLDER = 'virtdeck-new-disk';

// Each builds the smallest element libvirt needs and lets libvirt fill in the rest (addresses,
// aliases) on define, as virt-manager does.
function addDisk(c: Ctx, e: AddDisk): void {
  const device = oneOf('disk device', e.device ?? 'disk', NEW_DISK_DEVICES);
  oneOf('disk bus', e.bus, DISK_BUSES);
  const format = oneOf('disk format', e.format ?? (device === 'cdrom' ? 'raw' : 'qcow2'), DISK_FORMATS);
  if (e.source === null && device !== 'cdrom') throw new Error('a new disk needs a source (a volume, file or device)');
  const source = e.source ? sourceEl(c, 'disk', e.source, 'invalid disk source: expected { pool, volume }, { file } or { dev }') : null;
  const kids = [createEl(c.xd, 'driver', { name: 'qemu', type: format })];
  if (source) kids.push(source.el);
  // A placeholder target that set-disk-bus then moves to the bus: one place decides the free
  // name, the virtio-scsi controller and the drive address (and refuses IDE on q35, virtio CD-ROMs).
  kids.push(createEl(c.xd, 'target', { dev: PLACEHOLDER, bus: PLACEHOLDER }));
  if (device === 'cdrom') kids.push(createEl(c.xd, 'readonly'));
  appendDevice(c.xd, c.domain, createEl(c.xd, 'disk', { type: source?.type ?? 'file', device }, kids));
  try {
    setDiskBus(c, PLACEHOLDER, e.bus);
  } catch (err) {
    throw new Error(String((err as Error).message).replaceAll(`disk '${PLACEHOLDER}'`, 'the new disk'));
  }
}

export const diskHandlers = {
  'set-disk-bus': { apply: (c, e) => setDiskBus(c, e.target, e.bus), live: NEXT_BOOT },
  'set-disk-driver': { apply: setDiskDriver, live: NEXT_BOOT },
  'set-disk-flags': { apply: setDiskFlags, live: NEXT_BOOT },
  'change-media': { apply: (c, e) => changeMedia(c, e.target, e.source), live: LIVE },
  'add-disk': { apply: addDisk, live: hotplug('disk') },
} satisfies Handlers<DiskEdit>;

/** Runtime-only: the backing chain libvirt probes at start, a source's index into it; the driver
  * format of an empty CD-ROM, which the running config drops. */
export const DISK_RUNTIME: RuntimeState = { runtime: ['backingStore', 'source@index', 'source/backingStore'], resolved: ['driver@type'] };
