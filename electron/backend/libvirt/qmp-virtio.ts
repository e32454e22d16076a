// QMP through libvirt (`virsh qemu-monitor-command`, read-only queries only) and the guest-driver
// report built from it (shared/qmp reads the replies). libvirt marks a domain it was used on as
// "tainted: custom-monitor" in its log; the queries change nothing in QEMU.
import { deviceAliases } from '../../../shared/domain-xml/index.js';
import {
  VIRTIO_COMMANDS, balloonLastUpdate, buildVirtioReport, commandNames, fallbackReport, notRunningReport, parsePciVirtio, parseVirtioList, parseVirtioStatus, qmpReturn,
  type PciVirtio, type VirtioDevice, type VirtioReport, type VirtioStatus,
} from '../../../shared/qmp/index.js';
import type { VirshRunner } from './domain-editor.js';

/** One QMP command's "return" (QEMU's error as a QmpError). */
export async function qmp(virsh: VirshRunner, name: string, execute: string, args?: Record<string, unknown>): Promise<unknown> {
  const cmd = JSON.stringify(args ? { execute, arguments: args } : { execute });
  return qmpReturn(await virsh.run(['qemu-monitor-command', '--domain', name, '--cmd', cmd]));
}

const notRunning = (err: unknown) => /not running|domain is not active/i.test((err as Error).message ?? '');

/** A query's answer, or null when the VM is not running (QEMU's other refusals are thrown). */
async function whileRunning<T>(query: Promise<T>): Promise<T | null> {
  try {
    return await query;
  } catch (err) {
    if (notRunning(err)) return null;
    throw err;
  }
}

/** What the VM's QEMU offers, by `query-commands`; null when the VM is not running. */
export const qmpCommands = (virsh: VirshRunner, name: string): Promise<Set<string> | null> => whileRunning(qmp(virsh, name, 'query-commands').then(commandNames));

/** The virtio devices QEMU lists; null when the VM is not running. */
export const virtioDevices = (virsh: VirshRunner, name: string): Promise<VirtioDevice[] | null> => whileRunning(qmp(virsh, name, 'x-query-virtio').then(parseVirtioList));

/** Whether this QEMU can tell the drivers' states itself (x-query-virtio and -status). */
export const missingVirtio = (commands: ReadonlySet<string>): string[] => VIRTIO_COMMANDS.filter((c) => !commands.has(c));

/** The virtio functions on the guest's PCI buses (query-pci); null when the VM is not running. */
export const pciVirtio = (virsh: VirshRunner, name: string): Promise<PciVirtio[] | null> => whileRunning(qmp(virsh, name, 'query-pci').then(parsePciVirtio));

/** The devices a watcher compares between ticks: QEMU's virtio list, or query-pci's without it;
 *  null when the VM is not running. */
export async function deviceList(virsh: VirshRunner, name: string, commands: ReadonlySet<string>): Promise<{ virtio: VirtioDevice[] } | { pci: PciVirtio[] } | null> {
  if (missingVirtio(commands).length) {
    const pci = await pciVirtio(virsh, name);
    return pci && { pci };
  }
  const virtio = await virtioDevices(virsh, name);
  return virtio && { virtio };
}

/**
 * Without x-query-virtio: query-pci for the devices, the running XML for their aliases, and the
 * balloon's guest-stats for its driver (shared/qmp/fallback.ts says what each proves).
 */
async function readFallback(virsh: VirshRunner, name: string, at: number, missing: string[], commands: ReadonlySet<string>): Promise<VirtioReport> {
  const pci: PciVirtio[] | Error | null = commands.has('query-pci') ? await pciVirtio(virsh, name).catch((err: Error) => err) : new Error('query-pci is not offered either');
  if (pci === null) return notRunningReport(at);
  const balloon = pci instanceof Error ? undefined : pci.find((p) => p.type === 'virtio-balloon' && p.qdevId);
  const [xml, stats] = await Promise.all([
    virsh.run(['dumpxml', '--domain', name]).catch(() => null),
    balloon && commands.has('qom-get')
      ? qmp(virsh, name, 'qom-get', { path: `/machine/peripheral/${balloon.qdevId}`, property: 'guest-stats' }).then(balloonLastUpdate, (err: Error) => err)
      : null,
  ]);
  return fallbackReport(Date.now(), missing, pci, stats, xml ? deviceAliases(xml) : new Map());
}

/**
 * The guest-driver report of a VM: x-query-virtio, then each device's x-query-virtio-status
 * (in parallel over the host's one connection), and the running XML for the aliases. `commands`
 * is what query-commands said (read here when not given); `list` a device list just read.
 */
export async function readVirtio(virsh: VirshRunner, name: string, commands?: ReadonlySet<string> | null, list?: VirtioDevice[] | null): Promise<VirtioReport> {
  const at = Date.now();
  const offered = commands === undefined ? await qmpCommands(virsh, name) : commands;
  if (!offered) return notRunningReport(at);
  const missing = missingVirtio(offered);
  if (missing.length) return readFallback(virsh, name, at, missing, offered);
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
