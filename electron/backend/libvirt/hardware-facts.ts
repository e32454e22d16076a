// What the hardware editor needs to know about the host a VM runs on: the CPU models libvirt
// offers for this VM's machine, the host's NUMA cells, KVM, storage volumes and networks.
import type { HardwareFacts } from '../../../shared/contract/index.js';
import { readDomain } from '../../../shared/domain-xml/index.js';
import { capabilitiesOfferKvm, parseNumaCells } from './host-info.js';

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

export async function hardwareFacts(virsh: VirshRunner, name: string): Promise<HardwareFacts> {
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
  const volumes = (await Promise.all(names(pools).map(async (p) => parseVolList(p, await soft(virsh.run(['vol-list', '--pool', p])))))).flat();
  return {
    cpuModels: parseCpuModels(domcaps),
    hostModel: parseHostModel(domcaps),
    numaCells: parseNumaCells(caps).map((c) => ({ id: c.id, cpus: c.cpus.length, memoryKiB: c.memoryKiB ?? 0 })),
    kvm: capabilitiesOfferKvm(caps),
    pools: names(pools),
    volumes,
    networks: names(nets),
  };
}
