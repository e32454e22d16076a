// The fleet table's columns: which exist, which are left out (empty, or hidden by the admin), and
// the CSS grid their widths make, shared by the sticky header and every virtualized row.
import type { VmSummary } from '../../../shared/contract';
import type { SortColumn } from '../../store/fleet-view';
import { vmKey } from '../../store/vm-ref';

export interface Column {
  id: SortColumn;
  label: string;
  /** Its CSS grid track; the px figure (the minimum) also sets the table's minimum width. */
  width: string;
  minPx: number;
  align?: 'right';
}

const col = (id: SortColumn, label: string, width: string, minPx: number, align?: 'right'): Column => ({ id, label, width, minPx, align });

/** Every column, in order; a column with nothing to show in any row is left out (see shownColumns). */
export const COLUMNS: Column[] = [
  col('name', 'Name', 'minmax(110px, 2fr)', 110),
  col('title', 'Title', 'minmax(90px, 1.2fr)', 90),
  col('host', 'Host', 'minmax(48px, 0.6fr)', 48),
  col('type', 'Type', '64px', 64),
  col('arch', 'Arch', '92px', 92),
  col('state', 'State', 'minmax(112px, 150px)', 112),
  col('vcpus', 'vCPUs', '52px', 52, 'right'),
  col('memory', 'Memory', '76px', 76, 'right'),
  col('cpu', 'CPU', '88px', 88),
  col('memUsed', 'Memory in use', '140px', 140),
  col('disk', 'Disk I/O', '104px', 104),
  col('net', 'Net I/O', '104px', 104),
  col('autostart', 'Autostart', '68px', 68),
  col('tuning', 'Tuning', '60px', 60, 'right'),
];

/** Columns that may be left out when no row has anything for them. */
const COLLAPSIBLE: Partial<Record<SortColumn, (vm: VmSummary) => boolean>> = {
  title: (vm) => !!vm.title || !!vm.lxc, // an LXC-tools container's PID and addresses sit there
  arch: (vm) => !!vm.arch,
};

/** The columns worth showing for these VMs: an empty Title or Arch column takes no width, and a
 *  column the admin hid is left out (the name never is: it is how a row is opened). Tuning shows
 *  once a tuning scan has counted the findings of a VM in view. */
export function shownColumns(vms: readonly VmSummary[], hidden: readonly SortColumn[] = [], tuning: Record<string, number> = {}): Column[] {
  const has = (c: Column) => (c.id === 'tuning' ? vms.some((vm) => tuning[vmKey(vm)] !== undefined) : !COLLAPSIBLE[c.id] || vms.some(COLLAPSIBLE[c.id]!));
  const columns = COLUMNS.filter((c) => (c.id === 'name' || !hidden.includes(c.id)) && has(c));
  // The same array for the same columns, so memoized rows do not redraw on every stats tick.
  const key = columns.map((c) => c.id).join();
  const known = shownCache.get(key) ?? columns;
  shownCache.set(key, known);
  return known;
}
const shownCache = new Map<string, Column[]>();

export const GAP = 6;
const SELECT_PX = 26;
/** The grid and, below it, the width at which the table scrolls sideways instead of squeezing.
 *  A width the admin dragged replaces the column's own track. */
export function gridOf(columns: readonly Column[], widths: Partial<Record<SortColumn, number>> = {}): { template: string; minWidth: number } {
  const px = (c: Column) => widths[c.id];
  return {
    template: [`${SELECT_PX}px`, ...columns.map((c) => (px(c) ? `${px(c)}px` : c.width))].join(' '),
    minWidth: SELECT_PX + columns.reduce((n, c) => n + (px(c) ?? c.minPx), 0) + GAP * columns.length + 16,
  };
}

