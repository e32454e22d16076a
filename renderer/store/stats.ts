// Live VM figures pushed by the backend ('host.stats', one bulk sample per host per interval),
// with a short history per VM for the fleet's sparklines. Kept apart from the fleet store so a
// stats tick re-renders only what shows figures.
import { create } from 'zustand';
import type { BackendEvent, VmStats } from '../../shared/contract';
import { hostKeyPrefix, vmKey } from './vm-ref';

/** Samples kept per VM: one minute at the default 2 s interval. */
export const HISTORY = 30;

export interface VmStatsHistory {
  latest: VmStats;
  /** When each sample was taken, in seconds (the x axis of the VM page's graphs). */
  times: number[];
  cpu: number[];
  mem: number[];
  disk: number[];
  net: number[];
}

interface StatsState {
  /** vmKey() -> figures. */
  byVm: Record<string, VmStatsHistory>;
  apply(event: Extract<BackendEvent, { type: 'host.stats' }>): void;
  dropHost(hostId: string): void;
}

/** The driver a vmKey() names (undefined for a QEMU VM's). */
const driverOfKey = (key: string): string | undefined => (JSON.parse(key) as string[])[2];

const push = (xs: number[] | undefined, x: number | undefined) => {
  const next = [...(xs ?? []), x ?? 0];
  return next.length > HISTORY ? next.slice(next.length - HISTORY) : next;
};

export const useStats = create<StatsState>()((set) => ({
  byVm: {},
  apply: (event) =>
    set((s) => {
      const byVm: Record<string, VmStatsHistory> = {};
      const prefix = hostKeyPrefix(event.hostId);
      // A sample is of one driver of the host (its VMs, or its containers): the other's stay.
      const driver = event.driver === 'qemu' ? undefined : event.driver;
      const sameDriver = (key: string) => driverOfKey(key) === driver;
      for (const [key, value] of Object.entries(s.byVm)) if (!key.startsWith(prefix) || !sameDriver(key)) byVm[key] = value;
      for (const [name, latest] of Object.entries(event.stats)) {
        const key = vmKey({ hostId: event.hostId, name, driver });
        const old = s.byVm[key];
        byVm[key] = {
          latest,
          times: push(old?.times, event.at / 1000),
          cpu: push(old?.cpu, latest.cpuPct),
          mem: push(old?.mem, latest.memUsedKiB),
          disk: push(old?.disk, (latest.diskReadBps ?? 0) + (latest.diskWriteBps ?? 0)),
          net: push(old?.net, (latest.netRxBps ?? 0) + (latest.netTxBps ?? 0)),
        };
      }
      return { byVm };
    }),
  dropHost: (hostId) =>
    set((s) => ({ byVm: Object.fromEntries(Object.entries(s.byVm).filter(([k]) => !k.startsWith(hostKeyPrefix(hostId)))) })),
}));
