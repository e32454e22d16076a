// Live figures of a host's libvirt LXC containers, from their cgroups. libvirt's LXC driver (9.0
// here) implements no bulk `domstats` (virConnectGetAllDomainStats is QEMU's): it is asked once
// per connection, and where it refuses, each running container is read through the calls the
// driver does implement, over the long-lived virsh (a line each, no channel): `cpu-stats --total`
// (the cpuacct cgroup, in ns) and `dominfo` ("Used memory": the memory cgroup's usage, and the
// CPU count). Disk and network I/O have no such call per container: they are marked unreported,
// never shown as zero.
import type { StatFigure, VmStats } from '../../../shared/contract/index.js';
import { DomstatsSampler, type Counters, type StatsSampler } from './stats.js';
import { parseKeyValues } from './parse.js';
import type { Virsh } from './virsh.js';

/** What the fallback cannot read, per container. */
const PER_CONTAINER_UNREPORTED: StatFigure[] = ['disk', 'net'];

/** `virsh cpu-stats --total`'s "cpu_time   12.345678901 seconds" (LC_ALL=C) in ns. */
export function parseCpuTimeNs(out: string): number | undefined {
  const m = /^\s*cpu_time\s+(\d+)(?:\.(\d{1,9}))?\s+seconds\s*$/m.exec(out);
  if (!m) return undefined;
  return Number(m[1]) * 1e9 + Number((m[2] ?? '').padEnd(9, '0'));
}

/** `dominfo` of a running container: the memory cgroup's usage and the CPU count. libvirt says
 *  0 KiB when the kernel has no memory cgroup to read (ENOENT): that is no figure, not zero. */
export function parseContainerInfo(dominfo: string): { memUsedKiB?: number; vcpus?: number } {
  const f = parseKeyValues(dominfo);
  const mem = /^(\d+) KiB$/.exec(f['Used memory'] ?? '');
  const used = mem ? Number(mem[1]) : 0;
  const vcpus = /^\d+$/.test(f['CPU(s)'] ?? '') ? Number(f['CPU(s)']) : undefined;
  return { memUsedKiB: used > 0 ? used : undefined, vcpus };
}

/** One container's reading at one instant (either part may be missing). */
export interface ContainerReading {
  cpuNs?: number;
  memUsedKiB?: number;
  vcpus?: number;
}

/** Figures per container from one round of readings and the previous CPU counters; pure. CPU %
 *  is of the container's CPU count, as a VM's is of its vCPUs (100 % = all of them busy). */
export function containerStats(readings: Map<string, ContainerReading>, at: number, previous: Map<string, Counters>): { stats: Record<string, VmStats>; counters: Map<string, Counters> } {
  const stats: Record<string, VmStats> = {};
  const counters = new Map<string, Counters>();
  for (const [name, r] of readings) {
    const unreported: StatFigure[] = [...PER_CONTAINER_UNREPORTED];
    if (r.cpuNs === undefined) unreported.unshift('cpu');
    if (r.memUsedKiB === undefined) unreported.push('memory');
    const out: VmStats = { unreported, ...(r.memUsedKiB !== undefined ? { memUsedKiB: r.memUsedKiB, memSource: 'cgroup' } : {}) };
    const vcpus = Math.max(1, r.vcpus ?? 1);
    if (r.cpuNs !== undefined) {
      counters.set(name, { at, cpuNs: r.cpuNs, vcpus, rd: 0, wr: 0, rx: 0, tx: 0 });
      const before = previous.get(name);
      const seconds = before ? (at - before.at) / 1000 : 0;
      if (before?.cpuNs !== undefined && seconds > 0 && r.cpuNs >= before.cpuNs) out.cpuPct = Math.min(100, ((r.cpuNs - before.cpuNs) / 1e9 / seconds / vcpus) * 100);
    }
    stats[name] = out;
  }
  return { stats, counters };
}

/** Whether virsh's error says the driver lacks the call (not that the link failed). */
const unsupported = (err: unknown): boolean => /not supported|no support/i.test((err as Error)?.message ?? '');

export class ContainerStatsSampler implements StatsSampler {
  private counters = new Map<string, Counters>();
  /** The QEMU driver's own bulk sampler, for an LXC driver that answers domstats. */
  private readonly bulkSampler: DomstatsSampler;
  /** Whether this driver answers bulk domstats: unknown until first asked. */
  private bulk: boolean | undefined;

  constructor(
    private readonly virsh: Pick<Virsh, 'run'>,
    /** The containers the inventory lists as running now. */
    private readonly running: () => string[],
  ) {
    this.bulkSampler = new DomstatsSampler(virsh);
  }

  reset(): void {
    this.counters.clear();
    this.bulkSampler.reset();
    this.bulk = undefined;
  }

  async sample(): Promise<{ at: number; stats: Record<string, VmStats> }> {
    if (this.bulk !== false) {
      try {
        const sample = await this.bulkSampler.sample();
        this.bulk = true;
        return sample;
      } catch (err) {
        if (!unsupported(err)) throw err;
        this.bulk = false;
      }
    }
    const names = this.running();
    const readings = new Map<string, ContainerReading>();
    await Promise.all(
      names.map(async (name) => {
        // A container stopped between the listing and now simply has no figures this time.
        const [cpu, info] = await Promise.all([
          this.virsh.run(['cpu-stats', '--domain', name, '--total']).then(parseCpuTimeNs, () => undefined),
          this.virsh.run(['dominfo', '--domain', name]).then(parseContainerInfo, () => ({})),
        ]);
        readings.set(name, { cpuNs: cpu, ...info });
      }),
    );
    const at = Date.now();
    const { stats, counters } = containerStats(readings, at, this.counters);
    this.counters = counters;
    return { at, stats };
  }
}
