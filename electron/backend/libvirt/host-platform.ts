// What a host can run besides native KVM guests: the architectures and machine types its QEMU
// emulates (`virsh capabilities` <guest> entries), and the facts containers depend on (cgroup
// version, the LXC driver, unprivileged user namespaces).
import type { HostInfo } from '../../../shared/contract/index.js';

/** Fixed text, joined to the host probe: sections as in HOST_PROBE_SCRIPT. */
export const PLATFORM_PROBE_SCRIPT = [
  // cgroup2fs: the unified hierarchy (v2); tmpfs with controller mounts under it: v1.
  'echo @cgroupfs; stat -fc %T /sys/fs/cgroup 2>/dev/null || echo -',
  'echo @cgroupv1; for c in /sys/fs/cgroup/*; do [ "$(stat -fc %T "$c" 2>/dev/null)" = cgroupfs ] && echo "${c##*/}"; done',
  'echo @cgroupunified; stat -fc %T /sys/fs/cgroup/unified 2>/dev/null || echo -',
  'echo @userns; cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo -; cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo -',
].join('\n');

/** Each <guest> of `virsh capabilities`: its architecture, emulator, machine types and domain types. */
export function parseEmulation(capabilities: string): HostInfo['emulation'] {
  const out: HostInfo['emulation'] = [];
  for (const g of capabilities.matchAll(/<guest>([\s\S]*?)<\/guest>/g)) {
    const body = g[1]!;
    const arch = /<arch name=['"]([^'"]+)['"]>/.exec(body)?.[1];
    if (!arch || !/<os_type>hvm<\/os_type>/.test(body)) continue;
    const emulator = /<emulator>([^<]+)<\/emulator>/.exec(body)?.[1];
    // Machines outside a <domain> are the emulator's own; canonical aliases (pc, q35, virt) first.
    const machines = [...body.matchAll(/<machine(?:\s+canonical=['"]([^'"]+)['"])?[^>]*>([^<]+)<\/machine>/g)].map((m) => ({ name: m[2]!, alias: !!m[1] }));
    const names = [...new Set([...machines.filter((m) => m.alias), ...machines.filter((m) => !m.alias)].map((m) => m.name))];
    const domainTypes = [...new Set([...body.matchAll(/<domain type=['"]([^'"]+)['"]/g)].map((m) => m[1]!))];
    const existing = out.find((e) => e.arch === arch);
    if (existing) continue;
    out.push({ arch, emulator, machines: names, domainTypes });
  }
  return out;
}

/** The container facts from the probe's sections. */
export function containerFacts(sections: Record<string, string[]>, lxcDriver: boolean | undefined): HostInfo['containers'] {
  const fs = sections.cgroupfs?.[0] ?? '-';
  const v1 = (sections.cgroupv1 ?? []).map((c) => c.trim()).filter(Boolean);
  const unified = sections.cgroupunified?.[0] ?? '-';
  const cgroup: HostInfo['containers']['cgroup'] =
    fs === 'cgroup2fs' ? 'v2' : v1.length && unified === 'cgroup2fs' ? 'hybrid' : v1.length ? 'v1' : 'none';
  const [clone, max] = sections.userns ?? [];
  const maxNs = Number(max);
  // Debian's own switch (kernel.unprivileged_userns_clone) where it exists, then the general limit.
  const usernsEnabled = clone === '0' ? false : max !== undefined && max !== '-' ? maxNs > 0 : clone === '1' ? true : undefined;
  const detail = [clone && clone !== '-' ? `kernel.unprivileged_userns_clone = ${clone}` : '', max && max !== '-' ? `user.max_user_namespaces = ${max}` : ''].filter(Boolean).join(', ');
  return { cgroup, cgroupControllers: v1, lxcDriver, unprivilegedUserns: usernsEnabled, usernsDetail: detail || undefined };
}
