// The fleet table's rows: a VM's row (name, host, state and live figures with sparklines), a
// group's row (fold, select all in it) and the sortable column headers. Laid out as one CSS grid
// per row, so the virtualized rows line up with the sticky header.
import { Anchor, Badge, Checkbox, Text, UnstyledButton } from '@mantine/core';
import { Fragment, memo, type CSSProperties, type ReactNode } from 'react';
import type { StatFigure, VmStats, VmSummary } from '../../../shared/contract';
import { useFleet } from '../../store/fleet';
import { useNavigation } from '../../store/navigation';
import type { SortColumn } from '../../store/fleet-view';
import { useStats } from '../../store/stats';
import { useTuning } from '../../store/tuning';
import { isContainer, isLxcTools, vmKey, vmRef } from '../../store/vm-ref';
import { formatKiB, formatMemUsed, formatPct, formatRate, NO_GUEST_MEMORY_STATS, NOT_REPORTED_HINT } from '../../ui/format';
import { hostVmsAreLastKnown, LAST_KNOWN_STYLE } from '../../ui/HostFault';
import { Sparkline } from '../../ui/Sparkline';
import { listedReason, tellingReason, vmStateLabel, VmStateBadge } from '../../ui/StateBadge';
import { MigrationBadge } from '../migration/MigrationBadge';
import { vmDragProps } from '../migration/drag';
import { runsUnderTcg } from '../../../shared/domain-xml/arch';
import { vmTypeLabel, type Row } from './model';
import { ColumnResizer } from './ColumnControls';
import { GAP, type Column } from './columns';

export const ROW_HEIGHT = 30;

/** Whether Shift was held on the checkbox click that is being handled (change events lack it). */
let shiftHeld = false;

/** A row's layout; the table sets --fleet-grid and --fleet-min-width for the columns shown. */
export const rowStyle: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'var(--fleet-grid)',
  alignItems: 'center',
  columnGap: GAP,
  minWidth: 'var(--fleet-min-width)',
  paddingInline: 8,
  height: ROW_HEIGHT,
  borderBottom: '1px solid var(--mantine-color-default-border)',
  fontSize: 'var(--mantine-font-size-sm)',
  whiteSpace: 'nowrap',
};
const cellStyle: CSSProperties = { overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0 };
const numStyle: CSSProperties = { ...cellStyle, textAlign: 'right', fontVariantNumeric: 'tabular-nums' };

/** A live figure with its sparkline. `text` is what the cell's name says; `shown` (default
 *  `text`) and `unit` (a word on what the figure is) are what it shows. */
function StatCell({ values, text, shown = text, unit, max, color, label, hint, compact, unreported }: { values?: number[]; text: string; shown?: string; unit?: string; max?: number; color?: string; label: string; hint?: string; compact?: boolean; unreported?: boolean }) {
  if (unreported) {
    // "n/a" fits the narrowest figure column; the name and the tooltip say it whole.
    return (
      <div role="cell" style={cellStyle} aria-label={`${label} not reported`} title={`${label}: ${NOT_REPORTED_HINT}`}>
        <Text span size="xs" c="dimmed">
          n/a
        </Text>
      </div>
    );
  }
  return (
    <div role="cell" style={{ ...cellStyle, display: 'flex', alignItems: 'center', gap: 6 }} aria-label={text ? `${label} ${text}` : undefined} title={text ? hint : undefined}>
      {!compact && <Sparkline values={values ?? []} max={max} color={color} width={36} />}
      <span style={{ fontVariantNumeric: 'tabular-nums', fontSize: 'var(--mantine-font-size-xs)', whiteSpace: 'nowrap' }}>{shown}</span>
      {unit && (
        <Text span size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {unit}
        </Text>
      )}
    </div>
  );
}

/** What the memory-in-use figure is, said in the cell: the guest's own count, or QEMU's process
 *  size (its RSS: guest RAM it touched plus QEMU itself). */
const memSourceLabel = (s?: VmStats) => (s?.memUsedKiB === undefined ? '' : s.memSource === 'qemu' ? 'QEMU' : s.memSource === 'cgroup' ? 'cgroup' : 'guest');

const MEM_HINTS: Record<NonNullable<VmStats['memSource']>, string> = {
  guest: 'What the guest itself reports in use',
  qemu: `QEMU's process size: ${NO_GUEST_MEMORY_STATS}`,
  cgroup: "The container's memory cgroup, as libvirt's LXC driver reads it",
};

export const VmRow = memo(function VmRow({ index, vm, host, vmKeyId, selected, onToggle, style, columns, bare }: { index: number; vm: VmSummary; host: string; vmKeyId: string; selected: boolean; onToggle: (key: string, on: boolean, shift: boolean) => void; style: CSSProperties; columns: readonly Column[]; bare: readonly SortColumn[] }) {
  const go = useNavigation((s) => s.go);
  const stats = useStats((s) => s.byVm[vmKey(vm)]);
  // Its host's libvirt (or link) is down: the row is what was last known, not a live figure.
  const lastKnown = useFleet((s) => hostVmsAreLastKnown(s.hosts[vm.hostId]));
  const live = !lastKnown && (vm.state === 'running' || vm.state === 'paused' || vm.state === 'blocked');
  const s = live ? stats?.latest : undefined;
  const disk = s && (s.diskReadBps !== undefined || s.diskWriteBps !== undefined) ? `${formatRate(s.diskReadBps)} r · ${formatRate(s.diskWriteBps)} w` : '';
  const net = s && (s.netRxBps !== undefined || s.netTxBps !== undefined) ? `${formatRate(s.netRxBps)} ↓ · ${formatRate(s.netTxBps)} ↑` : '';
  const gone = (figure: StatFigure) => !!s?.unreported?.includes(figure);
  const reason = tellingReason(vm.state, vm.reason);
  const alarm = listedReason(vm.state, vm.reason);
  const findings = useTuning((t) => t.counts[vmKey(vm)]);
  const cells: Record<SortColumn, ReactNode> = {
    name: (
      <div role="cell" style={cellStyle}>
        <Anchor component="button" size="sm" aria-label={`Open ${vm.name} on ${host}`} onClick={() => go({ kind: 'vm', vm: vmRef(vm) })} title={vm.title ?? vm.name} style={{ maxWidth: '100%', overflow: 'hidden', textOverflow: 'ellipsis' }}>
          {vm.name}
        </Anchor>
      </div>
    ),
    // An LXC-tools container has no title: its PID and addresses go there.
    title: vm.lxc ? (
      <LxcFactsCell facts={vm.lxc} />
    ) : (
      <div role="cell" style={cellStyle} title={vm.title}>
        <Text span size="xs" c="dimmed">
          {vm.title ?? ''}
        </Text>
      </div>
    ),
    host: (
      <div role="cell" style={cellStyle}>
        {host}
      </div>
    ),
    type: (
      <div role="cell" style={cellStyle} aria-label={`Type ${vmTypeLabel(vm)}`} title={isLxcTools(vm) ? 'A container of the LXC tools (lxc-create), not of libvirt' : undefined}>
        <Text span size="xs" c={isContainer(vm) ? 'cyan' : undefined} fw={isContainer(vm) ? 600 : undefined}>
          {isLxcTools(vm) ? 'LXC' : vmTypeLabel(vm)}
        </Text>
      </div>
    ),
    arch: (
      <div
        role="cell"
        style={cellStyle}
        aria-label={vm.arch ? `Arch ${vm.arch}${vm.lxc?.emulated ? ', emulated' : ''}` : undefined}
        title={vm.lxc?.emulated ? 'Runs through QEMU user-mode emulation (binfmt, TCG): many times slower than native' : vm.arch && runsUnderTcg(vm.arch) ? 'Emulated by QEMU (TCG): no hardware acceleration for this architecture' : undefined}
      >
        <Text span size="xs">
          {vm.arch ?? ''}
          {(vm.lxc ? vm.lxc.emulated : vm.arch && runsUnderTcg(vm.arch)) ? ' · TCG' : ''}
        </Text>
      </div>
    ),
    state: (
      <div role="cell" style={cellStyle} aria-label={`State ${vmStateLabel(vm.state)}${reason ? ` (${reason})` : ''}${lastKnown ? ', last known' : ''}`} title={reason ? `${vmStateLabel(vm.state)} (${reason})` : undefined}>
        <VmStateBadge state={vm.state} reason={vm.reason} />
        <MigrationBadge hostId={vm.hostId} name={vm.name} />
        {lastKnown && (
          <Text span size="xs" c="dimmed" ml={4} title="The host's libvirt or link is down: this is the state last seen">
            last known
          </Text>
        )}
        {/* In the list only a reason that asks for a look (crashed, I/O error …); every reason is in the tooltip. */}
        {alarm && (
          <Text span size="xs" c={alarm.warn ? 'red' : 'dimmed'} ml={4}>
            {alarm.text}
          </Text>
        )}
      </div>
    ),
    vcpus: (
      <div role="cell" style={numStyle}>
        {vm.vcpus ?? ''}
      </div>
    ),
    memory: (
      <div role="cell" style={numStyle} aria-label={vm.memoryKiB ? `Memory ${formatKiB(vm.memoryKiB)}` : undefined} title="The memory the VM is given (its current allocation)">
        {formatKiB(vm.memoryKiB)}
      </div>
    ),
    cpu: <StatCell compact={bare.includes('cpu')} label="CPU" values={live ? stats?.cpu : undefined} max={100} text={formatPct(s?.cpuPct)} unreported={gone('cpu')} hint={isContainer(vm) ? "Of the container's CPUs, from its cpuacct cgroup" : undefined} />,
    memUsed: vm.lxc ? (
      <div role="cell" style={numStyle} aria-label={vm.lxc.memUsedKiB !== undefined ? `Memory in use ${formatKiB(vm.lxc.memUsedKiB)}` : undefined} title="The container's cgroup, as lxc-ls reports it">
        <Text span size="xs">
          {vm.lxc.memUsedKiB !== undefined ? formatKiB(vm.lxc.memUsedKiB) : ''}
        </Text>
      </div>
    ) : (
      <StatCell
        compact={bare.includes('memUsed')}
        label={s?.memSource === 'qemu' ? 'Memory in use (QEMU process)' : s?.memSource === 'cgroup' ? 'Memory in use (cgroup)' : 'Memory in use'}
        hint={MEM_HINTS[s?.memSource ?? 'guest']}
        unreported={gone('memory')}
        values={live ? stats?.mem : undefined}
        max={vm.memoryKiB}
        color="var(--mantine-color-teal-6)"
        text={formatMemUsed(s)}
        shown={formatKiB(s?.memUsedKiB)}
        unit={memSourceLabel(s)}
      />
    ),
    disk: <StatCell compact={bare.includes('disk')} label="Disk" values={live ? stats?.disk : undefined} color="var(--mantine-color-grape-6)" text={disk ? formatRate((s?.diskReadBps ?? 0) + (s?.diskWriteBps ?? 0)) : ''} hint={disk} unreported={gone('disk')} />,
    net: <StatCell compact={bare.includes('net')} label="Network" values={live ? stats?.net : undefined} color="var(--mantine-color-orange-6)" text={net ? formatRate((s?.netRxBps ?? 0) + (s?.netTxBps ?? 0)) : ''} hint={net} unreported={gone('net')} />,
    autostart: (
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
    ),
    tuning: (
      <div role="cell" style={numStyle} aria-label={findings === undefined ? undefined : `Tuning ${findings} finding${findings === 1 ? '' : 's'}`}>
        {findings ? (
          <Anchor component="button" size="xs" title="Open fleet-wide tuning" onClick={() => go({ kind: 'tuning' })}>
            {findings}
          </Anchor>
        ) : (
          <Text span size="xs" c="dimmed">
            {findings === 0 ? '0' : ''}
          </Text>
        )}
      </div>
    ),
  };
  return (
    <div
      role="row"
      aria-label={`${vm.name}${isLxcTools(vm) ? ' (LXC container)' : isContainer(vm) ? ' (container)' : ''} on ${host}`}
      aria-selected={selected}
      data-row-index={index}
      tabIndex={-1}
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
      {columns.map((c) => (
        <Fragment key={c.id}>{cells[c.id]}</Fragment>
      ))}
    </div>
  );
});

/** An LXC-tools container's PID and addresses, where a VM's row has its title. */
function LxcFactsCell({ facts }: { facts: NonNullable<VmSummary['lxc']> }) {
  const addresses = [...facts.ipv4, ...facts.ipv6];
  return (
    <div role="cell" style={{ ...cellStyle, display: 'flex', gap: 6 }} title={addresses.join(', ')}>
      {facts.pid !== undefined && (
        <Text span size="xs" c="dimmed" aria-label={`PID ${facts.pid}`}>
          PID {facts.pid}
        </Text>
      )}
      {facts.ipv4.map((ip) => (
        <Text span size="xs" key={ip} aria-label={`IPv4 ${ip}`}>
          {ip}
        </Text>
      ))}
    </div>
  );
}

export function GroupRow({ index, row, collapsed, selectedCount, onCollapse, onSelect, style }: { index: number; row: Extract<Row, { kind: 'group' }>; collapsed: boolean; selectedCount: number; onCollapse: () => void; onSelect: (on: boolean) => void; style: CSSProperties }) {
  return (
    <div role="row" aria-label={`Group ${row.label}`} aria-expanded={!collapsed} data-row-index={index} tabIndex={-1} style={{ ...rowStyle, ...style, background: 'var(--mantine-color-default-hover)', gridTemplateColumns: '32px 1fr' }}>
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

export function HeaderCell({ id, label, align, sort, onSort }: Column & { sort: { column: SortColumn; desc: boolean }; onSort: (c: SortColumn) => void }) {
  const active = sort.column === id;
  return (
    <div role="columnheader" aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'} style={{ ...cellStyle, textAlign: align, position: 'relative', paddingRight: 6 }}>
      <ColumnResizer column={id} label={label} />
      <UnstyledButton onClick={() => onSort(id)} aria-label={`Sort by ${label}`} style={{ fontWeight: 600, fontSize: 'var(--mantine-font-size-xs)', color: active ? undefined : 'var(--mantine-color-dimmed)' }}>
        {label}
        {active ? (sort.desc ? ' ↓' : ' ↑') : ''}
      </UnstyledButton>
    </div>
  );
}
