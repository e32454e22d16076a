// One host's networks: its libvirt networks (mode, bridge, addresses, DHCP, leases with the VM
// owning each MAC, state) with their actions, its Linux bridges (HostBridges.tsx), and the VM NICs
// that point to something this host lacks.
import { Alert, Badge, Button, Group, List, Loader, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { HostNetworks, NetworkAction, NetworkInfo } from '../../../shared/contract';
import { ConfirmButtons } from '../../ui/ConfirmButtons';
import { ListTable } from '../../ui/ListTable';
import { Section } from '../../ui/Section';
import { act } from './act';
import { CreateNetworkDialog } from './CreateNetworkDialog';
import { addressesOf, dhcpOf, forwardLabel } from './describe';
import { DhcpDialog } from './DhcpDialog';
import { HostBridges } from './HostBridges';
import { useHostNetworks } from './useHostNetworks';

const dim = (text: string) => (
  <Text span size="sm" c="dimmed">
    {text}
  </Text>
);

function NetworkActions({ n, run }: { n: NetworkInfo; run(action: NetworkAction): void }) {
  return (
    <Group gap={4} wrap="wrap">
      <Button size="compact-xs" variant="default" aria-label={`${n.active ? 'Stop' : 'Start'} network ${n.name}`} onClick={() => run(n.active ? 'stop' : 'start')}>
        {n.active ? 'Stop' : 'Start'}
      </Button>
      {n.persistent && (
        <Button size="compact-xs" variant="default" aria-label={`Autostart ${n.autostart ? 'off' : 'on'} for network ${n.name}`} onClick={() => run(n.autostart ? 'autostart-off' : 'autostart-on')}>
          Autostart {n.autostart ? 'off' : 'on'}
        </Button>
      )}
      <Button size="compact-xs" variant="default" color="red" aria-label={`Delete network ${n.name}`} onClick={() => run('delete')}>
        Delete
      </Button>
    </Group>
  );
}

function Networks({ hostId, label, data }: { hostId: string; label: string; data: HostNetworks }) {
  const [error, setError] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [dhcpOfName, setDhcpOf] = useState<string>();
  const [deleting, setDeleting] = useState<string>();
  const run = async (name: string, action: NetworkAction) => {
    if (action === 'delete' && deleting !== name) return setDeleting(name);
    setError(await act(`${action} network ${name} on ${label}`, 'networks.action', { hostId, name, action }));
  };
  const dhcpNet = data.networks.find((n) => n.name === dhcpOfName);
  return (
    <Section title="Virtual networks">
      <Group gap="xs" mb="xs">
        <Button size="compact-sm" onClick={() => setCreating(true)}>
          Create network
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert" title="The network was not changed" mb="xs" withCloseButton onClose={() => setError(undefined)}>
          {error}
        </Alert>
      )}
      <ListTable
        label="Virtual networks"
        columns={['Name', 'State', 'Mode', 'Addresses', 'DHCP', 'Autostart', 'Used by', '']}
        rows={data.networks.map((n) => ({
          key: n.name,
          label: `Network ${n.name}`,
          cells: [
            n.persistent ? n.name : `${n.name} (transient)`,
            <Badge size="sm" variant="light" color={n.active ? 'green' : 'gray'} miw="max-content">
              {n.active ? 'active' : 'inactive'}
            </Badge>,
            forwardLabel(n) + (n.forwardDevs.length ? ` on ${n.forwardDevs.join(', ')}` : '') + (n.bridge ? ` (${n.bridge})` : ''),
            addressesOf(n) || dim('none'),
            n.ips.length ? (
              <Button size="compact-xs" variant="subtle" aria-label={`DHCP of network ${n.name}`} onClick={() => setDhcpOf(n.name)}>
                {dhcpOf(n) || 'none'}
                {n.ips.some((i) => i.dhcpHosts.length) ? ` +${n.ips.flatMap((i) => i.dhcpHosts).length} static` : ''}
              </Button>
            ) : (
              dim('—')
            ),
            n.autostart ? 'yes' : 'no',
            n.usedBy.length ? n.usedBy.map((u) => `${u.vm}${u.running ? ' (running)' : ''}`).join(', ') : dim('no VM'),
            <NetworkActions n={n} run={(a) => void run(n.name, a)} />,
          ],
        }))}
      />
      {data.networks.length === 0 && dim('No virtual networks.')}
      {data.networks
        .filter((n) => n.leases.length)
        .map((n) => (
          <Stack key={n.name} gap={2} mt="xs">
            <Text size="sm" fw={500}>
              DHCP leases of {n.name}
            </Text>
            <ListTable
              label={`Leases of ${n.name}`}
              columns={['MAC', 'IP', 'Hostname', 'VM', 'Expires']}
              rows={n.leases.map((l) => ({ key: l.mac + l.ip, label: `Lease ${l.mac}`, cells: [l.mac, l.ip, l.hostname ?? dim('—'), l.vm ?? dim('not a VM here'), l.expires ?? ''] }))}
            />
          </Stack>
        ))}
      <CreateNetworkDialog opened={creating} onClose={() => setCreating(false)} hostId={hostId} label={label} data={data} />
      {dhcpNet && <DhcpDialog hostId={hostId} label={label} network={dhcpNet} nics={data.nics} onClose={() => setDhcpOf(undefined)} />}
      <Modal opened={!!deleting} onClose={() => setDeleting(undefined)} title={`Delete network ${deleting ?? ''}?`}>
        <Stack gap="sm">
          <Text size="sm">The network is stopped and its definition removed from {label}.</Text>
          <ConfirmButtons label="Delete" onCancel={() => setDeleting(undefined)} onConfirm={() => void run(deleting!, 'delete')} autoFocus />
        </Stack>
      </Modal>
    </Section>
  );
}

export function HostNetworksView({ hostId, label, online }: { hostId: string; label: string; online: boolean }) {
  const { data, error } = useHostNetworks(hostId, online);
  if (!online) return dim(`Connect to ${label} to see its networks.`);
  if (error && !data) {
    return (
      <Alert color="red" role="alert" title="Could not read the networks">
        {error}
      </Alert>
    );
  }
  if (!data) return <Loader size="sm" aria-label="Loading networks" />;
  return (
    <Stack gap="sm">
      {data.missing.length > 0 && (
        <Alert color="orange" role="alert" title="VM NICs point to what this host lacks">
          <List size="sm">
            {data.missing.map((m) => (
              <List.Item key={`${m.vm}/${m.index}`}>{m.message}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Networks hostId={hostId} label={label} data={data} />
      <HostBridges hostId={hostId} label={label} data={data} />
    </Stack>
  );
}
