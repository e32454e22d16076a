// What a clone does with each of the source VM's disks, as virt-clone decides it: a writable disk
// is copied to a new volume (or, for a linked clone, gets a qcow2 overlay on it); a read-only or
// shareable disk is shared as it is; CD-ROMs and floppies keep their medium; an empty drive stays
// empty. A writable disk that cannot be copied (a network disk, a passed-through LUN) refuses the
// clone rather than sharing what two guests would both write.
import { readDomain } from '../domain-xml/read';
import type { DiskSource, DiskView } from '../domain-xml/types';
import { CloneInputError } from './names';

export type DiskAction =
  | { action: 'copy'; index: number; target: string; source: DiskSource; format: string | null }
  | { action: 'share' | 'keep'; index: number; target: string; why: string };

export function planDisks(xml: string): DiskAction[] {
  return readDomain(xml).disks.map(planDisk);
}

function planDisk(d: DiskView): DiskAction {
  const target = d.target ?? `disk ${d.index + 1}`;
  const base = { index: d.index, target };
  if (d.device === 'cdrom' || d.device === 'floppy') return { ...base, action: 'keep', why: `${d.device === 'cdrom' ? 'CD-ROM' : 'floppy'}: its medium is kept` };
  const src = d.source;
  if (!src || (!src.file && !src.dev && !src.volume && !src.name)) return { ...base, action: 'keep', why: 'no medium' };
  if (d.readonly) return { ...base, action: 'share', why: 'read-only: shared' };
  if (d.shareable) return { ...base, action: 'share', why: 'shareable: shared' };
  if (d.device === 'lun') throw new CloneInputError(`Disk ${target} is a passed-through LUN: it cannot be copied, and two VMs writing it would corrupt it`);
  if (d.type === 'network' || (!src.file && !src.dev && !src.volume)) {
    throw new CloneInputError(`Disk ${target} is a ${d.type ?? 'network'} disk: VirtDeck copies volumes of storage pools only`);
  }
  return { ...base, action: 'copy', source: src, format: d.driver.type };
}

/** The name of a copied volume: the old name with the VM's name replaced by the clone's (as
 *  virt-clone does), else the clone's name, the target and the old name's extension; made unique
 *  among `taken` (the pool's names, and those this batch already chose). */
export function cloneVolumeName(oldVolume: string, oldVm: string, newVm: string, target: string, taken: Set<string>): string {
  const ext = /\.[A-Za-z0-9]{1,8}$/.exec(oldVolume)?.[0] ?? '';
  const base = oldVm && oldVolume.includes(oldVm) ? oldVolume.replace(oldVm, newVm) : `${newVm}-${target}${ext}`;
  let name = base;
  for (let i = 1; taken.has(name); i++) name = base.endsWith(ext) && ext ? `${base.slice(0, -ext.length)}-${i}${ext}` : `${base}-${i}`;
  taken.add(name);
  return name;
}
