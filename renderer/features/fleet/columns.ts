// The fleet table's columns: which exist, which are left out (empty, hidden by the admin, or
// folded because the window is too narrow for them), and the CSS grid their widths make, shared
// by the sticky header and every virtualized row.
import type { VmSummary } from '../../../shared/contract';
import type { SortColumn } from '../../store/fleet-view';
import { vmKey } from '../../store/vm-ref';

export interface Column {
  id: SortColumn;
  label: string;
  /** The least width its header and every figure it shows fit in, without a sparkline. */
  minPx: number;
  /** What its sparkline adds when there is room for it. */
  sparkPx?: number;
  /** A share of the room left over (CSS fr), up to maxPx when given. */
  grow?: number;
  maxPx?: number;
  align?: 'right';
}

const col = (id: SortColumn, label: string, minPx: number, more: Partial<Column> = {}): Column => ({ id, label, minPx, ...more });
// Widths measured in the page (Debian's chromium, Mantine's font sizes): a header's label needs
// its text plus the 6 px its resize handle keeps; "1024 KiB/s" is 65 px, "Memory in use" 99 px,
// "aarch64 · TCG" 85 px, a "shut off" badge 77 px and "migrated" beside it 55 (a rarer "last
// known" or "copy failed" may be cut: the cell's name and tooltip say it whole).
/** Every column, in order; a column with nothing to show in any row is left out (see shownColumns). */
export const COLUMNS: Column[] = [
  col('name', 'Name', 110, { grow: 2 }),
  col('title', 'Title', 64, { grow: 1.2 }),
  col('host', 'Host', 40, { grow: 0.6 }),
  col('type', 'Type', 64),
  col('arch', 'Arch', 88),
  col('state', 'State', 136, { maxPx: 150 }),
  col('vcpus', 'vCPUs', 50, { align: 'right' }),
  col('memory', 'Memory', 72, { align: 'right' }),
  // A sparkline is 36 px and the gap beside it 6.
  col('cpu', 'CPU', 46, { sparkPx: 42 }),
  col('memUsed', 'Memory in use', 106, { sparkPx: 36 }),
  col('disk', 'Disk I/O', 66, { sparkPx: 42 }),
  col('net', 'Net I/O', 66, { sparkPx: 42 }),
  col('autostart', 'Autostart', 72),
  col('tuning', 'Tuning', 52, { align: 'right' }),
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
  return same(COLUMNS.filter((c) => (c.id === 'name' || !hidden.includes(c.id)) && has(c)));
}

/** The same array for the same columns, so memoized rows do not redraw on every stats tick. */
function same<T extends Column | SortColumn>(items: T[]): T[] {
  const key = items.map((c) => (typeof c === 'string' ? `-${c}` : c.id)).join() || '(none)';
  const known = (sameCache.get(key) as T[] | undefined) ?? items;
  sameCache.set(key, known);
  return known;
}
const sameCache = new Map<string, unknown[]>();

export const GAP = 6;
const SELECT_PX = 26;
/** The row's inline padding, both sides. */
const PAD_PX = 16;
type Widths = Partial<Record<SortColumn, number>>;

/** The grid and, below it, the width at which the table scrolls sideways instead of squeezing.
 *  A width the admin dragged replaces the column's own track; a `bare` column shows its figure
 *  without the sparkline. */
export function gridOf(columns: readonly Column[], widths: Widths = {}, bare: readonly SortColumn[] = []): { template: string; minWidth: number } {
  const least = (c: Column) => widths[c.id] ?? c.minPx + (bare.includes(c.id) ? 0 : (c.sparkPx ?? 0));
  const track = (c: Column) => {
    if (widths[c.id]) return `${widths[c.id]}px`;
    if (c.grow) return `minmax(${least(c)}px, ${c.grow}fr)`;
    return c.maxPx ? `minmax(${least(c)}px, ${c.maxPx}px)` : `${least(c)}px`;
  };
  return {
    template: [`${SELECT_PX}px`, ...columns.map(track)].join(' '),
    minWidth: SELECT_PX + columns.reduce((n, c) => n + least(c), 0) + GAP * columns.length + PAD_PX,
  };
}

/** Whose sparkline gives way first: the figures stay, the pictures of what moves least go. */
const SPARK_ORDER: SortColumn[] = ['net', 'disk', 'memUsed', 'cpu'];
/** Which columns go when even the figures alone do not fit: what an admin reads least from a list
 *  (a setting, what most rows share, what the VM's own page says), the live figures last. */
const FOLD_ORDER: SortColumn[] = ['autostart', 'arch', 'type', 'title', 'vcpus', 'memory', 'host', 'disk', 'net', 'tuning', 'memUsed', 'cpu', 'state'];

export interface Fit {
  columns: Column[];
  /** Columns drawn without their sparkline: the figure fit, the picture did not. */
  bare: SortColumn[];
  /** Columns left out for room; the admin can still ask for each (pinned). */
  folded: SortColumn[];
}

/** The columns for a table `available` px wide: all with sparklines if they fit, else fewer
 *  sparklines, else without the columns least read (never one the admin pinned, never the name) —
 *  and when even that is too wide, the table scrolls sideways. `available` 0: not measured yet. */
export function fitColumns(shown: Column[], available: number, widths: Widths = {}, pinned: readonly SortColumn[] = []): Fit {
  const fits = (columns: readonly Column[], bare: readonly SortColumn[]) => !available || gridOf(columns, widths, bare).minWidth <= available;
  const bare: SortColumn[] = [];
  for (const id of [undefined, ...SPARK_ORDER]) {
    if (id) bare.push(id);
    if (fits(shown, bare)) return { columns: shown, bare: same(bare), folded: [] };
  }
  let columns = shown;
  const folded: SortColumn[] = [];
  for (const id of FOLD_ORDER) {
    if (fits(columns, bare)) break;
    if (pinned.includes(id) || !columns.some((c) => c.id === id)) continue;
    columns = columns.filter((c) => c.id !== id);
    folded.push(id);
  }
  return { columns: same(columns), bare: same(bare), folded };
}
