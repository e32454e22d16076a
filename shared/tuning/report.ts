// The report of a tuning run, to save: what changed where, what was skipped and why.
import type { RunItem, RunItemStatus, TuningRun } from './types';

const STATUS_WORDS: Record<RunItemStatus, string> = {
  waiting: 'waiting',
  running: 'running',
  applied: 'applied',
  'pending-restart': 'applied, pending restart',
  restarted: 'applied and restarted',
  skipped: 'skipped',
  failed: 'failed',
  cancelled: 'not touched (cancelled)',
};

export const runItemStatusWords = (s: RunItemStatus): string => STATUS_WORDS[s];

/** How many items ended in each status, e.g. "3 applied and restarted, 1 skipped". */
export function runSummary(run: Pick<TuningRun, 'items'>): string {
  const counts = new Map<RunItemStatus, number>();
  for (const i of run.items) counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${STATUS_WORDS[s]}`).join(', ');
}

const WRITTEN: ReadonlySet<RunItemStatus> = new Set(['applied', 'pending-restart', 'restarted']);

/** What changed on a VM; for one left as it was, what was planned, said as not made. */
export function changesOf(i: RunItem): string {
  if (WRITTEN.has(i.status) || !i.changes.length) return i.changes.join('; ');
  return `not made (planned: ${i.changes.join('; ')})`;
}

const iso = (ms?: number) => (ms ? new Date(ms).toISOString() : '');
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function reportMarkdown(run: TuningRun): string {
  const lines = [
    `# ${run.title}`,
    '',
    `- Run: ${run.runId} (${run.kind}${run.undoOf ? ` of ${run.undoOf}` : ''})`,
    `- Started: ${iso(run.startedAt)}${run.endedAt ? `, ended: ${iso(run.endedAt)}` : ''}`,
    `- Options: snapshot first ${run.options.snapshotFirst ? 'on' : 'off'}, restart ${run.options.restart}, ${run.options.perHost} per host`,
    `- Result: ${runSummary(run)}`,
    '',
    '| Host | VM | Result | Changes | Snapshot | Message |',
    '| --- | --- | --- | --- | --- | --- |',
    ...run.items.map((i) => `| ${cell(i.hostLabel)} | ${cell(i.name)} | ${STATUS_WORDS[i.status]} | ${cell(changesOf(i))} | ${cell(i.snapshot ?? '')} | ${cell(i.message ?? '')} |`),
    '',
  ];
  return lines.join('\n');
}

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function reportCsv(run: TuningRun): string {
  const head = ['host', 'vm', 'status', 'changes', 'snapshot', 'message', 'started', 'ended'];
  const row = (i: RunItem) => [i.hostLabel, i.name, i.status, changesOf(i), i.snapshot ?? '', i.message ?? '', iso(i.startedAt), iso(i.endedAt)];
  return [head, ...run.items.map(row)].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
