// Create a pool: its kind, then only the fields that kind needs, and the XML it will define.
import { Alert, Button, Checkbox, Code, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { POOL_FIELDS, POOL_KINDS, buildPoolXml, type PoolField, type PoolKind, type PoolSpec } from '../../../shared/storage';
import { runTask } from '../../app/api';

const KIND_LABEL: Record<PoolKind, string> = { dir: 'Folder', fs: 'Block device (fs)', logical: 'LVM (logical)', netfs: 'NFS (netfs)', iscsi: 'iSCSI' };

/** What building does for each kind (pool-build), said before it happens. */
function buildNote(spec: PoolSpec): string | undefined {
  if (spec.kind === 'dir') return 'Build creates the folder if it is missing.';
  if (spec.kind === 'fs') return `Build formats ${spec.sourceDevice || 'the device'} with a new file system: everything on it is lost.`;
  if (spec.kind === 'logical') return spec.sourceDevice ? `Build makes ${spec.sourceDevice} an LVM physical volume and creates the volume group on it: everything on the device is lost.` : undefined;
  if (spec.kind === 'netfs') return 'Build creates the mount point if it is missing.';
  return undefined;
}

export function CreatePoolDialog({ hostId, hostLabel, close }: { hostId: string; hostLabel: string; close(): void }) {
  const [kind, setKind] = useState<PoolKind>('dir');
  const [name, setName] = useState('');
  const [fields, setFields] = useState<Partial<Record<PoolField, string>>>({});
  const [start, setStart] = useState(true);
  const [autostart, setAutostart] = useState(true);
  const [buildTyped, setBuild] = useState<boolean>();
  const [busy, setBusy] = useState(false);
  const spec: PoolSpec = { kind, name, ...fields };
  let xml = '';
  let problem: string | undefined;
  try {
    xml = buildPoolXml(spec);
  } catch (err) {
    problem = (err as Error).message;
  }
  const note = buildNote(spec);
  // Building is offered where it does something; for LVM only with a device to build on.
  const canBuild = note !== undefined;
  const build = canBuild && (buildTyped ?? (kind === 'dir' || kind === 'netfs' || kind === 'logical'));
  const submit = async () => {
    setBusy(true);
    const done = await runTask(`Create ${kind} pool ${name} on ${hostLabel}`, 'pool.create', { hostId, spec, build, start, autostart: start && autostart });
    setBusy(false);
    if (done) close();
  };
  return (
    <Modal opened onClose={close} title={`Create a storage pool on ${hostLabel}`} size="lg">
      <Stack gap="xs">
        <SegmentedControl size="xs" aria-label="Pool kind" data={POOL_KINDS.map((k) => ({ value: k, label: KIND_LABEL[k] }))} value={kind} onChange={(k) => setKind(k as PoolKind)} />
        <TextInput size="xs" label="Pool name" value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
        {POOL_FIELDS[kind].map((f) => (
          <TextInput
            key={`${kind}-${f.field}`}
            size="xs"
            label={f.label}
            description={f.description}
            placeholder={f.placeholder}
            withAsterisk={f.required}
            value={fields[f.field] ?? ''}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setFields((x) => ({ ...x, [f.field]: v }));
            }}
          />
        ))}
        <Group gap="md">
          {canBuild && <Checkbox size="xs" label="Build it" checked={build} onChange={(e) => setBuild(e.currentTarget.checked)} />}
          <Checkbox size="xs" label="Start it" checked={start} onChange={(e) => setStart(e.currentTarget.checked)} />
          <Checkbox size="xs" label="Start at boot" disabled={!start} checked={start && autostart} onChange={(e) => setAutostart(e.currentTarget.checked)} />
        </Group>
        {build && note && (
          <Text size="xs" c={/lost/.test(note) ? 'red' : 'dimmed'} role={/lost/.test(note) ? 'alert' : undefined}>
            {note}
          </Text>
        )}
        {problem && name !== '' && (
          <Alert color="orange" p="xs" aria-label="Pool form problem">
            {problem}
          </Alert>
        )}
        <Text size="xs" fw={500}>
          XML to define
        </Text>
        <Code block aria-label="Pool XML" style={{ maxHeight: 200, overflow: 'auto', fontSize: 11 }}>
          {xml || '(fill in the form)'}
        </Code>
        <Group justify="flex-end" gap="xs">
          <Button size="xs" variant="subtle" onClick={close}>
            Cancel
          </Button>
          <Button size="xs" disabled={!xml} loading={busy} onClick={() => void submit()}>
            Create pool
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
