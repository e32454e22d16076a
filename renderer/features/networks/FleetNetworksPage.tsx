// Every connected host side by side: which libvirt networks and Linux bridges each has (hosts as
// columns), and what one host lacks that VMs on another use ("hv3 lacks bridge br-wan that VMs
// on hv1 use"), before VMs are moved or copied there.
import { Alert, Badge, List, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import type { HostNetworks } from '../../../shared/contract';
import { compareHosts, type HostNetSummary } from '../../../shared/networks';
import { api } from '../../app/api';
import { useFleet } from '../../store/fleet';
import { HostStateBadge } from '../../ui/StateBadge';

/** Each online host's networks, read again on its net-events and VM list changes. */
function useFleetNetworks(hostIds: string[]): Record<string, HostNetworks | string> {
  const [byHost, setByHost] = useState<Record<string, HostNetworks | string>>({});
  const vmsByHost = useFleet((s) => s.vmsByHost);
  const key = hostIds.join('\n');
  useEffect(() => {
    const read = async (hostId: string) => {
      const o = await api.call('networks.list', { hostId });
      setByHost((s) => ({ ...s, [hostId]: o.ok ? o.value : o.error.message }));
    };
    for (const h of hostIds) {
      void api.call('networks.watch', { hostId: h, watch: true });
      void read(h);
    }
    const off = api.onEvent((e) => {
      if (e.type === 'host.networks' && hostIds.includes(e.hostId)) void read(e.hostId);
    });
    return () => {
      off();
      for (const h of hostIds) void api.call('networks.watch', { hostId: h, watch: false });
    };
    // vmsByHost: a VM started or stopped moves taps and leases.
  }, [key, vmsByHost]);
  return byHost;
}

export function FleetNetworksPage() {
  const hosts = useFleet((s) => s.hosts);
  const online = Object.values(hosts).filter((h) => h.state === 'online');
  const ids = online.map((h) => h.config.id);
  const byHost = useFleetNetworks(ids);
  const loaded = online.flatMap((h) => {
    const d = byHost[h.config.id];
    return d && typeof d !== 'string' ? [{ host: h, data: d }] : [];
  });
  const summaries: HostNetSummary[] = loaded.map(({ host, data }) => ({
    hostId: host.config.id,
    label: host.config.label,
    networks: data.networks.map((n) => n.name),
    bridges: data.bridges.map((b) => b.name),
    uses: data.nics.flatMap((n) => (n.type === 'network' || n.type === 'bridge' ? [{ vm: n.vm, index: n.index, type: n.type, source: n.source }] : [])),
  }));
  const gaps = useMemo(() => compareHosts(summaries), [JSON.stringify(summaries)]);
  const rows = [
    ...[...new Set(loaded.flatMap((l) => l.data.networks.map((n) => n.name)))].sort().map((name) => ({ type: 'network' as const, name })),
    ...[...new Set(loaded.flatMap((l) => l.data.bridges.filter((b) => !b.network).map((b) => b.name)))].sort().map((name) => ({ type: 'bridge' as const, name })),
  ];
  const cell = (data: HostNetworks, type: 'network' | 'bridge', name: string) => {
    if (type === 'network') {
      const n = data.networks.find((x) => x.name === name);
      if (!n) return <Text span size="sm" c="dimmed">missing</Text>;
      return (
        <Badge size="sm" miw="max-content" variant="light" color={n.active ? 'green' : 'gray'}>
          {n.active ? 'active' : 'inactive'}
          {n.leases.length ? `, ${n.leases.length} lease${n.leases.length > 1 ? 's' : ''}` : ''}
        </Badge>
      );
    }
    const b = data.bridges.find((x) => x.name === name);
    if (!b) return <Text span size="sm" c="dimmed">missing</Text>;
    const taps = b.ports.filter((p) => p.kind === 'tap');
    const uplinks = b.ports.filter((p) => p.kind !== 'tap');
    return `${uplinks.length ? uplinks.map((p) => p.name).join(', ') : 'no uplink'}${taps.length ? `; VMs: ${taps.map((t) => t.vm ?? t.name).join(', ')}` : ''}`;
  };
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Networks
      </Title>
      {online.length === 0 && <Text c="dimmed">Connect to a host to see its networks.</Text>}
      {online
        .filter((h) => typeof byHost[h.config.id] === 'string')
        .map((h) => (
          <Alert key={h.config.id} color="red" role="alert" title={`Could not read the networks of ${h.config.label}`}>
            {byHost[h.config.id] as string}
          </Alert>
        ))}
      {gaps.length > 0 && (
        <Alert color="orange" role="alert" title="Hosts differ">
          <List size="sm" aria-label="Differences between hosts">
            {gaps.map((g) => (
              <List.Item key={`${g.hostId}/${g.type}/${g.name}`}>{g.message}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {loaded.some((l) => l.data.missing.length) && (
        <Alert color="red" role="alert" title="VMs that would not start">
          <List size="sm">
            {loaded.flatMap((l) => l.data.missing.map((m) => <List.Item key={`${l.host.config.id}/${m.vm}/${m.index}`}>{`${l.host.config.label}: ${m.message}`}</List.Item>))}
          </List>
        </Alert>
      )}
      {loaded.length > 0 && (
        <Table fz="sm" verticalSpacing={2} aria-label="Networks by host" withColumnBorders>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Network or bridge</Table.Th>
              {loaded.map(({ host }) => (
                <Table.Th key={host.config.id}>
                  {host.config.label} <HostStateBadge state={host.state} />
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={`${r.type}/${r.name}`} aria-label={`${r.type === 'network' ? 'Network' : 'Bridge'} ${r.name}`}>
                <Table.Td>
                  {r.name}{' '}
                  <Text span size="xs" c="dimmed">
                    {r.type === 'network' ? 'libvirt network' : 'bridge'}
                  </Text>
                </Table.Td>
                {loaded.map(({ host, data }) => (
                  <Table.Td key={host.config.id} aria-label={`${r.name} on ${host.config.label}`}>
                    {cell(data, r.type, r.name)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
