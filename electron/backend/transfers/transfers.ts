// Every transfer of the backend: uploads into a pool, downloads out of one, copies between hosts.
// Bytes flow chunk by chunk from source to sink (pump.ts) — a file, an HTTP body, a host's
// `vol-download` — so memory holds a few chunks whatever the volume's size. Browser mode gets a
// one-time ticket first and brings the bytes over HTTP (electron/web/transfer-http.ts).
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { BackendEvent, TransferKind, TransferProgress, VolumeRef } from '../../../shared/contract/index.js';
import { parsePoolXml } from '../../../shared/storage/index.js';
import { detectImage, IMAGE_HEADER_BYTES, poolRoomProblem } from '../../../shared/transfers/index.js';
import { UserError } from '../errors.js';
import type { ExecStream } from '../exec/session.js';
import { endSink, firstBytes, pump, takeHead } from './pump.js';
import { TransferRun } from './run.js';
import { abortAndWait, createVolume, deleteVolume, openDownload, openUpload, streamEnded, volumeFacts, type VolumeHost } from './volume-io.js';

/** A browser-mode ticket must be used within this long. */
const TICKET_MS = 60_000;

export type Launched = { id: string; done: Promise<TransferProgress> };

type Ticket = { kind: 'upload'; dest: VolumeRef; size: number; expires: number } | { kind: 'download'; src: VolumeRef; expires: number };

/** Where the bytes of a download go, once their count is known. */
export type DownloadSink = (total: number, fileName: string) => Writable;

/** A stream's stdout read without destroying the channel at its end (its exit status follows). */
const readOut = (s: ExecStream) => s.stdout.iterator({ destroyOnReturn: false });

export class Transfers {
  private readonly runs = new Map<string, TransferRun>();
  private readonly tickets = new Map<string, Ticket>();

  constructor(
    private readonly host: (hostId: string) => VolumeHost,
    private readonly emit: (event: BackendEvent) => void,
  ) {}

  // ---- browser mode: a ticket now, the bytes over HTTP next -------------------------------------

  async prepareUpload(dest: VolumeRef, size: number): Promise<string> {
    if (!Number.isSafeInteger(size) || size <= 0) throw new UserError('invalid-input', 'An upload needs a file with at least one byte');
    checkName(dest.name);
    await this.requireRoom(dest, size);
    return this.ticket({ kind: 'upload', dest, size, expires: Date.now() + TICKET_MS });
  }

  async prepareDownload(src: VolumeRef): Promise<string> {
    await volumeFacts(this.host(src.hostId), src.pool, src.name);
    return this.ticket({ kind: 'download', src, expires: Date.now() + TICKET_MS });
  }

  /** The upload a ticket announced, its bytes from `body`; `stop` ends the body early on cancel. */
  acceptUpload(ticketId: string, body: AsyncIterable<Buffer>, stop: () => void): Promise<TransferProgress> {
    const t = this.redeem(ticketId, 'upload');
    return this.upload(t.dest, t.size, body, stop, ticketId).done;
  }

  acceptDownload(ticketId: string, sink: DownloadSink): Promise<TransferProgress> {
    return this.download(this.redeem(ticketId, 'download').src, sink, ticketId).done;
  }

  // ---- the Electron app: paths from the native dialogs -----------------------------------------

  async uploadFile(dest: VolumeRef, path: string): Promise<string> {
    checkName(dest.name);
    const size = (await stat(path).catch(() => null))?.size;
    if (!size) throw new UserError('invalid-input', `Cannot read a file with bytes at ${path}`);
    await this.requireRoom(dest, size);
    const file = createReadStream(path, { highWaterMark: 256 * 1024 });
    return this.upload(dest, size, file, () => file.destroy()).id;
  }

  async downloadFile(src: VolumeRef, path: string): Promise<string> {
    let file: Writable | undefined;
    const { id, done } = this.download(src, () => (file = createWriteStream(path, { flags: 'wx' })));
    // A cancelled or failed download leaves no partial file behind.
    void done.then((p) => (p.state !== 'done' && file ? unlink(path).catch(() => undefined) : undefined));
    return id;
  }

  // ---- the transfers ---------------------------------------------------------------------------

  copy(src: VolumeRef, dest: VolumeRef): string {
    return this.copyVolume(src, dest).id;
  }

  /** copy(), also giving the promise of its end (a cold move waits for each disk's copy). */
  copyVolume(src: VolumeRef, dest: VolumeRef): Launched {
    checkName(dest.name);
    if (src.hostId === dest.hostId && src.pool === dest.pool && src.name === dest.name) throw new UserError('invalid-input', 'A volume cannot be copied onto itself');
    const from = this.host(src.hostId);
    const to = this.host(dest.hostId);
    return this.launch('copy', `Copy ${src.name} from ${from.label} to ${to.label}:${dest.pool}`, undefined, async (run) => {
      const facts = await volumeFacts(from, src.pool, src.name);
      run.begin(facts.streamBytes);
      await createVolume(to, dest.pool, { name: dest.name, capacity: facts.capacity, format: facts.format });
      run.onUndo(() => deleteVolume(to, dest.pool, dest.name));
      const down = await this.stream(run, openDownload(from, src.pool, src.name));
      const up = await this.stream(run, openUpload(to, dest.pool, dest.name));
      await pump([], readOut(down), up.stdin, run.count, run.signal).catch((err) => explain(err, down, up));
      await streamEnded(down, 'vol-download');
      await endSink(up.stdin);
      await streamEnded(up, 'vol-upload');
    });
  }

  cancel(transferId: string): void {
    const run = this.runs.get(transferId);
    if (run) return run.cancel();
    if (this.tickets.delete(transferId)) return;
    throw new UserError('not-found', 'No such transfer (it may have ended already)');
  }

  cancelAll(): void {
    for (const run of this.runs.values()) run.cancel();
  }

  private upload(dest: VolumeRef, size: number, body: AsyncIterable<Buffer>, stop: () => void, ticketId?: string): Launched {
    const to = this.host(dest.hostId);
    return this.launch('upload', `Upload ${dest.name} to ${to.label}:${dest.pool}`, ticketId, async (run) => {
      run.onCancel(stop);
      run.begin(size);
      // The format is the file's own (qcow2 by its magic), read off its first bytes.
      const { head, rest } = await takeHead(body, IMAGE_HEADER_BYTES);
      const image = detectImage(firstBytes(head, IMAGE_HEADER_BYTES), size);
      run.signal.throwIfAborted();
      await createVolume(to, dest.pool, { name: dest.name, capacity: image.capacity, format: image.format });
      run.onUndo(() => deleteVolume(to, dest.pool, dest.name));
      const up = await this.stream(run, openUpload(to, dest.pool, dest.name));
      await pump(head, rest, up.stdin, run.count, run.signal).catch((err) => explain(err, up));
      if (run.bytes !== size) throw new Error(`The file ended after ${run.bytes} of ${size} bytes`);
      await endSink(up.stdin);
      await streamEnded(up, 'vol-upload');
    });
  }

  private download(src: VolumeRef, sink: DownloadSink, ticketId?: string): Launched {
    const from = this.host(src.hostId);
    return this.launch('download', `Download ${src.name} from ${from.label}:${src.pool}`, ticketId, async (run) => {
      const facts = await volumeFacts(from, src.pool, src.name);
      run.begin(facts.streamBytes);
      const down = await this.stream(run, openDownload(from, src.pool, src.name));
      const out = sink(facts.streamBytes, src.name);
      run.onCancel(() => out.destroy());
      await pump([], readOut(down), out, run.count, run.signal).catch((err) => explain(err, down));
      await streamEnded(down, 'vol-download');
      await endSink(out);
    });
  }

  /** A command stream of a run: stopped on cancel, and on failure before any volume is deleted. */
  private async stream(run: TransferRun, opening: Promise<ExecStream>): Promise<ExecStream> {
    const s = await opening;
    run.onUndo(() => abortAndWait(s));
    run.onCancel(() => s.abort());
    return s;
  }

  /** Start a transfer: it runs on, its id goes back to the caller now, its end comes as an event.
   *  A browser-mode transfer keeps its ticket's id, which the page already follows. */
  private launch(kind: TransferKind, title: string, id: string | undefined, body: (run: TransferRun) => Promise<void>): Launched {
    const run = new TransferRun(id ?? randomBytes(18).toString('base64url'), kind, title, this.emit);
    this.runs.set(run.id, run);
    const done = run.execute(() => body(run)).finally(() => this.runs.delete(run.id));
    return { id: run.id, done };
  }

  private ticket(t: Ticket): string {
    for (const [id, old] of this.tickets) if (old.expires < Date.now()) this.tickets.delete(id);
    const id = randomBytes(18).toString('base64url');
    this.tickets.set(id, t);
    return id;
  }

  private redeem<K extends Ticket['kind']>(id: string, kind: K): Extract<Ticket, { kind: K }> {
    const t = this.tickets.get(id);
    this.tickets.delete(id);
    if (!t || t.kind !== kind || t.expires < Date.now()) throw new UserError('not-found', 'This transfer is unknown or has expired');
    return t as Extract<Ticket, { kind: K }>;
  }

  /** The pool exists and has room for `size` bytes (read fresh: others write into it too). */
  private async requireRoom(ref: VolumeRef, size: number): Promise<void> {
    const host = this.host(ref.hostId);
    await host.virsh.run(['pool-refresh', '--pool', ref.pool]);
    const pool = parsePoolXml(await host.virsh.run(['pool-dumpxml', '--pool', ref.pool]));
    const problem = poolRoomProblem({ name: ref.pool, where: host.label, available: pool.available }, size);
    if (problem) throw new UserError('invalid-input', problem);
  }
}

function checkName(name: string): void {
  if (!name.trim()) throw new UserError('invalid-input', 'The new volume needs a name');
  if (name.includes('/')) throw new UserError('invalid-input', `A volume name cannot contain "/": ${name}`);
}

/** A pump that failed because a command went away says what the command said, when it said anything. */
async function explain(err: unknown, ...streams: ExecStream[]): Promise<never> {
  for (const s of streams) {
    const r = await Promise.race([s.done, new Promise<null>((ok) => setTimeout(() => ok(null), 2000).unref())]);
    if (r && r.code !== 0 && r.stderr.trim()) await streamEnded(s, 'virsh');
  }
  throw err;
}
