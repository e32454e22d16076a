// Which page the main area shows: the fleet, one VM, or one host.
import { create } from 'zustand';

export type Page = { kind: 'fleet' } | { kind: 'vm'; hostId: string; name: string; tab?: VmTab } | { kind: 'host'; hostId: string };
export type VmTab = 'overview' | 'hardware' | 'console' | 'xml';

export const useNavigation = create<{ page: Page; go(page: Page): void }>()((set) => ({
  page: { kind: 'fleet' },
  go: (page) => set({ page }),
}));
