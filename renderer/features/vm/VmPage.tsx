import { Anchor, Breadcrumbs, Group, Tabs, Text, Title } from '@mantine/core';
import { VmStateBadge } from '../../ui/StateBadge';
import { useFleet } from '../../store/fleet';
import { useNavigation, type VmTab } from '../../store/navigation';
import { ConsoleTab } from './ConsoleTab';
import { HardwareTab } from './HardwareTab';
import { OverviewTab } from './OverviewTab';
import { XmlTab } from './XmlTab';

/** One VM: overview, hardware, console and XML, each tab its own component. */
export function VmPage({ hostId, name, tab = 'overview' }: { hostId: string; name: string; tab?: VmTab }) {
  const go = useNavigation((s) => s.go);
  const host = useFleet((s) => s.hosts[hostId]);
  const vm = useFleet((s) => s.vmsByHost[hostId]?.find((v) => v.name === name));
  const hostLabel = host?.config.label ?? hostId;

  return (
    <>
      <Breadcrumbs mb="xs">
        <Anchor component="button" size="sm" onClick={() => go({ kind: 'fleet' })}>
          All VMs
        </Anchor>
        <Anchor component="button" size="sm" onClick={() => go({ kind: 'host', hostId })}>
          {hostLabel}
        </Anchor>
        <Text size="sm">{name}</Text>
      </Breadcrumbs>
      <Group gap="sm" mb="sm">
        <Title order={2} size="h3">
          {name}
        </Title>
        {vm ? <VmStateBadge state={vm.state} reason={vm.reason} /> : <Text c="dimmed">not on {hostLabel} any more</Text>}
      </Group>
      <Tabs value={tab} onChange={(t) => t && go({ kind: 'vm', hostId, name, tab: t as VmTab })} keepMounted={false}>
        <Tabs.List aria-label={`${name} on ${hostLabel}`}>
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="hardware">Hardware</Tabs.Tab>
          <Tabs.Tab value="console">Console</Tabs.Tab>
          <Tabs.Tab value="xml">XML</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="sm">
          <OverviewTab hostId={hostId} name={name} />
        </Tabs.Panel>
        <Tabs.Panel value="hardware" pt="sm">
          <HardwareTab hostId={hostId} name={name} />
        </Tabs.Panel>
        <Tabs.Panel value="console" pt="sm">
          <ConsoleTab hostId={hostId} name={name} />
        </Tabs.Panel>
        <Tabs.Panel value="xml" pt="sm">
          <XmlTab hostId={hostId} name={name} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
