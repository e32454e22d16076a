// A clone request as a task: its bar from the backend's 'clone.progress' events (bytes copied of
// all its disks, the copy and step in the title), and its end saying which copies were made and
// which failed, with why.
import type { CloneParams, CloneProgress } from '../../../shared/contract';
import { api } from '../../app/api';
import { useTasks } from '../../store/tasks';

const taskOf = new Map<string, { task: number; title: string; started: number }>();
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  api.onEvent((e) => {
    if (e.type === 'clone.progress') apply(e.progress);
  });
}

function apply(p: CloneProgress): void {
  const t = taskOf.get(p.progressId);
  if (!t) return;
  const seconds = (Date.now() - t.started) / 1000;
  const rateBps = seconds > 0 ? p.bytes / seconds : 0;
  useTasks.getState().update(t.task, {
    title: `${t.title}: ${p.clone}, ${p.step}`,
    progress: {
      percent: p.total ? (100 * p.bytes) / p.total : 0,
      bytes: p.bytes,
      total: p.total,
      rateBps,
      etaSeconds: rateBps > 0 ? (p.total - p.bytes) / rateBps : undefined,
    },
  });
}

/** Clone as one task; resolves to the names made (none when it was refused). */
export async function cloneAsTask(title: string, params: Omit<CloneParams, 'progressId'>): Promise<string[]> {
  listen();
  const progressId = crypto.randomUUID();
  const task = useTasks.getState().begin(title);
  taskOf.set(progressId, { task, title, started: Date.now() });
  const outcome = await api.call('vm.clone', { ...params, progressId });
  taskOf.delete(progressId);
  const tasks = useTasks.getState();
  tasks.update(task, { title });
  if (!outcome.ok) {
    tasks.finish(task, outcome.error.message);
    return [];
  }
  const { made, failed } = outcome.value;
  const madeText = made.length ? `made ${made.map((m) => m.name).join(', ')}` : 'nothing was made';
  if (failed.length) tasks.finish(task, `${failed.map((f) => `${f.name}: ${f.error}`).join('; ')} (left nothing behind); ${madeText}`);
  else tasks.finish(task, undefined, { detail: madeText });
  return made.map((m) => m.name);
}
