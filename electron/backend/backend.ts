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
}

const VIRSH_ACTION: Record<VmAction, string> = {
  start: 'start',
  shutdown: 'shutdown',
  destroy: 'destroy',
  reboot: 'reboot',
  suspend: 'suspend',
  resume: 'resume',
};

export class Backend {
  private readonly events = new EventEmitter<{ event: [BackendEvent] }>();
  private readonly hosts = new Map<string, Host>();
  private readonly store: ConnectionsStore;
  private readonly sshConfigPath: string;
  private readonly prompts = new PromptBroker((e) => this.emit(e));
  private readonly secrets: SecretStore;

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
      const code = err instanceof UserError ? err.code : err instanceof RemoteCommandError ? 'libvirt' : 'error';
      return { ok: false, error: { code, message: (err as Error).message } };
    }
  }

  /** call() with the contract's types, for callers inside Node (bench, tests). */
  request<M extends Method>(method: M, params: Params<M>): Promise<Outcome<Result<M>>> {
    return this.call(method, params) as Promise<Outcome<Result<M>>>;
  }

  async close(): Promise<void> {
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
    'vm.dominfo': async ({ hostId, name }) => parseKeyValues(await this.virsh(this.host(hostId)).run(['dominfo', '--domain', String(name)])),
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
      if (!(action in VIRSH_ACTION)) throw new UserError('invalid-input', `Unknown action: ${String(action)}`);
      const host = this.host(hostId);
      if (!host.inventory?.vms.some((vm) => vm.name === name)) throw new UserError('not-found', `No VM named "${name}" on ${host.config.label}`);
      await this.virsh(host).run([VIRSH_ACTION[action], '--domain', name]);
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
    session.on('state', (state) => {
      if (state === 'online') void inventory.start();
      else inventory.stop();
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
    host.session?.removeAllListeners();
    host.session?.disconnect();
    host.session = undefined;
    host.virsh = undefined;
    host.inventory = undefined;
  }

  private virsh(host: Host): Virsh {
    if (!host.virsh) throw new UserError('ssh', `${host.config.label} is not connected`);
    return host.virsh;
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
