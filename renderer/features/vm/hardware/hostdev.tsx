// A host device passed through (PCI or USB); and the Add host device form, which picks from the
// host's own PCI and USB devices (host.nodeDevices).
import { Loader, NativeSelect, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { NodeDevice } from '../../../../shared/contract';
import { type DomainEdit, type HostdevSource, canHotplug } from '../../../../shared/domain-xml';
import { nodeDeviceLabel } from '../../../../shared/nodedev-xml';
import { api } from '../../../app/api';
import { AddFormFrame, useAddFields, type AddFormProps } from './AddForm';
import { DeviceXmlBlock } from './device-xml';
import { DeviceFacts, Panel, type DeviceEditorProps } from './Panel';

export function HostdevEditor(p: DeviceEditorProps) {
  const h = p.view.hostdevs[p.index]!;
  const title = `Host device ${p.index + 1}`;
  const live = p.running && p.live !== null && canHotplug(p.live, 'hostdev', p.index);
  const source = h.source ? Object.entries(h.source).filter(([k]) => k !== 'type').map(([k, v]) => `${k} ${v}`).join(', ') : null;
  return (
    <Panel title={title} edits={null} editor={p} remove={{ kind: 'remove-device', device: 'hostdev', index: p.index }}>
      <DeviceFacts rows={[['Type', `${h.mode ?? 'subsystem'} ${h.type ?? '?'}`], ['Host device', source], ['Managed', h.managed === null ? null : h.managed ? 'yes' : 'no']]} />
      {live && <Text size="xs" c="dimmed">Removing it unplugs it from the running VM too.</Text>}
      <DeviceXmlBlock xml={p.xml} tag="hostdev" index={p.index} label={`${title} XML`} />
    </Panel>
  );
}

function sourceOf(d: NodeDevice): HostdevSource | null {
  if (d.pci) return { type: 'pci', domain: d.pci.domain, bus: d.pci.bus, slot: d.pci.slot, function: d.pci.function };
  if (d.vendorId && d.productId) return { type: 'usb', vendor: d.vendorId, product: d.productId };
  return null;
}

export function AddHostdevForm(p: AddFormProps) {
  const [devices, setDevices] = useState<NodeDevice[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [f, set] = useAddFields({ nodedev: '' });
  useEffect(() => {
    let live = true;
    void api.call('host.nodeDevices', { hostId: p.hostId }).then((r) => {
      if (!live) return;
      if (r.ok) setDevices(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [p.hostId]);
  const picked = devices?.find((d) => d.name === f.nodedev);
  const source = picked ? sourceOf(picked) : null;
  const edits: DomainEdit[] = source ? [{ kind: 'add-hostdev', source }] : [];
  const data = (cap: NodeDevice['cap'], group: string) => ({
    group,
    items: (devices ?? []).filter((d) => d.cap === cap && sourceOf(d)).map((d) => ({ value: d.name, label: nodeDeviceLabel(d) })),
  });
  return (
    <AddFormFrame {...p} edits={edits} live="It is plugged into the running VM too, where the host allows (VFIO, IOMMU).">
      {error && <Text size="xs" c="red" role="alert">{error}</Text>}
      {!devices && !error && <Loader size="xs" aria-label="Reading the host's devices" />}
      {devices && (
        <NativeSelect
          size="xs"
          label="Host device"
          data={[{ value: '', label: 'pick one of the host’s devices' }, data('pci', 'PCI'), data('usb_device', 'USB')]}
          value={f.nodedev}
          onChange={set('nodedev')}
        />
      )}
      <Text size="xs" c="dimmed">
        libvirt detaches a PCI device from its host driver (to vfio-pci) when the VM starts, and gives it back when it stops.
      </Text>
    </AddFormFrame>
  );
}
