// Each method's parameters as a runtime check, so that what arrives off either transport is the
// type the contract names before any handler reads it. A Record over Method: a method without a
// schema does not compile, and SchemaMismatch below fails the build when a schema and the
// method's TypeScript parameters drift apart.
import type { DomainEdit } from '../domain-xml';
import { arrayOf, bool, nullable, num, object, oneOf, optional, ParamError, str, tagged, type Checked, type Same } from './check';
import type { Method, Params } from './methods';
import type { NetworkAction } from './networks';
import type { VmAction } from './vms';

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
const none = object({});

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
  'stats.setInterval': object({ intervalMs: nullable(num), hostId: optional(str) }),
  'vms.list': object({ fresh: optional(bool) }),
  'vm.action': object({ ...hostVm, action: oneOf(VM_ACTIONS) }),
  'vm.disks': object(hostVm),
  'vm.delete': object({ ...hostVm, storage: arrayOf(str) }),
  'vm.dominfo': object(hostVm),
  'vm.getXml': object(hostVm),
  'vm.applyEdits': object({
    ...hostVm,
    baseXml: str,
    // Each edit's own fields are checked by its kind's handler in shared/domain-xml.
    edits: arrayOf(tagged<DomainEdit>('kind')),
    newVolumes: optional(arrayOf(object({ pool: str, name: str, capacityMiB: num, format: oneOf(['qcow2', 'raw']) }))),
  }),
  'vm.hardwareFacts': object(hostVm),
  'vm.defineXml': object({ ...hostVm, baseXml: str, xml: str }),
  'vm.qmp': object({ ...hostVm, command: oneOf(['query-block', 'query-pci', 'query-balloon', 'query-status']) }),
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
  'console.open': object({ hostId: str, name: optional(str), kind: oneOf(['vnc', 'serial', 'shell']) }),
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
