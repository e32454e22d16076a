// The fleet table's rows: filter, sort and group, as pure functions of the fleet and its stats.
import type { VmState, VmSummary } from '../../../shared/contract';
import type { GroupBy, SortColumn, StateFilter, TypeFilter } from '../../store/fleet-view';
import type { VmStatsHistory } from '../../store/stats';
import { isContainer, isLxcTools, vmKey } from '../../store/vm-ref';

export const STATS_COLUMNS: ReadonlySet<SortColumn> = new Set(['cpu', 'memUsed', 'disk', 'net']);

export type Row = { kind: 'group'; id: string; label: string; count: number; keys: string[] } | { kind: 'vm'; vm: VmSummary; key: string; host: string };

const STATE_ORDER: Record<VmState, number> = { running: 0, blocked: 1, paused: 2, pmsuspended: 3, shutdown: 4, crashed: 5, nostate: 6, shutoff: 7 };

export function matchesState(vm: VmSummary, filter: StateFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'running':
      return vm.state === 'running' || vm.state === 'blocked';
    case 'shutoff':
      return vm.state === 'shutoff';
    case 'paused':
      return vm.state === 'paused' || vm.state === 'pmsuspended';
    case 'other':
      return !['running', 'blocked', 'shutoff', 'paused', 'pmsuspended'].includes(vm.state);
  }
}

/** What the Type column says. */
export const vmTypeLabel = (vm: VmSummary): string => (isLxcTools(vm) ? 'LXC container' : isContainer(vm) ? 'container' : vm.template ? 'template' : 'VM');

export function matchesType(vm: VmSummary, filter: TypeFilter, arch: string): boolean {
  if (filter === 'vm' && (isContainer(vm) || vm.template)) return false;
  if (filter === 'template' && !vm.template) return false;
  if (filter === 'container' && !isContainer(vm)) return false;
  return !arch || vm.arch === arch;
}

export function buildRows(opts: {
  vms: VmSummary[];
  hostLabel: (hostId: string) => string;
  stats: Record<string, VmStatsHistory>;
  stateFilter: StateFilter;
  typeFilter?: TypeFilter;
  archFilter?: string;
  sort: { column: SortColumn; desc: boolean };
  groupBy: GroupBy;
  collapsed: ReadonlySet<string>;
  /** Tuning findings per VM (vmKey) at the last tuning scan. */
  tuning?: Record<string, number>;
}): { rows: Row[]; visible: VmSummary[] } {
  const { hostLabel, stats, sort } = opts;
  const vms = opts.vms.filter((vm) => matchesState(vm, opts.stateFilter) && matchesType(vm, opts.typeFilter ?? 'all', opts.archFilter ?? ''));
  const figure = (vm: VmSummary): number => {
    const s = stats[vmKey(vm)]?.latest;
    switch (sort.column) {
      case 'cpu':
        return s?.cpuPct ?? -1;
      case 'memUsed':
        return s?.memUsedKiB ?? -1;
      case 'disk':
        return s ? (s.diskReadBps ?? 0) + (s.diskWriteBps ?? 0) : -1;
      case 'net':
        return s ? (s.netRxBps ?? 0) + (s.netTxBps ?? 0) : -1;
      case 'vcpus':
        return vm.vcpus ?? -1;
      case 'memory':
        return vm.memoryKiB ?? -1;
      case 'state':
        return STATE_ORDER[vm.state];
      case 'autostart':
        return vm.autostart ? 0 : 1;
      case 'tuning':
        return opts.tuning?.[vmKey(vm)] ?? -1;
      default:
        return 0;
    }
  };
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const byName = (a: VmSummary, b: VmSummary) => collator.compare(a.name, b.name) || collator.compare(hostLabel(a.hostId), hostLabel(b.hostId));
  const dir = sort.desc ? -1 : 1;
  const compare = (a: VmSummary, b: VmSummary): number => {
    if (sort.column === 'name') return dir * byName(a, b);
    if (sort.column === 'host') return dir * collator.compare(hostLabel(a.hostId), hostLabel(b.hostId)) || byName(a, b);
    if (sort.column === 'title') return dir * collator.compare(a.title ?? '', b.title ?? '') || byName(a, b);
    if (sort.column === 'type') return dir * collator.compare(vmTypeLabel(a), vmTypeLabel(b)) || byName(a, b);
    if (sort.column === 'arch') return dir * collator.compare(a.arch ?? '', b.arch ?? '') || byName(a, b);
    return dir * (figure(a) - figure(b)) || byName(a, b);
  };
  const sorted = [...vms].sort(compare);
  const vmRow = (vm: VmSummary): Row => ({ kind: 'vm', vm, key: vmKey(vm), host: hostLabel(vm.hostId) });
  if (opts.groupBy === 'none') return { rows: sorted.map(vmRow), visible: sorted };

  const groups = new Map<string, VmSummary[]>();
  for (const vm of sorted) {
    const g = opts.groupBy === 'host' ? hostLabel(vm.hostId) : vm.state;
    (groups.get(g) ?? groups.set(g, []).get(g)!).push(vm);
  }
  const order = [...groups.keys()].sort((a, b) =>
    opts.groupBy === 'state' ? STATE_ORDER[a as VmState] - STATE_ORDER[b as VmState] : collator.compare(a, b),
  );
  const rows: Row[] = [];
  const visible: VmSummary[] = [];
  for (const g of order) {
    const members = groups.get(g)!;
    rows.push({ kind: 'group', id: g, label: g, count: members.length, keys: members.map(vmKey) });
    if (opts.collapsed.has(g)) continue;
    for (const vm of members) {
      rows.push(vmRow(vm));
      visible.push(vm);
    }
  }
  return { rows, visible };
}
