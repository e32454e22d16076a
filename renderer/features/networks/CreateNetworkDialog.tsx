// Create a libvirt network on one host: NAT or routed or isolated (a subnet, optionally a DHCP
// range), bridge-backed onto an existing host bridge, or macvtap on a host NIC. The backend checks
// it against the host as it is (subnets, names, devices) and defines nothing when it is refused.
import { Checkbox, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { HostNetworks, NewNetwork } from '../../../shared/contract';
import { DialogFoot } from '../../ui/DialogFoot';
import { act } from './act';

const KINDS: Array<{ value: NewNetwork['kind']; label: string }> = [
  { value: 'nat', label: 'NAT (subnet, DHCP, out through the host)' },
  { value: 'isolated', label: 'isolated (VMs and host only)' },
  { value: 'route', label: 'routed (subnet, no NAT)' },
  { value: 'bridge', label: 'bridge-backed (onto a host bridge)' },
  { value: 'macvtap', label: 'macvtap (directly on a host NIC)' },
];

export function CreateNetworkDialog({ opened, onClose, hostId, label, data }: { opened: boolean; onClose(): void; hostId: string; label: string; data: HostNetworks }) {
  const [f, setF] = useState({ name: '', kind: 'nat' as NewNetwork['kind'], subnet: '', dhcpStart: '', dhcpEnd: '', device: '' });
  const [start, setStart] = useState(true);
  const [autostart, setAutostart] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // A changed field makes the last refusal stale: it goes, and Create checks again.
  const set = (k: keyof typeof f) => (e: { currentTarget: { value: string } }) => (setF({ ...f, [k]: e.currentTarget.value }), setError(undefined));
  const withSubnet = f.kind === 'nat' || f.kind === 'route' || f.kind === 'isolated';
  const devices =
    f.kind === 'bridge' ? data.bridges.map((b) => b.name) : data.links.filter((l) => l.kind !== 'bridge' && l.kind !== 'tap' && !l.master).map((l) => l.name);
  const close = () => {
    setError(undefined);
    onClose();
  };
  const create = async () => {
    setBusy(true);
    const network: NewNetwork = { name: f.name, kind: f.kind };
    if (withSubnet) Object.assign(network, { subnet: f.subnet, dhcpStart: f.dhcpStart, dhcpEnd: f.dhcpEnd });
    if (f.device && f.kind !== 'nat' && f.kind !== 'isolated') network.device = f.device;
    const err = await act(`Create network ${f.name} on ${label}`, 'networks.create', { hostId, network, start, autostart });
    setBusy(false);
    if (err) setError(err);
    else {
      setF({ ...f, name: '' });
      close();
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={`Create network on ${label}`} size="lg">
      <Stack gap="xs">
        <TextInput size="xs" label="Name" value={f.name} onChange={set('name')} data-autofocus />
        <NativeSelect size="xs" label="Kind" data={KINDS} value={f.kind} onChange={(e) => setF({ ...f, kind: e.currentTarget.value as NewNetwork['kind'], device: '' })} />
        {withSubnet && (
          <>
            <TextInput size="xs" label="Host address and prefix" placeholder="198.51.100.1/24" value={f.subnet} onChange={set('subnet')} />
            <Group grow>
              <TextInput size="xs" label="DHCP first address" placeholder="none: no DHCP" value={f.dhcpStart} onChange={set('dhcpStart')} />
              <TextInput size="xs" label="DHCP last address" value={f.dhcpEnd} onChange={set('dhcpEnd')} />
            </Group>
          </>
        )}
        {(f.kind === 'bridge' || f.kind === 'macvtap' || f.kind === 'route') && (
          <NativeSelect
            size="xs"
            label={f.kind === 'bridge' ? 'Host bridge' : f.kind === 'macvtap' ? 'Host NIC' : 'Route out through (optional)'}
            data={[{ value: '', label: f.kind === 'route' ? 'any' : 'choose…' }, ...devices.map((d) => ({ value: d, label: d }))]}
            value={f.device}
            onChange={set('device')}
          />
        )}
        <Group>
          <Checkbox size="xs" label="Start now" checked={start} onChange={(e) => setStart(e.currentTarget.checked)} />
          <Checkbox size="xs" label="Start with the host (autostart)" checked={autostart} onChange={(e) => setAutostart(e.currentTarget.checked)} />
        </Group>
        <DialogFoot error={error} errorTitle="Not created" label="Create" busy={busy} onCancel={close} onConfirm={() => void create()} />
      </Stack>
    </Modal>
  );
}
