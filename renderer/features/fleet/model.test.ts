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

test('the type and arch filters keep containers and VMs of each architecture apart', () => {
  const mixed: VmSummary[] = [
    { ...vm('h1', 'web'), arch: 'x86_64' },
    { ...vm('h1', 'web'), uuid: 'c', driver: 'lxc' },
    { ...vm('h2', 'pi'), arch: 'aarch64' },
  ];
  const names = (o: Partial<Parameters<typeof buildRows>[0]>) =>
    buildRows({ ...base, vms: mixed, sort: { column: 'name', desc: false }, groupBy: 'none', ...o }).visible.map((v) => `${v.name}/${v.driver ?? 'qemu'}`);
  expect(names({ typeFilter: 'container' })).toEqual(['web/lxc']);
  expect(names({ typeFilter: 'vm' })).toEqual(['pi/qemu', 'web/qemu']);
  expect(names({ archFilter: 'aarch64' })).toEqual(['pi/qemu']);
  expect(names({ sort: { column: 'type', desc: false } })).toEqual(['web/lxc', 'pi/qemu', 'web/qemu']);
  const keys = buildRows({ ...base, vms: mixed, sort: { column: 'name', desc: false }, groupBy: 'none' }).rows.map((r) => (r.kind === 'vm' ? r.key : ''));
  expect(new Set(keys).size).toBe(3);
});
