// Fleet-wide tuning, app-wide: the last scan's finding count per VM (the fleet table's Tuning
// column) and the tuning runs as 'tuning.progress' reports them (the tuning page, the task pane).
import { create } from 'zustand';
import type { BackendEvent, TuningRun, TuningScan } from '../../shared/contract';
import { vmKey } from './vm-ref';

interface TuningState {
  /** Findings per VM (vmKey) at the last scan; absent for a VM the scan did not read. */
  counts: Record<string, number>;
  scannedAt: number | null;
  runs: Record<string, TuningRun>;
  setScan(scan: TuningScan): void;
  setRuns(runs: TuningRun[]): void;
  apply(event: Extract<BackendEvent, { type: 'tuning.progress' }>): void;
}

export const useTuning = create<TuningState>()((set) => ({
  counts: {},
  scannedAt: null,
  runs: {},
  setScan: (scan) => set({ counts: Object.fromEntries(scan.vms.map((v) => [vmKey({ hostId: v.hostId, name: v.name }), v.findings.length])), scannedAt: scan.scannedAt }),
  setRuns: (runs) => set({ runs: Object.fromEntries(runs.map((r) => [r.runId, r])) }),
  apply: (event) => set((s) => ({ runs: { ...s.runs, [event.run.runId]: event.run } })),
}));
