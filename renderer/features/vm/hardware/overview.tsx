// General: the VM's name, UUID and machine, and its title and description (metadata).
import { Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { DomainEdit } from '../../../../shared/domain-xml';
import { DeviceFacts, orNull, Panel, type EditorProps } from './Panel';

export function OverviewEditor(p: EditorProps) {
  const [title, setTitle] = useState(p.view.title ?? '');
  const [description, setDescription] = useState(p.view.description ?? '');
  const edits: DomainEdit[] = [];
  if (title !== (p.view.title ?? '')) edits.push({ kind: 'set-title', title: orNull(title) });
  if (description !== (p.view.description ?? '')) edits.push({ kind: 'set-description', description: orNull(description) });
  return (
    <Panel title="Overview" edits={edits} editor={p}>
      <DeviceFacts
        rows={[
          ['Name', p.view.name],
          ['UUID', p.view.uuid],
          ['Hypervisor', p.view.domainType],
          ['Machine', `${p.view.os.arch ?? ''} ${p.view.os.machine ?? ''}`],
          ['OS (libosinfo)', p.view.metadata.libosinfoId],
        ]}
      />
      <TextInput size="xs" label="Title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
      <Textarea size="xs" label="Description" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
    </Panel>
  );
}
