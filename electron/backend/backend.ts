// The backend: owns every SSH connection and answers the contract's requests. Both transports
// (Electron's utility process and browser mode's WebSocket) wrap one instance of it and hand it
// each call as it came, for the dispatcher to check.
import { EventEmitter } from 'node:events';
import type { BackendEvent, Method, Outcome, Params, Result } from '../../shared/contract/index.js';
import { ConsoleManager } from './consoles/console-manager.js';
import { createDispatcher, type Dispatch, type Handlers } from './dispatch.js';
import { ConnectionsStore } from './hosts/connections-store.js';
import { HostRegistry } from './hosts/registry.js';
import { LastFleetStore } from './hosts/last-fleet.js';
import { cloneService } from './services/clone.js';
import { cloudService } from './services/cloud.js';
import { consolesService } from './services/consoles.js';
import { containersService } from './services/containers.js';
import { lxcService } from './services/lxc.js';
import type { ServiceContext } from './services/context.js';
import { domainXmlService } from './services/domain-xml.js';
import { domainsService } from './services/domains.js';
import { hostInfoService } from './services/host-info.js';
import { nodedevService } from './services/nodedevs.js';
import { hostsService } from './services/hosts.js';
import { storageService } from './services/storage.js';
import { snapshotsService } from './services/snapshots.js';
import { transfersService } from './services/transfers.js';
import { networksService } from './services/networks.js';
import { newVmService } from './services/new-vm.js';
import { qmpService } from './services/qmp.js';
import { migrationService } from './services/migration.js';
import { tuningService } from './services/tuning.js';
import { prepareService } from './services/prepare.js';
import { SshConfigSource } from './ssh/openssh/source.js';
import { PromptBroker } from './ssh/prompts.js';
import { SessionSecrets, type SecretStore } from './ssh/secrets.js';
import { Transfers } from './transfers/transfers.js';

export interface BackendOptions {
  dataDir: string;
  /** OpenSSH client config to honour; defaults to ~/.ssh/config. */
  sshConfigPath?: string;
  /** The OS keychain, where there is one (Electron's safeStorage); browser mode has none. */
  keychain?: Omit<SecretStore, 'canPersist' | 'persistRefusal'>;
  /** Why there is no keychain (e.g. safeStorage would store plain text), told in prompts. */
  keychainRefusal?: string;
  /** Transfers may read and write paths on this machine (the Electron app's native dialogs). */
  localFiles?: boolean;
}

/** Every service's handlers, joined: a method no service serves does not compile. */
export function allHandlers(ctx: ServiceContext): Handlers {
  return { ...hostsService(ctx), ...domainsService(ctx), ...domainXmlService(ctx), ...consolesService(ctx), ...hostInfoService(ctx), ...storageService(ctx), ...snapshotsService(ctx), ...nodedevService(ctx), ...containersService(ctx), ...lxcService(ctx), ...transfersService(ctx), ...networksService(ctx), ...newVmService(ctx), ...cloneService(ctx), ...cloudService(ctx), ...qmpService(ctx), ...migrationService(ctx), ...tuningService(ctx), ...prepareService(ctx) };
}

export class Backend {
  private readonly events = new EventEmitter<{ event: [BackendEvent] }>();
  private readonly registry: HostRegistry;
  private readonly dispatch: Dispatch;
  /** VNC, serial and shell consoles (consoles/): `console.open` issues ids the transports attach to. */
  readonly consoles: ConsoleManager;
  /** Volume uploads, downloads and copies; browser mode's HTTP routes hand them their bytes. */
  readonly transfers: Transfers;

  constructor(opts: BackendOptions) {
    const emit = (event: BackendEvent) => this.events.emit('event', event);
    const prompts = new PromptBroker(emit);
    const sshConfig = new SshConfigSource(opts.sshConfigPath);
    this.registry = new HostRegistry(
      new ConnectionsStore(opts.dataDir),
      { prompts, secrets: new SessionSecrets(opts.keychain, opts.keychain ? undefined : opts.keychainRefusal), sshConfig, emit },
      new LastFleetStore(opts.dataDir),
    );
    this.consoles = new ConsoleManager((hostId, driver) => this.registry.get(hostId).consoleHost(driver));
    this.transfers = new Transfers((hostId) => this.registry.get(hostId).volumeHost(), emit);
    const ctx = { registry: this.registry, prompts, consoles: this.consoles, transfers: this.transfers, localFiles: opts.localFiles ?? false, sshConfig, emit };
    this.dispatch = createDispatcher(allHandlers(ctx));
    this.registry.load();
  }

  onEvent(listener: (e: BackendEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  /** Answer one request as it came off a transport; never throws: failures come back as data. */
  call(method: unknown, params: unknown): Promise<Outcome<unknown>> {
    return this.dispatch(method, params);
  }

  /** call() with the contract's types, for callers inside Node (bench, tests). */
  request<M extends Method>(method: M, params: Params<M>): Promise<Outcome<Result<M>>> {
    return this.call(method, params) as Promise<Outcome<Result<M>>>;
  }

  async close(): Promise<void> {
    this.consoles.closeAll();
    this.transfers.cancelAll();
    this.registry.closeAll();
  }
}
