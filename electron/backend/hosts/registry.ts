// The saved connections: one HostConnection per hypervisor, kept in connections.json.
import { randomUUID } from 'node:crypto';
import type { AddHostRequest, BackendEvent, HostConfig, HostStatus, VmDriver } from '../../../shared/contract/index.js';
import { checkConnectionUri, LibvirtUriError } from '../../../shared/libvirt-uri.js';
import { UserError } from '../errors.js';
import { DEFAULT_STATS_INTERVAL_MS } from '../libvirt/stats.js';
import { parseTarget } from '../ssh/target.js';
import { ConnectionsStore } from './connections-store.js';
import { HostConnection, type HostContext } from './host-connection.js';
import type { LastFleetStore } from './last-fleet.js';

/** Autoconnect: a failure shows in the host's status, not as an error of the call that added it. */
const connectInBackground = (host: HostConnection): void => void host.connect().catch(() => undefined);

/** The target and the libvirt URI its virsh gets, both through the one URI check; a refused one
 *  is the caller's mistake, said plainly. */
export function checkedUris(targetText: string, libvirtUri: unknown): { target: ReturnType<typeof parseTarget>; libvirtUri: string } {
  try {
    const target = parseTarget(targetText);
    const given = typeof libvirtUri === 'string' ? libvirtUri.trim() : '';
    return { target, libvirtUri: given ? checkConnectionUri(given) : (target.libvirtUri ?? 'qemu:///system') };
  } catch (err) {
    if (err instanceof LibvirtUriError) throw new UserError('invalid-input', err.message);
    throw err;
  }
}

export class HostRegistry {
  private readonly hosts = new Map<string, HostConnection>();
  private readonly ctx: HostContext;
  private defaultStatsIntervalMs = Number(process.env.VIRTDECK_STATS_INTERVAL_MS) || DEFAULT_STATS_INTERVAL_MS;

  constructor(
    private readonly store: ConnectionsStore,
    ctx: Omit<HostContext, 'defaultStatsIntervalMs'>,
    /** Each host's last listing, kept for the next start (absent: nothing is kept). */
    private readonly lastFleet?: LastFleetStore,
  ) {
    const emit = (event: BackendEvent): void => {
      if (event.type === 'host.vms') lastFleet?.remember(event.hostId, event.vms);
      ctx.emit(event);
    };
    this.ctx = { ...ctx, emit, defaultStatsIntervalMs: () => this.defaultStatsIntervalMs };
  }

  /** Load the saved connections, each with the VMs it listed last time (shown as not yet
   *  confirmed until it lists again), and start those that connect on their own. */
  load(): void {
    for (const config of this.store.load()) {
      const host = new HostConnection(config, this.ctx, this.lastFleet?.of(config.id));
      this.hosts.set(config.id, host);
      if (config.autoconnect) connectInBackground(host);
    }
  }

  all(): HostConnection[] {
    return [...this.hosts.values()];
  }

  get(hostId: string): HostConnection {
    const host = this.hosts.get(hostId);
    if (!host) throw new UserError('not-found', `No connection with id ${hostId}`);
    return host;
  }

  /** The host, after checking it has this VM. */
  withVm(hostId: string, name: string, driver: VmDriver = 'qemu'): HostConnection {
    const host = this.get(hostId);
    host.requireVm(name, driver);
    return host;
  }

  add(p: AddHostRequest): HostStatus {
    const { target, libvirtUri } = checkedUris(String(p.target ?? ''), p.libvirtUri);
    const config: HostConfig = {
      id: randomUUID(),
      label: p.label?.trim() || target.host,
      target: p.target.trim(),
      libvirtUri,
      autoconnect: p.autoconnect ?? true,
    };
    if (this.all().some((h) => h.config.target === config.target && h.config.libvirtUri === libvirtUri)) {
      throw new UserError('invalid-input', `${config.target} is already a connection`);
    }
    const host = new HostConnection(config, this.ctx);
    this.hosts.set(config.id, host);
    this.persist();
    this.ctx.emit({ type: 'host.status', status: host.status() });
    if (config.autoconnect) connectInBackground(host);
    return host.status();
  }

  remove(hostId: string): void {
    this.get(hostId).disconnect();
    this.hosts.delete(hostId);
    this.lastFleet?.forget(hostId);
    this.persist();
    this.ctx.emit({ type: 'host.removed', hostId });
  }

  /** Set one host's own stats interval (undefined: back to the default), saved with its connection. */
  setHostStatsInterval(hostId: string, ms: number | undefined): void {
    const host = this.get(hostId);
    host.config = { ...host.config, statsIntervalMs: ms };
    this.persist();
    host.applyStatsInterval();
    this.ctx.emit({ type: 'host.status', status: host.status() });
  }

  /** Set the interval of every host that has none of its own. */
  setDefaultStatsInterval(ms: number): void {
    this.defaultStatsIntervalMs = ms;
    for (const host of this.hosts.values()) host.applyStatsInterval();
  }

  closeAll(): void {
    for (const host of this.hosts.values()) host.disconnect();
    this.lastFleet?.flush();
  }

  private persist(): void {
    this.store.save(this.all().map((h) => h.config));
  }
}
