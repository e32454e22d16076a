// Every move of a VM between hosts that this backend runs: the pre-flight over both hosts' facts,
// then the live migration (live.ts) or the cold move (cold.ts), each reporting its phase and
// progress as 'migration.progress' events. A move that fails leaves the VM where it was.
import { randomBytes } from 'node:crypto';
import type { BackendEvent, MigrationStatus, MoveRequest } from '../../../shared/contract/index.js';
import { preflight, type MovePlan } from '../../../shared/migration/index.js';
import { UserError } from '../errors.js';
import type { Session } from '../exec/session.js';
import type { Virsh } from '../libvirt/virsh.js';
import { SshSession } from '../ssh/ssh-session.js';
import { readDestFacts, readSourceFacts } from './facts.js';
import { runCold, type VolumeCopier } from './cold.js';
import { EVACUATE_AT_ONCE, placeVms } from './evacuate.js';
import { runLive } from './live.js';

/** What a move needs of each host. */
export interface MoveHost {
  id: string;
  label: string;
  virsh: Virsh;
  session: Session;
  libvirtUri: string;
  /** List the VMs again (after the VM arrived or left). */
  refresh(): Promise<void>;
}

/** What the admin chose beside the destination: live options, and the cold move's two. */
export interface MoveOptions {
  autoConverge?: boolean;
  compressed?: boolean;
  bandwidthMiBs?: number;
  startAfter?: boolean;
  keepSource?: boolean;
}

/** How long an ended move stays in the list for windows that open later. */
const KEEP_ENDED_MS = 10 * 60_000;

export interface MoveRun {
  status: MigrationStatus;
  /** Set by the run: how to stop it (domjobabort for a live one). */
  cancel?: () => Promise<void>;
  cancelled: boolean;
  update(patch: Partial<MigrationStatus>): void;
  ran(host: MoveHost, argv: readonly string[]): void;
}

export class Migrations {
  private readonly runs = new Map<string, MoveRun>();

  constructor(
    private readonly host: (hostId: string) => MoveHost,
    private readonly emit: (event: BackendEvent) => void,
    private readonly copier: VolumeCopier,
  ) {}

  list(): MigrationStatus[] {
    return [...this.runs.values()].map((r) => r.status);
  }

  async preflight(req: MoveRequest): Promise<MovePlan> {
    return (await this.check(req)).plan;
  }

  private async check(req: MoveRequest) {
    if (req.hostId === req.toHostId) throw new UserError('invalid-input', 'Pick another host to move the VM to');
    const from = this.host(req.hostId);
    const to = this.host(req.toHostId);
    const source = await readSourceFacts(from, req.name);
    const dest = await readDestFacts(to, source);
    const credential = from.session instanceof SshSession ? (from.session.loginFacts()?.agent.credential ?? 'none') : 'none';
    const plan = preflight({ mode: req.mode, source, dest, credential });
    if (req.mode === 'live' && !(to.session instanceof SshSession && to.session.loginFacts())) {
      plan.findings.unshift({ id: 'dest-ssh', level: 'block', text: `VirtDeck reaches ${to.label} without SSH: it has no host key of it to give ${from.label}` });
      plan.blocked = true;
    }
    return { from, to, source, plan };
  }

  async start(req: MoveRequest & MoveOptions): Promise<string> {
    if ([...this.runs.values()].some((r) => r.status.state === 'running' && r.status.vm === req.name && r.status.fromHostId === req.hostId)) {
      throw new UserError('conflict', `${req.name} is already being moved`);
    }
    const { from, to, source, plan } = await this.check(req);
    const blocking = plan.findings.filter((f) => f.level === 'block');
    if (blocking.length) throw new UserError('invalid-input', `Cannot move ${req.name}: ${blocking.map((f) => f.text).join('; ')}`);
    const migrationId = randomBytes(8).toString('hex');
    const run: MoveRun = {
      status: {
        migrationId,
        mode: req.mode,
        vm: req.name,
        fromHostId: from.id,
        toHostId: to.id,
        title: `${req.name}: ${from.label} → ${to.label} (${req.mode})`,
        state: 'running',
        phase: 'Starting',
        progress: null,
        commands: [],
      },
      cancelled: false,
      update: (patch) => {
        run.status = { ...run.status, ...patch };
        this.emit({ type: 'migration.progress', migration: run.status });
      },
      ran: (host, argv) => run.update({ commands: [...run.status.commands, `${host.label}: ${displayArgv(argv)}`] }),
    };
    this.runs.set(migrationId, run);
    run.update({});
    const work =
      req.mode === 'live'
        ? runLive(run, from, to, source, plan, { autoConverge: !!req.autoConverge, compressed: !!req.compressed, bandwidthMiBs: req.bandwidthMiBs })
        : runCold(run, from, to, source, plan, this.copier, { start: !!req.startAfter, keepSource: !!req.keepSource });
    void work.then(
      () => run.update({ state: 'done', phase: req.mode === 'live' || req.startAfter ? `Running on ${to.label}` : `On ${to.label}, shut off` }),
      (err: Error) => run.update(run.cancelled ? { state: 'cancelled', phase: `Cancelled: still on ${from.label}`, error: err.message } : { state: 'failed', phase: `Failed: still on ${from.label}`, error: err.message }),
    ).finally(() => {
      void Promise.all([from.refresh(), to.refresh()]).catch(() => undefined);
      setTimeout(() => this.runs.delete(migrationId), KEEP_ENDED_MS).unref?.();
    });
    return migrationId;
  }

  /** Every running VM of `hostId` to the hosts in `targets` (see evacuate.ts). */
  async evacuate(hostId: string, vms: readonly string[], targets: readonly string[]) {
    const candidates = await Promise.all(
      vms.map(async (vm) => ({
        vm,
        candidates: await Promise.all(targets.map(async (toHostId) => ({ toHostId, plan: await this.preflight({ hostId, name: vm, toHostId, mode: 'live' }) }))),
      })),
    );
    const result = placeVms(candidates);
    const queue = [...result.placed];
    const next = async (): Promise<void> => {
      const move = queue.shift();
      if (!move) return;
      try {
        const id = await this.start({ hostId, name: move.vm, toHostId: move.toHostId, mode: 'live' });
        await this.ended(id);
      } catch {
        // refused at the second check: its task says why
      }
      return next();
    };
    for (let i = 0; i < EVACUATE_AT_ONCE; i++) void next();
    return result;
  }

  /** Resolves when the move ends, whichever way. */
  private ended(migrationId: string): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        const run = this.runs.get(migrationId);
        if (!run || run.status.state !== 'running') return resolve();
        setTimeout(check, 500);
      };
      check();
    });
  }

  async cancel(migrationId: string): Promise<void> {
    const run = this.runs.get(migrationId);
    if (!run || run.status.state !== 'running') throw new UserError('not-found', 'No such move running (it may have ended already)');
    if (!run.cancel) throw new UserError('conflict', 'This move cannot be cancelled at this step');
    run.cancelled = true;
    await run.cancel();
  }
}

/** A command as a person would type it, secrets aside (none travel on a command line here). */
export function displayArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./&?-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
