// Lifecycle actions as virsh argv. The VM name always follows `--domain`, so no name can be read
// as an option; quoting happens once, in command.ts.
import type { VmAction, VmDisk, VmState } from '../../../shared/contract/index.js';
import { domainStateArgs, parseDomainState } from './parse.js';
import { backingChain, deleteFile } from './snapshots.js';
import type { Virsh } from './virsh.js';

export const VIRSH_ACTIONS: Record<VmAction, (name: string) => string[]> = {
  start: (name) => ['start', '--domain', name],
  shutdown: (name) => ['shutdown', '--domain', name, '--mode', 'acpi'],
  'shutdown-agent': (name) => ['shutdown', '--domain', name, '--mode', 'agent'],
  destroy: (name) => ['destroy', '--domain', name],
  reboot: (name) => ['reboot', '--domain', name],
  reset: (name) => ['reset', '--domain', name],
  suspend: (name) => ['suspend', '--domain', name],
  resume: (name) => ['resume', '--domain', name],
  managedsave: (name) => ['managedsave', '--domain', name],
  'autostart-on': (name) => ['autostart', '--domain', name],
  'autostart-off': (name) => ['autostart', '--domain', name, '--disable'],
};

/** `virsh domblklist --details`: Type Device Target Source (source "-" when empty). */
export function parseDomblklist(out: string): VmDisk[] {
  const disks: VmDisk[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(.+?)\s*$/.exec(line);
    if (!m || m[1] === 'Type' || /^-+$/.test(m[1]!)) continue;
    disks.push({ type: m[1]!, device: m[2]!, target: m[3]!, source: m[4] === '-' ? undefined : m[4] });
  }
  return disks;
}

export async function listDisks(virsh: Virsh, name: string): Promise<VmDisk[]> {
  const disks = parseDomblklist(await virsh.run(['domblklist', '--domain', name, '--details']));
  // An external snapshot leaves the disk on an overlay: the images below it go with its storage.
  // Only looked for when the VM has one (following a chain may mean refreshing every pool).
  const external = await virsh.run(['snapshot-list', '--domain', name, '--external', '--name']).catch(() => '');
  if (!external.trim()) return disks;
  return Promise.all(disks.map(async (d) => (d.device === 'disk' && d.source && d.type === 'file' ? withBacking(d, await backingChain(virsh, d.source)) : d)));
}

const withBacking = (d: VmDisk, backing: string[]): VmDisk => (backing.length ? { ...d, backing } : d);

/** The argv that undefines a VM with everything libvirt keeps beside it, and the chosen storage. */
export function undefineArgv(name: string, storage: readonly string[]): string[] {
  const argv = ['undefine', '--domain', name, '--managed-save', '--snapshots-metadata', '--checkpoints-metadata', '--nvram'];
  if (storage.length > 0) argv.push('--storage', storage.join(','));
  return argv;
}

/** Delete a VM: forced off first when it runs, then undefined with the chosen disks' volumes. */
export async function deleteVm(virsh: Virsh, name: string, storage: readonly string[]): Promise<void> {
  const disks = await listDisks(virsh, name);
  for (const target of storage) {
    const disk = disks.find((d) => d.target === target);
    if (!disk) throw new Error(`${name} has no disk ${target}`);
    if (!disk.source) throw new Error(`Disk ${target} of ${name} has no storage to delete`);
    if (target.includes(',')) throw new Error(`Disk target ${target} cannot be named in --storage`);
  }
  const state = parseDomainState(await virsh.run(domainStateArgs(name)));
  if (state !== 'shutoff') await virsh.run(['destroy', '--domain', name]);
  const { warnings } = await virsh.runWithWarnings(undefineArgv(name, storage));
  const below = storage.flatMap((t) => disks.find((d) => d.target === t)?.backing ?? []);
  const left: string[] = [];
  for (const file of below) if (!(await deleteFile(virsh, file))) left.push(file);
  // e.g. "Storage volume 'vda'(/srv/x.img) is not managed by libvirt. Remove it manually.": the
  // VM is gone but storage the admin chose to delete is not, so the task must not say "done".
  const problems = [warnings, left.length ? `these images below its disks could not be deleted: ${left.join(', ')}` : ''].filter(Boolean);
  if (problems.length) throw new Error(`${name} was deleted, but: ${problems.join('; ')}`);
}

const EVENT_STATES: Record<string, VmState> = {
  Started: 'running',
  Resumed: 'running',
  Suspended: 'paused',
  Stopped: 'shutoff',
  Crashed: 'crashed',
  PMSuspended: 'pmsuspended',
};

/** The state a `virsh event` lifecycle line announces, e.g.
 *  `event 'lifecycle' for domain 'vm1': Stopped Destroyed` -> shutoff (destroyed). Lets the list
 *  change at once, before the relisting that follows confirms it. */
export function lifecycleEventState(line: string): { domain: string; state: VmState; reason?: string } | undefined {
  const m = /^event 'lifecycle' for domain '(.*)': (\w+)(?: (.*))?$/.exec(line);
  const state = m && EVENT_STATES[m[2]!];
  if (!m || !state) return undefined;
  return { domain: m[1]!, state, reason: m[3]?.trim().toLowerCase() || undefined };
}
