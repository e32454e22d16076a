// <filesystem>: a host directory shared with the guest, by virtiofs (fast; needs the guest's
// memory shared with virtiofsd, which adding one sets up) or 9p. Added for the next boot; removing
// one is the generic remove-device.

import type { Element } from '@xmldom/xmldom';
import { DOMAIN_ORDER, devicesOfKind } from '../domain';
import { type Ctx, type Handlers, NEXT_BOOT, nonEmpty, oneOf } from '../handler';
import type { RuntimeState } from '../pending/runtime';
import type { FilesystemView } from '../types';
import { appendDevice } from '../xml/device-xml';
import { attr, attrsAt, child, createEl, ensureChild, placeEl } from '../xml/xml-doc';

export const FILESYSTEM_DRIVERS = ['virtiofs', 'path', 'handle', 'loop', 'nbd', 'ploop'] as const;
export const FILESYSTEM_ACCESS_MODES = ['passthrough', 'mapped', 'squash'] as const;
/** What a new share can be: virtiofs, or 9p (libvirt's default "path" driver). */
export const NEW_FILESYSTEM_DRIVERS = ['virtiofs', '9p'] as const;
export type NewFilesystemDriver = (typeof NEW_FILESYSTEM_DRIVERS)[number];
export type FilesystemAccessMode = (typeof FILESYSTEM_ACCESS_MODES)[number];
/** virtiofs mount tags are at most 36 bytes (the virtio-fs config space). */
export const MAX_VIRTIOFS_TAG = 36;

export interface AddFilesystem {
  driver: NewFilesystemDriver;
  /** The host directory (absolute). */
  source: string;
  /** The mount tag the guest mounts (mount -t virtiofs TAG /mnt). */
  target: string;
  /** 9p only: how guest file ownership maps to the host (default mapped). */
  accessMode?: FilesystemAccessMode;
  /** 9p only (libvirt refuses a read-only virtiofs share). */
  readonly?: boolean;
}

export type FilesystemEdit =
  // Shares a host directory with the guest; virtiofs also sets memfd, shared memory backing.
  { kind: 'add-filesystem'; fs: AddFilesystem };

export function readFilesystem(f: Element, index: number): FilesystemView {
  const src = child(f, 'source');
  return {
    index,
    ...attrsAt(f, { type: 'type', driver: 'driver/type', accessMode: 'accessmode', target: 'target/dir' }),
    source: attr(src, 'dir') ?? attr(src, 'file') ?? attr(src, 'dev') ?? attr(src, 'name') ?? null,
    readonly: child(f, 'readonly') !== null,
  };
}

/**
 * Resolved at start: the virtiofsd binary libvirt found through QEMU's vhost-user description
 * (<binary path='/usr/lib/qemu/virtiofsd'/>, seen on a started lab VM) when the config names none.
 */
export const FILESYSTEM_RUNTIME: RuntimeState = { resolved: ['binary'] };

/** libvirt's order of <memoryBacking> children. */
const BACKING_ORDER = ['hugepages', 'nosharepages', 'locked', 'source', 'access', 'allocation', 'discard'];

/**
 * virtiofsd maps the guest's RAM, so it must be shared: <access mode='shared'/>, from a memfd
 * unless the domain already backs it otherwise (a <source>, or hugepages, which share as they are). A NUMA guest may instead share per
 * cell (<cell memAccess='shared'>): then nothing is added.
 */
export function ensureSharedMemory(c: Ctx): void {
  const cells = c.domain.getElementsByTagName('cell');
  const numaShared = Array.from({ length: cells.length }, (_, i) => cells.item(i)!).filter((e) => e.parentNode?.nodeName === 'numa');
  if (numaShared.length > 0 && numaShared.every((cell) => attr(cell, 'memAccess') === 'shared')) return;
  const backing = ensureChild(c.xd, c.domain, 'memoryBacking', DOMAIN_ORDER);
  if (!child(backing, 'source') && !child(backing, 'hugepages')) placeEl(c.xd, backing, createEl(c.xd, 'source', { type: 'memfd' }), BACKING_ORDER);
  const access = child(backing, 'access') ?? placeEl(c.xd, backing, createEl(c.xd, 'access'), BACKING_ORDER);
  access.setAttribute('mode', 'shared');
}

function addFilesystem(c: Ctx, fs: AddFilesystem): void {
  const driver = oneOf('filesystem driver', fs.driver, NEW_FILESYSTEM_DRIVERS);
  const source = nonEmpty('host directory', fs.source);
  if (!source.startsWith('/')) throw new Error(`invalid host directory '${source}' (expected an absolute path)`);
  const target = nonEmpty('mount tag', fs.target);
  if (/[\s,]/.test(target)) throw new Error(`invalid mount tag '${target}' (no spaces or commas)`);
  if (driver === 'virtiofs' && new TextEncoder().encode(target).length > MAX_VIRTIOFS_TAG) {
    throw new Error(`invalid mount tag '${target}' (virtiofs allows at most ${MAX_VIRTIOFS_TAG} bytes)`);
  }
  if (devicesOfKind(c.domain, 'filesystem').some((f) => attr(child(f, 'target'), 'dir') === target)) {
    throw new Error(`the domain already shares a filesystem with mount tag '${target}'`);
  }
  const kids: Element[] = [];
  let accessmode: string;
  if (driver === 'virtiofs') {
    if (fs.readonly) throw new Error('a virtiofs share cannot be read-only here (libvirt refuses it); use 9p');
    if (fs.accessMode !== undefined && fs.accessMode !== 'passthrough') throw new Error('virtiofs supports only the passthrough access mode');
    accessmode = 'passthrough';
    kids.push(createEl(c.xd, 'driver', { type: 'virtiofs' }));
    ensureSharedMemory(c);
  } else {
    accessmode = oneOf('access mode', fs.accessMode ?? 'mapped', FILESYSTEM_ACCESS_MODES);
  }
  kids.push(createEl(c.xd, 'source', { dir: source }), createEl(c.xd, 'target', { dir: target }));
  if (fs.readonly) kids.push(createEl(c.xd, 'readonly'));
  appendDevice(c.xd, c.domain, createEl(c.xd, 'filesystem', { type: 'mount', accessmode }, kids));
}

export const filesystemHandlers = {
  'add-filesystem': { apply: (c, e) => addFilesystem(c, e.fs), live: NEXT_BOOT },
} satisfies Handlers<FilesystemEdit>;
