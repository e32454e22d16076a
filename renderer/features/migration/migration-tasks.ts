// A move as a task in the task pane: its bar from 'migration.progress', Cancel while it runs, and
// libvirt's message when it fails.
import type { MigrationStatus, Params } from '../../../shared/contract';
import { api } from '../../app/api';
import { useMigrations } from '../../store/migrations';
import { useTasks } from '../../store/tasks';

export function taskProgress(m: MigrationStatus) {
  const p = m.progress;
  if (!p) return undefined;
  const total = p.dataProcessed + p.dataRemaining;
  return { percent: p.percent, bytes: p.dataProcessed, total, rateBps: p.rateBps, etaSeconds: p.rateBps > 0 ? p.dataRemaining / p.rateBps : undefined };
}

/** Start a move; resolves to its id (or the refusal's words). The task follows it to its end. */
export async function startMove(req: Params<'migration.start'>, title: string): Promise<{ migrationId?: string; error?: string }> {
  const tasks = useTasks.getState();
  const task = tasks.begin(title);
  const outcome = await api.call('migration.start', req);
  if (!outcome.ok) {
    tasks.finish(task, outcome.error.message);
    return { error: outcome.error.message };
  }
  const { migrationId } = outcome.value;
  tasks.update(task, { cancel: () => void api.call('migration.cancel', { migrationId }) });
  const follow = (m: MigrationStatus | undefined) => {
    if (!m) return false;
    if (m.state === 'running') {
      const progress = taskProgress(m);
      if (progress) useTasks.getState().update(task, { progress });
      return false;
    }
    if (m.state === 'done') useTasks.getState().finish(task, undefined, { detail: m.phase });
    else if (m.state === 'cancelled') useTasks.getState().finish(task, m.phase, { status: 'cancelled' });
    else useTasks.getState().finish(task, m.error ?? m.phase);
    return true;
  };
  if (!follow(useMigrations.getState().byId[migrationId])) {
    const stop = useMigrations.subscribe((s) => {
      if (follow(s.byId[migrationId])) stop();
    });
  }
  return { migrationId };
}
