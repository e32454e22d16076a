// Live figures of every VM of one host: ONE bulk `virsh domstats --raw` per interval (never per VM
// or per device), turned into rates from the counters' deltas. Each host runs its own timer, and
// the next sample is scheduled only when the previous one is in, so a slow host delays nobody.
import type { VmStats } from '../../../shared/contract/index.js';
import { parseDomstats, type DomainStats } from './parse.js';
import type { Virsh } from './virsh.js';

export const DEFAULT_STATS_INTERVAL_MS = 2000;

const STAT_GROUPS = ['--state', '--cpu-total', '--balloon', '--vcpu', '--interface', '--block'];

/** The counters of one VM at one instant, kept to compute the next sample's rates. */
export interface Counters {
  at: number;
  cpuNs?: number;
  vcpus: number;
  rd: number;
  wr: number;
  rx: number;
  tx: number;
  /** balloon.last-update: when QEMU last got memory statistics from the guest (host clock, s);
   *  0 until the guest's driver first reports, absent from older libvirt. */
  balloonUpdate?: number;
  /** When (our clock, ms) those statistics were last seen to be new. */
  balloonFreshAt?: number;
}

/** Guest statistics not renewed for this long are a leftover, not a live figure. */
const GUEST_STATS_STALE_MS = 120_000;

const num = (fields: Map<string, string>, key: string): number | undefined => {
  const v = fields.get(key);
  return v === undefined ? undefined : Number(v);
};

function sumIndexed(fields: Map<string, string>, prefix: 'block' | 'net', suffix: string): number {
  const count = num(fields, `${prefix}.count`) ?? 0;
  let total = 0;
  for (let i = 0; i < count; i++) total += num(fields, `${prefix}.${i}.${suffix}`) ?? 0;
  return total;
}

function countersOf(fields: Map<string, string>, at: number): Counters {
  return {
    at,
    cpuNs: num(fields, 'cpu.time'),
    vcpus: num(fields, 'vcpu.current') ?? 1,
    rd: sumIndexed(fields, 'block', 'rd.bytes'),
    wr: sumIndexed(fields, 'block', 'wr.bytes'),
    rx: sumIndexed(fields, 'net', 'rx.bytes'),
    tx: sumIndexed(fields, 'net', 'tx.bytes'),
    balloonUpdate: num(fields, 'balloon.last-update'),
  };
}

/** When the guest's memory statistics were last seen to be renewed (our clock): only a change of
 *  their timestamp between two samples counts. The balloon driver reports once as it loads even
 *  with no statistics period, and that one report must not pass for a live figure. */
function guestStatsFreshAt(now: Counters, before: Counters | undefined): number | undefined {
  if (!now.balloonUpdate || !before?.balloonUpdate) return undefined;
  return before.balloonUpdate !== now.balloonUpdate ? now.at : before.balloonFreshAt;
}

/** Guest memory in use: what the balloon driver reports (current − unused) while those reports
 *  are live, else QEMU's RSS — said which, since RSS also counts QEMU itself and can exceed the
 *  guest's memory. */
function memUsed(fields: Map<string, string>, counters: Counters): Pick<VmStats, 'memUsedKiB' | 'memSource'> {
  const current = num(fields, 'balloon.current');
  const unused = num(fields, 'balloon.unused');
  // Without a last-update field (older libvirt) there is no telling: take the guest's word.
  const live = counters.balloonUpdate === undefined || (counters.balloonFreshAt !== undefined && counters.at - counters.balloonFreshAt < GUEST_STATS_STALE_MS);
  if (current !== undefined && unused !== undefined && live) return { memUsedKiB: Math.max(0, current - unused), memSource: 'guest' };
  const rss = num(fields, 'balloon.rss');
  return rss === undefined ? {} : { memUsedKiB: rss, memSource: 'qemu' };
}

const rate = (now: number, before: number, seconds: number) => (now >= before ? (now - before) / seconds : undefined);

/** Figures per VM from one domstats sample and the previous counters; pure, for unit tests. */
export function computeStats(sample: DomainStats, at: number, previous: Map<string, Counters>): { stats: Record<string, VmStats>; counters: Map<string, Counters> } {
  const stats: Record<string, VmStats> = {};
  const counters = new Map<string, Counters>();
  for (const [name, fields] of sample) {
    const running = fields.get('state.state') === '1' || fields.get('state.state') === '3';
    if (!running) {
      stats[name] = {};
      continue;
    }
    const now = countersOf(fields, at);
    const before = previous.get(name);
    now.balloonFreshAt = guestStatsFreshAt(now, before);
    counters.set(name, now);
    const out: VmStats = memUsed(fields, now);
    const seconds = before ? (at - before.at) / 1000 : 0;
    if (before && seconds > 0) {
      if (now.cpuNs !== undefined && before.cpuNs !== undefined && now.cpuNs >= before.cpuNs) {
        // cpu.time counts all vCPUs: 100 % means every vCPU busy, as top shows a whole VM.
        out.cpuPct = Math.min(100, ((now.cpuNs - before.cpuNs) / 1e9 / seconds / Math.max(1, now.vcpus)) * 100);
      }
      out.diskReadBps = rate(now.rd, before.rd, seconds);
      out.diskWriteBps = rate(now.wr, before.wr, seconds);
      out.netRxBps = rate(now.rx, before.rx, seconds);
      out.netTxBps = rate(now.tx, before.tx, seconds);
    }
    stats[name] = out;
  }
  return { stats, counters };
}

/** Where one host driver's figures come from: one sample of every domain, keyed by name. */
export interface StatsSampler {
  /** Forget the counters (a new connection starts its rates afresh). */
  reset(): void;
  sample(): Promise<{ at: number; stats: Record<string, VmStats> }>;
}

/** QEMU: one bulk `domstats` of every VM. */
export class DomstatsSampler implements StatsSampler {
  private counters = new Map<string, Counters>();

  constructor(private readonly virsh: Pick<Virsh, 'run'>) {}

  reset(): void {
    this.counters.clear();
  }

  async sample(): Promise<{ at: number; stats: Record<string, VmStats> }> {
    // A virsh of its own (a fresh connection to the daemon): this listing is also what notices
    // that libvirt stopped accepting new connections (its socket closed to the user), which the
    // long-lived virsh's old connection would not.
    const out = await this.virsh.run(['domstats', '--raw', ...STAT_GROUPS], { fresh: true });
    const at = Date.now();
    const { stats, counters } = computeStats(parseDomstats(out), at, this.counters);
    this.counters = counters;
    return { at, stats };
  }
}

export class StatsPoller {
  private timer?: NodeJS.Timeout;
  private stopped = true;

  constructor(
    virsh: Pick<Virsh, 'run'>,
    private intervalMs: number,
    private readonly onSample: (at: number, stats: Record<string, VmStats>) => void,
    private readonly sampler: StatsSampler = new DomstatsSampler(virsh),
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.sampler.reset();
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  setInterval(ms: number): void {
    this.intervalMs = ms;
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    const started = Date.now();
    try {
      const { at, stats } = await this.sampler.sample();
      if (this.stopped) return;
      this.onSample(at, stats);
    } catch {
      // A failed sample (link hiccup) is skipped; the connection's own state says what is wrong.
    }
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), Math.max(100, this.intervalMs - (Date.now() - started)));
  }
}
