import { expect, test } from 'vitest';
import type { VmSummary } from '../../../shared/contract';
import { vmKey } from '../../store/vm-ref';
import { buildRows } from './model';

const vm = (hostId: string, name: string, state: VmSummary['state'] = 'running'): VmSummary => ({ hostId, name, uuid: `${hostId}-${name}`, state });
const vms = [vm('h1', 'b'), vm('h2', 'a'), vm('h1', 'a', 'shutoff')];
const base = { vms, hostLabel: (h: string) => h.toUpperCase(), stats: {}, stateFilter: 'all' as const, collapsed: new Set<string>() };

test('rows and groups carry each VM by its one key, and sort by the stats kept under that key', () => {
  const stats = { [vmKey(vms[0]!)]: { latest: { cpuPct: 50 } }, [vmKey(vms[1]!)]: { latest: { cpuPct: 5 } } } as never;
  const byCpu = buildRows({ ...base, stats, sort: { column: 'cpu', desc: true }, groupBy: 'none' });
  expect(byCpu.rows.map((r) => (r.kind === 'vm' ? r.key : r.id))).toEqual([vmKey(vms[0]!), vmKey(vms[1]!), vmKey(vms[2]!)]);

  const grouped = buildRows({ ...base, sort: { column: 'name', desc: false }, groupBy: 'host', collapsed: new Set(['H2']) });
  expect(grouped.rows.map((r) => (r.kind === 'group' ? `${r.label}:${r.keys.join('|')}` : `${r.vm.name}@${r.host}`))).toEqual([
    `H1:${vmKey(vms[2]!)}|${vmKey(vms[0]!)}`,
    'a@H1',
    'b@H1',
    `H2:${vmKey(vms[1]!)}`,
  ]);
  expect(grouped.visible.map((v) => v.name)).toEqual(['a', 'b']);
});
