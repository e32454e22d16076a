import { Anchor, Breadcrumbs, Group, Tabs, Text, Title } from '@mantine/core';
import type { ComponentType } from 'react';
import { useHostLabel, useVm } from '../../store/fleet';
import { useNavigation, type VmTab } from '../../store/navigation';
import type { VmRef } from '../../store/vm-ref';
import { VmStateBadge } from '../../ui/StateBadge';
import { SnapshotsTab } from '../snapshots/SnapshotsTab';
import { ConsoleTab } from './ConsoleTab';
import { HardwareTab } from './HardwareTab';
import { OverviewTab } from './OverviewTab';
import { XmlTab } from './XmlTab';

/** The VM page's tabs, in order: each its own component, given the VM. */
const TABS: Array<[VmTab, string, ComponentType<{ vm: VmRef }>]> = [
  ['overview', 'Overview', OverviewTab],
  ['hardware', 'Hardware', HardwareTab],
  ['snapshots', 'Snapshots', SnapshotsTab],
  ['console', 'Console', ConsoleTab],
  ['xml', 'XML', XmlTab],
];

/** One VM: overview, hardware, snapshots, console and XML. */
export function VmPage({ vm, tab = 'overview' }: { vm: VmRef; tab?: VmTab }) {
  const go = useNavigation((s) => s.go);
  const summary = useVm(vm);
  const hostLabel = useHostLabel(vm.hostId);

  return (
    <>
      <Breadcrumbs mb="xs">
        <Anchor component="button" size="sm" onClick={() => go({ kind: 'fleet' })}>
          All VMs
        </Anchor>
        <Anchor component="button" size="sm" onClick={() => go({ kind: 'host', hostId: vm.hostId })}>
          {hostLabel}
        </Anchor>
        <Text size="sm">{vm.name}</Text>
      </Breadcrumbs>
      <Group gap="sm" mb="sm">
        <Title order={2} size="h3">
          {vm.name}
        </Title>
        {summary ? <VmStateBadge state={summary.state} reason={summary.reason} /> : <Text c="dimmed">not on {hostLabel} any more</Text>}
      </Group>
      <Tabs value={tab} onChange={(t) => t && go({ kind: 'vm', vm, tab: t as VmTab })} keepMounted={false}>
        <Tabs.List aria-label={`${vm.name} on ${hostLabel}`}>
          {TABS.map(([value, label]) => (
            <Tabs.Tab key={value} value={value}>
              {label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map(([value, , Tab]) => (
          <Tabs.Panel key={value} value={value} pt="sm">
            <Tab vm={vm} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
