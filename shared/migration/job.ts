// A migration's progress from `virsh domjobinfo --rawstats` (libvirt's typed parameters, numbers
// and no translated words), as the bar and the figures beside it. virsh 9.0 prints them as
// `Job type: N` then `field: value` lines; `field=value` is read too.

export interface MigrationProgress {
  /** 0–100 over data (memory and disks) processed of data total. */
  percent: number;
  dataProcessed: number;
  dataRemaining: number;
  dataTotal: number;
  memoryRemaining: number;
  diskRemaining: number;
  /** Bytes per second, memory and disk together, as libvirt last measured them. */
  rateBps: number;
  /** libvirt's expected downtime (ms) at the switch-over, when it says. */
  downtimeMs: number | null;
  elapsedMs: number;
}

/** libvirt's virDomainJobType: what the job is doing. */
export const JOB_TYPES = ['none', 'bounded', 'unbounded', 'completed', 'failed', 'cancelled'] as const;
export type JobType = (typeof JOB_TYPES)[number];

export function parseJobStats(text: string): Map<string, string> {
  const stats = new Map<string, string>();
  for (const line of text.split('\n')) {
    const t = line.trim();
    const type = /^Job type:\s*(\d+)$/.exec(t);
    if (type) {
      stats.set('type', type[1]!);
      continue;
    }
    const m = /^([a-z][a-z0-9_.]*)\s*(?:=|:\s)\s*(.*)$/.exec(t);
    if (m) stats.set(m[1]!, m[2]!.trim());
  }
  return stats;
}

/** The job's type, and its progress while it moves data; null progress when there is no job. */
export function jobProgress(text: string): { type: JobType; progress: MigrationProgress | null } {
  const s = parseJobStats(text);
  const n = (k: string) => {
    const v = Number(s.get(k));
    return Number.isFinite(v) ? v : 0;
  };
  const type = JOB_TYPES[n('type')] ?? 'none';
  if (type === 'none' || !s.has('data_total')) return { type, progress: null };
  const total = n('data_total');
  const processed = n('data_processed');
  const remaining = n('data_remaining');
  // data_total grows as dirtied pages are sent again: progress is what is done of done + left.
  const denominator = processed + remaining || total;
  return {
    type,
    progress: {
      percent: denominator > 0 ? Math.min(100, Math.max(0, (processed / denominator) * 100)) : 0,
      dataProcessed: processed,
      dataRemaining: remaining,
      dataTotal: total,
      memoryRemaining: n('memory_remaining'),
      diskRemaining: n('disk_remaining'),
      rateBps: n('memory_bps') + n('disk_bps'),
      downtimeMs: s.has('downtime') ? n('downtime') : null,
      elapsedMs: n('time_elapsed'),
    },
  };
}
