// Controllers: what each is and carries; a SCSI controller that is not virtio-scsi can be switched
// to it. And the Add controller form.
import { machineHasSata } from '../../../../shared/domain-xml/arch';
import { Alert, Code, NativeSelect, Text } from '@mantine/core';
import { type DomainEdit, VIRTIO_SCSI_MODELS } from '../../../../shared/domain-xml';
import { AddFormFrame, useAddFields, type AddFormProps } from './AddForm';
import { DeviceFacts, Panel, type DeviceEditorProps } from './Panel';

export function ControllerEditor(p: DeviceEditorProps) {
  const c = p.view.controllers[p.index]!;
  const scsiToVirtio = c.type === 'scsi' && !(VIRTIO_SCSI_MODELS as readonly string[]).includes(c.model ?? '');
  return (
    <Panel
      title={`Controller ${c.type} ${c.index ?? 0}`}
      edits={scsiToVirtio ? [{ kind: 'replace-scsi-controller-with-virtio-scsi', index: c.index ?? 0 }] : null}
      editor={p}
      note={
        scsiToVirtio && (
          <Alert color="yellow" p="xs">
            <Text size="xs">This SCSI controller is {c.model ?? 'the hypervisor default (LSI)'}: Apply switches it to virtio-scsi (RHEL 7+ guests have no LSI driver).</Text>
          </Alert>
        )
      }
    >
      <DeviceFacts
        rows={[
          ['Type', c.type],
          ['Model', c.model ?? 'default'],
          ['Attached disks', c.disks.length ? c.disks.join(', ') : 'none'],
          ['Address', c.address ? <Code fz="xs">{Object.entries(c.address).map(([k, v]) => `${k}=${v}`).join(' ')}</Code> : null],
        ]}
      />
    </Panel>
  );
}

export function AddControllerForm(p: AddFormProps) {
  const [f, set] = useAddFields({ ctrl: 'scsi:virtio-scsi' });
  const [type, model] = f.ctrl.split(':');
  const edits: DomainEdit[] = [{ kind: 'add-controller', type: type!, ...(model ? { model } : {}) }];
  return (
    <AddFormFrame {...p} edits={edits}>
      <NativeSelect
        size="xs"
        label="Controller"
        data={[
          { value: 'scsi:virtio-scsi', label: 'SCSI (virtio-scsi)' },
          { value: 'usb:qemu-xhci', label: 'USB 3 (qemu-xhci)' },
          { value: 'virtio-serial:', label: 'virtio-serial' },
          ...(machineHasSata(p.view.os.arch, p.view.os.machine) ? [{ value: 'sata:', label: 'SATA (AHCI)' }] : []),
        ]}
        value={f.ctrl}
        onChange={set('ctrl')}
      />
    </AddFormFrame>
  );
}
