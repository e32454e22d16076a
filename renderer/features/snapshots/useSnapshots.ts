// One VM's snapshots while its tab is open: listed once, then pushed by the backend whenever they
// change ('snapshots.watch': made here, in another window, or by virsh on the host). Every change
// made here is a task in the task pane, with libvirt's message on failure.
import { useCallback, useEffect, useState } from 'react';
import type { Method, Outcome, Params, Result, VmSnapshots } from '../../../shared/contract';
import { api } from '../../app/api';
import { useFleet } from '../../store/fleet';
import { useTasks } from '../../store/tasks';
import type { VmRef } from '../../store/vm-ref';

export interface SnapshotsState {
  data: VmSnapshots | null;
  loadError: string | null;
  busy: boolean;
  /** The last change's failure, for the tab to show. */
  error: string | null;
  /** Merge-back progress by disk, while one runs. */
  progress: Record<string, number>;
  run<M extends SnapshotChange>(what: string, method: M, params: Omit<Params<M>, 'hostId' | 'name'>): Promise<boolean>;
  dismiss(): void;
}

export type SnapshotChange = 'snapshot.create' | 'snapshot.revert' | 'snapshot.delete' | 'snapshot.mergeBack';

const hostLabel = (hostId: string) => useFleet.getState().hosts[hostId]?.config.label ?? hostId;

/** A call shown as a task titled "what: vm on host". */
export async function callAsTask<M extends Method>(what: string, vm: VmRef, method: M, params: Params<M>): Promise<Outcome<Result<M>>> {
  const tasks = useTasks.getState();
  const id = tasks.begin(`${what}: ${vm.name} on ${hostLabel(vm.hostId)}`);
  const r = await api.call(method, params);
  tasks.finish(id, r.ok ? undefined : r.error.message, { commands: r.commands });
  return r;
}

export function useSnapshots(vm: VmRef): SnapshotsState {
  const { hostId, name } = vm;
  const [data, setData] = useState<VmSnapshots | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Record<string, number>>({});

  useEffect(() => {
    let live = true;
    setData(null);
    const off = api.onEvent((e) => {
      if (e.type === 'vm.snapshots' && e.hostId === hostId && e.name === name) setData(e.snapshots);
      if (e.type === 'snapshot.progress' && e.hostId === hostId && e.name === name) setProgress((p) => ({ ...p, [e.disk]: e.pct }));
    });
    void api.call('snapshots.list', { hostId, name }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setData(r.value);
        setLoadError(null);
      } else setLoadError(r.error.message);
    });
    void api.call('snapshots.watch', { hostId, name, watch: true });
    return () => {
      live = false;
      off();
      void api.call('snapshots.watch', { hostId, name, watch: false });
    };
  }, [hostId, name]);

  const run = useCallback(
    async <M extends SnapshotChange>(what: string, method: M, params: Omit<Params<M>, 'hostId' | 'name'>) => {
      setBusy(true);
      setError(null);
      setProgress({});
      const r = await callAsTask(what, { hostId, name }, method, { hostId, name, ...params } as Params<M>);
      setBusy(false);
      if (r.ok) setData(r.value as VmSnapshots);
      else setError(r.error.message);
      return r.ok;
    },
    [hostId, name],
  );

  return { data, loadError, busy, error, progress, run, dismiss: () => setError(null) };
}
