// Every VM on every connected host in one live list: search (header box), state filter, sort by
// any column, group by host or state, multi-select with bulk lifecycle actions. Rows are
// virtualized (TanStack Virtual), so 3 × 300 VMs render only the few dozen rows on screen; the
// table is an ARIA table of rows named "VM on HOST".
import { Anchor, Badge, Button, Checkbox, Group, Menu, SegmentedControl, Select, Text, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useMemo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { type VmSummary } from '../../../shared/contract';
import { runTask } from '../../app/api';
import { vmStateLabel, VmStateBadge } from '../../ui/StateBadge';
import { selectVisibleVms, useFleet } from '../../store/fleet';
import { useNavigation } from '../../store/navigation';
import { useFleetViewSetting, type GroupBy, type SortColumn, type StateFilter } from '../../store/fleet-view';
import { useStats, type VmStatsHistory } from '../../store/stats';
import { vmKey, vmRef } from '../../store/vm-ref';
import { ConfirmActionDialog, DeleteVmDialog, type PendingConfirm } from './dialogs';
import { formatKiB, formatMemUsed, formatPct, formatRate, NO_GUEST_MEMORY_STATS } from '../../ui/format';
import { buildRows, MORE_ACTIONS, PRIMARY_ACTIONS, STATS_COLUMNS, type ActionSpec, type Row } from './model';
import { Sparkline } from '../../ui/Sparkline';

const ROW_HEIGHT = 30;
const GRID = '26px minmax(120px, 2fr) minmax(70px, 1.2fr) minmax(44px, 0.6fr) 150px 44px 68px 84px 84px 84px 84px 60px';
/** Below this width the table scrolls sideways instead of squeezing its columns. */
const MIN_WIDTH = 1030;
const EMPTY_STATS: Record<string, VmStatsHistory> = {};
/** Whether Shift was held on the checkbox click that is being handled (change events lack it). */
let shiftHeld = false;

const COLUMNS: Array<{ id: SortColumn; label: string; align?: 'right' }> = [
  { id: 'name', label: 'Name' },
  { id: 'title', label: 'Title' },
  { id: 'host', label: 'Host' },
  { id: 'state', label: 'State' },
  { id: 'vcpus', label: 'vCPUs', align: 'right' },
  { id: 'memory', label: 'Memory', align: 'right' },
  { id: 'cpu', label: 'CPU' },
  { id: 'memUsed', label: 'Mem used' },
  { id: 'disk', label: 'Disk I/O' },
  { id: 'net', label: 'Net I/O' },
  { id: 'autostart', label: 'Autostart' },
];

const rowStyle: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: GRID,
  alignItems: 'center',
  columnGap: 8,
  minWidth: MIN_WIDTH,
  paddingInline: 8,
  height: ROW_HEIGHT,
  borderBottom: '1px solid var(--mantine-color-default-border)',
  fontSize: 'var(--mantine-font-size-sm)',
  whiteSpace: 'nowrap',
};
const cellStyle: CSSProperties = { overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0 };
const numStyle: CSSProperties = { ...cellStyle, textAlign: 'right', fontVariantNumeric: 'tabular-nums' };

function StatCell({ values, text, max, color, label, hint }: { values?: number[]; text: string; max?: number; color?: string; label: string; hint?: string }) {
  return (
    <div role="cell" style={{ ...cellStyle, display: 'flex', alignItems: 'center', gap: 6 }} aria-label={text ? `${label} ${text}` : undefined} title={text ? hint : undefined}>
      <Sparkline values={values ?? []} max={max} color={color} width={36} />
      <span style={{ fontVariantNumeric: 'tabular-nums', fontSize: 'var(--mantine-font-size-xs)' }}>{text}</span>
    </div>
  );
}

const VmRow = memo(function VmRow({ vm, host, vmKeyId, selected, onToggle, style }: { vm: VmSummary; host: string; vmKeyId: string; selected: boolean; onToggle: (key: string, on: boolean, shift: boolean) => void; style: CSSProperties }) {
  const go = useNavigation((s) => s.go);
  const stats = useStats((s) => s.byVm[vmKey(vm)]);
  const live = vm.state === 'running' || vm.state === 'paused' || vm.state === 'blocked';
  const s = live ? stats?.latest : undefined;
  const disk = s && (s.diskReadBps !== undefined || s.diskWriteBps !== undefined) ? `${formatRate(s.diskReadBps)} r · ${formatRate(s.diskWriteBps)} w` : '';
  const net = s && (s.netRxBps !== undefined || s.netTxBps !== undefined) ? `${formatRate(s.netRxBps)} ↓ · ${formatRate(s.netTxBps)} ↑` : '';
  return (
    <div
      role="row"
      aria-label={`${vm.name} on ${host}`}
      aria-selected={selected}
      onDoubleClick={() => go({ kind: 'vm', vm: vmRef(vm) })}
      style={{ ...rowStyle, ...style, background: selected ? 'var(--mantine-primary-color-light)' : undefined }}
    >
      <div role="cell">
        <Checkbox
          size="xs"
          aria-label={`Select ${vm.name} on ${host}`}
          checked={selected}
          onClick={(e) => (shiftHeld = e.shiftKey)}
          onChange={(e) => onToggle(vmKeyId, e.currentTarget.checked, shiftHeld)}
        />
      </div>
      <div role="cell" style={cellStyle}>
        <Anchor component="button" size="sm" aria-label={`Open ${vm.name} on ${host}`} onClick={() => go({ kind: 'vm', vm: vmRef(vm) })} title={vm.title ?? vm.name} style={{ maxWidth: '100%', overflow: 'hidden', textOverflow: 'ellipsis' }}>
          {vm.name}
        </Anchor>
      </div>
      <div role="cell" style={cellStyle} title={vm.title}>
        <Text span size="xs" c="dimmed">
          {vm.title ?? ''}
        </Text>
      </div>
      <div role="cell" style={cellStyle}>
        {host}
      </div>
      <div role="cell" style={cellStyle} aria-label={`State ${vmStateLabel(vm.state)}${vm.reason ? ` (${vm.reason})` : ''}`}>
        <VmStateBadge state={vm.state} reason={vm.reason} />
        {vm.reason && vm.reason !== 'unknown' && (
          <Text span size="xs" c="dimmed" ml={4}>
            {vm.reason}
          </Text>
        )}
      </div>
      <div role="cell" style={numStyle}>
        {vm.vcpus ?? ''}
      </div>
      <div role="cell" style={numStyle}>
        {formatKiB(vm.memoryKiB)}
      </div>
      <StatCell label="CPU" values={live ? stats?.cpu : undefined} max={100} text={formatPct(s?.cpuPct)} />
      <StatCell
        label={s?.memSource === 'qemu' ? 'Memory in use (QEMU process)' : 'Memory in use'}
        hint={s?.memSource === 'qemu' ? `QEMU's process size: ${NO_GUEST_MEMORY_STATS}` : undefined}
        values={live ? stats?.mem : undefined}
        max={vm.memoryKiB}
        color="var(--mantine-color-teal-6)"
        text={formatMemUsed(s)}
      />
      <StatCell label="Disk" values={live ? stats?.disk : undefined} color="var(--mantine-color-grape-6)" text={disk ? formatRate((s?.diskReadBps ?? 0) + (s?.diskWriteBps ?? 0)) : ''} />
      <StatCell label="Network" values={live ? stats?.net : undefined} color="var(--mantine-color-orange-6)" text={net ? formatRate((s?.netRxBps ?? 0) + (s?.netTxBps ?? 0)) : ''} />
      <div role="cell" style={cellStyle}>
        {vm.autostart ? (
          <Badge size="xs" variant="outline" color="gray">
            on
          </Badge>
        ) : (
          <Text span size="xs" c="dimmed">
            off
          </Text>
        )}
      </div>
    </div>
  );
});

function GroupRow({ row, collapsed, selectedCount, onCollapse, onSelect, style }: { row: Extract<Row, { kind: 'group' }>; collapsed: boolean; selectedCount: number; onCollapse: () => void; onSelect: (on: boolean) => void; style: CSSProperties }) {
  return (
    <div role="row" aria-label={`Group ${row.label}`} aria-expanded={!collapsed} style={{ ...rowStyle, ...style, background: 'var(--mantine-color-default-hover)', gridTemplateColumns: '32px 1fr' }}>
      <div role="cell">
        <Checkbox
          size="xs"
          aria-label={`Select all in ${row.label}`}
          checked={selectedCount === row.count && row.count > 0}
          indeterminate={selectedCount > 0 && selectedCount < row.count}
          onChange={(e) => onSelect(e.currentTarget.checked)}
        />
      </div>
      <div role="cell">
        <UnstyledButton onClick={onCollapse} aria-label={`${collapsed ? 'Expand' : 'Collapse'} ${row.label}`} style={{ fontWeight: 600, fontSize: 'var(--mantine-font-size-sm)' }}>
          {collapsed ? '▸' : '▾'} {row.label}{' '}
          <Text span size="xs" c="dimmed">
            {row.count} VM{row.count === 1 ? '' : 's'}
          </Text>
        </UnstyledButton>
      </div>
    </div>
  );
}

function HeaderCell({ id, label, align, sort, onSort }: { id: SortColumn; label: string; align?: 'right'; sort: { column: SortColumn; desc: boolean }; onSort: (c: SortColumn) => void }) {
  const active = sort.column === id;
  return (
    <div role="columnheader" aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'} style={{ ...cellStyle, textAlign: align }}>
      <UnstyledButton onClick={() => onSort(id)} aria-label={`Sort by ${label}`} style={{ fontWeight: 600, fontSize: 'var(--mantine-font-size-xs)', color: active ? undefined : 'var(--mantine-color-dimmed)' }}>
        {label}
        {active ? (sort.desc ? ' ↓' : ' ↑') : ''}
      </UnstyledButton>
    </div>
  );
}

/** Every VM on every connected host in one list. */
export function FleetView() {
  const hosts = useFleet((s) => s.hosts);
  const vmsByHost = useFleet((s) => s.vmsByHost);
  const search = useFleet((s) => s.search);
  const [sort, setSort] = useFleetViewSetting('sort');
  const [groupBy, setGroupBy] = useFleetViewSetting('groupBy');
  const [stateFilter, setStateFilter] = useFleetViewSetting('stateFilter');
  const [collapsed, setCollapsed] = useFleetViewSetting('collapsed');
  const [selected, setSelected] = useFleetViewSetting('selected');
  const [interval, setIntervalMs] = useFleetViewSetting('intervalMs');
  const [confirm, setConfirm] = useState<PendingConfirm>();
  const [deleting, setDeleting] = useState<Array<{ vm: VmSummary; host: string }>>();
  const lastClicked = useRef<string | undefined>(undefined);
  // Sorting by a live figure re-sorts at each stats tick; otherwise ticks re-render only rows.
  const stats = useStats((s) => (STATS_COLUMNS.has(sort.column) ? s.byVm : EMPTY_STATS));
  const hostLabel = (hostId: string) => hosts[hostId]?.config.label ?? hostId;

  const searched = useMemo(() => selectVisibleVms({ hosts, vmsByHost, search }), [hosts, vmsByHost, search]);
  const { rows, visible } = useMemo(
    () => buildRows({ vms: searched, hostLabel, stats, stateFilter, sort, groupBy, collapsed }),
    [searched, hosts, stats, stateFilter, sort, groupBy, collapsed],
  );
  const selectedVms = useMemo(() => visible.filter((vm) => selected.has(vmKey(vm))), [visible, selected]);
  const total = useMemo(() => Object.values(vmsByHost).reduce((n, vms) => n + vms.length, 0), [vmsByHost]);

  const scrollRef = useRef<HTMLDivElement>(null);
  // The sticky header sits above the first row inside the same scroller: one row height of margin.
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12, scrollMargin: ROW_HEIGHT });

  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const toggle = useCallback((key: string, on: boolean, shift: boolean) => {
    setSelected((s) => {
      const next = new Set(s);
      const keys = rowsRef.current.flatMap((r) => (r.kind === 'vm' ? [r.key] : []));
      const from = lastClicked.current ? keys.indexOf(lastClicked.current) : -1;
      const to = keys.indexOf(key);
      // Shift+click selects the range since the last click, as file managers do.
      const range = shift && from >= 0 && to >= 0 ? keys.slice(Math.min(from, to), Math.max(from, to) + 1) : [key];
      for (const k of range) on ? next.add(k) : next.delete(k);
      return next;
    });
    lastClicked.current = key;
  }, []);

  function act(spec: ActionSpec) {
    const targets = selectedVms.filter(spec.allowed).map((vm) => ({ vm, host: hostLabel(vm.hostId) }));
    const run = () => {
      for (const { vm, host } of targets) void runTask(`${spec.label} ${vm.name} on ${host}`, 'vm.action', { ...vmRef(vm), action: spec.action });
    };
    if (spec.confirm) setConfirm({ label: `${spec.label} ${targets.length === 1 ? targets[0]!.vm.name : `${targets.length} VMs`}`, message: spec.confirm, vms: targets, run });
    else run();
  }

  const onSort = (column: SortColumn) => setSort((s) => ({ column, desc: s.column === column ? !s.desc : STATS_COLUMNS.has(column) }));
  const running = selectedVms.filter((vm) => vm.state === 'running').length;

  const toolbar: ReactNode = (
    <Group gap={6} role="toolbar" aria-label="VM actions" wrap="nowrap">
      {PRIMARY_ACTIONS.map((spec) => {
        const n = selectedVms.filter(spec.allowed).length;
        return (
          <Button
            key={spec.action}
            size="compact-sm"
            variant={spec.action === 'destroy' ? 'light' : spec.action === 'start' ? 'filled' : 'default'}
            color={spec.action === 'destroy' ? 'red' : undefined}
            disabled={n === 0}
            title={n > 0 && n < selectedVms.length ? `Applies to ${n} of the ${selectedVms.length} selected` : undefined}
            onClick={() => act(spec)}
          >
            {spec.label}
          </Button>
        );
      })}
      <Menu position="bottom-start" withinPortal>
        <Menu.Target>
          <Button size="compact-sm" variant="default" disabled={selectedVms.length === 0}>
            More actions
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {MORE_ACTIONS.map((spec) => (
            <Menu.Item key={spec.action} disabled={!selectedVms.some(spec.allowed)} onClick={() => act(spec)}>
              {spec.label}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <Button
        size="compact-sm"
        variant="subtle"
        color="red"
        disabled={selectedVms.length === 0}
        onClick={() => setDeleting(selectedVms.map((vm) => ({ vm, host: hostLabel(vm.hostId) })))}
      >
        Delete
      </Button>
    </Group>
  );

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 6, height: 'calc(100dvh - 48px - 120px - 2 * var(--mantine-spacing-sm))' }}>
      <Group gap="sm" justify="space-between" wrap="nowrap">
        {toolbar}
        <Text size="xs" c="dimmed" role="status" aria-label="VM count" style={{ whiteSpace: 'nowrap' }}>
          {visible.length === total ? `${total} VMs` : `${visible.length} of ${total} VMs`}
          {selectedVms.length ? ` · ${selectedVms.length} selected${running ? ` (${running} running)` : ''}` : ''}
        </Text>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <SegmentedControl
          size="xs"
          aria-label="State filter"
          value={stateFilter}
          onChange={(v) => setStateFilter(v as StateFilter)}
          data={[
            { value: 'all', label: 'All' },
            { value: 'running', label: 'Running' },
            { value: 'shutoff', label: 'Shut off' },
            { value: 'paused', label: 'Paused' },
            { value: 'other', label: 'Other' },
          ]}
        />
        <Group gap={4} wrap="nowrap">
          <Text size="xs" c="dimmed">
            Group by
          </Text>
          <SegmentedControl
            size="xs"
            aria-label="Group by"
            value={groupBy}
            onChange={(v) => {
              setGroupBy(v as GroupBy);
              setCollapsed(new Set());
            }}
            data={[
              { value: 'none', label: 'None' },
              { value: 'host', label: 'Host' },
              { value: 'state', label: 'State' },
            ]}
          />
        </Group>
        <Select
          size="xs"
          w={110}
          aria-label="Stats interval"
          allowDeselect={false}
          value={interval}
          onChange={(v) => {
            if (!v) return;
            setIntervalMs(v);
            void runTask(`Stats every ${Number(v) / 1000} s`, 'stats.setInterval', { intervalMs: Number(v) });
          }}
          data={[
            { value: '1000', label: 'Stats 1 s' },
            { value: '2000', label: 'Stats 2 s' },
            { value: '5000', label: 'Stats 5 s' },
            { value: '10000', label: 'Stats 10 s' },
          ]}
        />
      </Group>
      <div
        role="table"
        aria-label="Virtual machines"
        aria-rowcount={rows.length + 1}
        aria-multiselectable
        tabIndex={0}
        onKeyDown={(e) => {
          if ((e.ctrlKey || e.metaKey) && e.key === 'a' && e.target === e.currentTarget) {
            e.preventDefault();
            setSelected(new Set(visible.map(vmKey)));
          } else if (e.key === 'Escape') setSelected(new Set());
        }}
        style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0, border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}
      >
        <div ref={scrollRef} style={{ flex: 1, minHeight: 0, overflow: 'auto', contain: 'strict' }}>
          <div role="rowgroup" style={{ position: 'sticky', top: 0, zIndex: 2 }}>
            <div role="row" style={{ ...rowStyle, background: 'var(--mantine-color-body)' }}>
              <div role="columnheader" aria-label="Selection">
                <Checkbox
                  size="xs"
                  aria-label="Select all VMs"
                  checked={visible.length > 0 && selectedVms.length === visible.length}
                  indeterminate={selectedVms.length > 0 && selectedVms.length < visible.length}
                  onChange={(e) => setSelected(e.currentTarget.checked ? new Set(visible.map(vmKey)) : new Set())}
                />
              </div>
              {COLUMNS.map((c) => (
                <HeaderCell key={c.id} {...c} sort={sort} onSort={onSort} />
              ))}
            </div>
          </div>
          <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: MIN_WIDTH }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index]!;
              const style: CSSProperties = { position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start - ROW_HEIGHT}px)` };
              if (row.kind === 'group') {
                return (
                  <GroupRow
                    key={`g:${row.id}`}
                    row={row}
                    style={style}
                    collapsed={collapsed.has(row.id)}
                    selectedCount={row.keys.filter((k) => selected.has(k)).length}
                    onCollapse={() =>
                      setCollapsed((c) => {
                        const next = new Set(c);
                        if (next.has(row.id)) next.delete(row.id);
                        else next.add(row.id);
                        return next;
                      })
                    }
                    onSelect={(on) =>
                      setSelected((s) => {
                        const next = new Set(s);
                        for (const k of row.keys) on ? next.add(k) : next.delete(k);
                        return next;
                      })
                    }
                  />
                );
              }
              return <VmRow key={row.key} vm={row.vm} host={row.host} vmKeyId={row.key} selected={selected.has(row.key)} onToggle={toggle} style={style} />;
            })}
          </div>
          {rows.length === 0 && (
            <Text size="sm" c="dimmed" p="md">
              {Object.keys(hosts).length === 0 ? 'Add a connection to see its VMs.' : 'No VMs match.'}
            </Text>
          )}
        </div>
      </div>
      <ConfirmActionDialog pending={confirm} onClose={() => setConfirm(undefined)} />
      <DeleteVmDialog targets={deleting} onClose={() => setDeleting(undefined)} />
    </div>
  );
}
