// measureIo on replies this lab's QEMU 7.2 gave (two query-blockstats of a guest with a write
// loop on vda): each disk named by its target, the window from the two samples.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { measureIo } from './qmp-blockstats';

const fixture = (n: string) => readFileSync(new URL(`../../../shared/qmp/fixtures/${n}`, import.meta.url), 'utf8');
const LIVE = `<domain><devices><disk device='disk'><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk>
  <disk device='disk'><target dev='hda' bus='ide'/><alias name='ide0-0-0'/></disk></devices></domain>`;

test('two samples a window apart, disks by target', async () => {
  const replies = [fixture('blockstats-1.json'), fixture('blockstats-2.json')];
  const calls: string[][] = [];
  const virsh = { run: async (args: readonly string[]) => (calls.push([...args]), args[0] === 'dumpxml' ? LIVE : replies.shift()!) };
  const slept: number[] = [];
  let t = 1000;
  const m = await measureIo(virsh, 'g', 10, { now: () => t, sleep: async (ms) => ((t += ms), slept.push(ms)) });
  expect([m.from, m.to]).toEqual([1000, 11_000]);
  expect(slept).toEqual([10_000]);
  expect(m.disks.map((d) => d.disk)).toEqual(['vda', 'hda']);
  expect(m.disks[0]!.figures.writeLatencyMs).toBeCloseTo((46116167 - 42686818) / 28 / 1e6);
  expect(calls.filter((c) => c[0] === 'qemu-monitor-command').map((c) => c.at(-1))).toEqual(['{"execute":"query-blockstats"}', '{"execute":"query-blockstats"}']);
});

test('a window outside 2–300 whole seconds is refused before anything runs', async () => {
  const virsh = { run: async () => { throw new Error('ran'); } };
  await expect(measureIo(virsh, 'g', 1)).rejects.toThrow(/2–300 whole seconds, not 1/);
  await expect(measureIo(virsh, 'g', 2.5)).rejects.toThrow(/whole seconds/);
});
