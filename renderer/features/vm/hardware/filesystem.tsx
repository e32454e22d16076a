// A filesystem share (a host directory the guest mounts); and the Add filesystem share form
// (virtiofs, which also shares the guest's memory with virtiofsd, or 9p).
import { Checkbox, NativeSelect, Text, TextInput } from '@mantine/core';
import { type DomainEdit, type NewFilesystemDriver, FILESYSTEM_ACCESS_MODES } from '../../../../shared/domain-xml';
import { AddFormFrame, useAddFields, type AddFormProps } from './AddForm';
import { DeviceXmlBlock } from './device-xml';
import { DeviceFacts, opt, Panel, type DeviceEditorProps } from './Panel';

export function FilesystemEditor(p: DeviceEditorProps) {
  const f = p.view.filesystems[p.index]!;
  const title = `Filesystem share ${p.index + 1}`;
  const mount = f.driver === 'virtiofs' ? `mount -t virtiofs ${f.target ?? 'TAG'} /mnt` : `mount -t 9p -o trans=virtio ${f.target ?? 'TAG'} /mnt`;
  return (
    <Panel title={title} edits={null} editor={p} remove={{ kind: 'remove-device', device: 'filesystem', index: p.index }}>
      <DeviceFacts
        rows={[
          ['Driver', f.driver ?? '9p (path)'],
          ['Host directory', f.source],
          ['Mount tag', f.target],
          ['Access mode', f.accessMode],
          ['Read-only', f.readonly ? 'yes' : 'no'],
          ['In the guest', mount],
        ]}
      />
      <DeviceXmlBlock xml={p.xml} tag="filesystem" index={p.index} label={`${title} XML`} />
    </Panel>
  );
}

export function AddFilesystemForm(p: AddFormProps) {
  const [f, set] = useAddFields({ fsDriver: 'virtiofs', fsSource: '', fsTarget: '', fsAccess: 'mapped', fsReadonly: '' });
  const virtiofs = f.fsDriver === 'virtiofs';
  const ready = f.fsSource.trim() !== '' && f.fsTarget.trim() !== '';
  const edits: DomainEdit[] = ready
    ? [{
        kind: 'add-filesystem',
        fs: {
          driver: f.fsDriver as NewFilesystemDriver,
          source: f.fsSource.trim(),
          target: f.fsTarget.trim(),
          ...(virtiofs ? {} : { accessMode: f.fsAccess as 'mapped', readonly: f.fsReadonly === 'yes' }),
        },
      }]
    : [];
  return (
    <AddFormFrame {...p} edits={edits}>
      <NativeSelect
        size="xs"
        label="Share driver"
        data={[{ value: 'virtiofs', label: 'virtiofs (fast; needs virtiofsd on the host)' }, { value: '9p', label: '9p (virtio-9p)' }]}
        value={f.fsDriver}
        onChange={set('fsDriver')}
      />
      <TextInput size="xs" label="Host directory" placeholder="/srv/share" value={f.fsSource} onChange={set('fsSource')} />
      <TextInput size="xs" label="Mount tag" placeholder="share" value={f.fsTarget} onChange={set('fsTarget')} />
      {virtiofs ? (
        <Text size="xs" c="dimmed">
          virtiofs maps the guest&apos;s memory: the VM&apos;s memory is made shareable (memfd, shared access) along with it.
        </Text>
      ) : (
        <>
          <NativeSelect size="xs" label="Access mode" data={opt(FILESYSTEM_ACCESS_MODES)} value={f.fsAccess} onChange={set('fsAccess')} />
          <Checkbox size="xs" label="Read-only" checked={f.fsReadonly === 'yes'} onChange={(e) => set('fsReadonly')(e.currentTarget.checked ? 'yes' : '')} />
        </>
      )}
    </AddFormFrame>
  );
}
