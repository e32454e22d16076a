// `virsh snapshot-dumpxml` read into the contract's SnapshotInfo. XML, not `snapshot-list`'s
// tables: the tables' headers and state words are translated on a German host.
import type { SnapshotDisk, SnapshotInfo } from '../contract/snapshots';
import { XmlDoc, attr, child, elements, text } from '../domain-xml/xml/xml-doc';

const DISK_MODES = ['internal', 'external', 'no', 'manual'] as const;
const MEMORY_MODES = ['internal', 'external', 'no'] as const;

const oneOf = <T extends string>(values: readonly T[], v: string | null, fallback: T): T => (values.includes(v as T) ? (v as T) : fallback);

/** One snapshot's XML; `current` is given by the caller (`snapshot-current --name`). */
export function parseSnapshotXml(xml: string, current = false): SnapshotInfo {
  const root = new XmlDoc(xml).root;
  if (root.nodeName !== 'domainsnapshot') throw new Error(`not a snapshot: <${root.nodeName}>`);
  const name = text(child(root, 'name')) ?? '';
  const parentEl = child(root, 'parent');
  const state = text(child(root, 'state'))?.trim() ?? '';
  const memoryEl = child(root, 'memory');
  // libvirt omits <memory> in old records: a running/paused state then means memory inside.
  const memory = oneOf(MEMORY_MODES, attr(memoryEl, 'snapshot'), state === 'running' || state === 'paused' ? 'internal' : 'no');
  const disks: SnapshotDisk[] = elements(child(root, 'disks') ?? root, 'disk').map((d) => {
    const file = attr(child(d, 'source'), 'file');
    const mode = oneOf(DISK_MODES, attr(d, 'snapshot'), 'internal');
    return { name: attr(d, 'name') ?? '', snapshot: mode, ...(file && mode === 'external' ? { file } : {}) };
  });
  const memoryFile = attr(memoryEl, 'file');
  const external = memory === 'external' || disks.some((d) => d.snapshot === 'external');
  return {
    name,
    description: text(child(root, 'description')) ?? '',
    parent: parentEl ? (text(child(parentEl, 'name')) ?? null) : null,
    creationTime: Number(text(child(root, 'creationTime')) ?? 0),
    state,
    memory,
    ...(memoryFile ? { memoryFile } : {}),
    location: external ? 'external' : 'internal',
    disks,
    current,
  };
}

/** The version `virsh version` reports for the library, e.g. "9.0.0" (the figures, not the translated label). */
export function parseLibvirtVersion(out: string): string | null {
  return /\blibvirt (\d+\.\d+\.\d+)/.exec(out)?.[1] ?? null;
}

/** "9.0.0" >= "9.9.0"? */
export function versionAtLeast(version: string | null, min: string): boolean {
  if (!version) return false;
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** `virsh blockjob --raw` progress: cur and end, or null when no job runs (empty output). */
export function parseBlockJobRaw(out: string): { cur: number; end: number } | null {
  const cur = /\bcur=(\d+)/.exec(out);
  const end = /\bend=(\d+)/.exec(out);
  return cur && end ? { cur: Number(cur[1]), end: Number(end[1]) } : null;
}
