// What a libvirt LXC container's domain XML says, for its hardware view: its filesystems (the
// root and any others, with where each comes from), the memory limit and tuning, the CPU share,
// its init, its NICs on a bridge or network, its consoles and user-namespace maps. The generic
// parts come from readDomain (shared/domain-xml); what only containers use is read here.
import { devicesOfKind, findDomain, toKiB } from '../domain-xml/domain';
import { readDomain } from '../domain-xml/read';
import type { FilesystemView, InterfaceView } from '../domain-xml/types';
import { XmlDoc, attr, child, elements, text } from '../domain-xml/xml/xml-doc';

export interface ContainerIdMap {
  kind: 'uid' | 'gid';
  start: number;
  target: number;
  count: number;
}

export type ContainerFilesystem = FilesystemView & { usageKiB: number | null };
export type ContainerInterface = InterfaceView & { hostDev: string | null };

export interface ContainerView {
  name: string | null;
  uuid: string | null;
  /** <os><type>: exe for an application or OS container. */
  osType: string | null;
  arch: string | null;
  /** The container's PID 1 and its arguments. */
  init: string | null;
  initArgs: string[];
  /** <memory>: the limit libvirt puts on the container's memory cgroup. */
  memoryKiB: number | null;
  /** <memtune>: hard, soft and swap limits when set. */
  memtune: { hardKiB: number | null; softKiB: number | null; swapHardKiB: number | null };
  /** <vcpu>, and the cpuset it pins the container to when it has one. */
  vcpus: number | null;
  cpuset: string | null;
  /** <cputune><shares>: its weight against other cgroups for CPU time (1024 is the kernel's default). */
  cpuShares: number | null;
  /** <cputune><period>/<quota> (µs): a hard cap on CPU time when set. */
  cpuQuota: { periodUs: number | null; quotaUs: number | null };
  /** Each with, for a RAM filesystem (tmpfs), its size. */
  filesystems: ContainerFilesystem[];
  /** The filesystem mounted at the container's `/`, if any. */
  root: ContainerFilesystem | null;
  /** Each with the host side of its veth pair (the live XML's <target dev>, while it runs). */
  interfaces: ContainerInterface[];
  consoles: number;
  idmaps: ContainerIdMap[];
  /** <features><privnet/>: a network namespace of its own even without a NIC. */
  privnet: boolean;
}

const num = (s: string | null | undefined): number | null => (s != null && /^\d+$/.test(s.trim()) ? Number(s.trim()) : null);

/** A RAM filesystem's `usage` in its `units` (KiB by default, as libvirt reads it). */
function ramKiB(usage: string, units: string | null): number | null {
  const n = num(usage);
  const scale: Record<string, number> = { b: 1 / 1024, bytes: 1 / 1024, k: 1, kib: 1, kb: 1000 / 1024, m: 1024, mib: 1024, mb: 1e6 / 1024, g: 1024 ** 2, gib: 1024 ** 2 };
  const f = scale[(units ?? 'KiB').toLowerCase()];
  return n === null || f === undefined ? null : Math.round(n * f);
}

/** Reads a container's domain XML; throws on malformed XML or a root other than <domain>. */
export function readContainer(xml: string): ContainerView {
  const view = readDomain(xml);
  const domain = findDomain(new XmlDoc(xml));
  const os = child(domain, 'os');
  const memtune = child(domain, 'memtune');
  const cputune = child(domain, 'cputune');
  const vcpu = child(domain, 'vcpu');
  const idmap = child(domain, 'idmap');
  const idmaps = idmap
    ? elements(idmap)
        .filter((e) => e.nodeName === 'uid' || e.nodeName === 'gid')
        .map((e) => ({ kind: e.nodeName as 'uid' | 'gid', start: num(attr(e, 'start')) ?? 0, target: num(attr(e, 'target')) ?? 0, count: num(attr(e, 'count')) ?? 0 }))
    : [];
  const fsEls = devicesOfKind(domain, 'filesystem');
  const nicEls = devicesOfKind(domain, 'interface');
  const filesystems = view.filesystems.map((f, i) => {
    const src = child(fsEls[i]!, 'source');
    const usage = attr(src, 'usage');
    return { ...f, usageKiB: usage === null ? null : ramKiB(usage, attr(src, 'units')) };
  });
  return {
    name: view.name,
    uuid: view.uuid,
    osType: view.os.type,
    arch: view.os.arch,
    init: os ? (text(child(os, 'init'))?.trim() ?? null) : null,
    initArgs: os ? elements(os, 'initarg').map((e) => text(e) ?? '') : [],
    memoryKiB: view.memory.maxKiB,
    memtune: {
      hardKiB: memtune ? toKiB(child(memtune, 'hard_limit')) : null,
      softKiB: memtune ? toKiB(child(memtune, 'soft_limit')) : null,
      swapHardKiB: memtune ? toKiB(child(memtune, 'swap_hard_limit')) : null,
    },
    vcpus: view.vcpus.max ?? view.vcpus.current,
    cpuset: attr(vcpu, 'cpuset'),
    cpuShares: cputune ? num(text(child(cputune, 'shares'))) : null,
    cpuQuota: { periodUs: cputune ? num(text(child(cputune, 'period'))) : null, quotaUs: cputune ? num(text(child(cputune, 'quota'))) : null },
    filesystems,
    root: filesystems.find((f) => f.target === '/') ?? null,
    interfaces: view.interfaces.map((n, i) => ({ ...n, hostDev: attr(child(nicEls[i]!, 'target'), 'dev') })),
    consoles: view.consoles.length,
    idmaps,
    privnet: view.features.includes('privnet'),
  };
}
