// A USB redirector (the SPICE client's USB devices, redirected into the guest); and its Add form.
import { Text } from '@mantine/core';
import { canHotplug } from '../../../../shared/domain-xml';
import { AddFormFrame, type AddFormProps } from './AddForm';
import { DeviceXmlBlock } from './device-xml';
import { DeviceFacts, Panel, type DeviceEditorProps } from './Panel';

export function RedirdevEditor(p: DeviceEditorProps) {
  const r = p.view.redirdevs[p.index]!;
  const title = `USB redirector ${p.index + 1}`;
  const live = p.running && p.live !== null && canHotplug(p.live, 'redirdev', p.index);
  return (
    <Panel title={title} edits={null} editor={p} remove={{ kind: 'remove-device', device: 'redirdev', index: p.index }}>
      <DeviceFacts rows={[['Bus', r.bus], ['Type', r.type]]} />
      <Text size="xs" c="dimmed">
        {live ? 'Removing it unplugs it from the running VM too.' : 'A SPICE client can redirect one of its USB devices into the guest through it.'}
      </Text>
      <DeviceXmlBlock xml={p.xml} tag="redirdev" index={p.index} label={`${title} XML`} />
    </Panel>
  );
}

export function AddRedirdevForm(p: AddFormProps) {
  const spice = p.view.graphics.some((g) => g.type === 'spice');
  return (
    <AddFormFrame {...p} edits={spice ? [{ kind: 'add-redirdev' }] : []} live="It is plugged into the running VM too.">
      <Text size="xs">
        {spice
          ? 'Adds a USB redirector (spicevmc): a SPICE client (virt-viewer, remote-viewer) can pass one of its USB devices to the guest through it.'
          : 'USB redirection goes through a SPICE display, and this VM has none: add one first.'}
      </Text>
    </AddFormFrame>
  );
}
