// The live VM list of one host: one listing after connect, then one `virsh event --loop` stream
// whose lines trigger a fresh listing. No per-VM polling.
import type { VmSummary } from '../../../shared/contract/index.js';
import type { StreamHandle } from '../exec/session.js';
import { parseDomstats, parseEventLine, parseTitles, parseUuidNames, toVmSummaries } from './parse.js';
import type { Virsh } from './virsh.js';
import { lifecycleEventState } from './lifecycle.js';

/** Events arrive in bursts (a start gives "Resumed" then "Started"): list once per burst. */
const REFRESH_DEBOUNCE_MS = 50;
const STREAM_RESTART_MS = 1000;
/** A listing that failed (a refused channel, a busy libvirtd) is tried again, backing off to 30 s:
 *  otherwise a host would show online with an empty or stale list until its next event. */
const LIST_RETRY_MS = [1000, 2000, 5000, 10_000, 30_000];

export class HostInventory {
  private stream?: StreamHandle;
  private stopped = true;
  /** Counts stop()s: a stream opened for an earlier start is closed, not kept. */
  private generation = 0;
  private refreshTimer?: NodeJS.Timeout;
  private restartTimer?: NodeJS.Timeout;
  private refreshing?: Promise<void>;
  private refreshAgain = false;
  private retryTimer?: NodeJS.Timeout;
  private failedListings = 0;
  /** Titles by VM name. `list --title` costs libvirt a metadata read per domain (~5× the other
   *  listings at 300 VMs), so it is read again only when a title may have changed: at first, after
   *  a metadata change, or when a domain is (re)defined — not on every start or stop. */
  private titles = new Map<string, string>();
  private titlesStale = true;
  /** Counts lifecycle events applied; per VM name, the count when its last one was applied. A
   *  listing that started before a VM's event read the state from before it, and must not put
   *  that back (domstats can wait seconds on a domain busy starting or stopping). */
  private eventSeq = 0;
  private readonly eventSeqOf = new Map<string, number>();
  vms: VmSummary[] = [];

  constructor(
    private readonly hostId: string,
    private readonly virsh: Virsh,
    private readonly onChange: (vms: VmSummary[]) => void,
    private readonly onError: (message: string) => void,
  ) {}

  /** Start following the host: list now, then on every event. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.openStream();
    await this.refresh();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    clearTimeout(this.refreshTimer);
    clearTimeout(this.restartTimer);
    clearTimeout(this.retryTimer);
    this.stream?.close();
    this.stream = undefined;
  }

  /** List the host's domains; concurrent calls coalesce into at most one more listing. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.refreshAgain = false;
          const seqAtStart = this.eventSeq;
          const readTitles = this.titlesStale;
          this.titlesStale = false;
          // Titles are the slow listing: the list shows without waiting for them (with the titles
          // known so far), and again when they are in. Its failure is kept, not left unhandled.
          const titles = readTitles
            ? this.virsh.run(['list', '--all', '--title']).then(
                (table) => ({ table }),
                (error: unknown) => ({ error }),
              )
            : undefined;
          const [names, stats, autostart] = await Promise.all([
            this.virsh.run(['list', '--all', '--uuid', '--name']),
            this.virsh.run(['domstats', '--raw', '--state', '--balloon', '--vcpu']),
            // Autostart raises no event: refreshed with each listing and after an autostart action.
            this.virsh.run(['list', '--all', '--autostart', '--uuid']),
          ]).catch((err: unknown) => {
            if (readTitles) this.titlesStale = true;
            throw err;
          });
          const autostartUuids = new Set(autostart.split('\n').map((l) => l.trim()).filter(Boolean));
          const uuids = parseUuidNames(names);
          const listed = toVmSummaries(this.hostId, uuids, parseDomstats(stats)).map((vm) => ({ ...vm, autostart: autostartUuids.has(vm.uuid), title: this.titles.get(vm.name) }));
          this.vms = keepNewerEventStates(listed, this.vms, (name) => (this.eventSeqOf.get(name) ?? 0) > seqAtStart);
          if (!this.stopped) this.onChange(this.vms);
          if (titles) {
            const read = await titles;
            if ('error' in read) {
              this.titlesStale = true;
              throw read.error;
            }
            this.titles = parseTitles(read.table, uuids.keys());
            this.vms = this.vms.map((vm) => ({ ...vm, title: this.titles.get(vm.name) }));
            if (!this.stopped) this.onChange(this.vms);
          }
          this.failedListings = 0;
        } while (this.refreshAgain && !this.stopped);
      } catch (err) {
        if (!this.stopped) {
          this.onError(`Listing the VMs failed: ${(err as Error).message}`);
          clearTimeout(this.retryTimer);
          const delay = LIST_RETRY_MS[Math.min(this.failedListings++, LIST_RETRY_MS.length - 1)]!;
          this.retryTimer = setTimeout(() => void this.refresh(), delay);
        }
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private async openStream(): Promise<void> {
    const generation = this.generation;
    try {
      const handle: StreamHandle = await this.virsh.stream(
        ['event', '--all', '--loop'],
        (line) => {
          const event = parseEventLine(line);
          if (!event) return;
          if (event.event !== 'lifecycle' || /: Defined\b/.test(line)) this.titlesStale = true;
          this.applyEventState(line);
          this.scheduleRefresh();
        },
        () => {
          // A stream closed by stop(), or replaced since, is not this one's business.
          if (this.stream !== handle) return;
          this.stream = undefined;
          // The stream died (virsh restarted, link hiccup): reopen it, and relist what we missed.
          if (!this.stopped) this.restartTimer = setTimeout(() => void this.reopen(), STREAM_RESTART_MS);
        },
      );
      if (generation !== this.generation) return handle.close();
      this.stream = handle;
    } catch (err) {
      if (generation === this.generation && !this.stopped) {
        this.onError(`Event stream: ${(err as Error).message}`);
        this.restartTimer = setTimeout(() => void this.reopen(), STREAM_RESTART_MS);
      }
    }
  }

  private async reopen(): Promise<void> {
    if (this.stopped) return;
    // Events may have been missed while the stream was down.
    this.titlesStale = true;
    await this.openStream();
    await this.refresh();
  }

  /** Show a lifecycle event's new state at once; the relisting that follows confirms it. */
  private applyEventState(line: string): void {
    const ev = lifecycleEventState(line);
    const i = ev ? this.vms.findIndex((vm) => vm.name === ev.domain) : -1;
    if (!ev || i < 0 || this.stopped) return;
    const vm = this.vms[i]!;
    this.eventSeqOf.set(ev.domain, ++this.eventSeq);
    if (vm.state === ev.state) return;
    this.vms = this.vms.map((v, j) => (j === i ? { ...vm, state: ev.state, reason: ev.reason } : v));
    this.onChange(this.vms);
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), REFRESH_DEBOUNCE_MS);
  }
}

/** A listing's VMs, except that a VM whose lifecycle event came after the listing began keeps the
 *  state that event announced (the listing queued after that event confirms it). Pure, for tests. */
export function keepNewerEventStates(listed: VmSummary[], current: readonly VmSummary[], eventAfterStart: (name: string) => boolean): VmSummary[] {
  return listed.map((vm) => {
    if (!eventAfterStart(vm.name)) return vm;
    const known = current.find((c) => c.name === vm.name);
    return known && known.state !== vm.state ? { ...vm, state: known.state, reason: known.reason } : vm;
  });
}
