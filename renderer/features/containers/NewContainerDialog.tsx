// Creating an LXC container on a connected host: a root filesystem directory already on the host,
// a memory limit and optionally one NIC on a bridge or a libvirt network. The backend defines it
// through the host's LXC driver (a host without one says so); it is listed once defined.
import { Button, Modal, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { containerSpecProblem } from '../../../shared/containers/xml';
import { api } from '../../app/api';
import { useFleet } from '../../store/fleet';
import { Choice } from '../../ui/Choice';
import { DialogButtons } from '../../ui/DialogButtons';

type NicKind = 'none' | 'bridge' | 'network';
const NIC_OPTIONS: ReadonlyArray<readonly [NicKind, string]> = [
  ['none', 'No NIC'],
  ['bridge', 'Bridge'],
  ['network', 'libvirt network'],
];

export function NewContainerButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="compact-sm" variant="default" onClick={() => setOpen(true)}>
        New container
      </Button>
      {open && <NewContainerDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function NewContainerDialog({ onClose }: { onClose: () => void }) {
  const allHosts = useFleet((s) => s.hosts);
  const hosts = useMemo(() => Object.values(allHosts).filter((h) => h.state === 'online'), [allHosts]);
  const [hostId, setHostId] = useState<string | null>(hosts[0]?.config.id ?? null);
  const [name, setName] = useState('');
  const [rootDir, setRootDir] = useState('');
  const [memoryMiB, setMemoryMiB] = useState<number | string>(128);
  const [nicKind, setNicKind] = useState<NicKind>('bridge');
  const [nicSource, setNicSource] = useState('br0');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const spec = {
    name: name.trim(),
    rootDir: rootDir.trim(),
    memoryMiB: Number(memoryMiB),
    ...(nicKind === 'none' ? {} : { nic: { type: nicKind, source: nicSource.trim() } }),
  };
  const problem = !hostId ? 'Connect a host first' : containerSpecProblem(spec);
  const create = async () => {
    if (!hostId || problem) return;
    setBusy(true);
    setError(undefined);
    const outcome = await api.call('container.create', { hostId, ...spec });
    setBusy(false);
    if (outcome.ok) onClose();
    else setError(outcome.error.message);
  };

  return (
    <Modal opened onClose={onClose} title="New container" size="md">
      <Stack gap="sm">
        <Select label="Host" aria-label="Host" data={hosts.map((h) => ({ value: h.config.id, label: h.config.label }))} value={hostId} onChange={setHostId} allowDeselect={false} />
        <TextInput label="Name" aria-label="Container name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <TextInput
          label="Root filesystem directory on the host"
          aria-label="Root filesystem directory"
          placeholder="/var/lib/libvirt/lxc/web-1"
          description="An existing directory holding the container's system; it runs /sbin/init from it."
          value={rootDir}
          onChange={(e) => setRootDir(e.currentTarget.value)}
        />
        <NumberInput label="Memory limit (MiB)" aria-label="Memory limit (MiB)" min={16} value={memoryMiB} onChange={setMemoryMiB} allowDecimal={false} />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Network
          </Text>
          <Choice<NicKind> label="NIC" value={nicKind} onChange={setNicKind} options={NIC_OPTIONS} />
          {nicKind !== 'none' && (
            <TextInput aria-label={nicKind === 'bridge' ? 'Bridge name' : 'Network name'} placeholder={nicKind === 'bridge' ? 'br0' : 'default'} value={nicSource} onChange={(e) => setNicSource(e.currentTarget.value)} />
          )}
        </Stack>
        {(error || (problem && (name || rootDir))) && (
          <Text size="sm" c="red" role="alert">
            {error ?? problem}
          </Text>
        )}
        <DialogButtons label="Create" loading={busy} disabled={!!problem} onCancel={onClose} onConfirm={() => void create()} />
      </Stack>
    </Modal>
  );
}
