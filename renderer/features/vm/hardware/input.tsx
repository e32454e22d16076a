// Input devices (tablet, keyboard, mouse on USB, virtio or PS/2; the PS/2 ones are the machine's
// own and stay); and the Add input device form.
import { Group, NativeSelect, Text } from '@mantine/core';
import { useState } from 'react';
import { type DomainEdit, type InputBus, type InputType, INPUT_BUSES, INPUT_TYPES } from '../../../../shared/domain-xml';
import { AddFormFrame, useAddFields, type AddFormProps } from './AddForm';
import { opt, Panel, type DeviceEditorProps } from './Panel';


function InputFields(p: { type: string; bus: string; disabled?: boolean; onType(v: string): void; onBus(v: string): void }) {
  return (
    <Group gap="sm">
      <NativeSelect size="xs" w={160} label="Input type" data={opt(INPUT_TYPES)} value={p.type} disabled={p.disabled} onChange={(e) => p.onType(e.currentTarget.value)} />
      <NativeSelect size="xs" w={160} label="Input bus" data={opt(INPUT_BUSES)} value={p.bus} disabled={p.disabled} onChange={(e) => p.onBus(e.currentTarget.value)} />
    </Group>
  );
}

export function InputEditor(p: DeviceEditorProps) {
  const i = p.view.inputs[p.index]!;
  const [type, setType] = useState(i.type ?? 'tablet');
  const [bus, setBus] = useState(i.bus ?? 'usb');
  const builtIn = i.bus === 'ps2';
  const edits: DomainEdit[] = type !== i.type || bus !== i.bus ? [{ kind: 'set-input', index: p.index, type: type as InputType, bus: bus as InputBus }] : [];
  return (
    <Panel
      title={`Input ${p.index + 1}`}
      edits={builtIn ? null : edits}
      editor={p}
      remove={builtIn ? undefined : { kind: 'remove-device', device: 'input', index: p.index }}
      note={
        <Text size="xs" c="dimmed">
          {builtIn
            ? 'The PS/2 mouse and keyboard are part of the x86 machine: libvirt always adds them, so they cannot be changed or removed.'
            : 'A USB or virtio tablet gives the pointer absolute positions (no mouse lag in the console).'}
        </Text>
      }
    >
      <InputFields type={type} bus={bus} disabled={builtIn} onType={setType} onBus={setBus} />
    </Panel>
  );
}

export function AddInputForm(p: AddFormProps) {
  const [f, set] = useAddFields({ inputType: 'tablet', inputBus: 'usb' });
  const edits: DomainEdit[] = [{ kind: 'add-input', type: f.inputType as InputType, bus: f.inputBus as InputBus }];
  return (
    <AddFormFrame {...p} edits={edits}>
      <InputFields type={f.inputType} bus={f.inputBus} onType={set('inputType')} onBus={set('inputBus')} />
    </AddFormFrame>
  );
}
