// Moves of VMs between hosts as the backend reports them ('migration.progress'): the fleet marks
// the VM on both hosts while it moves, the dialog and the task pane show its bar.
import { create } from 'zustand';
import type { BackendEvent, MigrationStatus } from '../../shared/contract';

interface MigrationsState {
  byId: Record<string, MigrationStatus>;
  set(list: MigrationStatus[]): void;
  apply(event: Extract<BackendEvent, { type: 'migration.progress' }>): void;
}

export const useMigrations = create<MigrationsState>()((set) => ({
  byId: {},
  set: (list) => set({ byId: Object.fromEntries(list.map((m) => [m.migrationId, m])) }),
  apply: (event) => set((s) => ({ byId: { ...s.byId, [event.migration.migrationId]: event.migration } })),
}));

/** The running move of a VM that is on (or going to) `hostId`. */
export function movingOf(byId: Record<string, MigrationStatus>, hostId: string, name: string): MigrationStatus | undefined {
  return Object.values(byId).find((m) => m.state === 'running' && m.vm === name && (m.fromHostId === hostId || m.toHostId === hostId));
}
