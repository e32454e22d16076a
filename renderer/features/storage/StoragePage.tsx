// Every connected host's storage side by side: where the space is, which volume belongs to
// which VM, and the orphans.
import { SimpleGrid, Text, Title } from '@mantine/core';
import { useFleet } from '../../store/fleet';
import { HostStorageView } from './HostStorageView';

export function StoragePage() {
  const all = useFleet((s) => s.hosts);
  const hosts = Object.values(all).filter((h) => h.state === 'online' || h.state === 'degraded');
  return (
    <>
      <Title order={2} size="h3" mb="sm">
        Storage
      </Title>
      {hosts.length === 0 && (
        <Text size="sm" c="dimmed">
          No connected host.
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, lg: Math.min(2, hosts.length || 1), xl: Math.min(3, hosts.length || 1) }} spacing="sm">
        {hosts.map((h) => (
          <HostStorageView key={h.config.id} hostId={h.config.id} withTitle />
        ))}
      </SimpleGrid>
    </>
  );
}
