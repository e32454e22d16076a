// A host's LXC driver (`lxc:///system`): whether it has one, its containers as VmSummary rows,
// and defining a new container. libvirt's LXC driver has no `domstats` (virConnectGetAllDomainStats
// is QEMU's), so state comes from `virsh list`'s state filters and the limits from `dominfo`.
import type { VmAction, VmState, VmSummary, VmXml } from '../../../shared/contract/index.js';
import { VIRSH_ACTIONS } from './lifecycle.js';
import { containerXml, type ContainerSpec } from '../../../shared/containers/xml.js';
import { UserError } from '../errors.js';
import { parseKeyValues, parseUuidNames } from './parse.js';
import type { Virsh } from './virsh.js';

/** The LXC URI beside a host's QEMU URI: only a system QEMU connection has a system LXC beside it
 *  (qemu:///session, test:// and remote URIs get none). */
export function lxcUriBeside(qemuUri: string): string | undefined {
  return qemuUri === 'qemu:///system' ? 'lxc:///system' : undefined;
}

const uuidSet = (out: string): Set<string> => new Set(out.split('\n').map((l) => l.trim()).filter(Boolean));

/** The state of one container from the state filters it appears in (all are locale-free). */
export function containerState(uuid: string, running: Set<string>, paused: Set<string>): VmState {
  if (running.has(uuid)) return 'running';
  if (paused.has(uuid)) return 'paused';
  return 'shutoff';
}

/** `dominfo`'s "Max memory: 65536 KiB" and "CPU(s): 1" (LC_ALL=C). */
export function containerLimits(dominfo: string): { vcpus?: number; memoryKiB?: number } {
  const f = parseKeyValues(dominfo);
  const mem = /^(\d+) KiB$/.exec(f['Max memory'] ?? '');
  const cpus = /^\d+$/.test(f['CPU(s)'] ?? '') ? Number(f['CPU(s)']) : undefined;
  return { vcpus: cpus, memoryKiB: mem ? Number(mem[1]) : undefined };
}

/** Every container of the host, sorted by name (autostart and titles are the inventory's). */
export async function listContainers(virsh: Virsh, hostId: string): Promise<{ vms: VmSummary[]; uuids: Map<string, string>; autostart: Set<string> }> {
  const [names, running, paused, autostart] = await Promise.all([
    virsh.run(['list', '--all', '--uuid', '--name']),
    virsh.run(['list', '--state-running', '--uuid']),
    virsh.run(['list', '--state-paused', '--uuid']),
    virsh.run(['list', '--all', '--autostart', '--uuid']),
  ]);
  const uuids = parseUuidNames(names);
  const runningSet = uuidSet(running);
  const pausedSet = uuidSet(paused);
  const vms = await Promise.all(
    [...uuids].map(async ([name, uuid]): Promise<VmSummary> => {
      // A container undefined between the listings simply has no limits this time.
      const limits = await virsh.run(['dominfo', '--domain', uuid]).then(containerLimits, () => ({}));
      return { hostId, uuid, name, driver: 'lxc', state: containerState(uuid, runningSet, pausedSet), ...limits };
    }),
  );
  return { vms: vms.sort((a, b) => a.name.localeCompare(b.name)), uuids, autostart: uuidSet(autostart) };
}

/** Whether the container runs: it is in the running filter's list (LXC has no domstats). */
export async function containerRunning(run: (args: string[]) => Promise<string>, name: string): Promise<boolean> {
  return (await run(['list', '--state-running', '--name'])).split('\n').some((l) => l.trimEnd() === name);
}

/** A container's XML as vm.getXml gives a VM's: persistent, and live while it runs. */
export async function getContainerXml(virsh: Pick<Virsh, 'run'>, name: string): Promise<VmXml> {
  const persistent = await virsh.run(['dumpxml', '--inactive', '--domain', name]);
  const running = await containerRunning((args) => virsh.run(args), name);
  const live = running ? await virsh.run(['dumpxml', '--domain', name]).catch(() => null) : null;
  return { persistent, live, running };
}

/** Define a container from its spec (XML on stdin); its name as libvirt reports it. */
export async function defineContainer(virsh: Virsh, spec: ContainerSpec): Promise<void> {
  await virsh.run(['define', '--file', '/dev/stdin'], { stdin: containerXml(spec) });
}

/** Delete a container: forced off when it runs, then undefined. Its root directory stays: it
 *  belongs to root on the host, and the lab user's session cannot remove it. */
export async function deleteContainer(virsh: Virsh, name: string, storage: readonly string[]): Promise<void> {
  if (storage.length > 0) throw new Error(`${name} is a container: VirtDeck leaves its root directory on the host`);
  if (await containerRunning((args) => virsh.run(args), name)) await virsh.run(['destroy', '--domain', name]);
  await virsh.run(['undefine', '--domain', name]);
}

/** A lifecycle action on a container: shutdown without a mode (LXC has no ACPI: libvirt tries
 *  /dev/initctl, then SIGTERM to the container's init); what only a VM has is refused. */
export function containerActionArgv(action: VmAction, name: string): string[] {
  if (action === 'shutdown') return ['shutdown', '--domain', name];
  if (action === 'reset' || action === 'shutdown-agent' || action === 'managedsave') throw new UserError('unsupported', `${name} is a container: it has no ${action}`);
  return VIRSH_ACTIONS[action](name);
}
