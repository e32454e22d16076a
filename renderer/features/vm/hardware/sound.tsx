// A sound card: its model; and the Add sound card form.
import { NativeSelect, Text } from '@mantine/core';
import { useState } from 'react';
import { type DomainEdit, type SoundModel, SOUND_MODELS } from '../../../../shared/domain-xml';
import { AddFormFrame, useAddFields, type AddFormProps } from './AddForm';
import { DeviceXmlBlock } from './device-xml';
import { opt, Panel, type DeviceEditorProps } from './Panel';

export function SoundEditor(p: DeviceEditorProps) {
  const s = p.view.sounds[p.index]!;
  const [model, setModel] = useState(s.model ?? 'ich9');
  const edits: DomainEdit[] = model !== s.model ? [{ kind: 'set-sound-model', index: p.index, model: model as SoundModel }] : [];
  const title = `Sound ${p.index + 1}`;
  return (
    <Panel title={title} edits={edits} editor={p} remove={{ kind: 'remove-device', device: 'sound', index: p.index }}>
      <NativeSelect size="xs" w={200} label="Sound model" data={opt(SOUND_MODELS)} value={model} onChange={(e) => setModel(e.currentTarget.value)} />
      <Text size="xs" c="dimmed">
        ich9 suits q35 machines, ich6 i440fx ones; a new model takes effect at the next boot.
      </Text>
      <DeviceXmlBlock xml={p.xml} tag="sound" index={p.index} label={`${title} XML`} />
    </Panel>
  );
}

export function AddSoundForm(p: AddFormProps) {
  const q35 = /q35/.test(p.view.os.machine ?? '');
  const [f, set] = useAddFields({ soundModel: q35 ? 'ich9' : 'ich6' });
  return (
    <AddFormFrame {...p} edits={[{ kind: 'add-sound', model: f.soundModel as SoundModel }]}>
      <NativeSelect size="xs" label="Sound model" data={opt(SOUND_MODELS)} value={f.soundModel} onChange={set('soundModel')} />
    </AddFormFrame>
  );
}
