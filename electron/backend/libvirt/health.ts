// Whether libvirt answers on a host whose session is up. Every virsh outcome reports here (see
// Virsh's observer): a success or an event line is a sign of life; a failure that looks like a
// lost or refused connection, or the event stream ending, is checked at once with one cheap probe
// (`virsh uri`, which opens a fresh connection to the daemon). A failed probe makes the host
// degraded, with libvirt's reason; it is then probed again with backoff until it answers.
// While signs of life keep coming (the stats poller's listing every few seconds) nothing extra
// runs; only a host quiet for QUIET_MS gets one probe.
import type { LibvirtFault } from '../../../shared/contract/index.js';
import { RemoteCommandError } from '../exec/session.js';
import { classifyLibvirtFailure, faultHint, faultMessage, libvirtFault, type VirshFailure } from './faults.js';

/** Probes of a degraded host, backing off; the last delay repeats. */
export const RETRY_MS = [1000, 2000, 4000, 8000, 15_000];
/** A host with no sign of life for this long is probed once. */
export const QUIET_MS = 5000;
/** A probe that takes longer than this counts as libvirt not answering. */
export const PROBE_TIMEOUT_MS = 8000;

/** What Virsh tells about each command it runs. */
export interface VirshObserver {
  heard(): void;
  failed(failure: VirshFailure): void;
  streamEnded(error?: string): void;
}

class ProbeTimeout extends Error {}

export class LibvirtHealth implements VirshObserver {
  fault?: LibvirtFault;
  private running = false;
  private lastHeard = 0;
  private probing?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private failedProbes = 0;

  constructor(
    /** Runs the probe; rejects with a RemoteCommandError when virsh failed. */
    private readonly probeCommand: () => Promise<unknown>,
    /** The fault changed: a new one, a retry scheduled, or undefined once libvirt answers again. */
    private readonly onChange: (fault: LibvirtFault | undefined) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Watch from now on (the session is up). */
  start(): void {
    this.running = true;
    this.lastHeard = this.now();
    this.scheduleQuietCheck(QUIET_MS);
  }

  /** Stop watching (the session is down): no more probes, and no fault to report. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.fault = undefined;
    this.failedProbes = 0;
  }

  heard(): void {
    this.lastHeard = this.now();
    // Something answered while degraded: confirm with a probe rather than trust a late reply.
    if (this.fault) void this.probe();
  }

  failed(failure: VirshFailure): void {
    if (!classifyLibvirtFailure(failure)) return this.heard(); // libvirt answered: it refused an action
    if (!this.fault) void this.probe();
  }

  streamEnded(): void {
    if (!this.fault) void this.probe();
  }

  /** Probe now instead of at the next scheduled retry. */
  retryNow(): Promise<void> {
    return this.probe();
  }

  private probe(): Promise<void> {
    if (!this.running) return Promise.resolve();
    if (this.probing) return this.probing;
    clearTimeout(this.timer);
    this.probing = this.runProbe().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async runProbe(): Promise<void> {
    let verdict: { ok: true } | { ok: false; fault: LibvirtFault } | undefined;
    try {
      await withTimeout(this.probeCommand(), PROBE_TIMEOUT_MS);
      verdict = { ok: true };
    } catch (err) {
      const at = this.now();
      if (err instanceof ProbeTimeout) {
        verdict = { ok: false, fault: { kind: 'no-answer', message: `virsh got no answer within ${PROBE_TIMEOUT_MS / 1000} s`, hint: faultHint('no-answer'), since: at } };
      } else if (err instanceof RemoteCommandError) {
        const failure = { message: err.message, code: err.result.code };
        // `virsh uri` fails only when the connection does: whatever libvirt said is the reason.
        verdict = { ok: false, fault: libvirtFault(failure, at) ?? { kind: 'unreachable', message: faultMessage(err.message), hint: faultHint('unreachable'), since: at } };
      }
      // Anything else is the SSH channel's failure, not libvirt's: the session's own state says it.
    }
    if (!this.running) return;
    if (verdict?.ok) {
      const was = this.fault;
      this.fault = undefined;
      this.failedProbes = 0;
      this.lastHeard = this.now();
      this.scheduleQuietCheck(QUIET_MS);
      if (was) this.onChange(undefined);
      return;
    }
    // The probe could not run (a refused SSH channel): no verdict; look again when quiet.
    if (!verdict && !this.fault) return this.scheduleQuietCheck(QUIET_MS);
    const delay = RETRY_MS[Math.min(this.failedProbes, RETRY_MS.length - 1)]!;
    if (verdict) {
      this.failedProbes++;
      this.fault = { ...verdict.fault, since: this.fault?.since ?? verdict.fault.since, retryAt: this.now() + delay };
      this.onChange(this.fault);
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.probe(), delay);
  }

  private scheduleQuietCheck(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.running || this.fault) return;
      const quietFor = this.now() - this.lastHeard;
      if (quietFor >= QUIET_MS) void this.probe();
      else this.scheduleQuietCheck(QUIET_MS - quietFor);
    }, ms);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new ProbeTimeout()), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
