// Each method's parameters as a runtime check, so that what arrives off either transport is the
// type the contract names before any handler reads it. A Record over Method: a method without a
// schema does not compile, and SchemaMismatch below fails the build when a schema and the
// method's TypeScript parameters drift apart.
import type { InstallMedia, NewVmDisk } from '../new-vm';
import { QMP_QUERIES, type DomainEdit } from '../domain-xml';
import { arrayOf, bool, nullable, num, object, oneOf, optional, ParamError, str, tagged, type Check, type Checked, type Same } from './check';
import type { Method, Params } from './methods';
import type { NetworkAction } from './networks';
import type { VmAction, VmDriver } from './vms';
import { POOL_KINDS, VOLUME_FORMATS } from '../storage';
import type { PoolAction } from './storage';
import type { RestartPolicy } from './tuning';
import type { CloudNetwork } from './cloud';

const VM_ACTIONS = [
  'start',
  'shutdown',
  'destroy',
  'reboot',
  'suspend',
  'resume',
  'reset',
  'shutdown-agent',
  'managedsave',
  'autostart-on',
  'autostart-off',
] as const satisfies readonly VmAction[];

const NETWORK_ACTIONS = ['start', 'stop', 'autostart-on', 'autostart-off', 'delete'] as const satisfies readonly NetworkAction[];

const hostVm = { hostId: str, name: str };
const moveRequest = { hostId: str, name: str, toHostId: str, mode: oneOf(['live', 'cold'] as const) };
const hostPool = { hostId: str, pool: str };
const hostVol = { hostId: str, pool: str, name: str };
const POOL_ACTIONS = ['start', 'stop', 'autostart-on', 'autostart-off', 'refresh'] as const satisfies readonly PoolAction[];
const poolSpec = object({
  kind: oneOf(POOL_KINDS),
  name: str,
  targetPath: optional(str),
  sourceDevice: optional(str),
  sourceFormat: optional(str),
  sourceHost: optional(str),
  sourceDir: optional(str),
  sourceName: optional(str),
  iqn: optional(str),
});
/** A domain of either driver: a container names driver 'lxc' (see VmDriver). */
const DRIVERS = ['qemu', 'lxc', 'lxc-tools'] as const satisfies readonly VmDriver[];
const hostDomain = { ...hostVm, driver: optional(oneOf(DRIVERS)) };
const none = object({});
const newVolume = object({ pool: str, name: str, capacityMiB: num, format: oneOf(['qcow2', 'raw']) });
const RESTART_POLICIES = ['leave-pending', 'restart-now'] as const satisfies readonly RestartPolicy[];
/** KSM's run file: 0 or 1 (2, unmerge all, is not offered). */
const oneOf01: Check<0 | 1> = (v, p) => {
  if (v === 0 || v === 1) return v;
  throw new ParamError(v === undefined ? `${p} is required (0 or 1)` : `${p} must be 0 or 1`);
};
const newVmSpec = object({
  name: str,
  title: optional(str),
  os: object({ id: str, shortId: str, name: str, family: oneOf(['linux', 'windows', 'other'] as const) }),
  arch: str,
  machine: str,
  domainType: oneOf(['kvm', 'qemu'] as const),
  vcpus: num,
  memoryMiB: num,
  firmware: oneOf(['bios', 'uefi'] as const),
  secureBoot: bool,
  tpm: bool,
  // Each kind's own fields are checked where the spec is used (electron/backend/libvirt/new-vm.ts).
  media: tagged<InstallMedia>('kind'),
  disk: tagged<NewVmDisk>('kind'),
  diskBus: oneOf(['virtio', 'scsi', 'sata'] as const),
  driverIso: optional(str),
  nic: nullable(object({ type: oneOf(['network', 'bridge'] as const), source: str, mac: str, model: oneOf(['virtio', 'e1000e', 'e1000'] as const) })),
  video: oneOf(['virtio', 'qxl', 'vga'] as const),
  serialLog: bool,
  autostart: bool,
});

const cloudInput = object({
  hostname: str,
  user: optional(str),
  sshKeys: arrayOf(str),
  password: optional(str),
  packages: optional(arrayOf(str)),
  runOnce: optional(str),
  // The mode's own fields are checked with the rest of the fields (shared/cloud-init).
  network: optional(tagged<CloudNetwork>('mode')),
  userData: optional(str),
});
const seedBuilder = optional(oneOf(['auto', 'virtdeck'] as const));

export const PARAM_SCHEMAS = {
  'hosts.list': none,
  'hosts.add': object({ target: str, label: optional(str), libvirtUri: optional(str), autoconnect: optional(bool) }),
  'hosts.remove': object({ hostId: str }),
  'hosts.connect': object({ hostId: str }),
  'hosts.disconnect': object({ hostId: str }),
  'hosts.suggestions': none,
  'hosts.resolveSsh': object({ target: optional(str), hostId: optional(str) }),
  'hosts.importVirtManager': none,
  'prompt.answer': object({ promptId: str, answers: nullable(arrayOf(str)), remember: optional(bool) }),
  'host.info': object({ hostId: str }),
  'host.watch': object({ hostId: str, watch: bool }),
  'host.commandLog': object({ hostId: str }),
  'stats.setInterval': object({ intervalMs: nullable(num), hostId: optional(str) }),
  'vms.list': object({ fresh: optional(bool) }),
  'vm.action': object({ ...hostDomain, action: oneOf(VM_ACTIONS) }),
  'vm.disks': object(hostVm),
  'vm.delete': object({ ...hostDomain, storage: arrayOf(str) }),
  'vm.dominfo': object(hostDomain),
  'vm.getXml': object(hostDomain),
  'vm.applyEdits': object({
    ...hostVm,
    baseXml: str,
    // Each edit's own fields are checked by its kind's handler in shared/domain-xml.
    edits: arrayOf(tagged<DomainEdit>('kind')),
    newVolumes: optional(arrayOf(newVolume)),
    snapshotFirst: optional(object({ name: str, description: optional(str) })),
    acceptWarnings: optional(bool),
  }),
  'vm.hardwareFacts': object(hostVm),
  'vm.defineXml': object({ ...hostDomain, baseXml: str, xml: str, acceptWarnings: optional(bool) }),
  'vm.qmp': object({ ...hostVm, command: oneOf(QMP_QUERIES) }),
  'snapshots.list': object(hostVm),
  'snapshots.watch': object({ ...hostVm, watch: bool }),
  'qmp.virtio': object(hostVm),
  'qmp.watchVirtio': object({ ...hostVm, watch: bool }),
  'qmp.measureIo': object({ ...hostVm, seconds: num }),
  'snapshot.create': object({ ...hostVm, snapshot: object({ name: str, description: optional(str), memory: bool, quiesce: optional(bool) }) }),
  'snapshot.revert': object({ ...hostVm, snapshot: str, state: oneOf(['snapshot', 'running', 'paused', 'stopped']) }),
  'snapshot.delete': object({ ...hostVm, snapshot: str, children: bool }),
  'snapshot.mergeBack': object({ ...hostVm, snapshot: str }),
  'storage.list': object({ hostId: str }),
  'storage.watch': object({ hostId: str, watch: bool }),
  'pool.create': object({ hostId: str, spec: poolSpec, build: bool, start: bool, autostart: bool }),
  'pool.action': object({ ...hostPool, action: oneOf(POOL_ACTIONS) }),
  'pool.delete': object({ ...hostPool, deleteContents: bool, force: bool }),
  'vol.create': object({ ...hostVol, format: oneOf(VOLUME_FORMATS), capacityBytes: num, preallocate: bool, backingPath: optional(str) }),
  'vol.resize': object({ ...hostVol, capacityBytes: num, allowShrink: bool }),
  'vol.wipe': object(hostVol),
  'vol.delete': object({ ...hostVol, force: bool }),
  'vol.clone': object({ ...hostVol, newName: str }),
  'host.nodeDevices': object({ hostId: str }),
  'container.create': object({
    hostId: str,
    name: str,
    rootDir: str,
    memoryMiB: num,
    init: optional(str),
    nic: optional(object({ type: oneOf(['bridge', 'network'] as const), source: str })),
  }),
  'lxc.host': object({ hostId: str }),
  'lxc.create': object({ hostId: str, name: str, template: oneOf(['busybox'] as const), memory: optional(str), bridge: optional(str), autostart: optional(bool) }),
  'lxc.config': object({ hostId: str, name: str }),
  'console.open': object({ hostId: str, name: optional(str), driver: optional(oneOf(DRIVERS)), kind: oneOf(['vnc', 'spice', 'serial', 'shell']) }),
  'transfer.prepareUpload': object({ ...hostVol, size: num }),
  'transfer.prepareDownload': object(hostVol),
  'transfer.copy': object({ ...hostVol, toHostId: str, toPool: str, toName: str }),
  'transfer.uploadFile': object({ ...hostVol, path: str }),
  'transfer.downloadFile': object({ ...hostVol, path: str }),
  'transfer.cancel': object({ transferId: str }),
  'networks.list': object({ hostId: str }),
  'networks.watch': object({ hostId: str, watch: bool }),
  'networks.create': object({
    hostId: str,
    network: object({
      name: str,
      kind: oneOf(['nat', 'route', 'isolated', 'bridge', 'macvtap']),
      subnet: optional(str),
      dhcpStart: optional(str),
      dhcpEnd: optional(str),
      device: optional(str),
    }),
    start: optional(bool),
    autostart: optional(bool),
  }),
  'networks.action': object({ hostId: str, name: str, action: oneOf(NETWORK_ACTIONS) }),
  'networks.setDhcpRange': object({ hostId: str, name: str, start: str, end: str }),
  'networks.dhcpHost': object({ hostId: str, name: str, op: oneOf(['add', 'remove']), host: object({ mac: optional(str), ip: str, name: optional(str) }) }),
  'networks.bridgeSetup': object({ hostId: str }),
  'prepare.check': object({ hostId: str }),
  'prepare.apply': object({ hostId: str, steps: optional(arrayOf(str)) }),
  'prepare.playbook': object({ hostId: str }),
  'networks.createBridge': object({ hostId: str, name: str, ports: arrayOf(str) }),
  'networks.bridgePort': object({ hostId: str, bridge: str, port: str, op: oneOf(['add', 'remove']) }),
  'networks.deleteBridge': object({ hostId: str, name: str }),
  'newvm.offer': object({ hostId: str }),
  'newvm.create': object({ hostId: str, spec: newVmSpec, start: bool }),
  'vm.clone': object({
    ...hostVm,
    pattern: str,
    count: num,
    first: optional(num),
    pad: optional(num),
    linked: optional(bool),
    pause: optional(bool),
    progressId: optional(str),
  }),
  'vm.setTemplate': object({ ...hostVm, template: bool }),
  'migration.preflight': object(moveRequest),
  'migration.start': object({ ...moveRequest, autoConverge: optional(bool), compressed: optional(bool), bandwidthMiBs: optional(num), startAfter: optional(bool), keepSource: optional(bool) }),
  'migration.cancel': object({ migrationId: str }),
  'migration.list': none,
  'migration.evacuate': object({ hostId: str, vms: optional(arrayOf(str)) }),
  'tuning.scan': object({ hostIds: optional(arrayOf(str)) }),
  'tuning.plan': object({ picks: arrayOf(object({ hostId: str, name: str, findingIds: arrayOf(str) })) }),
  'tuning.apply': object({
    title: optional(str),
    items: arrayOf(
      object({ hostId: str, name: str, baseXml: str, edits: arrayOf(tagged<DomainEdit>('kind')), newVolumes: optional(arrayOf(newVolume)), snapshot: bool, changes: arrayOf(str) }),
    ),
    options: object({ snapshotFirst: bool, restart: oneOf(RESTART_POLICIES), perHost: num }),
  }),
  'tuning.cancel': object({ runId: str }),
  'tuning.undo': object({ runId: str, restart: optional(oneOf(RESTART_POLICIES)) }),
  'tuning.runs': none,
  'host.ksm': object({ hostId: str }),
  'host.setKsm': object({ hostId: str, change: object({ run: optional(oneOf01), pagesToScan: optional(num), sleepMillisecs: optional(num) }) }),
  'cloud.create': object({
    hostId: str,
    spec: newVmSpec,
    image: object({ pool: str, volume: str }),
    disk: object({ pool: str, volume: str, sizeGiB: num, linked: bool }),
    cloud: cloudInput,
    seedBuilder,
    start: bool,
  }),
  'cloud.deploy': object({ hostId: str, template: str, name: str, linked: bool, cloud: cloudInput, seedBuilder, start: bool }),
  'cloud.localKeys': none,
} satisfies Record<Method, unknown>;

/** The methods whose schema does not give exactly their contract parameters (never, or the build fails). */
type SchemaMismatch = { [M in Method]: Same<Checked<(typeof PARAM_SCHEMAS)[M]>, Params<M>> extends true ? never : M }[Method];
const schemasMatchTheContract: [SchemaMismatch] extends [never] ? true : SchemaMismatch = true;
void schemasMatchTheContract;

/** The parameters of `method` as the contract types them, or ParamError saying what is wrong.
 *  None at all (undefined or null) is an empty object. */
export function checkParams<M extends Method>(method: M, params: unknown): Params<M> {
  const check = PARAM_SCHEMAS[method] as (v: unknown, path: string) => Params<M>;
  try {
    return check(params ?? {}, '');
  } catch (err) {
    if (err instanceof ParamError) throw new ParamError(`${method}: ${err.message}`);
    throw err;
  }
}

export { ParamError };
