// The memory balloon's model.
import { NativeSelect, Text } from '@mantine/core';
import { useState } from 'react';
import { type DomainEdit, MEMBALLOON_MODELS } from '../../../../shared/domain-xml';
import { opt, Panel, type EditorProps } from './Panel';


export function BalloonEditor(p: EditorProps) {
  const cur = p.view.memballoon?.model ?? 'none';
  const [model, setModel] = useState(cur);
  const edits: DomainEdit[] = model !== cur ? [{ kind: 'set-memballoon-model', model: model as never }] : [];
  return (
    <Panel title="Memory balloon" edits={edits} editor={p}>
      <Text size="xs" c="dimmed">
        A virtio balloon lets the host change the guest's memory while it runs (set the current memory in Memory).
      </Text>
      <NativeSelect size="xs" w={300} label="Balloon model" data={opt(MEMBALLOON_MODELS)} value={model} onChange={(e) => setModel(e.currentTarget.value)} />
    </Panel>
  );
}
