// Hosts: the saved connections, their state, the questions a connection asks (prompts), and the
// host page (versions, resources, health checks, load).
import type { CommandRecord } from './commands';

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

/** The state of a host's SSH (or local) session. */
export type SessionState = 'disconnected' | 'connecting' | 'online' | 'offline';

/** A host's state: its session's, or `degraded` while the session is up but libvirt does not
 *  answer (then `HostStatus.libvirt` says why, and its VMs are the last known ones). */
export type ConnectionState = SessionState | 'degraded';

/** Why libvirt does not answer on a host whose SSH is fine. */
export type LibvirtFaultKind =
  /** No libvirtd socket, or nothing listening on it. */
  | 'not-running'
  /** The modular daemons' socket (virtqemud) is missing or refused. */
  | 'modular-not-running'
  /** The socket is there but the user may not open it. */
  | 'permission'
  /** No virsh on the host. */
  | 'virsh-missing'
  /** The daemon closed the connection (stopped or crashed while we were talking). */
  | 'disconnected'
  /** The daemon did not answer a probe in time (hung or overloaded). */
  | 'no-answer'
  /** libvirt refused the connection for another reason: its own words say which. */
  | 'unreachable';

export interface LibvirtFault {
  kind: LibvirtFaultKind;
  /** libvirt's own words (virsh's error lines, prefix stripped). */
  message: string;
  /** What an admin can do about it. */
  hint: string;
  /** When libvirt was first found not answering (ms since the epoch). */
  since: number;
  /** When the next attempt to reach libvirt is due, if one is scheduled. */
  retryAt?: number;
}

export interface HostStatus {
  config: HostConfig;
  state: ConnectionState;
  /** Why the host is offline or failed to connect, in words an admin can act on. */
  error?: string;
  /** While `degraded`: why libvirt does not answer, and what to do. */
  libvirt?: LibvirtFault;
  /** The host's own name once connected. */
  hostname?: string;
  /** What the last connection went ahead despite: a host key added without asking
   *  (StrictHostKeyChecking accept-new/no) or a changed key let through (no). */
  sshWarning?: string;
  /** The VMs listed for this host are the ones it had in an earlier session (kept in the data
   *  folder), not yet confirmed by this connection. */
  vmsUnconfirmed?: boolean;
  /** While `degraded`: libvirt has not answered in this session at all (missing, stopped, or
   *  refusing this user) — a server to prepare rather than a hypervisor gone wrong. */
  notHypervisorYet?: boolean;
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
  /** Architectures the host's QEMU runs (`virsh capabilities` guests): machine types with the
   *  canonical aliases (pc, q35, virt) first; domain types 'qemu' (TCG) and, native, 'kvm'. */
  emulation: Array<{ arch: string; emulator?: string; machines: string[]; domainTypes: string[] }>;
  /** What containers depend on. */
  containers: {
    /** v2: unified hierarchy; v1: controllers mounted one by one; hybrid: v1 plus a cgroup2 mount. */
    cgroup: 'v1' | 'v2' | 'hybrid' | 'none';
    /** The v1 controllers mounted (cpu, memory, …). */
    cgroupControllers: string[];
    /** libvirt's LXC driver answered (undefined: not asked, e.g. not a qemu:///system connection). */
    lxcDriver?: boolean;
    /** Whether unprivileged users may create user namespaces (undefined: the host does not say). */
    unprivilegedUserns?: boolean;
    usernsDetail?: string;
  };
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
  /** Why "remember" is not offered, when the reason is worth telling (a plain-text keychain). */
  rememberRefusal?: string;
}

/** What VirtDeck will use to reach a host, as `ssh -G` would tell (address, user, hops, keys,
 *  known_hosts files) and which config lines decided it. */
export interface ResolvedSsh {
  /** A local libvirt: no SSH at all. */
  local: boolean;
  address: string;
  port: number;
  user: string;
  /** The local command that carries the connection (ProxyCommand, tokens expanded). */
  proxyCommand?: string;
  /** ProxyJump hops, in the order they are passed through. */
  hops: Array<{ name: string; address: string; port: number; user: string }>;
  /** Tried in this order (after the agent unless IdentitiesOnly). */
  identityFiles: string[];
  identitiesOnly: boolean;
  /** The OpenSSH certificates that will be offered (CertificateFile, else KEY-cert.pub beside an
   *  identity file), each with its key id and validity, or why it cannot be used. */
  certificates?: string[];
  /** UserKnownHostsFile (new keys go to the first) then GlobalKnownHostsFile. */
  knownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  /** The name known_hosts lines are looked up by. */
  hostKeyName: string;
  /** Host key algorithms in the order offered to this host (key types on file first). */
  hostKeyAlgorithms: string[];
  /** Setting -> the config line that decided it (`file:line`); absent settings are defaults. */
  decidedBy: Array<{ setting: string; origin: string }>;
  /** The config files read, in order. */
  files: string[];
  warnings: string[];
  /** Why VirtDeck cannot connect this way, when it cannot (e.g. no host key algorithm it can verify). */
  problem?: string;
}

export interface HostMethods {
  'hosts.list': { params: Record<string, never>; result: HostStatus[] };
  'hosts.add': { params: AddHostRequest; result: HostStatus };
  'hosts.remove': { params: { hostId: string }; result: null };
  'hosts.connect': { params: { hostId: string }; result: HostStatus };
  'hosts.disconnect': { params: { hostId: string }; result: HostStatus };
  /** What the add-connection dialog can offer: the ssh config's Host aliases, and on Linux the
   *  connections saved by virt-manager. */
  'hosts.suggestions': { params: Record<string, never>; result: { sshHosts: string[]; virtManager: Array<{ uri: string; autoconnect: boolean }> } };
  /** The SSH settings a target (as typed) or a saved host resolves to. */
  'hosts.resolveSsh': { params: { target?: string; hostId?: string }; result: ResolvedSsh };
  /** Add virt-manager's saved connections; those already here or not supported are skipped, with why. */
  'hosts.importVirtManager': { params: Record<string, never>; result: { added: HostStatus[]; skipped: string[] } };
  /** Answer a prompt; `answers: null` declines (cancel, or reject a host key). */
  'prompt.answer': { params: { promptId: string; answers: string[] | null; remember?: boolean }; result: null };
  /** Versions, resources and health checks of one connected host. */
  'host.info': { params: { hostId: string }; result: HostInfo };
  /** Start or stop pushing 'host.load' (host CPU and memory) while a host page is open. */
  'host.watch': { params: { hostId: string; watch: boolean }; result: null };
  /** The host's last commands (up to 500, oldest first), as the Tasks panel shows a task's. */
  'host.commandLog': { params: { hostId: string }; result: CommandRecord[] };
  /** How often a host's bulk `virsh domstats` runs: with `hostId` that host's own interval (saved
   *  with the connection; null goes back to the default), without it the default (2000 ms) for
   *  every host that has none of its own. */
  'stats.setInterval': { params: { intervalMs: number | null; hostId?: string }; result: null };
}
