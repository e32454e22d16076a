// What the hardware editor needs to know about the host a VM runs on: the CPU models libvirt
// offers for this VM's machine, the host's NUMA cells, KVM, storage volumes and networks.
import type { BlockDeviceFacts, HardwareFacts } from '../../../shared/contract/index.js';
import { readDomain } from '../../../shared/domain-xml/index.js';
import { capabilitiesOfferKvm, parseNumaCells } from './host-info.js';
import { nicSources } from './nic-sources.js';

interface VirshRunner {
  run(args: readonly string[], options?: { stdin?: string }): Promise<string>;
}

/** The custom-mode CPU models of `virsh domcapabilities`, with libvirt's usable flag. */
export function parseCpuModels(domcaps: string): HardwareFacts['cpuModels'] {
  const custom = /<mode name=['"]custom['"] supported=['"]yes['"]>([\s\S]*?)<\/mode>/.exec(domcaps)?.[1] ?? '';
  const out: HardwareFacts['cpuModels'] = [];
  for (const m of custom.matchAll(/<model([^>]*)>([^<]+)<\/model>/g)) {
    out.push({ name: m[2]!.trim(), usable: !/usable=['"]no['"]/.test(m[1]!) });
  }
  return out;
}

/** The model host-model expands to (`<mode name='host-model'><model>`). */
export function parseHostModel(domcaps: string): string | null {
  return /<mode name=['"]host-model['"] supported=['"]yes['"]>[\s\S]*?<model[^>]*>([^<]+)<\/model>/.exec(domcaps)?.[1]?.trim() ?? null;
}

/** `virsh vol-list --pool P` rows: name, then the path (names may hold spaces; paths start with /). */
export function parseVolList(pool: string, out: string): HardwareFacts['volumes'] {
  const rows: HardwareFacts['volumes'] = [];
  // Not by position: the table may come with or without a leading blank line.
  for (const line of out.split('\n')) {
    if (/^\s*Name\s+Path\s*$/.test(line) || /^-+$/.test(line.trim())) continue;
    const m = /^\s*(.+?)\s+(\/\S.*?)\s*$/.exec(line);
    if (m) rows.push({ pool, name: m[1]!, path: m[2]! });
  }
  return rows;
}

const names = (out: string) => out.split('\n').map((l) => l.trim()).filter(Boolean);

/** `lsblk --nodeps --noheadings --bytes --output DISC-MAX,ROTA DEV`: discard accepted when the
 *  device's maximum discard size is above 0 (SSDs, thin LVs), rotational when ROTA is 1. */
export function parseLsblkDiscard(out: string): BlockDeviceFacts | null {
  const m = /^\s*(\d+)\s+([01])\s*$/m.exec(out);
  return m ? { discard: Number(m[1]) > 0, rotational: m[2] === '1' } : null;
}

/** Runs a command (an argv, quoted by the session) on the VM's host and gives its stdout. */
export type HostExec = (argv: readonly string[]) => Promise<string>;

/** Ask the host's kernel about each block device the VM's disks sit on. lsblk is util-linux,
 *  present on every Linux host; a device it cannot read is simply not reported. */
async function blockDeviceFacts(exec: HostExec, view: ReturnType<typeof readDomain>): Promise<Record<string, BlockDeviceFacts>> {
  const devs = [...new Set(view.disks.flatMap((d) => (d.type === 'block' && d.source?.dev ? [d.source.dev] : [])))];
  const out: Record<string, BlockDeviceFacts> = {};
  await Promise.all(
    devs.map(async (dev) => {
      const facts = parseLsblkDiscard(await exec(['lsblk', '--nodeps', '--noheadings', '--bytes', '--output', 'DISC-MAX,ROTA', '--', dev]).catch(() => ''));
      if (facts) out[dev] = facts;
    }),
  );
  return out;
}

export async function hardwareFacts(virsh: VirshRunner, exec: HostExec, name: string): Promise<HardwareFacts> {
  const view = readDomain(await virsh.run(['dumpxml', '--inactive', '--domain', name]));
  const soft = (p: Promise<string>) => p.catch(() => '');
  const capsArgs = ['domcapabilities'];
  if (view.domainType) capsArgs.push('--virttype', view.domainType);
  if (view.os.arch) capsArgs.push('--arch', view.os.arch);
  if (view.os.machine) capsArgs.push('--machine', view.os.machine);
  const [domcaps, caps, pools, nets] = await Promise.all([
    soft(virsh.run(capsArgs)),
    soft(virsh.run(['capabilities'])),
    soft(virsh.run(['pool-list', '--name'])),
    soft(virsh.run(['net-list', '--all', '--name'])),
  ]);
  const [volumes, blockDevices, sources] = await Promise.all([
    Promise.all(names(pools).map(async (p) => parseVolList(p, await soft(virsh.run(['vol-list', '--pool', p]))))).then((v) => v.flat()),
    blockDeviceFacts(exec, view),
    nicSources((args) => virsh.run(args), exec).catch(() => []),
  ]);
  return {
    cpuModels: parseCpuModels(domcaps),
    hostModel: parseHostModel(domcaps),
    numaCells: parseNumaCells(caps).map((c) => ({ id: c.id, cpus: c.cpus.length, memoryKiB: c.memoryKiB ?? 0 })),
    kvm: capabilitiesOfferKvm(caps),
    pools: names(pools),
    volumes,
    networks: names(nets),
    nicSources: sources,
    blockDevices,
  };
}
