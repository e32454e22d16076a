// query-blockstats from this lab's QEMU 7.2, two samples a few seconds apart of a guest running
// vd.writeloop=vda (64 KiB direct writes every 0.2 s).
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { blockWindow, parseBlockstats, qmpReturn } from './index';

const sample = (n: number) => parseBlockstats(qmpReturn(readFileSync(new URL(`./fixtures/blockstats-${n}.json`, import.meta.url), 'utf8')));

test('each disk by its device id, with operations, bytes and times', () => {
  const [disk, ide] = sample(1);
  expect(disk).toEqual({ alias: 'virtio-disk0', rdOps: 3, wrOps: 95, flushOps: 0, rdBytes: 12288, wrBytes: 6225920, rdTimeNs: 275993, wrTimeNs: 42686818, flushTimeNs: 0 });
  expect(ide!.alias).toBe('ide0-0-0');
  expect(ide!.wrOps).toBe(0);
  // The write loop writes 64 KiB per operation.
  expect(disk!.wrBytes / disk!.wrOps).toBe(65536);
});

test('a window: IOPS, throughput and the average latency from the time delta', () => {
  const w = blockWindow(sample(1)[0]!, sample(2)[0]!, 10);
  expect(w.writeIops).toBeCloseTo(2.8);
  expect(w.writeBytesPerS).toBeCloseTo((8060928 - 6225920) / 10);
  expect(w.writeLatencyMs).toBeCloseTo((46116167 - 42686818) / 28 / 1e6);
  expect(w.readLatencyMs).toBeNull();
  expect(() => blockWindow(sample(1)[0]!, sample(2)[0]!, 0)).toThrow(/some time apart/);
});
