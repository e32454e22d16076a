import { Anchor, Button, Checkbox, Group, Table, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { vmKey, type VmAction, type VmSummary } from '../../shared/contract';
import { runTask } from '../api';
import { VmStateBadge } from '../components/StateBadge';
import { selectVisibleVms, useFleet } from '../store/fleet';
import { useNavigation } from '../store/navigation';

const ACTIONS: Array<{ action: VmAction; label: string; allowed: (vm: VmSummary) => boolean }> = [
  { action: 'start', label: 'Start', allowed: (vm) => vm.state === 'shutoff' || vm.state === 'crashed' },
  { action: 'shutdown', label: 'Shut down', allowed: (vm) => vm.state === 'running' },
  { action: 'destroy', label: 'Force off', allowed: (vm) => vm.state !== 'shutoff' },
];

const formatMemory = (kib?: number) => (kib === undefined ? '' : kib >= 1048576 ? `${(kib / 1048576).toFixed(1)} GiB` : `${Math.round(kib / 1024)} MiB`);

/** Every VM on every connected host in one list. */
export function FleetView() {
  const hosts = useFleet((s) => s.hosts);
  const vmsByHost = useFleet((s) => s.vmsByHost);
  const search = useFleet((s) => s.search);
  const vms = useMemo(() => selectVisibleVms({ hosts, vmsByHost, search }), [hosts, vmsByHost, search]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const selectedVms = vms.filter((vm) => selected.has(vmKey(vm)));
  const hostLabel = (vm: VmSummary) => hosts[vm.hostId]?.config.label ?? vm.hostId;
  const go = useNavigation((s) => s.go);

  function toggle(key: string, on: boolean) {
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  }

  return (
    <>
      <Group gap="xs" mb="xs" role="toolbar" aria-label="VM actions">
        {ACTIONS.map(({ action, label, allowed }) => {
          const targets = selectedVms.filter(allowed);
          return (
            <Button
              key={action}
              size="xs"
              variant={action === 'destroy' ? 'light' : 'filled'}
              color={action === 'destroy' ? 'red' : undefined}
              disabled={targets.length === 0}
              onClick={() => {
                for (const vm of targets) void runTask(`${label} ${vm.name} on ${hostLabel(vm)}`, 'vm.action', { hostId: vm.hostId, name: vm.name, action });
              }}
            >
              {label}
            </Button>
          );
        })}
        <Text size="xs" c="dimmed">
          {vms.length} VMs{selectedVms.length ? `, ${selectedVms.length} selected` : ''}
        </Text>
      </Group>
      <Table striped highlightOnHover verticalSpacing={4} aria-label="Virtual machines" stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={32}>
              <Checkbox
                size="xs"
                aria-label="Select all VMs"
                checked={vms.length > 0 && selectedVms.length === vms.length}
                indeterminate={selectedVms.length > 0 && selectedVms.length < vms.length}
                onChange={(e) => setSelected(e.currentTarget.checked ? new Set(vms.map(vmKey)) : new Set())}
              />
            </Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Host</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>vCPUs</Table.Th>
            <Table.Th>Memory</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {vms.map((vm) => {
            const key = vmKey(vm);
            const host = hostLabel(vm);
            return (
              <Table.Tr key={key} aria-label={`${vm.name} on ${host}`} aria-selected={selected.has(key)}>
                <Table.Td>
                  <Checkbox size="xs" aria-label={`Select ${vm.name} on ${host}`} checked={selected.has(key)} onChange={(e) => toggle(key, e.currentTarget.checked)} />
                </Table.Td>
                <Table.Td>
                  <Anchor component="button" size="sm" aria-label={`Open ${vm.name} on ${host}`} onClick={() => go({ kind: 'vm', hostId: vm.hostId, name: vm.name })}>
                    {vm.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{host}</Table.Td>
                <Table.Td>
                  <VmStateBadge state={vm.state} reason={vm.reason} />
                </Table.Td>
                <Table.Td>{vm.vcpus ?? ''}</Table.Td>
                <Table.Td>{formatMemory(vm.memoryKiB)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {vms.length === 0 && (
        <Text size="sm" c="dimmed" mt="md">
          {Object.keys(hosts).length === 0 ? 'Add a connection to see its VMs.' : 'No VMs match.'}
        </Text>
      )}
    </>
  );
}
