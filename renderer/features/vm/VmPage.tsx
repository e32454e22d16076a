import { Alert, Anchor, Badge, Breadcrumbs, Group, Loader, Tabs, Text, Title } from '@mantine/core';
import { runsUnderTcg } from '../../../shared/domain-xml/arch';
import { lazy, Suspense, type ComponentType } from 'react';
import { useHostLabel, useVm } from '../../store/fleet';
import { useNavigation, type VmTab } from '../../store/navigation';
import { isContainer, isLxcTools, type VmRef } from '../../store/vm-ref';
import { LxcConfigTab } from '../lxc/LxcConfigTab';
import { LxcOverviewTab } from '../lxc/LxcOverviewTab';
import { VmStateBadge } from '../../ui/StateBadge';
import { OverviewTab } from './OverviewTab';

// The other tabs (the hardware editor, snapshots, consoles, the XML editor) load when first opened.
const SnapshotsTab = lazy(() => import('../snapshots/SnapshotsTab').then((m) => ({ default: m.SnapshotsTab })));
const ConsoleTab = lazy(() => import('./ConsoleTab').then((m) => ({ default: m.ConsoleTab })));
const HardwareTab = lazy(() => import('./HardwareTab').then((m) => ({ default: m.HardwareTab })));
const XmlTab = lazy(() => import('./XmlTab').then((m) => ({ default: m.XmlTab })));

/** The VM page's tabs, in order: each its own component, given the VM. */
const TABS: Array<[VmTab, string, ComponentType<{ vm: VmRef }>]> = [
  ['overview', 'Overview', OverviewTab],
  ['hardware', 'Hardware', HardwareTab],
  ['snapshots', 'Snapshots', SnapshotsTab],
  ['console', 'Console', ConsoleTab],
  ['xml', 'XML', XmlTab],
];

const ContainerHardwareTab = lazy(() => import('../containers/ContainerHardwareTab').then((m) => ({ default: m.ContainerHardwareTab })));

/** A libvirt container's tabs: its facts and actions, its hardware as the XML says it (read-only),
 *  its console and the XML editor (the VMs' own, on the host's LXC driver). */
const CONTAINER_TABS = TABS.filter(([value]) => value !== 'snapshots').map(([value, label, Tab]): (typeof TABS)[number] => [value, label, value === 'hardware' ? ContainerHardwareTab : Tab]);

/** An LXC-tools container's tabs: its facts and actions, console and shell, config file. */
const LXC_TOOLS_TABS: Array<[VmTab, string, ComponentType<{ vm: VmRef }>]> = [
  ['overview', 'Overview', LxcOverviewTab],
  ['console', 'Console', ConsoleTab],
  ['config', 'Config', LxcConfigTab],
];

/** One VM: overview, hardware, snapshots, console and XML; one container: all but snapshots. */
export function VmPage({ vm, tab = 'overview' }: { vm: VmRef; tab?: VmTab }) {
  const go = useNavigation((s) => s.go);
  const summary = useVm(vm);
  const hostLabel = useHostLabel(vm.hostId);
  const tabs = isLxcTools(vm) ? LXC_TOOLS_TABS : isContainer(vm) ? CONTAINER_TABS : TABS;
  // An LXC container of another architecture runs through qemu-user, not TCG: said on its overview.
  const emulated = !isLxcTools(vm) && runsUnderTcg(summary?.arch);

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
        {isContainer(vm) && (
          <Badge variant="light" color="cyan">
            {isLxcTools(vm) ? 'LXC container (LXC tools)' : 'LXC container'}
          </Badge>
        )}
      </Group>
      {emulated && (
        <Alert color="blue" mb="sm" title={`${summary!.arch} guest: runs under TCG`}>
          QEMU emulates this architecture instruction by instruction (TCG), even on a host with KVM: expect it to run many times slower than a native guest.
        </Alert>
      )}
      <Tabs value={tab} onChange={(t) => t && go({ kind: 'vm', vm, tab: t as VmTab })} keepMounted={false}>
        <Tabs.List aria-label={`${vm.name} on ${hostLabel}`}>
          {tabs.map(([value, label]) => (
            <Tabs.Tab key={value} value={value}>
              {label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map(([value, , Tab]) => (
          <Tabs.Panel key={value} value={value} pt="sm">
            <Suspense fallback={<Loader size="sm" aria-label="Loading" />}>
              <Tab vm={vm} />
            </Suspense>
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
