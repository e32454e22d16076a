// Storage pools and volumes of each host (libvirt/storage-read.ts, libvirt/storage.ts): every
// action reads the storage again and pushes it to every window, as pool events do.
import type { HostStorage } from '../../../shared/contract/index.js';
import type { Service } from '../dispatch.js';
import { cloneVolume, createPool, createVolume, deletePool, deleteVolume, poolAction, resizeVolume, wipeVolume } from '../libvirt/storage.js';
import { type EventWatch, poolEvents } from '../libvirt/event-watch.js';
import { readHostStorage } from '../libvirt/storage-read.js';
import type { ServiceContext } from './context.js';

export type StorageMethod = 'storage.list' | 'storage.watch' | 'pool.create' | 'pool.action' | 'pool.delete' | 'vol.create' | 'vol.resize' | 'vol.wipe' | 'vol.delete' | 'vol.clone';

export function storageService({ registry, emit }: ServiceContext): Service<StorageMethod> {
  const watchers = new Map<string, EventWatch>();

  const read = async (hostId: string): Promise<HostStorage> => {
    const host = registry.get(hostId);
    const storage = await readHostStorage(host.virsh(), hostId, host.vms.map((vm) => vm.name));
    emit({ type: 'host.storage', storage });
    return storage;
  };

  const watcher = (hostId: string): EventWatch => {
    let w = watchers.get(hostId);
    if (!w) {
      w = poolEvents(() => registry.get(hostId).virsh(), () => void read(hostId).catch(() => undefined));
      watchers.set(hostId, w);
    }
    return w;
  };

  /** Read, act, and read again (the second read is what every window is shown). */
  const act = async (hostId: string, action: (storage: HostStorage) => Promise<void>): Promise<HostStorage> => {
    const host = registry.get(hostId);
    const before = await readHostStorage(host.virsh(), hostId, host.vms.map((vm) => vm.name));
    try {
      await action(before);
    } catch (err) {
      // A half-done action still changed something: every window sees what is there now.
      await read(hostId).catch(() => undefined);
      throw err;
    }
    return read(hostId);
  };

  return {
    'storage.list': ({ hostId }) => read(hostId),
    'storage.watch': async ({ hostId, watch }) => {
      registry.get(hostId);
      watcher(hostId).watch(watch);
      return null;
    },
    'pool.create': ({ hostId, spec, build, start, autostart }) => act(hostId, () => createPool(registry.get(hostId).virsh(), spec, { build, start, autostart })),
    'pool.action': ({ hostId, pool, action }) => act(hostId, () => poolAction(registry.get(hostId).virsh(), pool, action)),
    'pool.delete': ({ hostId, pool, deleteContents, force }) => act(hostId, (s) => deletePool(registry.get(hostId).virsh(), s, pool, deleteContents, force)),
    'vol.create': ({ hostId, ...v }) => act(hostId, (s) => createVolume(registry.get(hostId).virsh(), s, v)),
    'vol.resize': ({ hostId, pool, name, capacityBytes, allowShrink }) => act(hostId, (s) => resizeVolume(registry.get(hostId).virsh(), s, pool, name, capacityBytes, allowShrink)),
    'vol.wipe': ({ hostId, pool, name }) => act(hostId, (s) => wipeVolume(registry.get(hostId).virsh(), s, pool, name)),
    'vol.delete': ({ hostId, pool, name, force }) => act(hostId, (s) => deleteVolume(registry.get(hostId).virsh(), s, pool, name, force)),
    'vol.clone': ({ hostId, pool, name, newName }) => act(hostId, (s) => cloneVolume(registry.get(hostId).virsh(), s, pool, name, newName)),
  };
}
