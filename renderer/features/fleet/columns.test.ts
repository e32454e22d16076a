import { expect, test } from 'vitest';
import type { VmSummary } from '../../../shared/contract';
import { fitColumns, gridOf, shownColumns } from './columns';

const vms: VmSummary[] = [{ hostId: 'h1', name: 'a', uuid: 'u1', state: 'running', arch: 'x86_64', title: 'web' }];
const all = shownColumns(vms);
const ids = (cs: { id: string }[]) => cs.map((c) => c.id);
const full = gridOf(all).minWidth;
const figures = gridOf(all, {}, ['cpu', 'memUsed', 'disk', 'net']).minWidth;

test('every column with its sparkline where they all fit', () => {
  const fit = fitColumns(all, full);
  expect(fit).toEqual({ columns: all, bare: [], folded: [] });
  // Not measured yet: nothing is left out.
  expect(fitColumns(all, 0).folded).toEqual([]);
});

test('a narrower table keeps every column and drops sparklines first, Net I/O\'s before CPU\'s', () => {
  expect(fitColumns(all, full - 1).bare).toEqual(['net']);
  expect(fitColumns(all, full - 43).bare).toEqual(['net', 'disk']);
  const fit = fitColumns(all, figures);
  expect(fit.bare).toEqual(['net', 'disk', 'memUsed', 'cpu']);
  expect(fit.columns).toBe(all);
  expect(fit.folded).toEqual([]);
  // CPU's track is its figure's width alone (46 px), not with its sparkline (88 px).
  const cpu = 1 + all.findIndex((c) => c.id === 'cpu');
  const tracks = (t: string) => t.match(/minmax\([^)]*\)|\S+/g)!;
  expect(tracks(gridOf(all).template)[cpu]).toBe('88px');
  expect(tracks(gridOf(fit.columns, {}, fit.bare).template)[cpu]).toBe('46px');
});

test('narrower still, the columns least read fold first, never the name nor a pinned one', () => {
  const fit = fitColumns(all, figures - 20);
  expect(fit.folded).toEqual(['autostart']);
  expect(gridOf(fit.columns, {}, fit.bare).minWidth).toBeLessThanOrEqual(figures - 20);
  expect(fitColumns(all, figures - 20, {}, ['autostart']).folded).toEqual(['arch']);
  const tiny = fitColumns(all, 100);
  expect(ids(tiny.columns)).toEqual(['name']);
  expect(tiny.folded).not.toContain('name');
});

test('a width the admin dragged counts as that column\'s width', () => {
  const wide = fitColumns(all, full, { name: 110 + 60 });
  expect(wide.bare).toEqual(['net', 'disk']);
  expect(gridOf(wide.columns, { name: 170 }, wide.bare).template).toContain(' 170px ');
});
