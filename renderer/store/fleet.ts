// The fleet as the renderer knows it: connections and their VMs, kept current by pushed events.
import { create } from 'zustand';
import type { BackendEvent, HostStatus, Prompt, VmSummary } from '../../shared/contract';
import { findVm, type VmRef } from './vm-ref';

export interface FleetState {
  hosts: Record<string, HostStatus>;
  /** VMs per host id, as each host last reported them. */
  vmsByHost: Record<string, VmSummary[]>;
  search: string;
  /** Questions from the backend waiting for an answer (host keys, passphrases, passwords). */
  prompts: Prompt[];
  setSearch(search: string): void;
  setHosts(hosts: HostStatus[]): void;
  setVms(vms: VmSummary[]): void;
  apply(event: BackendEvent): void;
}

export const useFleet = create<FleetState>()((set) => ({
  hosts: {},
  vmsByHost: {},
  search: '',
  prompts: [],
  setSearch: (search) => set({ search }),
  setHosts: (hosts) => set({ hosts: Object.fromEntries(hosts.map((h) => [h.config.id, h])) }),
  setVms: (vms) => {
    const vmsByHost: Record<string, VmSummary[]> = {};
    for (const vm of vms) (vmsByHost[vm.hostId] ??= []).push(vm);
    set({ vmsByHost });
  },
  apply: (event) =>
    set((s) => {
      switch (event.type) {
        case 'host.status':
          return { hosts: { ...s.hosts, [event.status.config.id]: event.status } };
        case 'host.removed': {
          const { [event.hostId]: _h, ...hosts } = s.hosts;
          const { [event.hostId]: _v, ...vmsByHost } = s.vmsByHost;
          return { hosts, vmsByHost };
        }
        case 'host.vms':
          return { vmsByHost: { ...s.vmsByHost, [event.hostId]: event.vms } };
        case 'prompt':
          return { prompts: [...s.prompts, event.prompt] };
        case 'prompt.closed':
          return { prompts: s.prompts.filter((p) => p.id !== event.promptId) };
        default:
          // Events other stores own (stats, consoles) leave the fleet as it is.
          return {};
      }
    }),
}));

/** Every VM of every host, filtered by the search box (name, title or host label). */
export function selectVisibleVms(s: Pick<FleetState, 'hosts' | 'vmsByHost' | 'search'>): VmSummary[] {
  const needle = s.search.trim().toLowerCase();
  const all = Object.values(s.vmsByHost).flat();
  if (!needle) return all;
  return all.filter(
    (vm) =>
      vm.name.toLowerCase().includes(needle) ||
      (vm.title?.toLowerCase().includes(needle) ?? false) ||
      (s.hosts[vm.hostId]?.config.label.toLowerCase().includes(needle) ?? false),
  );
}

/** The VM's summary while its host lists it. */
export const useVm = (vm: VmRef): VmSummary | undefined => useFleet((s) => findVm(s.vmsByHost, vm));

/** A host's label, or its id once the connection is gone. */
export const useHostLabel = (hostId: string): string => useFleet((s) => s.hosts[hostId]?.config.label ?? hostId);
