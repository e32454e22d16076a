// Per-disk I/O as QEMU counts it (query-blockstats): operations, bytes and the time they took,
// so the average latency of a window is its time delta over its operation delta.

import { isObject, listOf } from './reply';

export interface BlockStats {
  /** The guest device's id (libvirt's alias: virtio-disk0, ide0-0-0…); QEMU names it by its
   *  QOM path (qdev) under -blockdev, or by the drive id on older setups. */
  alias: string | null;
  rdOps: number;
  wrOps: number;
  flushOps: number;
  rdBytes: number;
  wrBytes: number;
  rdTimeNs: number;
  wrTimeNs: number;
  flushTimeNs: number;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** "/machine/peripheral/virtio-disk0/virtio-backend" or "ide0-0-0" -> the device id. */
function aliasOfQdev(qdev: unknown, device: unknown): string | null {
  if (typeof qdev === 'string' && qdev) {
    const m = /^\/machine\/peripheral\/([^/]+)/.exec(qdev);
    if (m) return m[1]!;
    if (!qdev.startsWith('/')) return qdev;
    return null;
  }
  return typeof device === 'string' && device.startsWith('drive-') ? device.slice('drive-'.length) : null;
}

export function parseBlockstats(ret: unknown): BlockStats[] {
  return listOf(ret, 'query-blockstats').flatMap((d) => {
    if (!isObject(d) || !isObject(d.stats)) return [];
    const s = d.stats;
    return [
      {
        alias: aliasOfQdev(d.qdev, d.device),
        rdOps: num(s.rd_operations),
        wrOps: num(s.wr_operations),
        flushOps: num(s.flush_operations),
        rdBytes: num(s.rd_bytes),
        wrBytes: num(s.wr_bytes),
        rdTimeNs: num(s.rd_total_time_ns),
        wrTimeNs: num(s.wr_total_time_ns),
        flushTimeNs: num(s.flush_total_time_ns),
      },
    ];
  });
}

/** One disk's figures over a window between two samples. */
export interface BlockWindow {
  seconds: number;
  readIops: number;
  writeIops: number;
  readBytesPerS: number;
  writeBytesPerS: number;
  /** Average time per operation in the window (ms); null when there was none. */
  readLatencyMs: number | null;
  writeLatencyMs: number | null;
}

export function blockWindow(a: BlockStats, b: BlockStats, seconds: number): BlockWindow {
  if (!(seconds > 0)) throw new Error('a window needs two samples some time apart');
  const d = (k: keyof Omit<BlockStats, 'alias'>) => Math.max(0, b[k] - a[k]);
  const latency = (ns: number, ops: number) => (ops > 0 ? ns / ops / 1e6 : null);
  return {
    seconds,
    readIops: d('rdOps') / seconds,
    writeIops: d('wrOps') / seconds,
    readBytesPerS: d('rdBytes') / seconds,
    writeBytesPerS: d('wrBytes') / seconds,
    readLatencyMs: latency(d('rdTimeNs'), d('rdOps')),
    writeLatencyMs: latency(d('wrTimeNs'), d('wrOps')),
  };
}
