// Above the fleet table: the lifecycle actions for the selected VMs (each button says how many of
// the selection it applies to), and the state filter, grouping and default stats interval.
import { Button, Group, Menu, SegmentedControl, Text } from '@mantine/core';
import type { VmSummary } from '../../../shared/contract';
import { runTask } from '../../app/api';
import { useFleetViewSetting, type GroupBy, type StateFilter, type TypeFilter } from '../../store/fleet-view';
import { Choice } from '../../ui/Choice';
import { OneOfSelect } from '../../ui/OneOfSelect';
import { ariaShortcut, withShortcut } from '../../ui/shortcuts';
import { ColumnsMenu } from './ColumnControls';
import { isContainer } from '../../store/vm-ref';
import { actionButtonProps, MORE_ACTIONS, PRIMARY_ACTIONS, type ActionSpec } from '../../ui/vm-actions';

export function ActionToolbar({ selectedVms, onAct, onDelete, onSnapshot, onClone }: { selectedVms: VmSummary[]; onAct: (spec: ActionSpec) => void; onDelete: () => void; onSnapshot: () => void; onClone: () => void }) {
  return (
    <Group gap={6} role="toolbar" aria-label="VM actions" wrap="nowrap">
      {PRIMARY_ACTIONS.map((spec) => {
        const n = selectedVms.filter(spec.allowed).length;
        return (
          <Button
            key={spec.action}
            size="compact-sm"
            {...actionButtonProps(spec)}
            disabled={n === 0}
            title={withShortcut(spec, n > 0 && n < selectedVms.length ? `Applies to ${n} of the ${selectedVms.length} selected` : undefined)}
            aria-keyshortcuts={spec.key && ariaShortcut(spec.key)}
            onClick={() => onAct(spec)}
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
            <Menu.Item key={spec.action} disabled={!selectedVms.some(spec.allowed)} onClick={() => onAct(spec)}>
              {spec.label}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item disabled={selectedVms.some(isContainer)} title={selectedVms.some(isContainer) ? 'Containers are not cloned' : undefined} onClick={onClone}>
            Clone…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Button size="compact-sm" variant="default" disabled={selectedVms.length === 0} onClick={onSnapshot}>
        Snapshot…
      </Button>
      <Button size="compact-sm" variant="subtle" color="red" disabled={selectedVms.length === 0} onClick={onDelete}>
        Delete
      </Button>
    </Group>
  );
}

const STATE_OPTIONS = [
  ['all', 'All'],
  ['running', 'Running'],
  ['shutoff', 'Shut off'],
  ['paused', 'Paused'],
  ['other', 'Other'],
] as const satisfies ReadonlyArray<readonly [StateFilter, string]>;
const TYPE_OPTIONS = [
  ['all', 'VMs and containers'],
  ['vm', 'VMs'],
  ['container', 'Containers'],
  ['template', 'Templates'],
] as const satisfies ReadonlyArray<readonly [TypeFilter, string]>;

export function FilterBar() {
  const [groupBy, setGroupBy] = useFleetViewSetting('groupBy');
  const [stateFilter, setStateFilter] = useFleetViewSetting('stateFilter');
  const [, setCollapsed] = useFleetViewSetting('collapsed');
  const [interval, setIntervalMs] = useFleetViewSetting('intervalMs');
  return (
    <Group gap="sm" wrap="wrap">
      <Choice<StateFilter> label="State filter" value={stateFilter} onChange={setStateFilter} options={STATE_OPTIONS} />
      <Group gap={4} wrap="nowrap">
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
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
      <OneOfSelect
        w={110}
        aria-label="Stats interval"
        value={interval}
        onPick={(v) => {
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
      <ColumnsMenu />
    </Group>
  );
}

/** VMs / containers, and one architecture of those the fleet has. */
export function TypeArchFilters({ arches }: { arches: string[] }) {
  const [typeFilter, setTypeFilter] = useFleetViewSetting('typeFilter');
  const [archFilter, setArchFilter] = useFleetViewSetting('archFilter');
  return (
    <Group gap="sm" wrap="nowrap">
      <Choice<TypeFilter> label="Type filter" value={typeFilter} onChange={setTypeFilter} options={TYPE_OPTIONS} />
      <OneOfSelect
        w={130}
        aria-label="Architecture filter"
        value={archFilter}
        onPick={setArchFilter}
        data={[{ value: '', label: 'Every arch' }, ...[...new Set([...arches, ...(archFilter ? [archFilter] : [])])].map((a) => ({ value: a, label: a }))]}
      />
    </Group>
  );
}
