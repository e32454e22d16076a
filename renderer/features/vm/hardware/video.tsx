// A video device's model.
import { NativeSelect } from '@mantine/core';
import { useState } from 'react';
import { type DomainEdit, VIDEO_MODELS } from '../../../../shared/domain-xml';
import { DEFAULT, DeviceFacts, opt, Panel, type DeviceEditorProps } from './Panel';


export function VideoEditor(p: DeviceEditorProps) {
  const v = p.view.videos[p.index]!;
  const [model, setModel] = useState(v.model ?? '');
  const edits: DomainEdit[] = model !== (v.model ?? '') && model !== '' ? [{ kind: 'set-video-model', index: p.index, model: model as never }] : [];
  return (
    <Panel title={`Video ${p.index + 1}`} edits={edits} editor={p} remove={{ kind: 'remove-device', device: 'video', index: p.index }}>
      <DeviceFacts rows={[['VRAM (KiB)', v.vram], ['Heads', v.heads], ['Primary', v.primary ? 'yes' : 'no']]} />
      <NativeSelect size="xs" w={300} label="Video model" data={[...(v.model ? [] : [DEFAULT]), ...opt(VIDEO_MODELS)]} value={model} onChange={(e) => setModel(e.currentTarget.value)} />
    </Panel>
  );
}
