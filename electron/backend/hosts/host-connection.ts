// One hypervisor: its saved config and, while connected, the wiring on top of its one session
// (SSH, or local where the target is a local libvirt URI): virsh, the live inventory, the bulk
// stats poller, the host-load watcher and the libvirt health check. The wiring exists whole or not
// at all. While the session is up but libvirt does not answer, the host is degraded: the inventory
// and the poller rest (the VMs stay as last known), and the health check retries until it answers.
import type { BackendEvent, HostConfig, HostStatus, VmDriver, VmStats, VmSummary } from '../../../shared/contract/index.js';
import type { ConsoleHost } from '../consoles/console-manager.js';
import { LibvirtUriError } from '../../../shared/libvirt-uri.js';
import { UserError } from '../errors.js';
import { LocalSession } from '../exec/local-session.js';
import type { Session } from '../exec/session.js';
import { LibvirtHealth } from '../libvirt/health.js';
import { HostLoadWatcher } from '../libvirt/host-info.js';
import { lxcUriBeside } from '../libvirt/containers.js';
import { HostInventory } from '../libvirt/inventory.js';
import { LxcInventory } from '../lxc/inventory.js';
import { StatsPoller } from '../libvirt/stats.js';
import { ContainerStatsSampler } from '../libvirt/container-stats.js';
import { Virsh } from '../libvirt/virsh.js';
import type { VolumeHost } from '../transfers/volume-io.js';
import type { SshConfigSource } from '../ssh/openssh/source.js';
import type { PromptBroker } from '../ssh/prompts.js';
import type { SecretStore } from '../ssh/secrets.js';
import { SshSession } from '../ssh/ssh-session.js';
import { parseTarget, resolveHost, type ResolvedHost } from '../ssh/target.js';
import { readFileSync } from 'node:fs';

/** What every connection shares: where questions and events go, secrets, the ssh config. */
export interface HostContext {
  readonly prompts: PromptBroker;
  readonly secrets: SecretStore;
  readonly sshConfig: SshConfigSource;
  /** The stats interval of hosts that have none of their own. */
  defaultStatsIntervalMs(): number;
  emit(event: BackendEvent): void;
}

interface Wiring {
  session: Session;
  virsh: Virsh;
  inventory: HostInventory;
  /** The host's LXC driver beside its QEMU one, over the same session; absent for a URI that
   *  has none beside it. Found when it answers `uri` after the session comes up. */
  lxc?: { virsh: Virsh; inventory: HostInventory; stats: StatsPoller; present: boolean };
  /** Containers of the LXC tools (not libvirt's): polled where the tools are usable. */
  lxcTools: LxcInventory;
  stats: StatsPoller;
  load: HostLoadWatcher;
  health: LibvirtHealth;
}

export class HostConnection {
  private wiring?: Wiring;

  constructor(
    public config: HostConfig,
    private readonly ctx: HostContext,
    /** What this host listed in an earlier session: shown, marked unconfirmed, until it lists now. */
    private lastKnown?: VmSummary[],
  ) {}

  get id(): string {
    return this.config.id;
  }

  get label(): string {
    return this.config.label;
  }

  /** What the SSH connection went ahead despite (StrictHostKeyChecking accept-new or no). */
  private sshWarning?: string;
  /** libvirt answered at least once in this session (a hypervisor, even while degraded). */
  private libvirtAnswered = false;

  status(): HostStatus {
    const session = this.wiring?.session;
    const fault = session?.state === 'online' ? this.wiring?.health.fault : undefined;
    const sshWarning = this.sshWarning;
    const unconfirmed = this.lastKnown ? { vmsUnconfirmed: true } : {};
    if (fault) return { config: this.config, state: 'degraded', libvirt: fault, sshWarning, ...unconfirmed, ...(this.libvirtAnswered ? {} : { notHypervisorYet: true }) };
    return { config: this.config, state: session?.state ?? 'disconnected', error: session?.lastError, sshWarning, ...unconfirmed };
  }

  /** The VMs and containers the live inventories know (while degraded: the last known); none
   *  while not connected. */
  get vms(): VmSummary[] {
    if (this.lastKnown) return this.lastKnown;
    return [...(this.wiring?.inventory.vms ?? []), ...(this.wiring?.lxc?.present ? this.wiring.lxc.inventory.vms : []), ...(this.wiring?.lxcTools.vms ?? [])];
  }

  /** Whether the host's LXC driver answered (undefined while not connected or not yet asked). */
  get lxcPresent(): boolean | undefined {
    return this.wiring?.lxc?.present;
  }

  /** List the VMs again (every window gets the list). */
  async refresh(): Promise<void> {
    const tools = this.wiring?.lxcTools;
    await Promise.all([this.wiring?.inventory.refresh(), this.wiring?.lxc?.present && this.wiring.lxc.inventory.refresh(), tools?.usable().then((ok) => (ok ? tools.refresh() : undefined))]);
  }

  /** refresh(), only while the host is online (libvirt answering too). */
  async refreshIfOnline(): Promise<void> {
    if (this.status().state === 'online') await this.refresh();
  }

  /** Connect (or retry now when offline or degraded); a session already connecting or online is left alone. */
  async connect(): Promise<HostStatus> {
    if (this.status().state === 'degraded') {
      await this.wiring!.health.retryNow();
      return this.status();
    }
    const current = this.wiring?.session;
    if (current?.state === 'offline') {
      await current.retryNow().catch(() => undefined);
      return this.status();
    }
    if (current && current.state !== 'disconnected') return this.status();
    this.disconnect(); // a refused earlier attempt: start afresh
    let session: Session;
    try {
      session = this.wire();
    } catch (err) {
      if (err instanceof LibvirtUriError) throw new UserError('invalid-input', err.message);
      throw err;
    }
    try {
      await session.connect();
    } catch (err) {
      throw new UserError('ssh', (err as Error).message);
    }
    return this.status();
  }

  /** Close the session and drop the wiring; withdraws this host's open prompts. */
  disconnect(): void {
    this.ctx.prompts.cancelHost(this.id);
    const wiring = this.wiring;
    this.wiring = undefined;
    if (!wiring) return;
    wiring.inventory.stop();
    wiring.lxc?.inventory.stop();
    wiring.lxcTools.stop();
    wiring.stats.stop();
    wiring.lxc?.stats.stop();
    wiring.load.stop();
    wiring.health.stop();
    wiring.virsh.closeShell();
    wiring.lxc?.virsh.closeShell();
    wiring.session.removeAllListeners();
    wiring.session.disconnect();
  }

  /** virsh on this host's QEMU driver, or its LXC driver; a clear error while not connected or
   *  when the host has no LXC driver. */
  virsh(driver: VmDriver = 'qemu'): Virsh {
    const wiring = this.connected();
    if (driver === 'qemu') return wiring.virsh;
    if (!wiring.lxc?.present) throw new UserError('unsupported', `${this.label} has no LXC driver (libvirt-daemon-driver-lxc): it runs no containers`);
    return wiring.lxc.virsh;
  }

  /** The host's LXC tools and their containers; a clear error while not connected. */
  lxcTools(): LxcInventory {
    return this.connected().lxcTools;
  }

  /** The session on this host; a clear error while not connected. */
  session(): Session {
    return this.connected().session;
  }

  /** Check this host has the VM: a typo or a stale window gets a clear error. */
  requireVm(name: string, driver: VmDriver = 'qemu'): void {
    if (!this.vms.some((vm) => vm.name === name && (vm.driver ?? 'qemu') === driver)) {
      throw new UserError('not-found', `No ${driver === 'lxc' ? 'container' : 'VM'} named "${name}" on ${this.label}`);
    }
  }

  /** This host's own stats interval, else the default. */
  statsIntervalMs(): number {
    return this.config.statsIntervalMs ?? this.ctx.defaultStatsIntervalMs();
  }

  /** Apply a changed interval (this host's own or the default) to the running poller. */
  applyStatsInterval(): void {
    this.wiring?.stats.setInterval(this.statsIntervalMs());
    this.wiring?.lxc?.stats.setInterval(this.statsIntervalMs());
  }

  watchLoad(watch: boolean): void {
    this.wiring?.load.watch(watch);
  }

  /** What a console needs of this host; consoles need an SSH connection. */
  consoleHost(driver: VmDriver = 'qemu'): ConsoleHost {
    const { session } = this.connected();
    const { lxcTools } = this.connected();
    const virsh = this.virsh(driver === 'lxc-tools' ? 'qemu' : driver);
    if (!(session instanceof SshSession)) throw new UserError('unsupported', `Consoles need an SSH connection; ${this.label} has none`);
    return {
      label: this.label,
      libvirtUri: driver === 'lxc' ? lxcUriBeside(this.config.libvirtUri)! : this.config.libvirtUri,
      driver,
      virsh: (args) => virsh.run(args),
      forwardOut: (address, port) => session.forwardOut(address, port),
      openPty: (argv, size) => session.openPty(argv, size),
      lxcTools: {
        running: async (name) => (await lxcTools.tools.list()).some((c) => c.name === name && c.state === 'running'),
        argv: (kind, name) => lxcTools.tools.consoleArgv(kind, name),
      },
    };
  }

  /** What a volume transfer needs of this host (transfers/). */
  volumeHost(): VolumeHost {
    const { virsh, session } = this.connected();
    return { label: this.label, virsh, session, libvirtUri: this.config.libvirtUri };
  }

  /** The SSH login this host uses: the public key beside its first identity file that has one,
   *  and the key its typed password is kept under (auth-steps.ts). */
  sshLogin(): { user: string; publicKey?: string; passwordSecret: string } | undefined {
    const target = parseTarget(this.config.target);
    if (target.local) return undefined;
    const h: ResolvedHost = resolveHost(target, this.ctx.sshConfig.sources, this.ctx.sshConfig.env);
    let publicKey: string | undefined;
    for (const file of h.identityFiles) {
      try {
        publicKey = readFileSync(`${file}.pub`, 'utf8').trim();
        break;
      } catch {
        /* no .pub beside this one */
      }
    }
    return { user: h.user, publicKey, passwordSecret: `password:${h.user}@${h.hostName}:${h.port}` };
  }

  /** Drop the typed login password (the key logs in now) and connect afresh with the key. */
  async reconnectWithKey(): Promise<HostStatus> {
    const login = this.sshLogin();
    if (login) await this.ctx.secrets.delete(login.passwordSecret);
    this.disconnect();
    return this.connect();
  }

  private connected(): Wiring {
    if (!this.wiring) throw new UserError('ssh', `${this.label} is not connected`);
    return this.wiring;
  }

  private newSession(): Session {
    const target = parseTarget(this.config.target);
    if (target.local) return new LocalSession(this.id);
    const { prompts, secrets, sshConfig } = this.ctx;
    this.sshWarning = undefined;
    const warn = (message: string) => {
      this.sshWarning = message;
      this.ctx.emit({ type: 'host.status', status: this.status() });
    };
    return new SshSession(resolveHost(target, sshConfig.sources, sshConfig.env), { hostId: this.id, prompts, secrets, warn });
  }

  /** The LXC driver's listing and figures (from the containers' cgroups: container-stats.ts). */
  private containerWiring(virsh: Virsh, emitVms: () => void, listingFailed: (message: string) => void): NonNullable<Wiring['lxc']> {
    const hostId = this.id;
    const inventory = new HostInventory(hostId, virsh, emitVms, listingFailed, 'lxc');
    const running = () => inventory.vms.filter((vm) => vm.state === 'running').map((vm) => vm.name);
    const onSample = (at: number, stats: Record<string, VmStats>) => this.ctx.emit({ type: 'host.stats', hostId, at, stats, driver: 'lxc' });
    const stats = new StatsPoller(virsh, this.statsIntervalMs(), onSample, new ContainerStatsSampler(virsh, running));
    return { virsh, inventory, stats, present: false };
  }

  private wire(): Session {
    const { emit } = this.ctx;
    const hostId = this.id;
    const session = this.newSession();
    this.libvirtAnswered = false;
    const health = new LibvirtHealth(
      (): Promise<string> => virsh.run(['uri']),
      (fault): void => {
        // Degraded: the listing and the poller rest (they would only fail); back: they resume.
        if (!fault) this.libvirtAnswered = true;
        if (fault) {
          inventory.stop();
          lxc?.inventory.stop();
          lxc?.stats.stop();
          stats.stop();
        } else {
          void inventory.start();
          startContainers();
          stats.start();
        }
        emit({ type: 'host.status', status: this.status() });
      },
    );
    // The QEMU driver's small commands go through one long-lived virsh (virsh-shell.ts).
    const virsh: Virsh = new Virsh(session, this.config.libvirtUri, health, { shell: true });
    const emitVms = (): void => {
      this.libvirtAnswered = true;
      // The host listed its VMs in this session: the earlier session's list is done with.
      if (this.lastKnown) {
        this.lastKnown = undefined;
        emit({ type: 'host.status', status: this.status() });
      }
      emit({ type: 'host.vms', hostId, vms: this.vms });
    };
    const listingFailed = (message: string): void => emit({ type: 'host.status', status: { ...this.status(), error: message } });
    const inventory = new HostInventory(hostId, virsh, emitVms, listingFailed);
    const lxcUri = lxcUriBeside(this.config.libvirtUri);
    // Its own long-lived virsh too, started by its first command (only hosts with the driver use it).
    const lxcVirsh = lxcUri ? new Virsh(session, lxcUri, undefined, { shell: true }) : undefined;
    const lxc = lxcVirsh && this.containerWiring(lxcVirsh, emitVms, listingFailed);
    // A host without the LXC driver (or whose libvirtd cannot load it) answers `uri` with an
    // error: no containers there, and no error shown — most hosts run only VMs.
    const startContainers = (): void => {
      if (!lxc) return;
      void lxc.virsh.run(['uri']).then(
        () => {
          if (this.wiring?.lxc !== lxc) return;
          lxc.present = true;
          void lxc.inventory.start();
          lxc.stats.start();
        },
        () => {
          lxc.present = false;
        },
      );
    };
    const stats = new StatsPoller(virsh, this.statsIntervalMs(), (at, sample) => emit({ type: 'host.stats', hostId, at, stats: sample }));
    const load = new HostLoadWatcher(session, () => this.statsIntervalMs(), (at, hostLoad) => emit({ type: 'host.load', hostId, at, ...hostLoad }));
    const lxcTools = new LxcInventory(hostId, session, emitVms);
    this.wiring = { session, virsh, inventory, lxc, lxcTools, stats, load, health };
    session.on('state', (state) => {
      if (state === 'online') {
        virsh.startShell(true);
        health.start();
        void inventory.start();
        startContainers();
        lxcTools.start();
        stats.start();
      } else {
        health.stop();
        inventory.stop();
        lxc?.inventory.stop();
        lxc?.stats.stop();
        lxcTools.stop();
        stats.stop();
      }
      emit({ type: 'host.status', status: this.status() });
    });
    return session;
  }
}
