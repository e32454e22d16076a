// The host page's facts and health checks, gathered with a few commands over the host's one SSH
// connection: virsh for what libvirt knows, and one fixed script (no user input in it) for the
// files an admin would read by hand (/proc/cpuinfo flags, /proc/modules, /dev/kvm, KSM). Networks
// and bridges have their own room (networks.ts, host-links.ts).
import type { HostInfo } from '../../../shared/contract/index.js';
import { containerFacts, parseEmulation, PLATFORM_PROBE_SCRIPT } from './host-platform.js';
import type { CommandSession } from '../exec/session.js';
import { parseCapabilitiesHost, parseFreeCells, parseMhz, parseVersions } from './host-facts.js';
import type { Virsh } from './virsh.js';
import { parseSections } from '../../../shared/prepare/facts.js';

/** Fixed text: each section starts with an `@name` line. Nothing in it comes from the user. */
export const HOST_PROBE_SCRIPT = [
  'echo @flags; grep -m1 -o -w -E "vmx|svm" /proc/cpuinfo',
  'echo @modules; grep -o -E "^kvm(_intel|_amd)? " /proc/modules 2>/dev/null',
  'echo @devkvm; if [ -c /dev/kvm ]; then echo present; elif [ -e /dev/kvm ]; then echo inaccessible; else echo missing; fi',
  'echo @ksm; for f in run pages_sharing pages_shared; do cat /sys/kernel/mm/ksm/$f 2>/dev/null || echo -; done',
  'echo @pagesize; getconf PAGESIZE',
  'echo @uptime; cat /proc/uptime',
  PLATFORM_PROBE_SCRIPT,
  'echo @end',
].join('\n');

/** The sections of a probe's output (one parser for this probe and Prepare's). */
export { parseSections };

/** The NUMA cells of `virsh capabilities`' host topology. */
export function parseNumaCells(capabilities: string): HostInfo['numa'] {
  const cells: HostInfo['numa'] = [];
  for (const m of capabilities.matchAll(/<cell id='(\d+)'>([\s\S]*?)<\/cell>/g)) {
    const body = m[2]!;
    const mem = /<memory unit='KiB'>(\d+)<\/memory>/.exec(body);
    const cpus = [...body.matchAll(/<cpu id='(\d+)'/g)].map((c) => Number(c[1]));
    cells.push({ id: Number(m[1]), memoryKiB: mem ? Number(mem[1]) : undefined, cpus });
  }
  return cells;
}

/** Does libvirt offer `<domain type='kvm'/>` for any guest architecture? */
export const capabilitiesOfferKvm = (capabilities: string) => /<domain type=['"]kvm['"]/.test(capabilities);

export async function gatherHostInfo(virsh: Virsh, session: CommandSession, lxcDriver?: boolean): Promise<HostInfo> {
  const soft = (p: Promise<string>) => p.catch(() => '');
  const [hostname, versions, nodeinfo, capabilities, freecell, running, probe] = await Promise.all([
    soft(virsh.run(['hostname'])),
    soft(virsh.run(['version'])),
    soft(virsh.run(['nodeinfo'])),
    virsh.run(['capabilities']),
    soft(virsh.run(['freecell', '--all'])),
    soft(virsh.run(['list', '--state-running', '--name'])),
    session.exec(['sh', '-c', HOST_PROBE_SCRIPT]).then((r) => r.stdout).catch(() => ''),
  ]);
  const topo = parseCapabilitiesHost(capabilities);
  const version = parseVersions(versions);
  const sections = parseSections(probe);
  const flag = sections.flags?.[0] as 'vmx' | 'svm' | undefined;
  const modules = (sections.modules ?? []).map((m) => m.trim());
  const devKvm = (sections.devkvm?.[0] ?? 'missing') as HostInfo['kvm']['devKvm'];
  const libvirtKvm = capabilitiesOfferKvm(capabilities);

  const findings: string[] = [];
  if (!flag) findings.push('The CPU shows no vmx/svm flag: hardware virtualization looks disabled in the firmware (BIOS/UEFI), or this host is itself a VM without nested virtualization.');
  if (flag && modules.length === 0) findings.push(`No KVM module is loaded (expected ${flag === 'vmx' ? 'kvm_intel' : 'kvm_amd'}).`);
  if (devKvm === 'missing') findings.push('/dev/kvm does not exist.');
  if (devKvm === 'inaccessible') findings.push('/dev/kvm exists but is not a usable device.');
  if (!libvirtKvm) findings.push('libvirt offers no KVM domain type: guests can only run under TCG, software emulation, which is slow.');
  const usable = !!flag && devKvm === 'present' && libvirtKvm;

  const ksmRun = sections.ksm?.[0];
  const pageSizeKiB = Number(sections.pagesize?.[0] ?? 4096) / 1024;
  const pagesSharing = Number(sections.ksm?.[1]);
  const pagesShared = Number(sections.ksm?.[2]);

  const freeByCell = parseFreeCells(freecell);
  const numa = parseNumaCells(capabilities).map((c) => ({ ...c, freeKiB: freeByCell.get(c.id) }));

  // Without a KVM domain type every guest runs under TCG; otherwise ask each running guest's type.
  const runningNames = running.split('\n').map((l) => l.trim()).filter(Boolean);
  const guests: HostInfo['guests'] = libvirtKvm
    ? await Promise.all(
        runningNames.slice(0, 64).map(async (name) => {
          // virsh's --xpath selects nodes (string() is refused): it prints ` type="kvm"`.
          const out = await soft(virsh.run(['dumpxml', '--domain', name, '--xpath', '/domain/@type']));
          const t = /type="([^"]*)"/.exec(out)?.[1] ?? '';
          return { name, accel: t === 'kvm' ? ('kvm' as const) : t === 'qemu' ? ('tcg' as const) : ('unknown' as const) };
        }),
      )
    : runningNames.map((name) => ({ name, accel: 'tcg' as const }));

  const uptime = Number(sections.uptime?.[0]?.split(/\s+/)[0]);
  return {
    hostname: hostname.trim() || '',
    libvirtVersion: version.libvirt,
    qemuVersion: version.qemu,
    cpuModel: topo.model ? `${topo.arch ?? ''} (${topo.model})`.trim() : topo.arch,
    cpus: topo.cpus,
    sockets: topo.sockets,
    coresPerSocket: topo.coresPerSocket,
    threadsPerCore: topo.threadsPerCore,
    mhz: parseMhz(nodeinfo),
    memoryKiB: topo.memoryKiB,
    // Free memory per NUMA cell adds up against the same total (the cells' memory).
    memoryFreeKiB: freeByCell.size > 0 ? [...freeByCell.values()].reduce((a, b) => a + b, 0) : undefined,
    uptimeSeconds: Number.isFinite(uptime) ? uptime : undefined,
    kvm: { usable, cpuFlag: flag, modules, devKvm, libvirtKvm, findings },
    guests,
    ksm: {
      available: ksmRun !== undefined && ksmRun !== '-',
      running: ksmRun === '1',
      pagesSharing: Number.isFinite(pagesSharing) ? pagesSharing : undefined,
      pagesShared: Number.isFinite(pagesShared) ? pagesShared : undefined,
      savedKiB: Number.isFinite(pagesSharing) ? pagesSharing * pageSizeKiB : undefined,
    },
    numa,
    emulation: parseEmulation(capabilities),
    containers: containerFacts(sections, lxcDriver),
  };
}

/** Fixed text: the aggregate CPU line of /proc/stat and the memory totals of /proc/meminfo. */
export const HOST_LOAD_SCRIPT = 'head -1 /proc/stat; grep -E "^(MemTotal|MemAvailable):" /proc/meminfo';

export interface HostLoad {
  cpuPct?: number;
  memUsedKiB: number;
  memTotalKiB: number;
}

/** Host CPU busy % between two `/proc/stat` samples, and memory in use (total − available). */
export function parseHostLoad(out: string, previous?: number[]): { load: HostLoad; cpu: number[] } {
  const cpu = (/^cpu\s+(.*)$/m.exec(out)?.[1] ?? '').trim().split(/\s+/).map(Number);
  const total = /^MemTotal:\s+(\d+)/m.exec(out);
  const avail = /^MemAvailable:\s+(\d+)/m.exec(out);
  const memTotalKiB = total ? Number(total[1]) : 0;
  const load: HostLoad = { memTotalKiB, memUsedKiB: avail ? memTotalKiB - Number(avail[1]) : 0 };
  if (previous && previous.length === cpu.length && cpu.length >= 4) {
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    // idle + iowait are the 4th and 5th fields.
    const idle = (xs: number[]) => (xs[3] ?? 0) + (xs[4] ?? 0);
    const dTotal = sum(cpu) - sum(previous);
    if (dTotal > 0) load.cpuPct = Math.max(0, Math.min(100, (1 - (idle(cpu) - idle(previous)) / dTotal) * 100));
  }
  return { load, cpu };
}

/** Samples host CPU and memory while at least one window watches (the host page is open). */
export class HostLoadWatcher {
  private watchers = 0;
  private timer?: NodeJS.Timeout;
  private previous?: number[];

  constructor(
    private readonly session: CommandSession,
    private intervalMs: () => number,
    private readonly onLoad: (at: number, load: HostLoad) => void,
  ) {}

  watch(on: boolean): void {
    this.watchers = Math.max(0, this.watchers + (on ? 1 : -1));
    if (this.watchers > 0 && !this.timer) this.schedule(0);
    if (this.watchers === 0) this.stop();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.previous = undefined;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    try {
      const r = await this.session.exec(['sh', '-c', HOST_LOAD_SCRIPT]);
      if (!this.timer) return;
      const { load, cpu } = parseHostLoad(r.stdout, this.previous);
      this.previous = cpu;
      this.onLoad(Date.now(), load);
    } catch {
      // Skipped sample; the connection state tells what is wrong.
    }
    if (this.timer) this.schedule(this.intervalMs());
  }
}
