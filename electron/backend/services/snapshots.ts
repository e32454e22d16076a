// A VM's snapshots (libvirt/snapshots.ts), and following them while a window shows them.
//
// libvirt raises no domain event for a snapshot: a memory snapshot pauses and resumes the VM
// (two lifecycle events), a disk-only or shut-off one says nothing at all. So a watched VM's
// snapshot names, current snapshot and state are read again every WATCH_MS (three short virsh
// calls on the host's one SSH connection), and the whole list only when they changed.
import type { BackendEvent } from '../../../shared/contract/index.js';
import { createSnapshot, deleteSnapshot, mergeBack, revertSnapshot, snapshotSignature, vmSnapshots } from '../libvirt/snapshots.js';
import type { Service } from '../dispatch.js';
import type { ServiceContext } from './context.js';
import { VmWatches, type VmWatch } from './vm-watches.js';

export type SnapshotsMethod = 'snapshots.list' | 'snapshots.watch' | 'snapshot.create' | 'snapshot.revert' | 'snapshot.delete' | 'snapshot.mergeBack';

const WATCH_MS = 2000;

interface Watch extends VmWatch {
  signature?: string;
}

export function snapshotsService({ registry, emit }: ServiceContext): Service<SnapshotsMethod> {
  const virsh = (hostId: string, name: string) => registry.withVm(hostId, name).virsh();

  /** Read the list and tell every window; the new signature so the watcher does not repeat it. */
  const publish = async (hostId: string, name: string) => {
    const v = registry.get(hostId).virsh();
    const [snapshots, signature] = await Promise.all([vmSnapshots(v, name), snapshotSignature(v, name)]);
    const w = watches.get(hostId, name);
    if (w) w.signature = signature;
    emit({ type: 'vm.snapshots', hostId, name, snapshots } satisfies BackendEvent);
    return snapshots;
  };

  const watches = new VmWatches<Watch>(WATCH_MS, () => ({ count: 0 }), async (hostId, name, w) => {
    try {
      const signature = await snapshotSignature(registry.get(hostId).virsh(), name);
      if (signature !== w.signature) await publish(hostId, name);
    } catch {
      // A host offline or a VM gone: the fleet says so; try again at the next tick.
    }
  });

  /** Do a change, then publish the list (its answer, and an event for the other windows). */
  const change = async (hostId: string, name: string, work: () => Promise<unknown>) => {
    await work();
    return publish(hostId, name);
  };

  return {
    'snapshots.list': async ({ hostId, name }) => vmSnapshots(virsh(hostId, name), name),
    'snapshots.watch': async ({ hostId, name, watch }) => {
      watches.set(hostId, name, Boolean(watch));
      return null;
    },
    'snapshot.create': async ({ hostId, name, snapshot }) => change(hostId, name, () => createSnapshot(virsh(hostId, name), name, snapshot)),
    'snapshot.revert': async ({ hostId, name, snapshot, state }) => change(hostId, name, () => revertSnapshot(virsh(hostId, name), name, snapshot, state)),
    'snapshot.delete': async ({ hostId, name, snapshot, children }) => change(hostId, name, () => deleteSnapshot(virsh(hostId, name), name, snapshot, children)),
    'snapshot.mergeBack': async ({ hostId, name, snapshot }) => {
      const left = await mergeBack(virsh(hostId, name), name, snapshot, (disk, pct) => emit({ type: 'snapshot.progress', hostId, name, snapshot, disk, pct }));
      const result = await publish(hostId, name);
      if (left.length) throw new Error(`Merged back; these overlay files could not be deleted (not in a storage pool): ${left.join(', ')}`);
      return result;
    },
  };
}
