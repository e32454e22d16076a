// A tuning run as one task in the task pane, with a step per VM: the run's bar counts VMs done,
// Cancel stops it, and each VM's step ends with its result (libvirt's message on failure).
import type { TuningRun } from '../../../shared/contract';
import { runItemStatusWords, runSummary } from '../../../shared/tuning';
import { api } from '../../app/api';
import { useTasks } from '../../store/tasks';
import { useTuning } from '../../store/tuning';

const ENDED = new Set(['applied', 'pending-restart', 'restarted', 'skipped', 'failed', 'cancelled']);

/** Follow run `runId` in the task pane until it ends. */
export function followRun(runId: string, title: string): void {
  const tasks = useTasks.getState();
  const task = tasks.begin(title, { cancel: () => void api.call('tuning.cancel', { runId }) });
  const steps = new Map<number, number>();
  const follow = (run: TuningRun | undefined): boolean => {
    if (!run) return false;
    const t = useTasks.getState();
    run.items.forEach((item, i) => {
      const label = `${item.name} on ${item.hostLabel}`;
      if (item.status === 'waiting') return;
      if (!steps.has(i)) steps.set(i, t.begin(`${title}: ${label}`, { parent: task }));
      const step = steps.get(i)!;
      if (!ENDED.has(item.status) || useTasks.getState().tasks.find((x) => x.id === step)?.status !== 'running') return;
      const words = `${runItemStatusWords(item.status)}${item.message ? `: ${item.message}` : ''}`;
      if (item.status === 'failed') t.finish(step, item.message ?? 'failed');
      else if (item.status === 'skipped' || item.status === 'cancelled') t.finish(step, words, { status: 'cancelled' });
      else t.finish(step, undefined, { detail: words });
    });
    const done = run.items.filter((i) => ENDED.has(i.status)).length;
    const total = run.items.length;
    if (run.state === 'running' || run.state === 'cancelling') {
      t.update(task, { progress: { percent: total ? (100 * done) / total : 0, bytes: done, total, rateBps: 0, text: `${done} of ${total} VMs${run.state === 'cancelling' ? ' · cancelling' : ''}` } });
      return false;
    }
    const failed = run.items.filter((i) => i.status === 'failed').length;
    if (run.state === 'cancelled') t.finish(task, `cancelled: ${runSummary(run)}`, { status: 'cancelled' });
    else t.finish(task, failed ? `${failed} failed: ${runSummary(run)}` : undefined, { detail: runSummary(run) });
    return true;
  };
  if (!follow(useTuning.getState().runs[runId])) {
    const stop = useTuning.subscribe((s) => {
      if (follow(s.runs[runId])) stop();
    });
  }
}
