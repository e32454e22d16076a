// What a host has — CPUs, memory, versions, networks — read from outputs whose shape does not
// depend on the host's language: `virsh capabilities` (XML), per-cell `freecell` lines (numbers),
// `net-list --name` with filter flags (names only), and `virsh version` read by position and
// product name ("libvirt", "QEMU" are never translated; the labels before them are: a German
// host prints "Verwende Bibliothek: libvirt 9.0.0"). Commands run under LC_ALL=C as well.
import type { Virsh } from './virsh.js';

/** `virsh version`: each line `<label>: <product> <version>`; the last libvirt line is the library
 *  in use (the first is the one virsh was compiled against), the last QEMU line the hypervisor. */
export function parseVersions(out: string): { libvirt?: string; qemu?: string } {
  const entries = [...out.matchAll(/^[^\n:]+:\s*(\S+)\s+(\d[^\s]*)\s*$/gm)].map((m) => ({ product: m[1]!, version: m[2]! }));
  const last = (product: string) => entries.filter((e) => e.product.toLowerCase() === product).at(-1)?.version;
  return { libvirt: last('libvirt'), qemu: last('qemu') };
}

export interface HostTopology {
  arch?: string;
  model?: string;
  cpus?: number;
  sockets?: number;
  coresPerSocket?: number;
  threadsPerCore?: number;
  /** Sum of the NUMA cells' memory: what nodeinfo calls the memory size. */
  memoryKiB?: number;
}

/** The host part of `virsh capabilities`. */
export function parseCapabilitiesHost(xml: string): HostTopology {
  const host = /<host>([\s\S]*?)<\/host>/.exec(xml)?.[1] ?? '';
  const cpu = /<cpu>([\s\S]*?)<\/cpu>/.exec(host)?.[1] ?? '';
  const topo = /<topology\s+([^>]*)\/>/.exec(cpu)?.[1] ?? '';
  const attr = (name: string) => {
    const v = new RegExp(`\\b${name}=['"](\\d+)['"]`).exec(topo)?.[1];
    return v === undefined ? undefined : Number(v);
  };
  const cellMemory = [...host.matchAll(/<cell id=['"]\d+['"]>\s*<memory unit=['"]KiB['"]>(\d+)<\/memory>/g)].map((m) => Number(m[1]));
  const cellCpus = [...host.matchAll(/<cpus num=['"](\d+)['"]/g)].map((m) => Number(m[1]));
  const sum = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) : undefined);
  return {
    arch: /<arch>([^<]+)<\/arch>/.exec(cpu)?.[1],
    model: /<model>([^<]+)<\/model>/.exec(cpu)?.[1],
    cpus: sum(cellCpus),
    sockets: attr('sockets'),
    coresPerSocket: attr('cores'),
    threadsPerCore: attr('threads'),
    memoryKiB: sum(cellMemory),
  };
}

/** `virsh freecell --all`: the per-cell lines `  0:    7917304 KiB` (the total line's label is
 *  translated, so it is not read). */
export function parseFreeCells(out: string): Map<number, number> {
  const cells = new Map<number, number>();
  for (const m of out.matchAll(/^\s*(\d+):\s+(\d+) KiB/gm)) cells.set(Number(m[1]), Number(m[2]));
  return cells;
}

/** The one figure nodeinfo has that capabilities lacks: its only value in MHz. */
export const parseMhz = (nodeinfo: string): number | undefined => Number(/(\d+) MHz/.exec(nodeinfo)?.[1]) || undefined;

/** What the input checks compare against: the host's CPUs and memory (total and free). */
export interface HostCapacity {
  cpus?: number;
  memoryKiB?: number;
  memoryFreeKiB?: number;
}

export async function hostCapacity(virsh: Pick<Virsh, 'run'>): Promise<HostCapacity> {
  const [capabilities, freecell] = await Promise.all([virsh.run(['capabilities']), virsh.run(['freecell', '--all']).catch(() => '')]);
  const topo = parseCapabilitiesHost(capabilities);
  const free = parseFreeCells(freecell);
  return { cpus: topo.cpus, memoryKiB: topo.memoryKiB, memoryFreeKiB: free.size ? [...free.values()].reduce((a, b) => a + b, 0) : undefined };
}
