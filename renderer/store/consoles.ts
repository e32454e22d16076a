// The console workspace: every console the person has open, shown as tabs. Each stays connected
// (mounted, just hidden) while another tab or another page is on screen, until its tab is closed.
// A detached console lives in its own window; its tab stays, says so, and can bring it back.
import { create } from 'zustand';
import { vmKey, vmRef, type VmRef } from './vm-ref';

export interface OpenConsole extends VmRef {
  /** vmKey(): one console per VM. */
  key: string;
  /** Shown in its own window instead of here. */
  detached: boolean;
}

interface ConsolesState {
  open: OpenConsole[];
  active: string | null;
  /** Add the VM's console (or bring its tab forward) and make it the active tab. */
  show(vm: VmRef): void;
  select(key: string): void;
  close(key: string): void;
  setDetached(key: string, detached: boolean): void;
}

export const useConsoles = create<ConsolesState>()((set) => ({
  open: [],
  active: null,
  show: (vm) =>
    set((s) => {
      const key = vmKey(vm);
      return s.open.some((c) => c.key === key) ? { active: key } : { open: [...s.open, { key, ...vmRef(vm), detached: false }], active: key };
    }),
  select: (key) => set({ active: key }),
  close: (key) =>
    set((s) => {
      const index = s.open.findIndex((c) => c.key === key);
      if (index < 0) return s;
      const open = s.open.filter((c) => c.key !== key);
      // Closing the active tab selects its neighbour, as browsers do.
      const active = s.active === key ? (open[Math.min(index, open.length - 1)]?.key ?? null) : s.active;
      return { open, active };
    }),
  setDetached: (key, detached) => set((s) => ({ open: s.open.map((c) => (c.key === key ? { ...c, detached } : c)) })),
}));

/** The hash route of a console alone in its own window: `#console=<hostId>/<name>`. */
export function detachedConsoleHash(vm: VmRef): string {
  return `#console=${encodeURIComponent(vm.hostId)}/${encodeURIComponent(vm.name)}`;
}

/** The console this window shows alone, when it was opened as a detached console. */
export function parseDetachedConsoleHash(hash: string): VmRef | null {
  const m = /^#console=([^/]+)\/(.+)$/.exec(hash);
  if (!m) return null;
  try {
    return { hostId: decodeURIComponent(m[1]!), name: decodeURIComponent(m[2]!) };
  } catch {
    return null;
  }
}
