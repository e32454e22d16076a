import { expect, test } from 'vitest';
import type { VmSummary } from '../../../shared/contract';
import { fitColumns, gridOf, shownColumns } from './columns';

const vms: VmSummary[] = [{ hostId: 'h1', name: 'a', uuid: 'u1', state: 'running', arch: 'x86_64', title: 'web' }];
const all = shownColumns(vms);
const ids = (cs: { id: string }[]) => cs.map((c) => c.id);
const full = gridOf(all).minWidth;
const figures = gridOf(all, {}, true).minWidth;

test('every column with its sparkline where they all fit', () => {
  const fit = fitColumns(all, full);
  expect(fit).toEqual({ columns: all, compact: false, folded: [] });
  // Not measured yet: nothing is left out.
  expect(fitColumns(all, 0).folded).toEqual([]);
});

test('a narrower table keeps every column and drops the sparklines first', () => {
  expect(figures).toBeLessThan(full);
  const fit = fitColumns(all, figures);
  expect(fit.compact).toBe(true);
  expect(fit.columns).toBe(all);
  expect(gridOf(fit.columns, {}, true).template).not.toContain('88px');
});

test('narrower still, the columns least read fold first, never the name nor a pinned one', () => {
  const fit = fitColumns(all, figures - 20);
  expect(fit.folded).toEqual(['autostart']);
  expect(gridOf(fit.columns, {}, true).minWidth).toBeLessThanOrEqual(figures - 20);
  expect(fitColumns(all, figures - 20, {}, ['autostart']).folded).toEqual(['arch']);
  const tiny = fitColumns(all, 100);
  expect(ids(tiny.columns)).toEqual(['name']);
  expect(tiny.folded).not.toContain('name');
});

test('a width the admin dragged counts as that column\'s width', () => {
  const wide = fitColumns(all, full, { name: 110 + 60 });
  expect(wide.compact).toBe(true);
  expect(gridOf(wide.columns, { name: 170 }, true).template).toContain('170px');
});
