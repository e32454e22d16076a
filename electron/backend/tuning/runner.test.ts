// The run's own logic (order, per-host limit, cancel, the guard, undo data) over a host whose
// virsh keeps each VM's definition in memory; the lab proves it against libvirt (tuning.spec).
import { describe, expect, test } from 'vitest';
import { buildPlan, pickKind, picksOf, scanVm, type ApplyItem, type TuningRun } from '../../../shared/tuning/index.js';
import { parseKsm, ksmWrites } from './ksm.js';
import { TuningRuns } from './runner.js';

const xmlOf = (name: string) => `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='KiB'>131072</memory>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
  </os>
  <devices>
    <interface type='network'>
      <mac address='52:54:00:00:00:01'/>
      <source network='default'/>
      <model type='e1000'/>
    </interface>
  </devices>
</domain>
`;

/** Each VM's persistent XML; `define` stores what it gets after `gate` lets it through. */
function fakeHost(names: string[], gate: () => Promise<void> = async () => undefined) {
  const defs = new Map(names.map((n) => [n, xmlOf(n)]));
  let inFlight = 0;
  let maxInFlight = 0;
  const virsh = {
    async run(args: readonly string[], o: { stdin?: string } = {}): Promise<string> {
      const name = args[args.indexOf('--domain') + 1] ?? String(args.at(-1));
      switch (args[0]) {
        case 'dumpxml':
          return defs.get(name)!;
        case 'domstats':
          return `Domain: '${name}'\n  state.state=5\n  state.reason=1\n`;
        case 'define': {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await gate();
          inFlight--;
          const defined = /<name>([^<]+)<\/name>/.exec(o.stdin!)![1]!;
          defs.set(defined, o.stdin!);
          return '';
        }
        default:
          throw new Error(`unexpected virsh ${args.join(' ')}`);
      }
    },
  };
  return { virsh, defs, maxInFlight: () => maxInFlight };
}

function itemsFor(host: ReturnType<typeof fakeHost>, names: string[]): ApplyItem[] {
  const vms = names.map((name) => scanVm({ hostId: 'h1', hostLabel: 'hv1', name, running: false, xml: host.defs.get(name)!, facts: {} }));
  return buildPlan(vms, picksOf(pickKind(vms, 'nic-model'))).items.map((i) => ({ hostId: i.hostId, name: i.name, baseXml: i.baseXml, edits: i.edits, snapshot: false, changes: i.findings.map((f) => f.title) }));
}

function runsOn(host: ReturnType<typeof fakeHost>) {
  const events: TuningRun[] = [];
  const runs = new TuningRuns(() => ({ label: 'hv1', virsh: host.virsh }), (r) => events.push(r));
  return { runs, events, last: (id: string) => events.filter((e) => e.runId === id).at(-1)! };
}

const options = { snapshotFirst: false, restart: 'leave-pending' as const, perHost: 2 };

describe('a tuning run', () => {
  test('applies every VM, at most perHost at a time; a VM changed since the plan is skipped; undo defines the old XML again', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const host = fakeHost(names, () => new Promise((r) => setTimeout(r, 5)));
    const before = new Map(host.defs);
    const items = itemsFor(host, names);
    host.defs.set('c', host.defs.get('c')!.replace('<memory', '<description>theirs</description>\n  <memory'));
    const { runs, last } = runsOn(host);
    const id = runs.apply('plan', items, options);
    await runs.finished(id);
    expect(last(id).items.map((i) => [i.name, i.status])).toEqual([['a', 'applied'], ['b', 'applied'], ['c', 'skipped'], ['d', 'applied'], ['e', 'applied']]);
    expect(last(id).items[2]!.message).toMatch(/changed since the plan/);
    expect(host.maxInFlight()).toBe(2);
    expect(host.defs.get('a')).toContain("<model type='virtio'/>");
    expect(last(id)).toMatchObject({ state: 'done', undoable: true });

    const theirs = host.defs.get('c');
    const undo = runs.undo(id);
    await runs.finished(undo);
    expect(last(undo).items.map((i) => i.name)).toEqual(['a', 'b', 'd', 'e']);
    for (const n of ['a', 'b', 'd', 'e']) expect(host.defs.get(n)).toBe(before.get(n));
    expect(host.defs.get('c')).toBe(theirs);
    expect(last(id).undoable).toBe(false);
  });

  test('cancel: VMs not reached stay untouched', async () => {
    const names = ['a', 'b', 'c', 'd'];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const host = fakeHost(names, () => held);
    const before = new Map(host.defs);
    const { runs, last } = runsOn(host);
    const id = runs.apply('plan', itemsFor(host, names), { ...options, perHost: 1 });
    await new Promise((r) => setTimeout(r, 10));
    runs.cancel(id);
    expect(last(id).state).toBe('cancelling');
    release();
    await runs.finished(id);
    expect(last(id).state).toBe('cancelled');
    expect(last(id).items.map((i) => i.status)).toEqual(['applied', 'cancelled', 'cancelled', 'cancelled']);
    for (const n of ['b', 'c', 'd']) expect(host.defs.get(n)).toBe(before.get(n));
  });
});

describe('KSM', () => {
  test('figures from the sysfs files; the page size makes the saving', () => {
    const s = parseKsm('run=1\npages_to_scan=100\nsleep_millisecs=20\npages_shared=10\npages_sharing=250\npages_unshared=3\npages_volatile=0\nfull_scans=4\npagesize=4096\nksmtuned=\n', 1);
    expect(s).toMatchObject({ available: true, run: 1, pagesToScan: 100, sleepMillisecs: 20, pagesShared: 10, pagesSharing: 250, fullScans: 4, savedKiB: 1000 });
    expect(s.tuner).toBeUndefined();
    expect(parseKsm('run=-\npagesize=4096\nksmtuned=running\n', 1)).toMatchObject({ available: false, tuner: expect.stringMatching(/ksmtuned is running/) });
  });
  test('writes are checked: rate before run; out of range or empty is refused', () => {
    expect(ksmWrites({ run: 1, sleepMillisecs: 50, pagesToScan: 200 })).toEqual([
      { file: 'pages_to_scan', value: 200 },
      { file: 'sleep_millisecs', value: 50 },
      { file: 'run', value: 1 },
    ]);
    expect(() => ksmWrites({ pagesToScan: 0 })).toThrow(/pages_to_scan must be a whole number from 1/);
    expect(() => ksmWrites({ sleepMillisecs: 1.5 })).toThrow(/sleep_millisecs/);
    expect(() => ksmWrites({})).toThrow(/No KSM setting/);
  });
});
