// A network's DHCP: its range and its static host entries (MAC → IP), changed with net-update on
// the running network and its saved config alike.
import { Alert, Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { NetworkInfo, VmNic } from '../../../shared/contract';
import { ListTable } from '../../ui/ListTable';
import { act } from './act';

export function DhcpDialog({ hostId, label, network: n, nics, onClose }: { hostId: string; label: string; network: NetworkInfo; nics: VmNic[]; onClose(): void }) {
  const ip = n.ips.find((i) => i.family === 'ipv4');
  const range = ip?.dhcpRanges[0];
  const [start, setStart] = useState(range?.start ?? '');
  const [end, setEnd] = useState(range?.end ?? '');
  const [host, setHost] = useState({ mac: '', ip: '', name: '' });
  const [error, setError] = useState<string>();
  const hosts = n.ips.flatMap((i) => i.dhcpHosts);
  const run = async (p: Promise<string | undefined>) => setError(await p);
  const vmNics = nics.filter((x) => x.mac);
  return (
    <Modal opened onClose={onClose} title={`DHCP of ${n.name}`} size="lg">
      <Stack gap="xs">
        <Text size="sm">
          Subnet {ip ? `${ip.address}/${ip.prefix}` : 'none'}; changes reach the running network and its saved config.
        </Text>
        <Group align="end">
          <TextInput size="xs" label="Range start" value={start} onChange={(e) => setStart(e.currentTarget.value)} />
          <TextInput size="xs" label="Range end" value={end} onChange={(e) => setEnd(e.currentTarget.value)} />
          <Button size="xs" onClick={() => void run(act(`DHCP range of ${n.name} on ${label}`, 'networks.setDhcpRange', { hostId, name: n.name, start, end }))}>
            Save range
          </Button>
        </Group>
        <ListTable
          label={`Static hosts of ${n.name}`}
          columns={['MAC', 'IP', 'Name', '']}
          rows={hosts.map((h) => ({
            key: h.mac ?? h.ip,
            label: `DHCP host ${h.mac ?? h.ip}`,
            cells: [
              h.mac ?? '',
              h.ip,
              h.name ?? '',
              <Button
                size="compact-xs"
                variant="default"
                color="red"
                aria-label={`Remove DHCP host ${h.mac ?? h.ip}`}
                onClick={() => void run(act(`Remove DHCP host ${h.mac ?? h.ip} from ${n.name}`, 'networks.dhcpHost', { hostId, name: n.name, op: 'remove', host: h }))}
              >
                Remove
              </Button>,
            ],
          }))}
        />
        <Group align="end">
          {vmNics.length > 0 && (
            <NativeSelect
              size="xs"
              label="VM NIC"
              data={[{ value: '', label: 'type a MAC…' }, ...vmNics.map((x) => ({ value: `${x.mac}|${x.vm}`, label: `${x.vm} NIC ${x.index + 1} (${x.mac})` }))]}
              value=""
              onChange={(e) => {
                const [mac = '', vm = ''] = e.currentTarget.value.split('|');
                if (mac) setHost({ ...host, mac, name: /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(vm) ? vm : host.name });
              }}
            />
          )}
          <TextInput size="xs" label="MAC" value={host.mac} onChange={(e) => setHost({ ...host, mac: e.currentTarget.value })} />
          <TextInput size="xs" label="IP" value={host.ip} onChange={(e) => setHost({ ...host, ip: e.currentTarget.value })} />
          <TextInput size="xs" label="Host name" value={host.name} onChange={(e) => setHost({ ...host, name: e.currentTarget.value })} />
          <Button
            size="xs"
            onClick={() =>
              void run(
                act(`Add DHCP host ${host.mac} to ${n.name}`, 'networks.dhcpHost', { hostId, name: n.name, op: 'add', host: { mac: host.mac, ip: host.ip, ...(host.name ? { name: host.name } : {}) } }).then((err) => {
                  if (!err) setHost({ mac: '', ip: '', name: '' });
                  return err;
                }),
              )
            }
          >
            Add host
          </Button>
        </Group>
        {error && (
          <Alert color="red" role="alert" title="Not changed">
            {error}
          </Alert>
        )}
      </Stack>
    </Modal>
  );
}
