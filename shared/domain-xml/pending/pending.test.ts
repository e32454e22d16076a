import { readFileSync, readdirSync } from 'node:fs';
import { expect, test } from 'vitest';
import { applyEdits } from '../edits';
import { pendingChanges } from '.';

const dir = new URL('../fixtures/real-world/', import.meta.url);
const labDir = new URL('../fixtures/lab-pairs/', import.meta.url);
const read = (base: URL, f: string) => readFileSync(new URL(f, base), 'utf8');
const changed = (items: ReturnType<typeof pendingChanges>) => items.map((i) => ({ key: i.key, lines: i.diff.filter((l) => l.op !== ' ').map((l) => `${l.op}${l.line.trim()}`) }));

// Pairs captured from the lab: each VM defined by virt-install --print-xml, started, then
// `virsh dumpxml` (running) and `virsh dumpxml --inactive` (next boot).
const pairs = readdirSync(dir).filter((f) => f.endsWith('-live.xml')).map((f) => f.replace(/-live\.xml$/, ''));

test('the lab captured real-world pairs', () => {
  expect(pairs.length).toBeGreaterThanOrEqual(5);
});

test.each(pairs)('%s, started and unchanged, has nothing pending', (vm) => {
  expect(changed(pendingChanges(read(dir, `${vm}-live.xml`), read(dir, `${vm}-inactive.xml`)))).toEqual([]);
});

test.each(pairs.filter((vm) => vm !== 'rw-win10' && vm !== 'rw-win11'))('%s: the sound card removed for the next boot is pending on it alone', (vm) => {
  const live = read(dir, `${vm}-live.xml`);
  const next = applyEdits(read(dir, `${vm}-inactive.xml`), [{ kind: 'remove-device', device: 'sound', index: 0 }]);
  const items = pendingChanges(live, next);
  expect(items.map((i) => [i.key, i.removed])).toEqual([['sound:0', true]]);
  expect(changed(items)[0]!.lines[0]).toMatch(/^-<sound model='ich9'>/);
});

test('desk-1 (lab VM): nothing pending; a NIC model change shows on the NIC alone', () => {
  const live = read(labDir, 'desk-1-live.xml');
  const inactive = read(labDir, 'desk-1-inactive.xml');
  expect(pendingChanges(live, inactive)).toEqual([]);
  const next = applyEdits(inactive, [{ kind: 'set-nic-model', index: 0, model: 'virtio' }]);
  expect(changed(pendingChanges(live, next))).toEqual([{ key: 'interface:0', lines: ["-<model type='e1000'/>", "+<model type='virtio'/>"] }]);
});

test("legacy-a running with a new NIC model: only the model is pending (an empty CD-ROM's format is not)", () => {
  const items = pendingChanges(read(labDir, 'legacy-a-live-nic-pending.xml'), read(labDir, 'legacy-a-inactive-nic-pending.xml'));
  expect(changed(items)).toEqual([{ key: 'interface:0', lines: ["-<model type='e1000'/>", "+<model type='virtio'/>"] }]);
});

test('a balloon moved live is not pending; a new maximum memory is', () => {
  const live = read(labDir, 'desk-1-live.xml').replace(/<currentMemory unit='KiB'>\d+</, "<currentMemory unit='KiB'>114688<");
  const inactive = read(labDir, 'desk-1-inactive.xml');
  expect(pendingChanges(live, inactive)).toEqual([]);
  const bigger = applyEdits(inactive, [{ kind: 'set-memory', currentKiB: 131072, maxKiB: 262144 }]);
  expect(pendingChanges(live, bigger).map((i) => i.key)).toEqual(['memory']);
});
