import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { applyEdits, readDomain } from '../../../../shared/domain-xml';
import { pendingDiff, pendingKeys, stripRuntime } from './pending';

const fixture = (f: string) => readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8');

test('a running VM with nothing changed has nothing pending', () => {
  const live = fixture('desk-1-live.xml');
  const persistent = fixture('desk-1-inactive.xml');
  expect(stripRuntime(live)).toBe(stripRuntime(persistent));
  expect(pendingDiff(live, persistent)).toEqual([]);
  expect(pendingKeys(readDomain(live), readDomain(persistent)).size).toBe(0);
});

test('a NIC model change waits for the boot: in the diff and on the NIC entry', () => {
  const live = fixture('desk-1-live.xml');
  const next = applyEdits(fixture('desk-1-inactive.xml'), [{ kind: 'set-nic-model', index: 0, model: 'virtio' }]);
  const d = pendingDiff(live, next).filter((l) => l.op !== ' ');
  expect(d.map((l) => `${l.op}${l.line.trim()}`)).toEqual(["-<model type='e1000'/>", "+<model type='virtio'/>"]);
  expect([...pendingKeys(readDomain(live), readDomain(next))]).toEqual(['nic:0']);
});

test("legacy-a running with a new NIC model: only the model line is pending (an empty CD-ROM's format is not)", () => {
  const d = pendingDiff(fixture('legacy-a-live-nic-pending.xml'), fixture('legacy-a-inactive-nic-pending.xml')).filter((l) => l.op !== ' ');
  expect(d.map((l) => `${l.op}${l.line.trim()}`)).toEqual(["-<model type='e1000'/>", "+<model type='virtio'/>"]);
});
