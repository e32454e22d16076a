// Words for a snapshot's facts, shared by the tab and its dialogs.
import type { SnapshotInfo, SnapshotPlan, VmSnapshots } from '../../../shared/contract';

export function heldState(s: SnapshotInfo): string {
  if (s.memory !== 'no') return s.state === 'paused' ? 'paused, with memory' : 'running, with memory';
  if (s.state === 'disk-snapshot') return 'disks only (VM was running)';
  if (s.state === 'shutoff') return 'shut off';
  return s.state;
}

export const formatTime = (epochS: number) => (epochS ? new Date(epochS * 1000).toLocaleString() : '—');

export function diskList(s: SnapshotInfo): string {
  const disks = s.disks.filter((d) => d.snapshot !== 'no');
  return disks.map((d) => (d.file ? `${d.name} → ${d.file}` : d.name)).join(', ') || '—';
}

/** What reverting discards, in words. */
export function revertLoss(s: SnapshotInfo, running: boolean): string {
  const disks = 'every change written to its disks since then';
  const memory = running ? ', and what it holds in memory now (open programs, unsaved work)' : '';
  return `Reverting puts the VM back to "${s.name}" as it was on ${formatTime(s.creationTime)}: ${disks}${memory} is lost. Snapshots taken since stay.`;
}

/** The plan of a new snapshot, for the take dialog. */
export const planFor = (data: VmSnapshots, memory: boolean): SnapshotPlan => (data.running && memory ? data.planWithMemory : data.planDiskOnly);
