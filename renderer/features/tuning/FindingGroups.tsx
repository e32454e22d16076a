// The findings counted by kind and host, with "select all" of a kind and of a kind on one host.
import { Button, Table, Text } from '@mantine/core';
import type { FindingGroup } from '../../../shared/tuning';

export interface HostColumn {
  id: string;
  label: string;
}

export function FindingGroups(p: { groups: readonly FindingGroup[]; hosts: readonly HostColumn[]; onPickKind: (kind: string, hostId?: string) => void; bulkCount: (kind: string, hostId?: string) => number }) {
  if (!p.groups.length) return <Text size="sm">No findings in what the filters show.</Text>;
  return (
    <Table aria-label="Findings by kind" withTableBorder striped verticalSpacing={4} fz="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Finding</Table.Th>
          <Table.Th>VMs</Table.Th>
          {p.hosts.map((h) => (
            <Table.Th key={h.id}>{h.label}</Table.Th>
          ))}
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {p.groups.map((g) => {
          const bulk = p.bulkCount(g.kind);
          return (
            <Table.Tr key={g.kind} aria-label={`${g.label}: ${g.findings} on ${g.vms} VMs`}>
              <Table.Td>{g.label}</Table.Td>
              <Table.Td aria-label={`${g.label}: VMs`}>{g.vms}</Table.Td>
              {p.hosts.map((h) => {
                const c = g.byHost[h.id];
                const hostBulk = c ? p.bulkCount(g.kind, h.id) : 0;
                return (
                  <Table.Td key={h.id} aria-label={`${g.label} on ${h.label}: ${c?.findings ?? 0}`}>
                    {c ? (
                      <Button size="compact-xs" variant="subtle" disabled={!hostBulk} aria-label={`Select ${g.label} on ${h.label}`} title={hostBulk ? `Pick the ${hostBulk} safe fixes on ${h.label}` : 'No one-click fix that is safe in bulk'} onClick={() => p.onPickKind(g.kind, h.id)}>
                        {c.findings}
                      </Button>
                    ) : (
                      <Text span size="xs" c="dimmed">
                        0
                      </Text>
                    )}
                  </Table.Td>
                );
              })}
              <Table.Td>
                <Button size="compact-xs" variant="default" disabled={!bulk} aria-label={`Select all ${g.label}`} onClick={() => p.onPickKind(g.kind)}>
                  {bulk ? `Select all (${bulk})` : 'Review one by one'}
                </Button>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
