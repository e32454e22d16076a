// Which page the main area shows: the fleet, one VM, one host, the open consoles, or storage.
import { create } from 'zustand';
import type { VmRef } from './vm-ref';

export type Page = { kind: 'fleet' } | { kind: 'vm'; vm: VmRef; tab?: VmTab } | { kind: 'host'; hostId: string; tab?: HostTab } | { kind: 'consoles' } | { kind: 'storage' } | { kind: 'networks' } | { kind: 'tuning' } | { kind: 'hosts' };
export type HostTab = 'overview' | 'networks';
export type VmTab = 'overview' | 'hardware' | 'snapshots' | 'console' | 'xml' | 'config';

export const useNavigation = create<{ page: Page; go(page: Page): void }>()((set) => ({
  page: { kind: 'fleet' },
  go: (page) => set({ page }),
}));
