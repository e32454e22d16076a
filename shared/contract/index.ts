// The one contract between the renderer and the backend. Both transports (Electron IPC and the
// browser-mode WebSocket) carry exactly these requests, responses and pushed events.

import type { DiffLine, DomainEdit } from '../domain-xml';
import type { BlockDeviceFacts, HostVolume, NewVolume } from '../domain-xml/advisor';

/** A saved hypervisor connection. `target` is what the user typed: an ssh config alias,
 *  `user@host:port`, or a `qemu+ssh://` URI. */
export interface HostConfig {
  id: string;
  label: string;
  target: string;
  /** libvirt URI on the host, e.g. qemu:///system */
  libvirtUri: string;
  autoconnect: boolean;
  /** This host's own stats interval (bulk `virsh domstats`), when set; else the app's default. */
  statsIntervalMs?: number;
}

export type ConnectionState = 'disconnected' | 'connecting' | 'online' | 'offline';

export interface HostStatus {
  config: HostConfig;
  state: ConnectionState;
  /** Why the host is offline or failed to connect, in words an admin can act on. */
  error?: string;
  /** The host's own name once connected. */
  hostname?: string;
}

/** libvirt's domain states (virDomainState), as words. */
export type VmState =
  | 'nostate'
  | 'running'
  | 'blocked'
  | 'paused'
  | 'shutdown'
  | 'shutoff'
  | 'crashed'
  | 'pmsuspended';

export interface VmSummary {
  hostId: string;
  uuid: string;
  name: string;
  state: VmState;
  /** libvirt's reason code for the state, as virsh names it (e.g. "booted", "destroyed"). */
  reason?: string;
  vcpus?: number;
  memoryKiB?: number;
  /** Starts with the host (`virsh autostart`). */
  autostart?: boolean;
  /** The domain's <title>, when it has one. */
  title?: string;
}

/** Stable id of a VM across the fleet: the same uuid may exist on two hosts. */
export const vmKey = (vm: Pick<VmSummary, 'hostId' | 'uuid'>): string => `${vm.hostId}/${vm.uuid}`;

export type VmAction =
  | 'start'
  | 'shutdown'
  | 'destroy'
  | 'reboot'
  | 'suspend'
  | 'resume'
  /** Hard reset, as pressing the reset button. */
  | 'reset'
  /** Shut down through the QEMU guest agent instead of ACPI. */
  | 'shutdown-agent'
  /** `virsh managedsave`: memory to disk, VM off; the next start resumes it. */
  | 'managedsave'
  | 'autostart-on'
  | 'autostart-off';

/** Live figures of one VM from the host's bulk `virsh domstats`; rates are per second over the
 *  last interval (absent on the first sample or when the VM is off). */
export interface VmStats {
  cpuPct?: number;
  /** Guest memory in use (balloon current − unused), else QEMU's RSS. */
  memUsedKiB?: number;
  /** Where memUsedKiB comes from: the guest's balloon statistics, or QEMU's process size when the
   *  guest reports none (no balloon, or no statistics period). */
  memSource?: 'guest' | 'qemu';
  diskReadBps?: number;
  diskWriteBps?: number;
  netRxBps?: number;
  netTxBps?: number;
}

/** A disk of a VM, as `virsh domblklist --details` lists it. */
export interface VmDisk {
  target: string;
  device: string;
  type: string;
  source?: string;
}

/** What the host page shows: versions, resources, and the health checks an admin runs by hand. */
export interface HostInfo {
  hostname: string;
  libvirtVersion?: string;
  qemuVersion?: string;
  cpuModel?: string;
  cpus?: number;
  sockets?: number;
  coresPerSocket?: number;
  threadsPerCore?: number;
  mhz?: number;
  memoryKiB?: number;
  memoryFreeKiB?: number;
  uptimeSeconds?: number;
  kvm: {
    usable: boolean;
    /** vmx (Intel) or svm (AMD) among the CPU flags. */
    cpuFlag?: 'vmx' | 'svm';
    modules: string[];
    devKvm: 'missing' | 'present' | 'inaccessible';
    /** Whether libvirt offers domain type kvm (virsh capabilities). */
    libvirtKvm: boolean;
    /** Sentences an admin can act on. */
    findings: string[];
  };
  /** Running guests and whether each runs under KVM or TCG (software emulation: slow). */
  guests: Array<{ name: string; accel: 'kvm' | 'tcg' | 'unknown' }>;
  ksm: { available: boolean; running: boolean; pagesSharing?: number; pagesShared?: number; savedKiB?: number };
  numa: Array<{ id: number; memoryKiB?: number; freeKiB?: number; cpus: number[] }>;
  networks: Array<{ name: string; active: boolean; autostart: boolean; persistent: boolean; bridge?: string }>;
  bridges: Array<{ name: string; ports: string[] }>;
}

export interface AddHostRequest {
  target: string;
  label?: string;
  libvirtUri?: string;
  autoconnect?: boolean;
}

/** A question the backend needs a person to answer before it can go on (host key, secrets). */
export interface Prompt {
  id: string;
  hostId: string;
  kind: 'host-key' | 'passphrase' | 'password' | 'keyboard-interactive';
  title: string;
  /** What is being asked, in words (for a host key: the fingerprint and where it will be saved). */
  message: string;
  /** One input per answer; none for a yes/no question such as accepting a host key. */
  fields: Array<{ label: string; secret: boolean }>;
  /** Whether "remember" can be offered: only where the OS keychain is available (Electron). */
  canRemember: boolean;
}

/** A VM's domain XML: the next-boot (persistent) config and, while it runs, the live one. */
export interface VmXml {
  /** `virsh dumpxml --inactive --security-info`: what edits start from and are checked against. */
  persistent: string;
  /** `virsh dumpxml --security-info` while the VM runs, else null. */
  live: string | null;
  running: boolean;
}

/** The host facts the hardware editor and its advisor use (vm.hardwareFacts). */
export interface HardwareFacts {
  /** `virsh domcapabilities` custom-mode CPU models for the VM's virt type, arch and machine. */
  cpuModels: Array<{ name: string; usable: boolean }>;
  /** The model host-model gives on this host, if libvirt says. */
  hostModel: string | null;
  numaCells: Array<{ id: number; cpus: number; memoryKiB: number }>;
  kvm: boolean;
  /** The active storage pools, and every volume in them. */
  pools: string[];
  volumes: HostVolume[];
  /** libvirt networks (active or not). */
  networks: string[];
  /** lsblk's word on each block device the VM's disks sit on, by the disk's source dev. */
  blockDevices: Record<string, BlockDeviceFacts>;
}

/** The result of writing a domain config (vm.applyEdits / vm.defineXml). */
export type ApplyResult =
  /** Written with `virsh define --validate`; `appliedLive` says what also changed in the running VM,
   *  `liveErrors` what libvirt refused to change live (it still waits for the next boot). */
  | { status: 'applied'; xml: VmXml; appliedLive: string[]; liveErrors: string[] }
  /** The persistent XML changed since `baseXml` was read: nothing was written. */
  | { status: 'conflict'; xml: VmXml; diff: DiffLine[] };

/** Every request the backend answers: method name -> params and result. */
export interface Methods {
  'hosts.list': { params: Record<string, never>; result: HostStatus[] };
  'hosts.add': { params: AddHostRequest; result: HostStatus };
  'hosts.remove': { params: { hostId: string }; result: null };
  'hosts.connect': { params: { hostId: string }; result: HostStatus };
  'hosts.disconnect': { params: { hostId: string }; result: HostStatus };
  /** Every VM of every connected host; `fresh` lists the hosts again instead of answering from
   *  the live inventory. */
  'vms.list': { params: { fresh?: boolean }; result: VmSummary[] };
  'vm.action': { params: { hostId: string; name: string; action: VmAction }; result: null };
  /** The VM's disks, for the delete dialog. */
  'vm.disks': { params: { hostId: string; name: string }; result: VmDisk[] };
  /** Undefine the VM (forced off first when it runs) with its managed save, snapshot metadata and
   *  NVRAM; `storage` lists the disk targets (e.g. "vda") whose volumes are deleted too. */
  'vm.delete': { params: { hostId: string; name: string; storage: string[] }; result: null };
  /** Versions, resources and health checks of one connected host. */
  'host.info': { params: { hostId: string }; result: HostInfo };
  /** How often a host's bulk `virsh domstats` runs: with `hostId` that host's own interval (saved
   *  with the connection; null goes back to the default), without it the default (2000 ms) for
   *  every host that has none of its own. */
  'stats.setInterval': { params: { intervalMs: number | null; hostId?: string }; result: null };
  /** Start or stop pushing 'host.load' (host CPU and memory) while a host page is open. */
  'host.watch': { params: { hostId: string; watch: boolean }; result: null };
  /** `virsh dominfo`, as its field/value pairs. */
  'vm.dominfo': { params: { hostId: string; name: string }; result: Record<string, string> };
  /** The VM's persistent and live domain XML. */
  'vm.getXml': { params: { hostId: string; name: string }; result: VmXml };
  /** Apply named edits to `baseXml` and define the result — refused (status 'conflict') when the
   *  persistent XML is no longer `baseXml`. Applied live too where libvirt can. */
  'vm.applyEdits': { params: { hostId: string; name: string; baseXml: string; edits: DomainEdit[]; newVolumes?: NewVolume[] }; result: ApplyResult };
  /** What the hardware editor offers for this VM on its host: CPU models, NUMA cells, volumes, networks. */
  'vm.hardwareFacts': { params: { hostId: string; name: string }; result: HardwareFacts };
  /** Define a whole domain XML edited by hand, with the same conflict check. */
  'vm.defineXml': { params: { hostId: string; name: string; baseXml: string; xml: string }; result: ApplyResult };
  /** Read-only QMP query through `virsh qemu-monitor-command` (libvirt marks the domain tainted). */
  'vm.qmp': { params: { hostId: string; name: string; command: 'query-block' | 'query-pci' | 'query-balloon' | 'query-status' }; result: string };
  /** Answer a prompt; `answers: null` declines (cancel, or reject a host key). */
  'prompt.answer': { params: { promptId: string; answers: string[] | null; remember?: boolean }; result: null };
  /** What the add-connection dialog can offer: the ssh config's Host aliases, and on Linux the
   *  connections saved by virt-manager. */
  'hosts.suggestions': { params: Record<string, never>; result: { sshHosts: string[]; virtManager: Array<{ uri: string; autoconnect: boolean }> } };
  /** Add virt-manager's saved connections; those already here or not supported are skipped, with why. */
  'hosts.importVirtManager': { params: Record<string, never>; result: { added: HostStatus[]; skipped: string[] } };
  /** Prepare a console: a one-time id that the console byte stream (browser mode: the /console
   *  WebSocket; Electron: a MessagePort) must present within 30 s. Fails with code 'spice-only'
   *  when the VM has SPICE but no VNC display, 'not-running' when it has no live display. */
  'console.open': { params: { hostId: string; name?: string; kind: ConsoleKind }; result: ConsoleTicket };
}

/** vnc: the VM's graphical console (RFB bytes); serial: `virsh console` on a pty; shell: a login
 *  shell on the host itself (name not needed). */
export type ConsoleKind = 'vnc' | 'serial' | 'shell';

export interface ConsoleTicket {
  consoleId: string;
  kind: ConsoleKind;
  /** The VNC password from the domain XML (`dumpxml --security-info`), when it has one. */
  vncPassword?: string;
}

/** Control frames of a terminal console (text frames; data travels as binary frames). */
export type ConsoleControl = { resize: { cols: number; rows: number } };

export type Method = keyof Methods;
export type Params<M extends Method> = Methods[M]['params'];
export type Result<M extends Method> = Methods[M]['result'];

/** The list the preload and the WebSocket server check incoming method names against. */
export const METHODS = [
  'hosts.list',
  'hosts.add',
  'hosts.remove',
  'hosts.connect',
  'hosts.disconnect',
  'vms.list',
  'vm.action',
  'vm.dominfo',
  'vm.getXml',
  'vm.applyEdits',
  'vm.defineXml',
  'vm.qmp',
  'vm.hardwareFacts',
  'prompt.answer',
  'hosts.suggestions',
  'hosts.importVirtManager',
  'console.open',
  'vm.disks',
  'vm.delete',
  'host.info',
  'stats.setInterval',
  'host.watch',
] as const satisfies readonly Method[];

export const isMethod = (name: unknown): name is Method =>
  typeof name === 'string' && (METHODS as readonly string[]).includes(name);

/** Errors cross the boundary as data, never as thrown exceptions or stack traces. */
export interface ApiError {
  /** 'invalid-input' | 'not-found' | 'libvirt' | 'ssh' | 'forbidden' | 'transport' | 'error' */
  code: string;
  message: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Events the backend pushes; the renderer's store applies them. */
export type BackendEvent =
  | { type: 'host.status'; status: HostStatus }
  | { type: 'host.removed'; hostId: string }
  /** The full VM list of one host, sent after connect and after each change on that host. */
  | { type: 'host.vms'; hostId: string; vms: VmSummary[] }
  | { type: 'prompt'; prompt: Prompt }
  /** The prompt was answered (possibly in another window) or its connection attempt ended. */
  | { type: 'prompt.closed'; promptId: string }
  /** One bulk stats sample of a host: VM name -> figures, every interval while connected. */
  | { type: 'host.stats'; hostId: string; at: number; stats: Record<string, VmStats> }
  /** Host CPU and memory, every stats interval while some window watches the host ('host.watch'). */
  | { type: 'host.load'; hostId: string; at: number; cpuPct?: number; memUsedKiB: number; memTotalKiB: number };

/** What the renderer is given by either transport. */
export interface VirtDeckApi {
  call<M extends Method>(method: M, params: Params<M>): Promise<Outcome<Result<M>>>;
  /** Returns an unsubscribe function. */
  onEvent(listener: (event: BackendEvent) => void): () => void;
  /** Electron only: ask for the MessagePort of a console issued by console.open. It arrives as a
   *  window message `{ virtdeckConsole: consoleId }` carrying the port (a MessagePort cannot cross
   *  the context bridge). Browser mode has none: it opens the /console WebSocket instead. */
  attachConsole?(consoleId: string, size?: { cols: number; rows: number }): void;
}

// Wire frames for the WebSocket transport (Electron IPC carries the same payloads).
export type ClientFrame = { id: number; method: Method; params: unknown };
export type ServerFrame = { id: number; outcome: Outcome<unknown> } | { event: BackendEvent };

/** Electron IPC channel names, shared by main and preload. */
export const IPC = { call: 'virtdeck:call', event: 'virtdeck:event', console: 'virtdeck:console' } as const;
