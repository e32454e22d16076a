// Character devices: serial ports, consoles and channels (the guest agent's among them); and the
// Add serial port and Add guest agent channel forms.
import { NativeSelect, Text } from '@mantine/core';
import { useState } from 'react';
import { CONSOLE_TARGETS, type DomainEdit, GUEST_AGENT_CHANNEL } from '../../../../shared/domain-xml';
import { AddFormFrame, type AddFormProps } from './AddForm';
import { DeviceFacts, opt, Panel, type DeviceEditorProps } from './Panel';

export function SerialEditor(p: DeviceEditorProps) {
  const s = p.view.serials[p.index]!;
  return (
    <Panel
      title={`Serial port ${p.index + 1}`}
      edits={null}
      editor={p}
      remove={{ kind: 'remove-device', device: 'serial', index: p.index }}
      note={
        <Text size="xs" c="dimmed">
          Removing a serial port also removes the console that shows it.
        </Text>
      }
    >
      <DeviceFacts rows={[['Type', s.type], ['Target', `${s.targetType ?? 'default'} port ${s.targetPort ?? p.index}`], ['Device on the host', s.sourcePath]]} />
    </Panel>
  );
}

export function ConsoleEditor(p: DeviceEditorProps) {
  const c = p.view.consoles[p.index]!;
  const [target, setTarget] = useState(c.targetType ?? 'serial');
  const edits: DomainEdit[] = target !== (c.targetType ?? 'serial') ? [{ kind: 'set-console-target', index: p.index, targetType: target as 'serial' | 'virtio' }] : [];
  return (
    <Panel
      title={`Console ${p.index + 1}`}
      edits={edits}
      editor={p}
      remove={{ kind: 'remove-device', device: 'console', index: p.index }}
      note={
        <Text size="xs" c="dimmed">
          serial: the guest&apos;s ttyS{c.targetPort ?? 0} (works from the firmware on); virtio: hvc0, needs the guest&apos;s virtio-console driver.
        </Text>
      }
    >
      <DeviceFacts rows={[['Type', c.type]]} />
      <NativeSelect size="xs" w={200} label="Console target type" data={opt(CONSOLE_TARGETS)} value={target} onChange={(e) => setTarget(e.currentTarget.value)} />
    </Panel>
  );
}

export function ChannelEditor(p: DeviceEditorProps) {
  const c = p.view.channels[p.index]!;
  return (
    <Panel title={`Channel ${c.targetName ?? p.index + 1}`} edits={null} editor={p} remove={{ kind: 'remove-device', device: 'channel', index: p.index }}>
      <DeviceFacts rows={[['Type', c.type], ['Target', `${c.targetType ?? '?'} ${c.targetName ?? ''}`], ['Socket', c.sourcePath]]} />
      {c.targetName === GUEST_AGENT_CHANNEL && (
        <Text size="xs" c="dimmed">
          The QEMU guest agent talks to the host through this channel (clean shutdown, filesystem freeze, IP addresses).
        </Text>
      )}
    </Panel>
  );
}

export function AddSerialForm(p: AddFormProps) {
  return (
    <AddFormFrame {...p} edits={[{ kind: 'add-serial' }]}>
      <Text size="xs">A pty serial port on the next free port (ttyS{p.view.serials.length}).</Text>
    </AddFormFrame>
  );
}

export function AddGuestAgentForm(p: AddFormProps) {
  return (
    <AddFormFrame {...p} edits={[{ kind: 'add-guest-agent-channel' }]}>
      <Text size="xs">A virtio-serial channel named {GUEST_AGENT_CHANNEL}; install qemu-guest-agent in the guest to use it.</Text>
    </AddFormFrame>
  );
}
