// QMP through libvirt (`virsh qemu-monitor-command`, read-only queries only) and the guest-driver
// report built from it (shared/qmp reads the replies). libvirt marks a domain it was used on as
// "tainted: custom-monitor" in its log; the queries change nothing in QEMU.
import { deviceAliases } from '../../../shared/domain-xml/index.js';
import {
  VIRTIO_COMMANDS, buildVirtioReport, commandNames, notRunningReport, parseVirtioList, parseVirtioStatus, qmpReturn, unsupportedReport,
  type VirtioDevice, type VirtioReport, type VirtioStatus,
} from '../../../shared/qmp/index.js';
import type { VirshRunner } from './domain-editor.js';

/** One QMP command's "return" (QEMU's error as a QmpError). */
export async function qmp(virsh: VirshRunner, name: string, execute: string, args?: Record<string, unknown>): Promise<unknown> {
  const cmd = JSON.stringify(args ? { execute, arguments: args } : { execute });
  return qmpReturn(await virsh.run(['qemu-monitor-command', '--domain', name, '--cmd', cmd]));
}

const notRunning = (err: unknown) => /not running|domain is not active/i.test((err as Error).message ?? '');

/** What the VM's QEMU offers, by `query-commands`; null when the VM is not running. */
export async function qmpCommands(virsh: VirshRunner, name: string): Promise<Set<string> | null> {
  try {
    return commandNames(await qmp(virsh, name, 'query-commands'));
  } catch (err) {
    if (notRunning(err)) return null;
    throw err;
  }
}

/** The virtio devices QEMU lists; null when the VM is not running. */
export async function virtioDevices(virsh: VirshRunner, name: string): Promise<VirtioDevice[] | null> {
  try {
    return parseVirtioList(await qmp(virsh, name, 'x-query-virtio'));
  } catch (err) {
    if (notRunning(err)) return null;
    throw err;
  }
}

/**
 * The guest-driver report of a VM: x-query-virtio, then each device's x-query-virtio-status
 * (in parallel over the host's one connection), and the running XML for the aliases. `commands`
 * is what query-commands said (read here when not given); `list` a device list just read.
 */
export async function readVirtio(virsh: VirshRunner, name: string, commands?: Set<string> | null, list?: VirtioDevice[] | null): Promise<VirtioReport> {
  const at = Date.now();
  const offered = commands === undefined ? await qmpCommands(virsh, name) : commands;
  if (!offered) return notRunningReport(at);
  const missing = VIRTIO_COMMANDS.filter((c) => !offered.has(c));
  if (missing.length) return unsupportedReport(at, missing);
  const devices = list ?? (await virtioDevices(virsh, name));
  if (!devices) return notRunningReport(at);
  const [xml, ...statuses] = await Promise.all([
    virsh.run(['dumpxml', '--domain', name]).catch(() => null),
    ...devices.map((d) =>
      qmp(virsh, name, 'x-query-virtio-status', { path: d.path }).then(
        (r): VirtioStatus | Error => parseVirtioStatus(r),
        (err: Error) => err,
      ),
    ),
  ]);
  const aliases = xml ? deviceAliases(xml) : new Map();
  return buildVirtioReport(Date.now(), devices, new Map(devices.map((d, i) => [d.path, statuses[i]!])), aliases);
}
