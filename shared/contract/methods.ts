// Every request the backend answers, grouped by area, and the one list of their names.
import type { CommandRecord } from './commands';
import type { CloneMethods } from './clone';
import type { CloudMethods } from './cloud';
import type { ConsoleMethods } from './consoles';
import type { ContainerMethods } from './containers';
import type { DomainMethods } from './domain';
import type { LxcMethods } from './lxc';
import type { BackendEvent } from './events';
import type { HostMethods } from './hosts';
import type { NodedevMethods } from './nodedevs';
import type { StorageMethods } from './storage';
import type { SnapshotMethods } from './snapshots';
import type { TransferMethods } from './transfers';
import type { NetworkMethods } from './networks';
import type { QmpMethods } from './qmp';
import type { MigrationMethods } from './migration';
import type { VmMethods } from './vms';
import type { NewVmMethods } from './new-vm';
import type { TuningMethods } from './tuning';
import type { PrepareMethods } from './prepare';

/** Method name -> params and result. An area (storage, networks, snapshots, migration …) adds
 *  its own interface in a file of its own, joins it here and names its methods in METHOD_AREAS. */
export interface Methods extends HostMethods, VmMethods, DomainMethods, ConsoleMethods, StorageMethods, SnapshotMethods, NodedevMethods, ContainerMethods, LxcMethods, TransferMethods, NetworkMethods, NewVmMethods, CloneMethods, CloudMethods, QmpMethods, MigrationMethods, TuningMethods, PrepareMethods {}

export type Method = keyof Methods;
export type Params<M extends Method> = Methods[M]['params'];
export type Result<M extends Method> = Methods[M]['result'];

export type MethodArea = 'hosts' | 'vms' | 'domain' | 'consoles' | 'storage' | 'snapshots' | 'nodedevs' | 'containers' | 'lxc' | 'transfers' | 'networks' | 'newvm' | 'clone' | 'cloud' | 'qmp' | 'migration' | 'tuning' | 'prepare';

/** Each method's area. A Record over Method: a method added to Methods but not named here (or
 *  named here but not in Methods) does not compile, so METHODS cannot miss one. */
export const METHOD_AREAS: Readonly<Record<Method, MethodArea>> = {
  'hosts.list': 'hosts',
  'hosts.add': 'hosts',
  'hosts.remove': 'hosts',
  'hosts.connect': 'hosts',
  'hosts.disconnect': 'hosts',
  'hosts.suggestions': 'hosts',
  'hosts.importVirtManager': 'hosts',
  'hosts.resolveSsh': 'hosts',
  'prompt.answer': 'hosts',
  'host.info': 'hosts',
  'host.watch': 'hosts',
  'host.commandLog': 'hosts',
  'stats.setInterval': 'hosts',
  'vms.list': 'vms',
  'vm.action': 'vms',
  'vm.disks': 'vms',
  'vm.delete': 'vms',
  'vm.dominfo': 'vms',
  'vm.getXml': 'domain',
  'vm.applyEdits': 'domain',
  'vm.hardwareFacts': 'domain',
  'vm.defineXml': 'domain',
  'vm.qmp': 'domain',
  'console.open': 'consoles',
  'storage.list': 'storage',
  'storage.watch': 'storage',
  'pool.create': 'storage',
  'pool.action': 'storage',
  'pool.delete': 'storage',
  'vol.create': 'storage',
  'vol.resize': 'storage',
  'vol.wipe': 'storage',
  'vol.delete': 'storage',
  'vol.clone': 'storage',
  'snapshots.list': 'snapshots',
  'snapshots.watch': 'snapshots',
  'snapshot.create': 'snapshots',
  'snapshot.revert': 'snapshots',
  'snapshot.delete': 'snapshots',
  'snapshot.mergeBack': 'snapshots',
  'host.nodeDevices': 'nodedevs',
  'container.create': 'containers',
  'lxc.host': 'lxc',
  'lxc.create': 'lxc',
  'lxc.config': 'lxc',
  'transfer.prepareUpload': 'transfers',
  'transfer.prepareDownload': 'transfers',
  'transfer.copy': 'transfers',
  'transfer.uploadFile': 'transfers',
  'transfer.downloadFile': 'transfers',
  'transfer.cancel': 'transfers',
  'networks.list': 'networks',
  'networks.watch': 'networks',
  'networks.create': 'networks',
  'networks.action': 'networks',
  'networks.setDhcpRange': 'networks',
  'networks.dhcpHost': 'networks',
  'networks.bridgeSetup': 'networks',
  'networks.createBridge': 'networks',
  'networks.bridgePort': 'networks',
  'networks.deleteBridge': 'networks',
  'newvm.offer': 'newvm',
  'newvm.create': 'newvm',
  'vm.clone': 'clone',
  'vm.setTemplate': 'clone',
  'qmp.virtio': 'qmp',
  'qmp.watchVirtio': 'qmp',
  'qmp.measureIo': 'qmp',
  'migration.preflight': 'migration',
  'migration.start': 'migration',
  'migration.cancel': 'migration',
  'migration.list': 'migration',
  'migration.evacuate': 'migration',
  'tuning.scan': 'tuning',
  'tuning.plan': 'tuning',
  'tuning.apply': 'tuning',
  'tuning.cancel': 'tuning',
  'tuning.undo': 'tuning',
  'tuning.runs': 'tuning',
  'host.ksm': 'tuning',
  'host.setKsm': 'tuning',
  'cloud.create': 'cloud',
  'cloud.deploy': 'cloud',
  'cloud.localKeys': 'cloud',
  'prepare.check': 'prepare',
  'prepare.apply': 'prepare',
  'prepare.playbook': 'prepare',
};

/** Every method name: what the backend's dispatcher checks incoming names against. */
export const METHODS = Object.keys(METHOD_AREAS) as readonly Method[];

export const isMethod = (name: unknown): name is Method => typeof name === 'string' && Object.hasOwn(METHOD_AREAS, name);

/** Errors cross the boundary as data, never as thrown exceptions or stack traces. */
export interface ApiError {
  /** 'invalid-input' | 'not-found' | 'libvirt' | 'ssh' | 'forbidden' | 'transport' | 'error' */
  code: string;
  message: string;
}

/** `commands`: what the call ran on the hosts (see commands.ts), when it ran any. */
export type Outcome<T> = ({ ok: true; value: T } | { ok: false; error: ApiError }) & { commands?: CommandRecord[] };

/** What the renderer is given by either transport. */
export interface VirtDeckApi {
  call<M extends Method>(method: M, params: Params<M>): Promise<Outcome<Result<M>>>;
  /** Returns an unsubscribe function. */
  onEvent(listener: (event: BackendEvent) => void): () => void;
  /** Electron only: ask for the MessagePort of a console issued by console.open. It arrives as a
   *  window message `{ virtdeckConsole: consoleId }` carrying the port (a MessagePort cannot cross
   *  the context bridge). Browser mode has none: it opens the /console WebSocket instead. */
  attachConsole?(consoleId: string, size?: { cols: number; rows: number }): void;
  /** Electron only: the native open or save dialog; the chosen path (the backend reads or writes
   *  it), or null when cancelled. Browser mode has none: its file picker and downloads do this. */
  pickFile?(mode: 'open' | 'save', suggestedName?: string): Promise<PickedFile | null>;
}

export interface PickedFile {
  path: string;
  /** The file's own name (the last part of the path). */
  name: string;
}
