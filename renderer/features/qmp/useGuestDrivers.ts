// One VM's guest-driver report while a view shows it: read once, then pushed by the backend when
// it changes ('qmp.watchVirtio': after a boot, a hot-plug, or while a driver is being loaded).
import { useCallback, useEffect, useState } from 'react';
import type { VirtioReport } from '../../../shared/contract';
import { api } from '../../app/api';
import type { VmRef } from '../../store/vm-ref';

export interface GuestDrivers {
  report: VirtioReport | null;
  error: string | null;
  busy: boolean;
  /** Read again now (one query set). */
  refresh(): Promise<void>;
}

/** Containers have no QEMU: nothing is read for them. */
export function useGuestDrivers({ hostId, name, driver }: VmRef, running: boolean): GuestDrivers {
  const qemu = driver !== 'lxc';
  const [report, setReport] = useState<VirtioReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    if (!qemu) return;
    setBusy(true);
    const r = await api.call('qmp.virtio', { hostId, name });
    setBusy(false);
    if (r.ok) {
      setReport(r.value);
      setError(null);
    } else setError(r.error.message);
  }, [hostId, name, qemu]);

  useEffect(() => {
    setReport(null);
    if (!qemu) return;
    const off = api.onEvent((e) => {
      if (e.type === 'vm.virtio' && e.hostId === hostId && e.name === name) setReport(e.report);
    });
    void api.call('qmp.watchVirtio', { hostId, name, watch: true });
    return () => {
      off();
      void api.call('qmp.watchVirtio', { hostId, name, watch: false });
    };
  }, [hostId, name, qemu]);

  // A start or stop is a new QEMU (or none): read at once rather than at the watcher's next tick.
  useEffect(() => {
    void refresh();
  }, [refresh, running]);

  return { report, error, busy, refresh };
}
