// Pool and volume actions through virsh: XML on stdin, every name an argument of its own. What
// would break a defined VM (deleting a volume or a pool it uses, shrinking a volume) is refused
// unless the caller says it knows, naming the VMs.
import type { HostStorage, PoolAction, PoolSpec, VolumeFormat } from '../../../shared/contract/index.js';
import { buildPoolXml, buildVolumeXml, checkStorageName, StorageXmlError } from '../../../shared/storage/index.js';
import { UserError, checkedInput } from '../errors.js';
import type { VirshRunner } from './storage-read.js';

const list = (vms: readonly string[]) => vms.map((v) => `"${v}"`).join(', ');

function findPool(storage: HostStorage, pool: string) {
  const p = storage.pools.find((x) => x.name === pool);
  if (!p) throw new UserError('not-found', `No storage pool named "${pool}"`);
  return p;
}

function findVolume(storage: HostStorage, pool: string, name: string) {
  findPool(storage, pool);
  const v = storage.volumes.find((x) => x.pool === pool && x.name === name);
  if (!v) throw new UserError('not-found', `No volume named "${name}" in pool "${pool}" (is the pool started?)`);
  return v;
}

/** Define, then build / start / autostart as asked; on a failure, what this call did is undone
 *  in reverse (a volume group it built is removed again), and libvirt's message stands. */
export async function createPool(virsh: VirshRunner, spec: PoolSpec, opts: { build: boolean; start: boolean; autostart: boolean }): Promise<void> {
  const xml = checkedInput(StorageXmlError, () => buildPoolXml(spec));
  const pool = ['--pool', spec.name];
  await virsh.run(['pool-define', '--file', '/dev/stdin'], { stdin: xml });
  const undo: string[][] = [['pool-undefine', ...pool]];
  try {
    if (opts.build) {
      await virsh.run(['pool-build', ...pool]);
      undo.unshift(['pool-delete', ...pool]);
    }
    if (opts.start) {
      await virsh.run(['pool-start', ...pool]);
      undo.unshift(['pool-destroy', ...pool]);
    }
    if (opts.autostart) await virsh.run(['pool-autostart', ...pool]);
  } catch (err) {
    for (const args of undo) await virsh.run(args).catch(() => undefined);
    throw err;
  }
}

const POOL_ACTION_ARGS: Record<PoolAction, string[]> = {
  start: ['pool-start'],
  stop: ['pool-destroy'],
  'autostart-on': ['pool-autostart'],
  'autostart-off': ['pool-autostart', '--disable'],
  refresh: ['pool-refresh'],
};

export async function poolAction(virsh: VirshRunner, pool: string, action: PoolAction): Promise<void> {
  await virsh.run([...POOL_ACTION_ARGS[action], '--pool', pool]);
}

/** Stop and undefine a pool; with deleteContents its volumes are deleted first and its storage
 *  (the folder, the volume group) removed with pool-delete. */
export async function deletePool(virsh: VirshRunner, storage: HostStorage, pool: string, deleteContents: boolean, force: boolean): Promise<void> {
  const p = findPool(storage, pool);
  if (p.usedBy.length && !force) {
    throw new UserError('in-use', `Pool "${pool}" holds volumes used by ${list(p.usedBy)}: deleting it would leave ${p.usedBy.length === 1 ? 'that VM' : 'those VMs'} without a disk`);
  }
  const args = ['--pool', pool];
  if (deleteContents) {
    if (!p.active) await virsh.run(['pool-start', ...args]);
    const vols = p.active ? storage.volumes.filter((v) => v.pool === pool) : [];
    for (const v of vols) await virsh.run(['vol-delete', '--pool', pool, '--vol', v.path ?? v.name]);
    await virsh.run(['pool-destroy', ...args]);
    await virsh.run(['pool-delete', ...args]);
  } else if (p.active) {
    await virsh.run(['pool-destroy', ...args]);
  }
  if (p.persistent) await virsh.run(['pool-undefine', ...args]);
}

export interface NewVolumeParams {
  pool: string;
  name: string;
  format: VolumeFormat;
  capacityBytes: number;
  preallocate: boolean;
  backingPath?: string;
}

export async function createVolume(virsh: VirshRunner, storage: HostStorage, v: NewVolumeParams): Promise<void> {
  const pool = findPool(storage, v.pool);
  if (!pool.active) throw new UserError('invalid-input', `Pool "${v.pool}" is not started`);
  if (storage.volumes.some((x) => x.pool === v.pool && x.name === v.name)) throw new UserError('invalid-input', `Pool "${v.pool}" already has a volume "${v.name}"`);
  let backing: { path: string; format: string } | undefined;
  if (v.backingPath) {
    const b = storage.volumes.find((x) => x.path === v.backingPath);
    if (!b) throw new UserError('not-found', `No volume at ${v.backingPath} to back the new one`);
    backing = { path: v.backingPath, format: b.format ?? 'raw' };
  }
  const xml = checkedInput(StorageXmlError, () => buildVolumeXml({ name: v.name, format: v.format, capacityBytes: v.capacityBytes, preallocate: v.preallocate, backing }, pool.type));
  const flags = v.preallocate && v.format === 'qcow2' ? ['--prealloc-metadata'] : [];
  await virsh.run(['vol-create', '--pool', v.pool, '--file', '/dev/stdin', ...flags], { stdin: xml });
}

/** Grow a volume; a smaller size only with allowShrink (what lies past it is gone). */
export async function resizeVolume(virsh: VirshRunner, storage: HostStorage, pool: string, name: string, capacityBytes: number, allowShrink: boolean): Promise<void> {
  const v = findVolume(storage, pool, name);
  if (!Number.isSafeInteger(capacityBytes) || capacityBytes <= 0) throw new UserError('invalid-input', 'The new size must be a whole number of bytes above 0');
  const shrink = v.capacity !== null && capacityBytes < v.capacity;
  if (shrink && !allowShrink) {
    throw new UserError('invalid-input', `Shrinking "${name}" cuts off everything past the new end: a file system there is damaged. Confirm the shrink to do it anyway.`);
  }
  await virsh.run(['vol-resize', '--pool', pool, '--vol', name, '--capacity', String(capacityBytes), ...(shrink ? ['--shrink'] : [])]);
}

export async function wipeVolume(virsh: VirshRunner, storage: HostStorage, pool: string, name: string): Promise<void> {
  findVolume(storage, pool, name);
  await virsh.run(['vol-wipe', '--pool', pool, '--vol', name]);
}

export async function deleteVolume(virsh: VirshRunner, storage: HostStorage, pool: string, name: string, force: boolean): Promise<void> {
  const v = findVolume(storage, pool, name);
  if (v.usedBy.length && !force) throw new UserError('in-use', `Volume "${name}" is used by ${list(v.usedBy)}: deleting it leaves ${v.usedBy.length === 1 ? 'that VM' : 'those VMs'} without the disk`);
  await virsh.run(['vol-delete', '--pool', pool, '--vol', name]);
}

export async function cloneVolume(virsh: VirshRunner, storage: HostStorage, pool: string, name: string, newName: string): Promise<void> {
  findVolume(storage, pool, name);
  checkedInput(StorageXmlError, () => checkStorageName('A volume', newName));
  if (storage.volumes.some((x) => x.pool === pool && x.name === newName)) throw new UserError('invalid-input', `Pool "${pool}" already has a volume "${newName}"`);
  await virsh.run(['vol-clone', '--pool', pool, '--vol', name, '--newname', newName]);
}
