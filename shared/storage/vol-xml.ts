// Storage volume XML: what `virsh vol-create` gets for a new volume (qcow2 or raw, thin or
// preallocated, optionally a qcow2 overlay on a backing volume) and the read of `vol-dumpxml`.
import { attrOf, block, checkPath, checkStorageName, el, first, parseRoot, storageHead, StorageXmlError, text } from './xml';

export const VOLUME_FORMATS = ['qcow2', 'raw'] as const;
export type VolumeFormat = (typeof VOLUME_FORMATS)[number];

export interface VolumeSpec {
  name: string;
  format: VolumeFormat;
  capacityBytes: number;
  /** Allocate all of it now (raw: written out; qcow2: metadata preallocated) rather than thin. */
  preallocate: boolean;
  /** A qcow2 overlay: the volume it reads unwritten blocks from. */
  backing?: { path: string; format: string };
}

/** The pool type decides what a volume can be: an LVM logical volume is a raw block device, fully
 *  allocated (libvirt's thin LVs need dm-snapshot and are rarely what is meant). */
export function volumeRules(poolType: string): { formats: readonly VolumeFormat[]; thin: boolean; backing: boolean } {
  if (poolType === 'logical') return { formats: ['raw'], thin: false, backing: false };
  if (poolType === 'dir' || poolType === 'fs' || poolType === 'netfs') return { formats: VOLUME_FORMATS, thin: true, backing: true };
  return { formats: ['raw'], thin: false, backing: false };
}

export function buildVolumeXml(spec: VolumeSpec, poolType: string): string {
  checkStorageName('A volume', spec.name);
  const rules = volumeRules(poolType);
  if (!rules.formats.includes(spec.format)) throw new StorageXmlError(`a ${poolType} pool holds ${rules.formats.join(' or ')} volumes, not ${spec.format}`);
  if (!Number.isSafeInteger(spec.capacityBytes) || spec.capacityBytes <= 0) throw new StorageXmlError('the size must be a whole number of bytes above 0');
  if (spec.backing && (!rules.backing || spec.format !== 'qcow2')) throw new StorageXmlError('only a qcow2 volume in a file-based pool can have a backing volume');
  if (spec.backing) checkPath('The backing volume', spec.backing.path);
  const full = spec.preallocate || !rules.thin;
  // qcow2's allocation stays 0: libvirt preallocates its metadata when asked by flag (vol-create
  // --prealloc-metadata); a raw volume with allocation = capacity is written out in full.
  const allocation = full && spec.format === 'raw' ? spec.capacityBytes : 0;
  // An LVM volume has no format of its own; libvirt's schema still wants its <target>.
  const target = poolType === 'logical' ? el('target') : block('target', [el('format', { type: spec.format })]);
  return (
    block('volume', [
      el('name', {}, spec.name),
      el('capacity', { unit: 'bytes' }, String(spec.capacityBytes)),
      el('allocation', { unit: 'bytes' }, String(allocation)),
      target,
      spec.backing && block('backingStore', [el('path', {}, spec.backing.path), el('format', { type: spec.backing.format })]),
    ]) + '\n'
  );
}

/** `virsh vol-dumpxml`, read. */
export interface VolumeXmlView {
  name: string;
  key: string | null;
  /** file | block | dir | network | netdir | ploop */
  type: string;
  capacity: number | null;
  allocation: number | null;
  path: string | null;
  format: string | null;
  backingPath: string | null;
}

export function parseVolumeXml(xml: string): VolumeXmlView {
  const vol = parseRoot(xml, 'volume');
  return {
    ...storageHead(vol, 'file'),
    key: text(first(vol, 'key')),
    path: text(first(vol, 'target', 'path')),
    format: attrOf(first(vol, 'target', 'format'), 'type'),
    backingPath: text(first(vol, 'backingStore', 'path')),
  };
}

/** An ISO image: libvirt's probe says so, or its name does. */
export const isIsoVolume = (v: { name: string; format: string | null }): boolean => v.format === 'iso' || /\.iso$/i.test(v.name);

/** Thin: less allocated than its capacity (a sparse file, a qcow2 that grows). */
export const isThin = (v: { capacity: number | null; allocation: number | null }): boolean =>
  v.capacity !== null && v.allocation !== null && v.allocation < v.capacity;
