// Every VM on every connected host in one live list: search (header box), state filter, sort by
// any column, group by host or state, multi-select with bulk lifecycle actions and delete.
import { Group, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { VmSummary } from '../../../shared/contract';
import { selectVisibleVms, useFleet } from '../../store/fleet';
import { useFleetViewSetting } from '../../store/fleet-view';
import { useStats, type VmStatsHistory } from '../../store/stats';
import { vmKey } from '../../store/vm-ref';
import { ConfirmActionDialog, type PendingConfirm } from '../../ui/ConfirmActionDialog';
import { libvirtFaultText } from '../../ui/HostFault';
import { PRIMARY_ACTIONS, startVmAction, type ActionSpec } from '../../ui/vm-actions';
import { useActionShortcuts } from '../../ui/shortcuts';
import { BulkSnapshotDialog } from '../snapshots/BulkSnapshotDialog';
import { CloneDialog } from '../clone/CloneDialog';
import { DeleteVmDialog } from './DeleteVmDialog';
import { FleetTable } from './FleetTable';
import { NewContainerButton } from '../containers/NewContainerDialog';
import { NewVmButton } from '../new-vm/NewVmWizard';
import { NewLxcButton } from '../lxc/NewLxcDialog';
import { ActionToolbar, FilterBar, TypeArchFilters } from './FleetToolbar';
import { buildRows, STATS_COLUMNS } from './model';
import { useTuning } from '../../store/tuning';

const EMPTY_STATS: Record<string, VmStatsHistory> = {};

/** Every VM on every connected host in one list. */
export function FleetView() {
  const hosts = useFleet((s) => s.hosts);
  const vmsByHost = useFleet((s) => s.vmsByHost);
  const search = useFleet((s) => s.search);
  const [sort] = useFleetViewSetting('sort');
  const [groupBy] = useFleetViewSetting('groupBy');
  const [stateFilter] = useFleetViewSetting('stateFilter');
  const [typeFilter] = useFleetViewSetting('typeFilter');
  const [archFilter] = useFleetViewSetting('archFilter');
  const [collapsed] = useFleetViewSetting('collapsed');
  const [selected] = useFleetViewSetting('selected');
  const [confirm, setConfirm] = useState<PendingConfirm>();
  const [deleting, setDeleting] = useState<Array<{ vm: VmSummary; host: string }>>();
  const [snapshotting, setSnapshotting] = useState<Array<{ vm: VmSummary; host: string }>>();
  const [cloning, setCloning] = useState<Array<{ vm: VmSummary; host: string }>>();
  // Sorting by a live figure re-sorts at each stats tick; otherwise ticks re-render only rows.
  const stats = useStats((s) => (STATS_COLUMNS.has(sort.column) ? s.byVm : EMPTY_STATS));
  const hostLabel = (hostId: string) => hosts[hostId]?.config.label ?? hostId;

  const searched = useMemo(() => selectVisibleVms({ hosts, vmsByHost, search }), [hosts, vmsByHost, search]);
  const tuning = useTuning((s) => s.counts);
  const { rows, visible } = useMemo(
    () => buildRows({ vms: searched, hostLabel, stats, stateFilter, typeFilter, archFilter, sort, groupBy, collapsed, tuning }),
    [searched, hosts, stats, stateFilter, typeFilter, archFilter, sort, groupBy, collapsed, tuning],
  );
  const selectedVms = useMemo(() => visible.filter((vm) => selected.has(vmKey(vm))), [visible, selected]);
  const arches = useMemo(() => [...new Set(Object.values(vmsByHost).flatMap((vms) => vms.flatMap((vm) => (vm.arch ? [vm.arch] : []))))].sort(), [vmsByHost]);
  const total = useMemo(() => Object.values(vmsByHost).reduce((n, vms) => n + vms.length, 0), [vmsByHost]);
  const withHost = (vms: VmSummary[]) => vms.map((vm) => ({ vm, host: hostLabel(vm.hostId) }));
  const act = (spec: ActionSpec) => startVmAction(spec, withHost(selectedVms.filter(spec.allowed)), setConfirm);
  useActionShortcuts(PRIMARY_ACTIONS, (spec) => selectedVms.some(spec.allowed) && act(spec));
  const running = selectedVms.filter((vm) => vm.state === 'running').length;

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 6, flex: 1, minHeight: 320 }}>
      <Group gap="sm" justify="space-between" wrap="wrap">
        <ActionToolbar selectedVms={selectedVms} onAct={act} onDelete={() => setDeleting(withHost(selectedVms))} onSnapshot={() => setSnapshotting(withHost(selectedVms))} onClone={() => setCloning(withHost(selectedVms))} />
        <Group gap="sm" wrap="nowrap">
          <NewVmButton />
          <NewContainerButton />
          <NewLxcButton />
        <Text size="xs" c="dimmed" role="status" aria-label="VM count" style={{ whiteSpace: 'nowrap' }}>
          {visible.length === total ? `${total} VMs` : `${visible.length} of ${total} VMs`}
          {selectedVms.length ? ` · ${selectedVms.length} selected${running ? ` (${running} running)` : ''}` : ''}
        </Text>
        </Group>
      </Group>
      <Group gap="sm" wrap="wrap">
        <FilterBar />
        <TypeArchFilters arches={arches} />
      </Group>
      {Object.values(hosts)
        .filter((h) => h.state === 'degraded')
        .map((h) => (
          // A host whose VMs cannot be listed says so here, so its absence is never read as "no VMs".
          <Text key={h.config.id} size="xs" c="orange">
            {h.config.label}: libvirt is not answering — {libvirtFaultText(h)}
          </Text>
        ))}
      <FleetTable rows={rows} visible={visible} selectedCount={selectedVms.length} empty={Object.keys(hosts).length === 0 ? 'Add a connection to see its VMs.' : 'No VMs match.'} />
      <ConfirmActionDialog pending={confirm} onClose={() => setConfirm(undefined)} />
      <DeleteVmDialog targets={deleting} onClose={() => setDeleting(undefined)} />
      <BulkSnapshotDialog targets={snapshotting} onClose={() => setSnapshotting(undefined)} />
      <CloneDialog targets={cloning} onClose={() => setCloning(undefined)} />
    </div>
  );
}
