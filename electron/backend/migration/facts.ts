// What the pre-flight needs of both hosts, read with virsh (XML and name lists, LC_ALL=C) and
// iproute2's JSON: nothing here changes a host.
import { readDomain } from '../../../shared/domain-xml/index.js';
import { cpuElement, cpuVerdict, firmwareValues, loaderPath, type DestFacts, type DiskFact, type HostAddress, type PoolFact, type SourceFacts } from '../../../shared/migration/index.js';
import { describePoolSource, parsePoolXml, parseVolumeXml } from '../../../shared/storage/index.js';
import type { CommandSession } from '../exec/session.js';
import { readHostLinks } from '../libvirt/host-links.js';
import type { Virsh } from '../libvirt/virsh.js';

export interface FactsHost {
  label: string;
  virsh: Virsh;
  session: CommandSession;
}

const names = (out: string) => out.split('\n').map((l) => l.trim()).filter(Boolean);
const NETWORK_POOLS = new Set(['netfs', 'iscsi', 'iscsi-direct', 'rbd', 'gluster', 'sheepdog']);

async function readPools(virsh: Virsh): Promise<PoolFact[]> {
  const [all, active] = await Promise.all([virsh.run(['pool-list', '--all', '--name'], { utf8: true }), virsh.run(['pool-list', '--name'], { utf8: true })]);
  const running = new Set(names(active));
  return Promise.all(
    names(all).map(async (name) => {
      const p = parsePoolXml(await virsh.run(['pool-dumpxml', '--pool', name]));
      return { name, type: p.type, path: p.targetPath, active: running.has(name), source: NETWORK_POOLS.has(p.type) ? describePoolSource(p) : null };
    }),
  );
}

async function readAddresses(session: CommandSession): Promise<{ addresses: HostAddress[]; bridges: string[] }> {
  const { links, bridges } = await readHostLinks(session, () => undefined);
  const addresses = links.flatMap((l) => l.addresses.filter((a) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(a)).map((cidr) => ({ ifname: l.name, cidr })));
  return { addresses, bridges: bridges.map((b) => b.name) };
}

/** The paths among `paths` that exist on the host (a fixed script; the paths are its arguments). */
async function existing(session: CommandSession, paths: readonly string[]): Promise<string[]> {
  if (!paths.length) return [];
  const r = await session.exec(['sh', '-c', 'for p do [ -e "$p" ] && printf "%s\\n" "$p"; done; exit 0', 'sh', ...paths]);
  return names(r.stdout);
}

async function diskFact(virsh: Virsh, d: ReturnType<typeof readDomain>['disks'][number]): Promise<DiskFact> {
  const path = d.source?.file ?? d.source?.dev ?? null;
  let capacity: number | null = null;
  let format: string | null = d.driver.type;
  if (path && d.device !== 'cdrom') {
    try {
      const vol = parseVolumeXml(await virsh.run(['vol-dumpxml', '--vol', path]));
      capacity = vol.capacity;
      format = vol.format ?? format;
    } catch {
      // not a volume of a pool: the pre-flight says a pool is needed for its folder
    }
  }
  return { target: d.target ?? `#${d.index}`, device: d.device, path, type: d.type, readonly: d.readonly, shareable: d.shareable, capacity, format };
}

export async function readSourceFacts(host: FactsHost, vm: string): Promise<SourceFacts & { domainXml: string; inactiveXml: string }> {
  const { virsh, session } = host;
  const [domainXml, inactiveXml, state, pools, net] = await Promise.all([
    virsh.run(['dumpxml', '--domain', vm]),
    virsh.run(['dumpxml', '--inactive', '--domain', vm]),
    virsh.run(['domstate', '--domain', vm]),
    readPools(virsh),
    readAddresses(session),
  ]);
  const view = readDomain(domainXml);
  const nics = view.interfaces;
  return {
    host: host.label,
    vm,
    uuid: view.uuid ?? '',
    state: state.trim().split('\n')[0]!.trim(),
    memoryKiB: view.memory.currentKiB ?? view.memory.maxKiB ?? 0,
    domainType: view.domainType,
    arch: view.os.arch,
    machine: view.os.machine,
    cpuXml: cpuElement(domainXml),
    cpuMode: view.cpu?.mode ?? null,
    loader: loaderPath(domainXml),
    networks: nics.filter((n) => n.type === 'network' && n.source).map((n) => n.source!),
    bridges: nics.filter((n) => n.type === 'bridge' && n.source).map((n) => n.source!),
    disks: await Promise.all(view.disks.map((d) => diskFact(virsh, d))),
    hostdevs: view.hostdevs.length,
    pools,
    addresses: net.addresses,
    domainXml,
    inactiveXml,
  };
}

async function compareCpu(virsh: Virsh, src: SourceFacts): Promise<DestFacts['cpu']> {
  if (!src.cpuXml || src.cpuMode === 'host-passthrough' || src.cpuMode === 'maximum') {
    // No model to compare (QEMU's default), or one that takes whatever the host has.
    return src.cpuMode === 'host-passthrough' ? { result: 'incompatible', message: 'host-passthrough CPUs migrate only between identical hosts; VirtDeck cannot check that' } : { result: 'not-checked' };
  }
  const args = ['hypervisor-cpu-compare', '--file', '/dev/stdin', ...(src.domainType ? ['--virttype', src.domainType] : []), ...(src.arch ? ['--arch', src.arch] : []), ...(src.machine ? ['--machine', src.machine] : [])];
  try {
    const out = await virsh.run(args, { stdin: src.cpuXml });
    return { result: cpuVerdict(out) ?? 'not-checked', message: out.trim() };
  } catch (err) {
    const message = (err as Error).message;
    return cpuVerdict(message) === 'incompatible' ? { result: 'incompatible', message } : { result: 'not-checked', message: `hypervisor-cpu-compare failed: ${message}` };
  }
}

async function machineCheck(virsh: Virsh, src: SourceFacts): Promise<DestFacts['machine']> {
  const args = ['domcapabilities', ...(src.domainType ? ['--virttype', src.domainType] : []), ...(src.arch ? ['--arch', src.arch] : []), ...(src.machine ? ['--machine', src.machine] : [])];
  try {
    return { ok: true, firmware: firmwareValues(await virsh.run(args)) };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

async function memAvailableKiB(session: CommandSession): Promise<number> {
  const r = await session.exec(['cat', '/proc/meminfo']);
  return Number(/^MemAvailable:\s+(\d+)/m.exec(r.stdout)?.[1] ?? 0);
}

/** Whether a domain call naming it succeeds (the name or UUID is taken), and what it printed. */
async function lookup(virsh: Virsh, args: string[]): Promise<string | null> {
  try {
    return (await virsh.run(args)).trim() || '?';
  } catch {
    return null;
  }
}

export async function readDestFacts(host: FactsHost, src: SourceFacts): Promise<DestFacts> {
  const { virsh, session } = host;
  const paths = [...src.disks.flatMap((d) => d.path ?? []), ...(src.loader ? [src.loader] : [])];
  const [cpu, machine, mem, allNets, activeNets, pools, net, nameUuid, uuidName, present] = await Promise.all([
    compareCpu(virsh, src),
    machineCheck(virsh, src),
    memAvailableKiB(session),
    virsh.run(['net-list', '--all', '--name'], { utf8: true }),
    virsh.run(['net-list', '--name'], { utf8: true }),
    readPools(virsh),
    readAddresses(session),
    lookup(virsh, ['domuuid', '--domain', src.vm]),
    src.uuid ? lookup(virsh, ['domname', '--domain', src.uuid]) : Promise.resolve(null),
    existing(session, paths),
  ]);
  const running = new Set(names(activeNets));
  return {
    host: host.label,
    cpu,
    machine,
    memAvailableKiB: mem,
    networks: names(allNets).map((name) => ({ name, active: running.has(name) })),
    bridges: net.bridges,
    pools,
    nameTaken: nameUuid !== null,
    uuidTakenBy: uuidName,
    existingPaths: present,
    addresses: net.addresses,
  };
}
