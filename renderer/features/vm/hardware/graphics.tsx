// Displays (VNC, SPICE…): listen address, port and password; and the Add VNC display form.
import { Checkbox, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { DEFAULT_GRAPHICS_LISTEN, type DomainEdit } from '../../../../shared/domain-xml';
import { AddFormFrame, useAddFields, type AddFormProps } from './AddForm';
import { DeviceFacts, orNull, Panel, type DeviceEditorProps } from './Panel';

export function GraphicsEditor(p: DeviceEditorProps) {
  const g = p.view.graphics[p.index]!;
  const [listen, setListen] = useState(g.listen ?? '');
  const [port, setPort] = useState(g.autoport || g.port === null || g.port === -1 ? 'auto' : String(g.port));
  const [password, setPassword] = useState('');
  const [clearPassword, setClearPassword] = useState(false);
  const edits: DomainEdit[] = [];
  const e: Extract<DomainEdit, { kind: 'set-graphics' }> = { kind: 'set-graphics', index: p.index };
  if (listen.trim() !== (g.listen ?? '')) e.listen = orNull(listen.trim());
  const wasAuto = g.autoport || g.port === null || g.port === -1;
  if (port.trim() === 'auto' ? !wasAuto : port.trim() !== String(g.port)) e.port = port.trim() === 'auto' ? 'auto' : Number(port.trim());
  if (clearPassword && g.hasPassword) e.passwd = null;
  else if (password !== '') e.passwd = password;
  if (Object.keys(e).length > 2) edits.push(e);
  const remote = ['vnc', 'spice', 'rdp'].includes(g.type ?? '');
  return (
    <Panel
      title={`Display ${p.index + 1} (${g.type ?? '?'})`}
      edits={remote ? edits : null}
      editor={p}
      note={
        <Text size="xs" c="dimmed">
          VirtDeck reaches the display through the SSH connection, so 127.0.0.1 is the safe listen address.
        </Text>
      }
    >
      <DeviceFacts rows={[['Password', g.hasPassword ? 'set' : 'none']]} />
      {remote && (
        <>
          <TextInput size="xs" w={300} label="Listen address" value={listen} onChange={(ev) => setListen(ev.currentTarget.value)} />
          <TextInput size="xs" w={300} label="Port" description="a number, or auto" value={port} onChange={(ev) => setPort(ev.currentTarget.value)} />
          <TextInput size="xs" w={300} type="password" label="New password" placeholder="unchanged" value={password} onChange={(ev) => setPassword(ev.currentTarget.value)} />
          {g.hasPassword && <Checkbox size="xs" label="Remove the password" checked={clearPassword} onChange={(ev) => setClearPassword(ev.currentTarget.checked)} />}
        </>
      )}
    </Panel>
  );
}

export function AddVncForm(p: AddFormProps) {
  const [f, set] = useAddFields({ listen: DEFAULT_GRAPHICS_LISTEN });
  const edits: DomainEdit[] = [{ kind: 'add-graphics', type: 'vnc', listen: f.listen }];
  return (
    <AddFormFrame {...p} edits={edits}>
      <TextInput
        size="xs"
        label="Listen address"
        description="VirtDeck reaches the display through the SSH connection, so 127.0.0.1 is the safe choice."
        value={f.listen}
        onChange={set('listen')}
      />
    </AddFormFrame>
  );
}
