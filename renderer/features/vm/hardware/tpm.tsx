// The TPM: its model and backend (an emulated TPM by swtpm, or the host's passed through); and the
// Add TPM form.
import { Group, NativeSelect, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { type DomainEdit, type TpmSpec, TPM_MODELS, TPM_VERSIONS } from '../../../../shared/domain-xml';
import { AddFormFrame, useAddFields, type AddFormProps } from './AddForm';
import { DeviceXmlBlock } from './device-xml';
import { opt, Panel, type DeviceEditorProps } from './Panel';

interface TpmFields {
  model: string;
  backend: string;
  version: string;
  device: string;
}

function spec(f: TpmFields): TpmSpec {
  return f.backend === 'passthrough'
    ? { model: f.model as TpmSpec['model'], backend: 'passthrough', device: f.device }
    : { model: f.model as TpmSpec['model'], backend: 'emulator', version: f.version as '2.0' };
}

function TpmFieldsView(p: { f: TpmFields; set(k: keyof TpmFields, v: string): void }) {
  return (
    <Group gap="sm" align="end">
      <NativeSelect size="xs" w={140} label="TPM model" data={opt(TPM_MODELS)} value={p.f.model} onChange={(e) => p.set('model', e.currentTarget.value)} />
      <NativeSelect
        size="xs"
        w={190}
        label="TPM backend"
        data={[{ value: 'emulator', label: 'emulated (swtpm)' }, { value: 'passthrough', label: "host's TPM (passthrough)" }]}
        value={p.f.backend}
        onChange={(e) => p.set('backend', e.currentTarget.value)}
      />
      {p.f.backend === 'passthrough' ? (
        <TextInput size="xs" w={140} label="Host TPM device" value={p.f.device} onChange={(e) => p.set('device', e.currentTarget.value)} />
      ) : (
        <NativeSelect size="xs" w={100} label="TPM version" data={opt(TPM_VERSIONS)} value={p.f.version} onChange={(e) => p.set('version', e.currentTarget.value)} />
      )}
    </Group>
  );
}

export function TpmEditor(p: DeviceEditorProps) {
  const t = p.view.tpms[p.index]!;
  const initial: TpmFields = { model: t.model ?? 'tpm-crb', backend: t.backendType ?? 'emulator', version: t.backendVersion ?? '2.0', device: t.device ?? '/dev/tpm0' };
  const [f, setF] = useState(initial);
  const changed = f.model !== initial.model || f.backend !== initial.backend || (f.backend === 'emulator' ? f.version !== initial.version : f.device !== initial.device);
  // set-tpm edits the first TPM; a second one (tpm-spapr proxy) is shown, not edited.
  const editable = p.index === 0 && (t.backendType === 'emulator' || t.backendType === 'passthrough');
  const edits: DomainEdit[] | null = editable ? (changed ? [{ kind: 'set-tpm', tpm: spec(f) }] : []) : null;
  const title = `TPM ${p.index + 1}`;
  return (
    <Panel title={title} edits={edits} editor={p} remove={{ kind: 'remove-device', device: 'tpm', index: p.index }}>
      {editable && <TpmFieldsView f={f} set={(k, v) => setF((x) => ({ ...x, [k]: v }))} />}
      <DeviceXmlBlock xml={p.xml} tag="tpm" index={p.index} label={`${title} XML`} />
    </Panel>
  );
}

export function AddTpmForm(p: AddFormProps) {
  const [f, set] = useAddFields<keyof TpmFields>({ model: 'tpm-crb', backend: 'emulator', version: '2.0', device: '/dev/tpm0' });
  return (
    <AddFormFrame {...p} edits={[{ kind: 'set-tpm', tpm: spec(f) }]}>
      {p.view.tpms.length > 0 && <Text size="xs">The VM has a TPM: this replaces its model and backend.</Text>}
      <Text size="xs" c="dimmed">
        An emulated TPM runs swtpm on the host (package swtpm); Windows 11 wants TPM 2.0.
      </Text>
      <TpmFieldsView f={f} set={(k, v) => set(k)(v)} />
    </AddFormFrame>
  );
}
