import { Anchor, Breadcrumbs, Group, Text, Title } from '@mantine/core';
import { HostStateBadge } from '../../components/StateBadge';
import { useFleet } from '../../store/fleet';
import { useNavigation } from '../../store/navigation';

/** One hypervisor: its health and resources. */
export function HostPage({ hostId }: { hostId: string }) {
  const go = useNavigation((s) => s.go);
  const host = useFleet((s) => s.hosts[hostId]);
  if (!host) return <Text c="dimmed">This connection was removed.</Text>;
  return (
    <>
      <Breadcrumbs mb="xs">
        <Anchor component="button" size="sm" onClick={() => go({ kind: 'fleet' })}>
          All VMs
        </Anchor>
        <Text size="sm">{host.config.label}</Text>
      </Breadcrumbs>
      <Group gap="sm">
        <Title order={2} size="h3">
          {host.config.label}
        </Title>
        <HostStateBadge state={host.state} />
      </Group>
    </>
  );
}
