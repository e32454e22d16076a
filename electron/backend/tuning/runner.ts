// Applying a tuning plan, and undoing it, as one run: hosts side by side, on each host at most
// `perHost` VMs at a time. Per VM: the lost-update guard (a VM whose persistent XML is no longer
// the plan's base is skipped and listed), a snapshot first where asked, the define (with live
// changes where libvirt can), then the restart policy. Cancel stops handing out VMs: those not
// reached stay untouched. The XML each VM had before is kept for the undo.
import type { ApplyItem, ApplyOptions, RestartPolicy, RunItem, TuningRun } from '../../../shared/tuning/index.js';
import { editLiveRule } from '../../../shared/domain-xml/index.js';
import { snapshotFirstName } from '../../../shared/snapshots/first.js';
import { applyDomainEdits, getXml, sameXml, type VirshRunner } from '../libvirt/domain-editor.js';
import { createSnapshot } from '../libvirt/snapshots.js';
import { restartVm } from './restart.js';

/** What a run needs of a host. */
export interface RunHost {
  label: string;
  virsh: VirshRunner;
}

interface Written {
  hostId: string;
  name: string;
  beforeXml: string;
  afterXml: string;
}

interface Run {
  public: TuningRun;
  cancelled: boolean;
  written: Written[];
  done: Promise<void>;
}

type Work = (item: RunItem, index: number) => Promise<Partial<RunItem>>;

const MAX_PER_HOST = 8;
const KEEP_RUNS = 20;

export class TuningRuns {
  private readonly runs = new Map<string, Run>();
  private seq = 0;

  constructor(
    private readonly hostOf: (hostId: string) => RunHost,
    private readonly emit: (run: TuningRun) => void,
  ) {}

  list(): TuningRun[] {
    return [...this.runs.values()].map((r) => r.public).reverse();
  }

  /** Settles when the run has ended (bench and tests). */
  finished(runId: string): Promise<void> {
    return this.get(runId).done;
  }

  cancel(runId: string): void {
    const run = this.get(runId);
    if (run.public.state !== 'running') return;
    run.cancelled = true;
    run.public = { ...run.public, state: 'cancelling' };
    this.emit(run.public);
  }

  apply(title: string, items: readonly ApplyItem[], options: ApplyOptions): string {
    const run = this.start('apply', title, options, items.map((i) => ({ hostId: i.hostId, name: i.name, changes: i.changes })));
    run.done = this.execute(run, options.perHost, async (_item, i) => this.applyOne(run, items[i]!, options));
    return run.public.runId;
  }

  undo(runId: string, restart: RestartPolicy = 'leave-pending'): string {
    const of = this.get(runId);
    if (of.public.kind !== 'apply') throw new Error(`${runId} is an undo itself`);
    if (of.public.state === 'running' || of.public.state === 'cancelling') throw new Error(`${runId} is still running`);
    if (!of.written.length) throw new Error(`${runId} changed no VM: nothing to undo`);
    const options: ApplyOptions = { ...of.public.options, snapshotFirst: false, restart };
    const written = [...of.written];
    const run = this.start('undo', `Undo ${of.public.title}`, options, written.map((w) => ({ hostId: w.hostId, name: w.name, changes: ['previous definition restored'] })), runId);
    run.done = this.execute(run, options.perHost, async (_item, i) => this.undoOne(written[i]!, restart)).then(() => {
      of.public = { ...of.public, undoable: false };
      this.emit(of.public);
    });
    return run.public.runId;
  }

  private get(runId: string): Run {
    const run = this.runs.get(runId);
    if (!run) throw new Error(`No tuning run ${runId}`);
    return run;
  }

  private start(kind: 'apply' | 'undo', title: string, options: ApplyOptions, items: { hostId: string; name: string; changes: string[] }[], undoOf?: string): Run {
    const runId = `tune-${++this.seq}`;
    const pub: TuningRun = {
      runId,
      kind,
      ...(undoOf ? { undoOf } : {}),
      title,
      state: 'running',
      options,
      startedAt: Date.now(),
      undoable: false,
      items: items.map((i) => ({ ...i, hostLabel: this.label(i.hostId), status: 'waiting' })),
    };
    const run: Run = { public: pub, cancelled: false, written: [], done: Promise.resolve() };
    this.runs.set(runId, run);
    for (const old of [...this.runs.keys()].slice(0, Math.max(0, this.runs.size - KEEP_RUNS))) this.runs.delete(old);
    this.emit(pub);
    return run;
  }

  private label(hostId: string): string {
    try {
      return this.hostOf(hostId).label;
    } catch {
      return hostId;
    }
  }

  private patch(run: Run, index: number, change: Partial<RunItem>): void {
    run.public = { ...run.public, items: run.public.items.map((it, i) => (i === index ? { ...it, ...change } : it)) };
    this.emit(run.public);
  }

  /** Each host's items in order, `perHost` at a time; hosts side by side. */
  private async execute(run: Run, perHost: number, work: Work): Promise<void> {
    const limit = Math.max(1, Math.min(MAX_PER_HOST, Math.floor(perHost) || 1));
    const queues = new Map<string, number[]>();
    run.public.items.forEach((it, i) => (queues.get(it.hostId) ?? queues.set(it.hostId, []).get(it.hostId)!).push(i));
    const worker = async (queue: number[]) => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        if (run.cancelled) {
          this.patch(run, i, { status: 'cancelled', message: 'not touched: the run was cancelled' });
          continue;
        }
        this.patch(run, i, { status: 'running', startedAt: Date.now() });
        let end: Partial<RunItem>;
        try {
          end = await work(run.public.items[i]!, i);
        } catch (err) {
          end = { status: 'failed', message: (err as Error).message };
        }
        this.patch(run, i, { ...end, endedAt: Date.now() });
      }
    };
    await Promise.all([...queues.values()].flatMap((q) => Array.from({ length: Math.min(limit, q.length) }, () => worker(q))));
    run.public = { ...run.public, state: run.cancelled ? 'cancelled' : 'done', endedAt: Date.now(), undoable: run.public.kind === 'apply' && run.written.length > 0 };
    this.emit(run.public);
  }

  private async applyOne(run: Run, item: ApplyItem, options: ApplyOptions): Promise<Partial<RunItem>> {
    const virsh = this.hostOf(item.hostId).virsh;
    const current = await getXml(virsh, item.name).catch((err: Error) => err);
    if (current instanceof Error) return { status: 'skipped', message: `not read: ${current.message}` };
    if (!sameXml(current.persistent, item.baseXml)) return { status: 'skipped', message: 'changed since the plan was made: not touched (plan again to include it)' };
    let snapshot: string | undefined;
    if (options.snapshotFirst && item.snapshot) {
      snapshot = snapshotFirstName('tuning', item.edits, new Date());
      await createSnapshot(virsh, item.name, { name: snapshot, description: 'Taken by VirtDeck before a tuning plan', memory: current.running });
    }
    const result = await applyDomainEdits(virsh, { name: item.name, baseXml: item.baseXml, edits: item.edits, newVolumes: item.newVolumes });
    if (result.status === 'conflict') return { status: 'skipped', snapshot, message: 'changed while the plan ran: not touched' };
    if (result.status !== 'applied') return { status: 'failed', snapshot, message: 'the host asked for a confirmation' };
    run.written.push({ hostId: item.hostId, name: item.name, beforeXml: current.persistent, afterXml: result.xml.persistent });
    const liveNote = result.liveErrors.length ? ` Not applied live: ${result.liveErrors.join('; ')}` : '';
    const waiting = current.running && item.edits.some((e) => editLiveRule(e).mode === 'next-boot');
    if (!waiting && !result.liveErrors.length) return { status: 'applied', snapshot, message: current.running ? 'applied live' : 'applies at the next start' };
    return this.afterWrite(virsh, item.name, options.restart, snapshot, liveNote);
  }

  private async undoOne(w: Written, restart: RestartPolicy): Promise<Partial<RunItem>> {
    const virsh = this.hostOf(w.hostId).virsh;
    const current = await getXml(virsh, w.name).catch((err: Error) => err);
    if (current instanceof Error) return { status: 'skipped', message: `not read: ${current.message}` };
    if (!sameXml(current.persistent, w.afterXml)) return { status: 'skipped', message: 'changed since the plan was applied: not touched' };
    // The exact text libvirt printed before the change: defined again, it prints the same.
    await virsh.run(['define', '--validate', '/dev/stdin'], { stdin: w.beforeXml });
    if (!current.running) return { status: 'applied', message: 'previous definition restored' };
    return this.afterWrite(virsh, w.name, restart, undefined, '');
  }

  private async afterWrite(virsh: VirshRunner, name: string, restart: RestartPolicy, snapshot: string | undefined, note: string): Promise<Partial<RunItem>> {
    if (restart === 'leave-pending') return { status: 'pending-restart', snapshot, message: `written; the running VM takes it at its next restart.${note}` };
    const how = await restartVm(virsh, name);
    return { status: 'restarted', snapshot, message: `restarted (${how}) onto the new definition.${note}` };
  }
}
