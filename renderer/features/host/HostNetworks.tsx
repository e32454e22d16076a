// The host page's libvirt networks and Linux bridges.
import { Badge, SimpleGrid, Text } from '@mantine/core';
import type { HostInfo } from '../../../shared/contract';
import { ListTable } from '../../ui/ListTable';
import { Section } from '../../ui/Section';

export function HostNetworks({ info }: { info: HostInfo }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
      <Section title="Virtual networks">
        <ListTable
          label="Virtual networks"
          columns={['Name', 'State', 'Autostart', 'Persistent']}
          rows={info.networks.map((n) => ({
            key: n.name,
            label: `Network ${n.name}`,
            cells: [
              n.name,
              <Badge size="sm" variant="light" color={n.active ? 'green' : 'gray'}>
                {n.active ? 'active' : 'inactive'}
              </Badge>,
              n.autostart ? 'yes' : 'no',
              n.persistent ? 'yes' : 'no',
            ],
          }))}
        />
        {info.networks.length === 0 && (
          <Text size="sm" c="dimmed">
            No virtual networks.
          </Text>
        )}
      </Section>
      <Section title="Host bridges">
        <ListTable
          label="Host bridges"
          columns={['Bridge', 'Ports']}
          rows={info.bridges.map((b) => ({
            key: b.name,
            label: `Bridge ${b.name}`,
            cells: [
              b.name,
              b.ports.length ? (
                b.ports.join(', ')
              ) : (
                <Text span size="sm" c="dimmed">
                  no ports
                </Text>
              ),
            ],
          }))}
        />
        {info.bridges.length === 0 && (
          <Text size="sm" c="dimmed">
            No Linux bridges.
          </Text>
        )}
      </Section>
    </SimpleGrid>
  );
}
