// One host's Linux bridges with their ports (NICs, bonds, VLANs, VM taps by VM name), and the
// changes an admin makes to them: create a bridge (internal, like br-lan, or on NICs), add or
// remove a port, delete. Above the table: how the host keeps its network configuration, which
// interface carries VirtDeck's own connection (never changed), and whether VirtDeck may change
// bridges there at all, with the reason when not.
import { Alert, Button, Checkbox, Code, CloseButton, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { BridgeChange, BridgeSetup, HostBridge, HostNetworks } from '../../../shared/contract';
import { api } from '../../app/api';
import { ConfirmButtons } from '../../ui/ConfirmButtons';
import { ListTable } from '../../ui/ListTable';
import { Section } from '../../ui/Section';
import { DialogFoot } from '../../ui/DialogFoot';
import { actFor } from './act';
import { portLabel } from './describe';

const SYSTEM_LABEL: Record<BridgeSetup['system'], string> = {
  ifupdown: 'Debian ifupdown (/etc/network/interfaces.d)',
  netplan: 'netplan (/etc/netplan)',
  networkmanager: 'NetworkManager profiles',
  none: 'none detected: changes last until the next reboot, and VirtDeck shows what to paste',
};

const dim = (text: string) => (
  <Text span size="sm" c="dimmed">
    {text}
  </Text>
);

/** Interfaces that may join a bridge: not a bridge, a tap, a port already, or the management link. */
const freeLinks = (data: HostNetworks, setup?: BridgeSetup) =>
  data.links.filter((l) => l.kind !== 'bridge' && l.kind !== 'tap' && !l.master && !setup?.management.includes(l.name));

/** The host's bridge setup: read when the view opens and after a change it made, not on every
 *  networks refresh (a VM starting changes neither the config system, the link nor sudo). */
function useBridgeSetup(hostId: string) {
  const [setup, setSetup] = useState<BridgeSetup>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    const r = await api.call('networks.bridgeSetup', { hostId });
    if (r.ok) setSetup(r.value);
    else setError(r.error.message);
  }, [hostId]);
  useEffect(() => void load(), [load]);
  return { setup, error, reload: load };
}

function CreateBridgeDialog({ hostId, label, data, setup, onClose, onDone }: { hostId: string; label: string; data: HostNetworks; setup?: BridgeSetup; onClose(): void; onDone(c: BridgeChange): void }) {
  const [name, setName] = useState('');
  const [ports, setPorts] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const create = async () => {
    setBusy(true);
    const r = await actFor(`Create bridge ${name} on ${label}`, 'networks.createBridge', { hostId, name: name.trim(), ports });
    setBusy(false);
    if (r.error) return setError(r.error);
    onDone(r.value!);
  };
  const candidates = freeLinks(data, setup);
  return (
    <Modal opened onClose={onClose} title={`Create bridge on ${label}`}>
      <Stack gap="xs">
        <TextInput size="xs" label="Bridge name" placeholder="br-lan" value={name} onChange={(e) => (setName(e.currentTarget.value), setError(undefined))} data-autofocus />
        <Text size="sm">Ports (none: an internal bridge for VMs only, like the guide's br-lan)</Text>
        {candidates.length === 0 && dim('No free interface on this host.')}
        {candidates.map((l) => (
          <Checkbox
            key={l.name}
            size="xs"
            label={portLabel(l)}
            checked={ports.includes(l.name)}
            onChange={(e) => setPorts(e.currentTarget.checked ? [...ports, l.name] : ports.filter((p) => p !== l.name))}
          />
        ))}
        {setup && setup.management.length > 0 && dim(`Not offered: ${setup.management.join(', ')} (VirtDeck's own connection).`)}
        <DialogFoot error={error} errorTitle="Not created" label="Create" busy={busy} onCancel={onClose} onConfirm={() => void create()} />
      </Stack>
    </Modal>
  );
}

function AddPortDialog({ hostId, label, bridge, data, setup, onClose, onDone }: { hostId: string; label: string; bridge: string; data: HostNetworks; setup?: BridgeSetup; onClose(): void; onDone(c: BridgeChange): void }) {
  const options = data.links.filter((l) => l.kind !== 'bridge' && l.kind !== 'tap' && l.master !== bridge);
  const [port, setPort] = useState(freeLinks(data, setup)[0]?.name ?? options[0]?.name ?? '');
  const [error, setError] = useState<string>();
  const add = async () => {
    const r = await actFor(`Add ${port} to bridge ${bridge} on ${label}`, 'networks.bridgePort', { hostId, bridge, port, op: 'add' });
    if (r.error) return setError(r.error);
    onDone(r.value!);
  };
  return (
    <Modal opened onClose={onClose} title={`Add a port to ${bridge}`}>
      <Stack gap="xs">
        <NativeSelect size="xs" label="Interface" data={options.map((l) => ({ value: l.name, label: portLabel(l) + (l.master ? ` — in ${l.master}` : '') }))} value={port} onChange={(e) => (setPort(e.currentTarget.value), setError(undefined))} />
        <DialogFoot error={error} errorTitle="Not added" label="Add port" onCancel={onClose} onConfirm={() => void add()} />
      </Stack>
    </Modal>
  );
}

export function HostBridges({ hostId, label, data }: { hostId: string; label: string; data: HostNetworks }) {
  const { setup, error: setupError, reload } = useBridgeSetup(hostId);
  const [dialog, setDialog] = useState<{ kind: 'create' } | { kind: 'add' | 'delete'; bridge: string }>();
  const [error, setError] = useState<string>();
  const [change, setChange] = useState<BridgeChange>();
  const done = (c: BridgeChange) => (setDialog(undefined), setChange(c), setError(undefined), void reload());
  const removePort = async (bridge: string, port: string) => {
    const r = await actFor(`Remove ${port} from bridge ${bridge} on ${label}`, 'networks.bridgePort', { hostId, bridge, port, op: 'remove' });
    if (r.error) setError(r.error);
    else done(r.value!);
  };
  const remove = async (bridge: string) => {
    const r = await actFor(`Delete bridge ${bridge} on ${label}`, 'networks.deleteBridge', { hostId, name: bridge });
    setDialog(undefined);
    if (r.error) setError(r.error);
    else done(r.value!);
  };
  const may = setup?.canChange === true;
  const ports = (b: HostBridge) =>
    b.ports.length ? (
      <Group gap={4} wrap="wrap">
        {b.ports.map((p) => (
          <Group key={p.name} gap={0} wrap="nowrap">
            <Text size="sm">{portLabel(p)}</Text>
            {may && p.kind !== 'tap' && <CloseButton size="xs" aria-label={`Remove port ${p.name} from bridge ${b.name}`} onClick={() => void removePort(b.name, p.name)} />}
          </Group>
        ))}
      </Group>
    ) : (
      dim('no ports')
    );
  return (
    <Section title="Host bridges">
      <Stack gap={4} mb="xs" aria-label="Bridge configuration">
        {setup && (
          <Text size="sm">
            Configuration: {SYSTEM_LABEL[setup.system]}
            {setup.management.length > 0 && ` · VirtDeck's connection runs over ${setup.management.join(', ')}: never changed here`}
          </Text>
        )}
        {setup?.notes.map((n) => (
          <Text key={n} size="sm" c="orange">
            {n}
          </Text>
        ))}
        {setup && !setup.canChange && (
          <Alert color="yellow" title="VirtDeck may not change bridges on this host">
            {setup.reason}
          </Alert>
        )}
        {setupError && dim(`Could not read the host's network configuration: ${setupError}`)}
        <Group gap="xs">
          <Button size="compact-sm" disabled={!may} onClick={() => setDialog({ kind: 'create' })}>
            Create bridge
          </Button>
        </Group>
      </Stack>
      {error && (
        <Alert color="red" role="alert" title="The bridge was not changed" mb="xs" withCloseButton onClose={() => setError(undefined)}>
          {error}
        </Alert>
      )}
      {change && (
        <Alert color={change.paste ? 'yellow' : 'green'} mb="xs" withCloseButton onClose={() => setChange(undefined)} title={change.keptIn ? `Done, kept in ${change.keptIn}` : 'Done on the running host only'}>
          {change.paste && <Code block>{change.paste}</Code>}
        </Alert>
      )}
      <ListTable
        label="Host bridges"
        columns={['Bridge', 'State', 'MTU', 'STP', 'Addresses', 'Ports', '']}
        rows={data.bridges.map((b) => ({
          key: b.name,
          label: `Bridge ${b.name}`,
          cells: [
            b.network ? `${b.name} (network ${b.network})` : b.name,
            b.state,
            b.mtu ?? '',
            b.stp === null ? dim('?') : b.stp ? 'on' : 'off',
            b.addresses.join(', ') || dim('none'),
            ports(b),
            may && !b.network && !setup?.management.includes(b.name) ? (
              <Group gap={4} wrap="nowrap">
                <Button size="compact-xs" variant="default" aria-label={`Add a port to bridge ${b.name}`} onClick={() => setDialog({ kind: 'add', bridge: b.name })}>
                  Add port
                </Button>
                <Button size="compact-xs" variant="default" color="red" aria-label={`Delete bridge ${b.name}`} onClick={() => setDialog({ kind: 'delete', bridge: b.name })}>
                  Delete
                </Button>
              </Group>
            ) : (
              ''
            ),
          ],
        }))}
      />
      {data.bridges.length === 0 && dim('No Linux bridges.')}
      {dialog?.kind === 'create' && <CreateBridgeDialog hostId={hostId} label={label} data={data} setup={setup} onClose={() => setDialog(undefined)} onDone={done} />}
      {dialog?.kind === 'add' && <AddPortDialog hostId={hostId} label={label} bridge={dialog.bridge} data={data} setup={setup} onClose={() => setDialog(undefined)} onDone={done} />}
      <Modal opened={dialog?.kind === 'delete'} onClose={() => setDialog(undefined)} title={`Delete bridge ${dialog?.kind === 'delete' ? dialog.bridge : ''}?`}>
        <Stack gap="sm">
          <Text size="sm">The bridge is removed from {label} and from its network configuration (the previous file is kept as .virtdeck-prev).</Text>
          <ConfirmButtons label="Delete" onCancel={() => setDialog(undefined)} onConfirm={() => dialog?.kind === 'delete' && void remove(dialog.bridge)} autoFocus />
        </Stack>
      </Modal>
    </Section>
  );
}
