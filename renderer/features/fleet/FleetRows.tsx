// The fleet table's rows: a VM's row (name, host, state and live figures with sparklines), a
// group's row (fold, select all in it) and the sortable column headers. Laid out as one CSS grid
// per row, so the virtualized rows line up with the sticky header.
import { Anchor, Badge, Checkbox, Text, UnstyledButton } from '@mantine/core';
import { memo, type CSSProperties } from 'react';
import type { VmSummary } from '../../../shared/contract';
import { useFleet } from '../../store/fleet';
import { useNavigation } from '../../store/navigation';
import type { SortColumn } from '../../store/fleet-view';
import { useStats } from '../../store/stats';
import { isContainer, vmKey, vmRef } from '../../store/vm-ref';
import { formatKiB, formatMemUsed, formatPct, formatRate, NO_GUEST_MEMORY_STATS } from '../../ui/format';
import { LAST_KNOWN_STYLE, vmsAreLastKnown } from '../../ui/HostFault';
import { Sparkline } from '../../ui/Sparkline';
import { vmStateLabel, VmStateBadge } from '../../ui/StateBadge';
import { MigrationBadge } from '../migration/MigrationBadge';
import { vmDragProps } from '../migration/drag';
import { runsUnderTcg } from '../../../shared/domain-xml/arch';
import { vmTypeLabel, type Row } from './model';

export const ROW_HEIGHT = 30;
const GRID = '26px minmax(120px, 2fr) minmax(70px, 1.2fr) minmax(44px, 0.6fr) 72px 100px 150px 44px 68px 84px 84px 84px 84px 60px';
/** Below this width the table scrolls sideways instead of squeezing its columns. */
export const MIN_WIDTH = 1180;
/** Whether Shift was held on the checkbox click that is being handled (change events lack it). */
let shiftHeld = false;

export const COLUMNS: Array<{ id: SortColumn; label: string; align?: 'right' }> = [
  { id: 'name', label: 'Name' },
  { id: 'title', label: 'Title' },
  { id: 'host', label: 'Host' },
  { id: 'type', label: 'Type' },
  { id: 'arch', label: 'Arch' },
  { id: 'state', label: 'State' },
  { id: 'vcpus', label: 'vCPUs', align: 'right' },
  { id: 'memory', label: 'Memory', align: 'right' },
  { id: 'cpu', label: 'CPU' },
  { id: 'memUsed', label: 'Mem used' },
  { id: 'disk', label: 'Disk I/O' },
  { id: 'net', label: 'Net I/O' },
  { id: 'autostart', label: 'Autostart' },
];

export const rowStyle: CSSProperties = {
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

export const VmRow = memo(function VmRow({ vm, host, vmKeyId, selected, onToggle, style }: { vm: VmSummary; host: string; vmKeyId: string; selected: boolean; onToggle: (key: string, on: boolean, shift: boolean) => void; style: CSSProperties }) {
  const go = useNavigation((s) => s.go);
  const stats = useStats((s) => s.byVm[vmKey(vm)]);
  // Its host's libvirt (or link) is down: the row is what was last known, not a live figure.
  const lastKnown = useFleet((s) => vmsAreLastKnown(s.hosts[vm.hostId]?.state));
  const live = !lastKnown && (vm.state === 'running' || vm.state === 'paused' || vm.state === 'blocked');
  const s = live ? stats?.latest : undefined;
  const disk = s && (s.diskReadBps !== undefined || s.diskWriteBps !== undefined) ? `${formatRate(s.diskReadBps)} r · ${formatRate(s.diskWriteBps)} w` : '';
  const net = s && (s.netRxBps !== undefined || s.netTxBps !== undefined) ? `${formatRate(s.netRxBps)} ↓ · ${formatRate(s.netTxBps)} ↑` : '';
  return (
    <div
      role="row"
      aria-label={`${vm.name}${isContainer(vm) ? ' (container)' : ''} on ${host}`}
      aria-selected={selected}
      onDoubleClick={() => go({ kind: 'vm', vm: vmRef(vm) })}
      {...vmDragProps(vm)}
      style={{ ...rowStyle, ...style, ...(lastKnown ? LAST_KNOWN_STYLE : {}), background: selected ? 'var(--mantine-primary-color-light)' : undefined }}
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
      <div role="cell" style={cellStyle} aria-label={`Type ${vmTypeLabel(vm)}`}>
        <Text span size="xs" c={isContainer(vm) ? 'cyan.8' : undefined} fw={isContainer(vm) ? 600 : undefined}>
          {vmTypeLabel(vm)}
        </Text>
      </div>
      <div role="cell" style={cellStyle} aria-label={vm.arch ? `Arch ${vm.arch}` : undefined} title={vm.arch && runsUnderTcg(vm.arch) ? 'Emulated by QEMU (TCG): no hardware acceleration for this architecture' : undefined}>
        <Text span size="xs">
          {vm.arch ?? ''}
          {vm.arch && runsUnderTcg(vm.arch) ? ' · TCG' : ''}
        </Text>
      </div>
      <div role="cell" style={cellStyle} aria-label={`State ${vmStateLabel(vm.state)}${vm.reason ? ` (${vm.reason})` : ''}${lastKnown ? ', last known' : ''}`}>
        <VmStateBadge state={vm.state} reason={vm.reason} />
        <MigrationBadge hostId={vm.hostId} name={vm.name} />
        {lastKnown && (
          <Text span size="xs" c="dimmed" ml={4} title="The host's libvirt or link is down: this is the state last seen">
            last known
          </Text>
        )}
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

export function GroupRow({ row, collapsed, selectedCount, onCollapse, onSelect, style }: { row: Extract<Row, { kind: 'group' }>; collapsed: boolean; selectedCount: number; onCollapse: () => void; onSelect: (on: boolean) => void; style: CSSProperties }) {
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

export function HeaderCell({ id, label, align, sort, onSort }: { id: SortColumn; label: string; align?: 'right'; sort: { column: SortColumn; desc: boolean }; onSort: (c: SortColumn) => void }) {
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
