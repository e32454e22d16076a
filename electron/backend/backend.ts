// The backend: owns every SSH connection and answers the contract's requests. Both transports
// (Electron's utility process and browser mode's WebSocket) wrap one instance of it.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import {
  isMethod,
  type BackendEvent,
  type HostConfig,
  type HostStatus,
  type Method,
  type Methods,
  type Outcome,
  type Params,
  type Result,
  type VmAction,
} from '../../shared/contract/index.js';
import { ConnectionsStore } from './connections-store.js';
import { ConsoleError, ConsoleManager, type ConsoleHost } from './consoles/console-manager.js';
import { HostSession, RemoteCommandError } from './hosts/host-session.js';
import { LocalSession } from './hosts/local-session.js';
import { PromptBroker } from './hosts/prompts.js';
import { SessionSecrets, type SecretStore } from './hosts/secrets.js';
import { hostAliases, loadSshConfig } from './hosts/ssh-config.js';
import { readVirtManagerConnections, targetForUri } from './hosts/virt-manager.js';
import { parseTarget, resolveHost } from './hosts/target.js';
import { HostInventory } from './libvirt/inventory.js';
import { parseKeyValues } from './libvirt/parse.js';
import { Virsh } from './libvirt/virsh.js';
import { gatherHostInfo, HostLoadWatcher } from './libvirt/host-info.js';
import { deleteVm, isVmAction, listDisks, VIRSH_ACTIONS } from './libvirt/lifecycle.js';
import { DEFAULT_STATS_INTERVAL_MS, StatsPoller } from './libvirt/stats.js';
import { DomainEditError, applyDomainEdits, defineDomainXml, getXml, qmpQuery } from './libvirt/domain-editor.js';
import { hardwareFacts } from './libvirt/hardware-facts.js';

export interface BackendOptions {
  dataDir: string;
  /** OpenSSH client config to honour; defaults to ~/.ssh/config. */
  sshConfigPath?: string;
  /** The OS keychain, where there is one (Electron's safeStorage); browser mode has none. */
  keychain?: Omit<SecretStore, 'canPersist'>;
}

/** An error whose message is meant for the user, with the contract's error code. */
class UserError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

interface Host {
  config: HostConfig;
  session?: HostSession | LocalSession;
  virsh?: Virsh;
  inventory?: HostInventory;
  stats?: StatsPoller;
  load?: HostLoadWatcher;
}

export class Backend {
  private readonly events = new EventEmitter<{ event: [BackendEvent] }>();
  private readonly hosts = new Map<string, Host>();
  private readonly store: ConnectionsStore;
  private readonly sshConfigPath: string;
  private readonly prompts = new PromptBroker((e) => this.emit(e));
  private readonly secrets: SecretStore;
  /** VNC, serial and shell consoles (consoles/): `console.open` issues ids the transports attach to. */
  readonly consoles = new ConsoleManager((hostId) => this.consoleHost(hostId));
  private statsIntervalMs = Number(process.env.VIRTDECK_STATS_INTERVAL_MS) || DEFAULT_STATS_INTERVAL_MS;

  constructor(opts: BackendOptions) {
    this.store = new ConnectionsStore(opts.dataDir);
    this.secrets = new SessionSecrets(opts.keychain);
    this.sshConfigPath = opts.sshConfigPath ?? join(homedir(), '.ssh', 'config');
    for (const config of this.store.load()) {
      this.hosts.set(config.id, { config });
      if (config.autoconnect) void this.connect(config.id).catch(() => undefined);
    }
  }

  onEvent(listener: (e: BackendEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  /** Answer one request; never throws: failures come back as data. */
  async call(method: string, params: unknown): Promise<Outcome<unknown>> {
    if (!isMethod(method)) return { ok: false, error: { code: 'invalid-input', message: `Unknown method: ${String(method)}` } };
    try {
      const handler = this.handlers[method] as (p: unknown) => Promise<unknown>;
      return { ok: true, value: await handler((params ?? {}) as Params<Method>) };
    } catch (err) {
      const code = err instanceof UserError || err instanceof DomainEditError ? err.code : err instanceof RemoteCommandError ? 'libvirt' : 'error';
      return { ok: false, error: { code, message: (err as Error).message } };
    }
  }

  /** call() with the contract's types, for callers inside Node (bench, tests). */
  request<M extends Method>(method: M, params: Params<M>): Promise<Outcome<Result<M>>> {
    return this.call(method, params) as Promise<Outcome<Result<M>>>;
  }

  async close(): Promise<void> {
    this.consoles.closeAll();
    for (const host of this.hosts.values()) this.teardown(host);
  }

  private readonly handlers: { [M in Method]: (params: Params<M>) => Promise<Result<M>> } = {
    'hosts.list': async () => {
      // A window that opens late still sees the questions waiting for it.
      for (const prompt of this.prompts.pending()) this.emit({ type: 'prompt', prompt });
      return [...this.hosts.values()].map((h) => this.status(h));
    },
    'hosts.add': async (p) => this.add(p),
    'hosts.remove': async ({ hostId }) => {
      const host = this.host(hostId);
      this.teardown(host);
      this.hosts.delete(hostId);
      this.persist();
      this.emit({ type: 'host.removed', hostId });
      return null;
    },
    'hosts.connect': async ({ hostId }) => this.connect(hostId),
    'console.open': async (p) => {
      try {
        return await this.consoles.open(p);
      } catch (err) {
        throw err instanceof ConsoleError ? new UserError(err.code, err.message) : err;
      }
    },
    'vm.dominfo': async ({ hostId, name }) => parseKeyValues(await this.virsh(this.host(hostId)).run(['dominfo', '--domain', String(name)])),
    // The hardware editor and XML tab (libvirt/domain-editor.ts).
    'vm.getXml': async ({ hostId, name }) => getXml(this.virsh(this.host(hostId)), String(name)),
    'vm.applyEdits': async ({ hostId, name, baseXml, edits, newVolumes }) =>
      applyDomainEdits(this.virsh(this.host(hostId)), { name: String(name), baseXml: String(baseXml), edits, newVolumes }),
    'vm.hardwareFacts': async ({ hostId, name }) => {
      const host = this.host(hostId);
      const virsh = this.virsh(host);
      const session = host.session!;
      return hardwareFacts(virsh, async (argv) => (await session.exec(argv)).stdout, String(name));
    },
    'vm.defineXml': async ({ hostId, name, baseXml, xml }) =>
      defineDomainXml(this.virsh(this.host(hostId)), { name: String(name), baseXml: String(baseXml), xml: String(xml) }),
    'vm.qmp': async ({ hostId, name, command }) => qmpQuery(this.virsh(this.host(hostId)), String(name), String(command)),
    'prompt.answer': async ({ promptId, answers, remember }) => {
      this.prompts.answer(promptId, answers, remember === true);
      return null;
    },
    'hosts.suggestions': async () => ({
      sshHosts: hostAliases(loadSshConfig(this.sshConfigPath)),
      virtManager: await readVirtManagerConnections().catch(() => []),
    }),
    'hosts.importVirtManager': async () => {
      const added: HostStatus[] = [];
      const skipped: string[] = [];
      for (const { uri, autoconnect } of await readVirtManagerConnections()) {
        const mapped = targetForUri(uri);
        if ('unsupported' in mapped) {
          skipped.push(mapped.unsupported);
          continue;
        }
        try {
          added.push(this.add({ target: mapped.target, libvirtUri: mapped.libvirtUri, autoconnect }));
        } catch (err) {
          skipped.push(`${uri}: ${(err as Error).message}`);
        }
      }
      return { added, skipped };
    },
    'hosts.disconnect': async ({ hostId }) => {
      const host = this.host(hostId);
      this.teardown(host);
      this.emit({ type: 'host.vms', hostId, vms: [] });
      this.emit({ type: 'host.status', status: this.status(host) });
      return this.status(host);
    },
    'vms.list': async ({ fresh }) => {
      const hosts = [...this.hosts.values()];
      if (fresh) await Promise.all(hosts.map((h) => (h.session?.state === 'online' ? h.inventory?.refresh() : undefined)));
      return hosts.flatMap((h) => h.inventory?.vms ?? []);
    },
    'vm.action': async ({ hostId, name, action }) => {
      if (!isVmAction(action)) throw new UserError('invalid-input', `Unknown action: ${String(action)}`);
      const host = this.hostWithVm(hostId, name);
      await this.virsh(host).run(VIRSH_ACTIONS[action](name));
      // Autostart changes raise no libvirt event: list again so every window sees it.
      if (action === 'autostart-on' || action === 'autostart-off') await host.inventory.refresh();
      return null;
    },
    // Fleet view: delete dialog, lifecycle, host page, stats (libvirt/lifecycle.ts, host-info.ts, stats.ts).
    'vm.disks': async ({ hostId, name }) => listDisks(this.virsh(this.host(hostId)), String(name)),
    'vm.delete': async ({ hostId, name, storage }) => {
      const host = this.hostWithVm(hostId, name);
      if (!Array.isArray(storage) || storage.some((t) => typeof t !== 'string')) throw new UserError('invalid-input', 'storage must list disk targets');
      await deleteVm(this.virsh(host), String(name), storage);
      return null;
    },
    'host.info': async ({ hostId }) => {
      const host = this.host(hostId);
      if (!host.session) throw new UserError('ssh', `${host.config.label} is not connected`);
      return gatherHostInfo(this.virsh(host), host.session);
    },
    'stats.setInterval': async ({ intervalMs, hostId }) => {
      const ms = intervalMs === null && hostId !== undefined ? undefined : Number(intervalMs);
      if (ms !== undefined && (!Number.isFinite(ms) || ms < 500 || ms > 60_000)) throw new UserError('invalid-input', 'The stats interval must be between 500 ms and 60 s');
      if (hostId !== undefined) {
        // One host's own schedule, saved with its connection.
        const host = this.host(hostId);
        host.config = { ...host.config, statsIntervalMs: ms };
        this.persist();
        host.stats?.setInterval(this.intervalOf(host));
        this.emit({ type: 'host.status', status: this.status(host) });
        return null;
      }
      this.statsIntervalMs = ms!;
      for (const h of this.hosts.values()) h.stats?.setInterval(this.intervalOf(h));
      return null;
    },
    'host.watch': async ({ hostId, watch }) => {
      const host = this.host(hostId);
      host.load?.watch(watch === true);
      return null;
    },
  };

  private add(p: Methods['hosts.add']['params']): HostStatus {
    const target = parseTarget(String(p.target ?? ''));
    const libvirtUri = p.libvirtUri?.trim() || target.libvirtUri || 'qemu:///system';
    if (!/^[a-z0-9+]+:\/\/[^\s]*$/i.test(libvirtUri)) throw new UserError('invalid-input', `Not a libvirt URI: ${libvirtUri}`);
    const config: HostConfig = {
      id: randomUUID(),
      label: p.label?.trim() || target.host,
      target: p.target.trim(),
      libvirtUri,
      autoconnect: p.autoconnect ?? true,
    };
    if ([...this.hosts.values()].some((h) => h.config.target === config.target && h.config.libvirtUri === libvirtUri)) {
      throw new UserError('invalid-input', `${config.target} is already a connection`);
    }
    const host: Host = { config };
    this.hosts.set(config.id, host);
    this.persist();
    this.emit({ type: 'host.status', status: this.status(host) });
    if (config.autoconnect) void this.connect(config.id).catch(() => undefined);
    return this.status(host);
  }

  private async connect(hostId: string): Promise<HostStatus> {
    const host = this.host(hostId);
    if (host.session?.state === 'offline') {
      await host.session.retryNow().catch(() => undefined);
      return this.status(host);
    }
    if (host.session && host.session.state !== 'disconnected') return this.status(host);
    this.teardown(host); // a refused earlier attempt: start afresh
    const target = parseTarget(host.config.target);
    const session = target.local
      ? new LocalSession()
      : new HostSession(resolveHost(target, loadSshConfig(this.sshConfigPath), userInfo().username), { hostId, prompts: this.prompts, secrets: this.secrets });
    const virsh = new Virsh(session, host.config.libvirtUri);
    host.session = session;
    host.virsh = virsh;
    const inventory = new HostInventory(
      hostId,
      virsh,
      (vms) => this.emit({ type: 'host.vms', hostId, vms }),
      (message) => this.emit({ type: 'host.status', status: { ...this.status(host), error: message } }),
    );
    host.inventory = inventory;
    const stats = new StatsPoller(virsh, this.intervalOf(host), (at, sample) => this.emit({ type: 'host.stats', hostId, at, stats: sample }));
    host.stats = stats;
    host.load = new HostLoadWatcher(session, () => this.intervalOf(host), (at, load) => this.emit({ type: 'host.load', hostId, at, ...load }));
    session.on('state', (state) => {
      if (state === 'online') void inventory.start();
      else inventory.stop();
      if (state === 'online') stats.start();
      else stats.stop();
      this.emit({ type: 'host.status', status: this.status(host) });
    });
    try {
      await session.connect();
    } catch (err) {
      throw new UserError('ssh', (err as Error).message);
    }
    return this.status(host);
  }

  private teardown(host: Host): void {
    this.prompts.cancelHost(host.config.id);
    host.inventory?.stop();
    host.stats?.stop();
    host.stats = undefined;
    host.load?.stop();
    host.load = undefined;
    host.session?.removeAllListeners();
    host.session?.disconnect();
    host.session = undefined;
    host.virsh = undefined;
    host.inventory = undefined;
  }

  /** The host's own stats interval, else the default. */
  private intervalOf(host: Host): number {
    return host.config.statsIntervalMs ?? this.statsIntervalMs;
  }

  private virsh(host: Host): Virsh {
    if (!host.virsh) throw new UserError('ssh', `${host.config.label} is not connected`);
    return host.virsh;
  }

  private consoleHost(hostId: string): ConsoleHost {
    const host = this.host(hostId);
    const virsh = this.virsh(host);
    const session = host.session;
    if (!(session instanceof HostSession)) throw new UserError('unsupported', `Consoles need an SSH connection; ${host.config.label} has none`);
    return {
      label: host.config.label,
      libvirtUri: host.config.libvirtUri,
      virsh: (args) => virsh.run(args),
      forwardOut: (address, port) => session.forwardOut(address, port),
      openPty: (argv, size) => session.openPty(argv, size),
    };
  }

  /** The host, after checking it has this VM: a typo or a stale window gets a clear error. */
  private hostWithVm(hostId: string, name: string): Host & { inventory: HostInventory } {
    const host = this.host(hostId);
    if (!host.inventory?.vms.some((vm) => vm.name === name)) throw new UserError('not-found', `No VM named "${name}" on ${host.config.label}`);
    return host as Host & { inventory: HostInventory };
  }

  private host(hostId: string): Host {
    const host = this.hosts.get(hostId);
    if (!host) throw new UserError('not-found', `No connection with id ${hostId}`);
    return host;
  }

  private status(host: Host): HostStatus {
    return {
      config: host.config,
      state: host.session?.state ?? 'disconnected',
      error: host.session?.lastError,
    };
  }

  private persist(): void {
    this.store.save([...this.hosts.values()].map((h) => h.config));
  }

  private emit(event: BackendEvent): void {
    this.events.emit('event', event);
  }
}
