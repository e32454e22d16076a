// The one Migrate dialog of the window, opened from a VM's actions or by a drop on a host. It
// lives beside the app shell, not inside the VM's page: the page changes when the VM leaves its
// host, and the dialog stays to show how the move ended.
import { create } from 'zustand';
import type { VmSummary } from '../../../shared/contract';
import { MigrateDialog } from './MigrateDialog';

interface Opened {
  vm: VmSummary;
  hostLabel: string;
  initialTo?: string;
}

export const useMigrateDialog = create<{ opened?: Opened; open(o: Opened): void; close(): void }>()((set) => ({
  open: (opened) => set({ opened }),
  close: () => set({ opened: undefined }),
}));

export function MigrateDialogHost() {
  const opened = useMigrateDialog((s) => s.opened);
  const close = useMigrateDialog((s) => s.close);
  if (!opened) return null;
  return <MigrateDialog key={`${opened.vm.hostId}/${opened.vm.name}`} vm={opened.vm} hostLabel={opened.hostLabel} initialTo={opened.initialTo} opened onClose={close} />;
}
