// A volume chosen elsewhere (the storage view's "Attach to a VM") for a VM's Add disk form: the
// hardware editor opens the form with it filled in, then the offer is gone.
import { create } from 'zustand';
import { vmKey, type VmRef } from './vm-ref';

export interface DiskHandover {
  vm: VmRef;
  pool: string;
  volume: string;
}

export const useDiskHandover = create<{ pending?: DiskHandover; offer(h: DiskHandover): void; take(vm: VmRef): DiskHandover | undefined }>()((set, get) => ({
  offer: (pending) => set({ pending }),
  take: (vm) => {
    const p = get().pending;
    if (!p || vmKey(p.vm) !== vmKey(vm)) return undefined;
    set({ pending: undefined });
    return p;
  },
}));
