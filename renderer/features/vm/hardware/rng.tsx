// Random number generators (virtio RNG fed from a host entropy source); and the Add form.
import { NativeSelect, Text } from '@mantine/core';
import { type DomainEdit, RNG_BACKENDS } from '../../../../shared/domain-xml';
import { AddFormFrame, useAddFields, type AddFormProps } from './AddForm';
import { DeviceFacts, opt, Panel, type DeviceEditorProps } from './Panel';

export function RngEditor(p: DeviceEditorProps) {
  const r = p.view.rngs[p.index]!;
  return (
    <Panel title={`RNG ${p.index + 1}`} edits={null} editor={p} remove={{ kind: 'remove-device', device: 'rng', index: p.index }}>
      <DeviceFacts rows={[['Model', r.model], ['Backend', `${r.backendModel ?? '?'} ${r.backend ?? ''}`]]} />
      <Text size="xs" c="dimmed">
        A virtio RNG feeds the guest&apos;s entropy pool from the host, so early boot does not stall waiting for randomness.
      </Text>
    </Panel>
  );
}

export function AddRngForm(p: AddFormProps) {
  const [f, set] = useAddFields({ rng: '/dev/urandom' });
  const edits: DomainEdit[] = [{ kind: 'add-rng', backend: f.rng as never }];
  return (
    <AddFormFrame {...p} edits={edits}>
      <NativeSelect size="xs" label="Host entropy source" data={opt(RNG_BACKENDS)} value={f.rng} onChange={set('rng')} />
    </AddFormFrame>
  );
}
