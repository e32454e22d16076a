// A libvirt LXC container's domain XML: an "operating system container" as virt-manager makes
// one (`<os><type>exe</type><init>`), on a root filesystem directory of the host, with a memory
// limit and optionally one NIC on a bridge or a libvirt network.
import { escapeAttr, escapeText } from '../domain-xml/xml/xml-doc';

export interface ContainerSpec {
  name: string;
  /** Absolute path on the host of the directory mounted as the container's `/`. */
  rootDir: string;
  memoryMiB: number;
  /** The program run as the container's PID 1. */
  init?: string;
  nic?: { type: 'bridge' | 'network'; source: string };
}

export class ContainerSpecError extends Error {}

const MIN_MEMORY_MIB = 16;
const MAX_MEMORY_MIB = 1024 * 1024;

/** The first thing wrong with a spec, or undefined. Names as libvirt takes them (not empty, no
 *  "/", no leading dot); paths absolute, without ".." parts. */
export function containerSpecProblem(spec: ContainerSpec): string | undefined {
  const { name, rootDir, memoryMiB, init, nic } = spec;
  if (!name.trim()) return 'A container needs a name';
  if (name.includes('/')) return 'A container name cannot contain "/"';
  if (!isAbsolutePath(rootDir)) return 'The root filesystem must be an absolute directory path on the host, such as /var/lib/libvirt/lxc/web-1';
  if (rootDir === '/') return 'The host\'s own / cannot be a container\'s root filesystem';
  if (!Number.isInteger(memoryMiB) || memoryMiB < MIN_MEMORY_MIB || memoryMiB > MAX_MEMORY_MIB) return `The memory limit must be a whole number of MiB from ${MIN_MEMORY_MIB} to ${MAX_MEMORY_MIB}`;
  if (init !== undefined && !isAbsolutePath(init)) return 'The init program must be an absolute path inside the container, such as /sbin/init';
  if (nic && !nic.source.trim()) return `Name the ${nic.type} the container's NIC is on`;
  return undefined;
}

function isAbsolutePath(p: string): boolean {
  // eslint-disable-next-line no-control-regex
  return p.startsWith('/') && !p.split('/').includes('..') && !/[\u0000-\u001f]/.test(p);
}

/** The domain XML for `virsh -c lxc:///system define`; throws ContainerSpecError on a bad spec. */
export function containerXml(spec: ContainerSpec): string {
  const problem = containerSpecProblem(spec);
  if (problem) throw new ContainerSpecError(problem);
  const a = (s: string) => escapeAttr(s, "'");
  const t = escapeText;
  const nic = spec.nic
    ? spec.nic.type === 'bridge'
      ? `    <interface type='bridge'>\n      <source bridge='${a(spec.nic.source)}'/>\n    </interface>\n`
      : `    <interface type='network'>\n      <source network='${a(spec.nic.source)}'/>\n    </interface>\n`
    : '';
  return `<domain type='lxc'>
  <name>${t(spec.name)}</name>
  <memory unit='MiB'>${spec.memoryMiB}</memory>
  <os>
    <type>exe</type>
    <init>${t(spec.init ?? '/sbin/init')}</init>
  </os>
  <devices>
    <filesystem type='mount'>
      <source dir='${a(spec.rootDir)}'/>
      <target dir='/'/>
    </filesystem>
${nic}    <console type='pty'/>
  </devices>
</domain>
`;
}
