// Which page the main area shows: the fleet, one VM, one host, the open consoles, or storage.
import { create } from 'zustand';
import type { VmRef } from './vm-ref';

export type Page = { kind: 'fleet' } | { kind: 'vm'; vm: VmRef; tab?: VmTab } | { kind: 'host'; hostId: string } | { kind: 'consoles' } | { kind: 'storage' };
export type VmTab = 'overview' | 'hardware' | 'console' | 'xml';

export const useNavigation = create<{ page: Page; go(page: Page): void }>()((set) => ({
  page: { kind: 'fleet' },
  go: (page) => set({ page }),
}));
