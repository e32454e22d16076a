// Readable forms of the QMP panel's read-only queries: rows of (name, value) per item, from the
// reply's JSON. A query without a view here is shown as QEMU's JSON alone.

import { parseBlockstats } from './blockstats';
import { parsePciVirtio } from './fallback';
import { isObject, listOf, qmpReturn } from './reply';
import { parseVirtioList } from './virtio';

export interface QmpView {
  /** One table per item (a disk, a vCPU…): its title and its rows. */
  tables: { title: string; rows: [string, string][] }[];
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

const VIEWS: Record<string, (ret: unknown) => QmpView> = {
  'query-blockstats': (ret) => ({
    tables: parseBlockstats(ret).map((s) => ({
      title: `Disk ${s.alias ?? '(QEMU internal)'}`,
      rows: [
        ['Reads', `${s.rdOps} ops, ${mib(s.rdBytes)}, avg ${s.rdOps ? (s.rdTimeNs / s.rdOps / 1e6).toFixed(2) : '—'} ms`],
        ['Writes', `${s.wrOps} ops, ${mib(s.wrBytes)}, avg ${s.wrOps ? (s.wrTimeNs / s.wrOps / 1e6).toFixed(2) : '—'} ms`],
        ['Flushes', `${s.flushOps} ops, avg ${s.flushOps ? (s.flushTimeNs / s.flushOps / 1e6).toFixed(2) : '—'} ms`],
      ],
    })),
  }),
  'query-cpus-fast': (ret) => ({
    tables: listOf(ret, 'query-cpus-fast').filter(isObject).map((c) => ({
      title: `vCPU ${String(c['cpu-index'] ?? '?')}`,
      rows: [
        ['Host thread', String(c['thread-id'] ?? '—')],
        ['Target', String(c.target ?? '—')],
        ['QOM path', String(c['qom-path'] ?? '—')],
      ],
    })),
  }),
  'query-balloon': (ret) => ({
    tables: [{ title: 'Balloon', rows: [['Guest memory now', isObject(ret) && typeof ret.actual === 'number' ? mib(ret.actual) : '—']] }],
  }),
  'x-query-virtio': (ret) => ({
    tables: [{ title: 'Virtio devices', rows: parseVirtioList(ret).map((d) => [d.type, d.path]) }],
  }),
  'query-pci': (ret) => ({
    tables: [{ title: 'Virtio functions on PCI', rows: parsePciVirtio(ret).map((d) => [d.address, `${d.type}${d.qdevId ? ` (${d.qdevId})` : ''}`]) }],
  }),
  'query-status': (ret) => ({
    tables: [{ title: 'Run state', rows: isObject(ret) ? [['Status', String(ret.status ?? '—')], ['Running', String(ret.running ?? '—')]] : [] }],
  }),
};

/** The readable view of a query's reply text, or null when there is none (or it does not parse). */
export function qmpView(query: string, replyText: string): QmpView | null {
  const view = VIEWS[query];
  if (!view) return null;
  try {
    return view(qmpReturn(replyText));
  } catch {
    return null;
  }
}
