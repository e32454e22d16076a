// The one contract between the renderer and the backend. Both transports (Electron IPC and the
// browser-mode WebSocket) carry exactly these requests, responses and pushed events.

/** A saved hypervisor connection. `target` is what the user typed: an ssh config alias,
 *  `user@host:port`, or a `qemu+ssh://` URI. */
export interface HostConfig {
  id: string;
  label: string;
  target: string;
  /** libvirt URI on the host, e.g. qemu:///system */
  libvirtUri: string;
  autoconnect: boolean;
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
}

/** Stable id of a VM across the fleet: the same uuid may exist on two hosts. */
export const vmKey = (vm: Pick<VmSummary, 'hostId' | 'uuid'>): string => `${vm.hostId}/${vm.uuid}`;

export type VmAction = 'start' | 'shutdown' | 'destroy' | 'reboot' | 'suspend' | 'resume';

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
  /** `virsh dominfo`, as its field/value pairs. */
  'vm.dominfo': { params: { hostId: string; name: string }; result: Record<string, string> };
  /** Answer a prompt; `answers: null` declines (cancel, or reject a host key). */
  'prompt.answer': { params: { promptId: string; answers: string[] | null; remember?: boolean }; result: null };
  /** What the add-connection dialog can offer: the ssh config's Host aliases, and on Linux the
   *  connections saved by virt-manager. */
  'hosts.suggestions': { params: Record<string, never>; result: { sshHosts: string[]; virtManager: Array<{ uri: string; autoconnect: boolean }> } };
  /** Add virt-manager's saved connections; those already here or not supported are skipped, with why. */
  'hosts.importVirtManager': { params: Record<string, never>; result: { added: HostStatus[]; skipped: string[] } };
}

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
  'prompt.answer',
  'hosts.suggestions',
  'hosts.importVirtManager',
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
  | { type: 'prompt.closed'; promptId: string };

/** What the renderer is given by either transport. */
export interface VirtDeckApi {
  call<M extends Method>(method: M, params: Params<M>): Promise<Outcome<Result<M>>>;
  /** Returns an unsubscribe function. */
  onEvent(listener: (event: BackendEvent) => void): () => void;
}

// Wire frames for the WebSocket transport (Electron IPC carries the same payloads).
export type ClientFrame = { id: number; method: Method; params: unknown };
export type ServerFrame = { id: number; outcome: Outcome<unknown> } | { event: BackendEvent };

/** Electron IPC channel names, shared by main and preload. */
export const IPC = { call: 'virtdeck:call', event: 'virtdeck:event' } as const;
