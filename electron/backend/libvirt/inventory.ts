// The live VM (or container) list of one host's driver: one listing after connect, then one `virsh event --loop` stream
// whose lines trigger a fresh listing. No per-VM polling.
import type { VmDriver, VmSummary } from '../../../shared/contract/index.js';
import type { StreamHandle } from '../exec/session.js';
import { parseDomstats, parseEventLine, parseTitles, parseUuidNames, toVmSummaries } from './parse.js';
import type { Virsh } from './virsh.js';
import { listContainers } from './containers.js';
import { lifecycleEventState } from './lifecycle.js';
import { TEMPLATE_XPATH, xpathFoundTemplate } from '../../../shared/clone/index.js';

/** Architecture reads in flight at once (one dumpxml each, only for VMs not read before). */
const ARCH_READS = 6;

/** The per-domain facts read once (and again when it is redefined or its metadata changes): the
 *  architecture and the template mark, in one `dumpxml --xpath` of both. */
const FACTS_XPATH = `/domain/os/type/@arch | ${TEMPLATE_XPATH}`;

/** `virsh dumpxml --xpath /domain/os/type/@arch` prints ` arch="x86_64"`. */
export function parseArchAttr(out: string): string | undefined {
  return /\barch="([^"]+)"/.exec(out)?.[1];
}

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
  /** Architectures by uuid (`<os><type arch>`): read once per domain, again when it is redefined. */
  private readonly archOf = new Map<string, string>();
  /** The uuids of templates (read with the architecture). */
  private readonly templates = new Set<string>();
  private readingArch = false;
  vms: VmSummary[] = [];

  constructor(
    private readonly hostId: string,
    private readonly virsh: Virsh,
    private readonly onChange: (vms: VmSummary[]) => void,
    private readonly onError: (message: string) => void,
    /** Which of the host's drivers this virsh talks to: QEMU VMs, or LXC containers. */
    private readonly driver: VmDriver = 'qemu',
  ) {}

  /** One listing of the driver's domains (titles aside), with uuids by name. */
  private async list(): Promise<{ listed: VmSummary[]; uuids: Map<string, string> }> {
    const attach = (vms: VmSummary[], autostart: Set<string>) =>
      vms.map((vm) => ({ ...vm, autostart: autostart.has(vm.uuid), title: this.titles.get(vm.name), ...this.factsOf(vm.uuid) }));
    if (this.driver === 'lxc') {
      const { vms, uuids, autostart } = await listContainers(this.virsh, this.hostId);
      return { listed: attach(vms, autostart), uuids };
    }
    const [names, stats, autostart] = await Promise.all([
      this.virsh.run(['list', '--all', '--uuid', '--name']),
      this.virsh.run(['domstats', '--raw', '--state', '--balloon', '--vcpu']),
      // Autostart raises no event: refreshed with each listing and after an autostart action.
      this.virsh.run(['list', '--all', '--autostart', '--uuid']),
    ]);
    const autostartUuids = new Set(autostart.split('\n').map((l) => l.trim()).filter(Boolean));
    const uuids = parseUuidNames(names);
    return { listed: attach(toVmSummaries(this.hostId, uuids, parseDomstats(stats)), autostartUuids), uuids };
  }

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
          const { listed, uuids } = await this.list().catch((err: unknown) => {
            if (readTitles) this.titlesStale = true;
            throw err;
          });
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
          void this.readArches();
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
          if (event.event !== 'lifecycle' || /: Defined\b/.test(line)) {
            this.titlesStale = true;
            const uuid = this.vms.find((vm) => vm.name === event.domain)?.uuid;
            if (uuid) this.archOf.delete(uuid);
          }
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

  /** The architecture of each listed VM not yet known, a few reads at a time; the list is sent
   *  again once they are in. A VM that cannot be read (just undefined) is tried at the next listing. */
  private async readArches(): Promise<void> {
    if (this.readingArch || this.stopped) return;
    this.readingArch = true;
    try {
      const todo = this.vms.filter((vm) => !this.archOf.has(vm.uuid)).map((vm) => vm.uuid);
      let found = 0;
      const next = async (): Promise<void> => {
        for (let uuid = todo.pop(); uuid && !this.stopped; uuid = todo.pop()) {
          const xpath = this.driver === 'qemu' ? FACTS_XPATH : '/domain/os/type/@arch';
          const out = await this.virsh.run(['dumpxml', '--inactive', '--xpath', xpath, '--domain', uuid]).catch(() => '');
          const arch = parseArchAttr(out);
          if (xpathFoundTemplate(out)) this.templates.add(uuid);
          else this.templates.delete(uuid);
          if (arch) this.archOf.set(uuid, arch);
          if (arch) found++;
        }
      };
      if (!todo.length) return;
      await Promise.all(Array.from({ length: Math.min(ARCH_READS, todo.length) }, next));
      if (this.stopped || !found) return;
      this.vms = this.vms.map((vm) => (this.archOf.has(vm.uuid) ? { ...vm, ...this.factsOf(vm.uuid) } : vm));
      this.onChange(this.vms);
    } finally {
      this.readingArch = false;
    }
  }

  private factsOf(uuid: string): Pick<VmSummary, 'arch' | 'template'> {
    if (!this.archOf.has(uuid)) return {};
    return { arch: this.archOf.get(uuid), ...(this.templates.has(uuid) ? { template: true } : {}) };
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
