// Transfers as tasks in the task pane: each gets a task at once, its progress from the backend's
// 'transfer.progress' events (bar, rate, time left), a Cancel while it runs and the SHA-256 of
// what was sent when it is done. The bytes travel by the transport's own way: browser mode PUTs
// the picked File to the web host (the browser streams it from disk) and saves a download the
// host streams back; the Electron app hands the backend a path from its native dialog.
import type { PickedFile, TransferProgress, VolumeRef } from '../../../shared/contract';
import { api } from '../../app/api';
import { socketQuery } from '../../app/transport/page-token';
import { useStorage } from '../../store/storage';
import { useTasks } from '../../store/tasks';

/** transfer id → its task, and the host whose storage changes when it ends (uploads, copies). */
const taskOf = new Map<string, number>();
const changes = new Map<string, string>();
/** Events that came before their ticket's answer (a copy starts at once); a few are kept. */
const early = new Map<string, TransferProgress>();
const EARLY_KEEP = 64;
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  api.onEvent((e) => {
    if (e.type !== 'transfer.progress') return;
    const task = taskOf.get(e.progress.transferId);
    if (task !== undefined) return apply(task, e.progress);
    early.set(e.progress.transferId, e.progress);
    if (early.size > EARLY_KEEP) early.delete(early.keys().next().value!);
  });
}

function apply(task: number, p: TransferProgress): void {
  const tasks = useTasks.getState();
  if (p.state === 'running' || p.state === 'waiting') {
    tasks.update(task, { progress: { percent: p.percent, bytes: p.bytes, total: p.total, rateBps: p.rateBps, etaSeconds: p.etaSeconds } });
    return;
  }
  taskOf.delete(p.transferId);
  const changed = changes.get(p.transferId);
  changes.delete(p.transferId);
  if (changed) void refreshStorage(changed);
  if (p.state === 'done') tasks.finish(task, undefined, { detail: p.sha256 && `SHA-256 ${p.sha256}` });
  else if (p.state === 'cancelled') tasks.finish(task, 'Cancelled; nothing was left behind', { status: 'cancelled' });
  else tasks.finish(task, p.error ?? 'The transfer failed');
}

/** The host's storage read again, so a new (or removed) volume shows in the storage view. */
async function refreshStorage(hostId: string): Promise<void> {
  const outcome = await api.call('storage.list', { hostId });
  if (outcome.ok) useStorage.getState().set(outcome.value);
}

/** The names of a host's active pools (a copy's targets). */
export async function activePools(hostId: string): Promise<string[]> {
  const outcome = await api.call('storage.list', { hostId });
  return outcome.ok ? outcome.value.pools.filter((p) => p.active).map((p) => p.name) : [];
}

/** Follow a transfer in its task, including what it reported before its id arrived. */
function follow(task: number, transferId: string, changesHost?: string): void {
  taskOf.set(transferId, task);
  if (changesHost) changes.set(transferId, changesHost);
  useTasks.getState().update(task, { cancel: () => void api.call('transfer.cancel', { transferId }) });
  const seen = early.get(transferId);
  early.delete(transferId);
  if (seen) apply(task, seen);
}

const isRunning = (task: number) => useTasks.getState().tasks.some((t) => t.id === task && t.status === 'running');

/** Start a task whose transfer the backend announces by id (or refuses with libvirt's words). */
async function startTask(
  title: string,
  start: () => Promise<{ ok: true; value: { transferId: string } } | { ok: false; error: { message: string } }>,
  changesHost?: string,
  onTask?: (task: number) => void,
) {
  listen();
  const task = useTasks.getState().begin(title);
  onTask?.(task);
  const ticket = await start();
  if (!ticket.ok) {
    useTasks.getState().finish(task, ticket.error.message);
    return null;
  }
  follow(task, ticket.value.transferId, changesHost);
  return { task, transferId: ticket.value.transferId };
}

/** The web host's byte path for a ticket (same prefix as the page; the cookie authorises it too). */
const transferUrl = (transferId: string) => `${new URL('transfer', location.href).pathname}?${socketQuery({ id: transferId })}`;

export const canPickLocalFiles = () => typeof api.pickFile === 'function';

/** Browser mode: upload a File from the picker into a new volume. `onTask` hears the task's id
 *  at once (a view that shows the upload itself follows that task). */
export async function uploadBrowserFile(file: File, dest: VolumeRef, where: string, onTask?: (task: number) => void): Promise<void> {
  const started = await startTask(`Upload ${dest.name} to ${where}`, () => api.call('transfer.prepareUpload', { ...dest, size: file.size }), dest.hostId, onTask);
  if (!started) return;
  // Cancel ends the request from this side first (the host takes that as the cancel), so the
  // browser never sees its upload cut off by the host.
  const sending = new AbortController();
  useTasks.getState().update(started.task, {
    cancel: () => {
      sending.abort();
      void api.call('transfer.cancel', { transferId: started.transferId });
    },
  });
  try {
    const res = await fetch(transferUrl(started.transferId), { method: 'PUT', body: file, headers: { 'Content-Type': 'application/octet-stream' }, signal: sending.signal });
    const body = (await res.json().catch(() => null)) as (Partial<TransferProgress> & { error?: string }) | null;
    if (!res.ok && isRunning(started.task)) useTasks.getState().finish(started.task, body?.error ?? `The upload was refused (${res.status})`);
  } catch (err) {
    // The backend's last event says how it ended; a request that failed before it began did not.
    if (sending.signal.aborted) return;
    if (isRunning(started.task) && !useTasks.getState().tasks.find((t) => t.id === started.task)?.progress) {
      useTasks.getState().finish(started.task, (err as Error).message);
    }
  }
}

/** The Electron app: upload a file chosen in the native open dialog. */
export async function uploadLocalFile(file: PickedFile, dest: VolumeRef, where: string, onTask?: (task: number) => void): Promise<void> {
  await startTask(`Upload ${dest.name} to ${where}`, () => api.call('transfer.uploadFile', { ...dest, path: file.path }), dest.hostId, onTask);
}

/** Upload what a LocalFilePicker chose, by the transport's way. */
export function uploadPicked(f: { kind: 'browser'; file: File } | { kind: 'native'; picked: PickedFile }, dest: VolumeRef, where: string, onTask?: (task: number) => void): Promise<void> {
  return f.kind === 'native' ? uploadLocalFile(f.picked, dest, where, onTask) : uploadBrowserFile(f.file, dest, where, onTask);
}

/** Download a volume: the browser saves the web host's streamed answer; the app asks where first. */
export async function downloadVolume(src: VolumeRef, where: string): Promise<void> {
  const title = `Download ${src.name} from ${where}`;
  if (canPickLocalFiles()) {
    const target = await api.pickFile!('save', src.name);
    if (target) await startTask(title, () => api.call('transfer.downloadFile', { ...src, path: target.path }));
    return;
  }
  const started = await startTask(title, () => api.call('transfer.prepareDownload', src));
  if (!started) return;
  const a = document.createElement('a');
  a.href = transferUrl(started.transferId);
  a.download = src.name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

/** Copy a volume into another host's pool, through this app. */
export async function copyVolume(src: VolumeRef, dest: VolumeRef, title: string): Promise<void> {
  await startTask(title, () => api.call('transfer.copy', { ...src, toHostId: dest.hostId, toPool: dest.pool, toName: dest.name }), dest.hostId);
}
