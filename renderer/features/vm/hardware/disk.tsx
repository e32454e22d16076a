// Disks, CD-ROMs and floppies: bus, driver (cache, IO, discard, detect zeroes), flags, serial and
// removable media; and the Add disk / Add CD-ROM drive forms (a new volume or an existing one).
import { diskBusesFor } from '../../../../shared/domain-xml/arch';
import { Checkbox, Group, NativeSelect, NumberInput, SegmentedControl, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { DISK_BUSES, DISK_CACHES, DISK_DETECT_ZEROES, DISK_DISCARDS, DISK_FORMATS, DISK_IOS, type DomainEdit } from '../../../../shared/domain-xml';
import { AddFormFrame, useAddFields, type AddFormProps } from './AddForm';
import { DEFAULT, DeviceFacts, opt, orNull, Panel, type DeviceEditorProps, type EditorProps } from './Panel';
import type { NewVolume } from './useDomain';

type Volume = NonNullable<EditorProps['facts']>['volumes'][number];
const isIso = (v: Volume) => /\.iso$/i.test(v.name);
const isoVolumes = (facts: EditorProps['facts']) => (facts?.volumes ?? []).filter(isIso);
const volumeOptions = (vs: Volume[]) => vs.map((x) => ({ value: `${x.pool}/${x.name}`, label: `${x.pool}/${x.name}` }));
/** "pool/volume" (a volume's name may hold slashes) -> its parts. */
function splitVolume(pv: string): { pool: string; volume: string } {
  const [pool, ...rest] = pv.split('/');
  return { pool: pool!, volume: rest.join('/') };
}
const NO_ISO = 'no storage pool on this host has a volume ending in .iso';
/** The buses this VM's machine has (no SATA/IDE on ARM virt, no IDE on q35). */
const busesOf = (view: { os: { arch: string | null; machine: string | null } }) => diskBusesFor(view.os.arch, view.os.machine);

export function DiskEditor(p: DeviceEditorProps) {
  const d = p.view.disks[p.index]!;
  const [bus, setBus] = useState(d.bus ?? '');
  const [cache, setCache] = useState(d.driver.cache ?? '');
  const [io, setIo] = useState(d.driver.io ?? '');
  const [discard, setDiscard] = useState(d.driver.discard ?? '');
  const [dz, setDz] = useState(d.driver.detectZeroes ?? '');
  const [readonly, setReadonly] = useState(d.readonly);
  const [shareable, setShareable] = useState(d.shareable);
  const [serial, setSerial] = useState(d.serial ?? '');
  const removable = d.device === 'cdrom' || d.device === 'floppy';
  const currentMedia = d.source?.file ?? '';
  const [media, setMedia] = useState(currentMedia);
  const currentVolume = d.source?.volume ? `${d.source.pool}/${d.source.volume}` : '';
  const [iso, setIso] = useState(currentVolume);
  const isos = isoVolumes(p.facts);
  const target = d.target ?? '';
  const edits: DomainEdit[] = [];
  if (removable && iso !== currentVolume && iso !== '') {
    edits.push({ kind: 'change-media', target, source: splitVolume(iso) });
  } else if (removable && media.trim() !== currentMedia) edits.push({ kind: 'change-media', target, source: media.trim() ? { file: media.trim() } : null });
  const flags: Extract<DomainEdit, { kind: 'set-disk-flags' }> = { kind: 'set-disk-flags', target };
  if (!removable && readonly !== d.readonly) flags.readonly = readonly;
  if (shareable !== d.shareable) flags.shareable = shareable;
  if (serial.trim() !== (d.serial ?? '')) flags.serial = orNull(serial.trim());
  if (Object.keys(flags).length > 2) edits.push(flags);
  const driver: Extract<DomainEdit, { kind: 'set-disk-driver' }> = { kind: 'set-disk-driver', target };
  if (cache !== (d.driver.cache ?? '')) driver.cache = orNull(cache) as never;
  if (io !== (d.driver.io ?? '')) driver.io = orNull(io) as never;
  if (discard !== (d.driver.discard ?? '')) driver.discard = orNull(discard) as never;
  if (dz !== (d.driver.detectZeroes ?? '')) driver.detect_zeroes = orNull(dz) as never;
  if (Object.keys(driver).length > 2) edits.push(driver);
  // After the driver: a bus move may rename the disk.
  if (bus !== (d.bus ?? '') && bus !== '') edits.push({ kind: 'set-disk-bus', target, bus: bus as (typeof DISK_BUSES)[number] });
  const kind = d.device === 'cdrom' ? 'CD-ROM' : d.device === 'floppy' ? 'Floppy' : 'Disk';
  const src = d.source;
  return (
    <Panel
      title={`${kind} ${target}`}
      edits={edits}
      editor={p}
      remove={{ kind: 'remove-device', device: 'disk', target }}
      note={
        <Text size="xs" c="dimmed">
          Moving to SCSI puts the disk on a virtio-scsi controller (added, or the default LSI one switched) with a free sdX name; to virtio it becomes vdX. Its
          boot order is kept. The guest needs the driver for the new bus.
        </Text>
      }
    >
      <DeviceFacts
        rows={[
          ['Device', d.device],
          ['Source', src?.file ?? src?.dev ?? (src?.volume ? `${src.pool}/${src.volume}` : src?.name) ?? 'empty'],
          ['Format', d.driver.type],
          ['Read-only', d.readonly ? 'yes' : 'no'],
          ['Boot order', d.bootOrder],
        ]}
      />
      <NativeSelect
        size="xs"
        w={300}
        label="Bus"
        data={opt(busesOf(p.view).filter((b) => !(d.device === 'cdrom' && b === 'virtio')).concat(d.bus && !(busesOf(p.view) as readonly string[]).includes(d.bus) ? [d.bus as never] : []))}
        value={bus}
        onChange={(e) => setBus(e.currentTarget.value)}
      />
      <Group gap="sm">
        <NativeSelect size="xs" w={180} label="Cache" data={[DEFAULT, ...opt(DISK_CACHES.filter((c) => c !== 'default'))]} value={cache} onChange={(e) => setCache(e.currentTarget.value)} />
        <NativeSelect size="xs" w={180} label="IO" data={[DEFAULT, ...opt(DISK_IOS)]} value={io} onChange={(e) => setIo(e.currentTarget.value)} />
      </Group>
      <Group gap="sm">
        <NativeSelect size="xs" w={180} label="Discard" data={[DEFAULT, ...opt(DISK_DISCARDS)]} value={discard} onChange={(e) => setDiscard(e.currentTarget.value)} />
        <NativeSelect size="xs" w={180} label="Detect zeroes" data={[DEFAULT, ...opt(DISK_DETECT_ZEROES)]} value={dz} onChange={(e) => setDz(e.currentTarget.value)} />
      </Group>
      {removable ? (
        <>
          <NativeSelect
            size="xs"
            w={420}
            label="Insert an ISO volume"
            description={p.facts && isos.length === 0 ? NO_ISO : undefined}
            data={[{ value: '', label: isos.length ? 'choose a volume' : 'none available' }, ...volumeOptions(isos)]}
            value={iso}
            onChange={(e) => setIso(e.currentTarget.value)}
          />
          <TextInput size="xs" w={420} label="Medium (image file on the host)" placeholder="empty — clear to eject" value={media} onChange={(e) => setMedia(e.currentTarget.value)} />
          {p.running && (
            <Text size="xs" c="dimmed">
              The VM runs: the medium is changed in the running VM too.
            </Text>
          )}
        </>
      ) : (
        <Group gap="md">
          <Checkbox size="xs" label="Read-only" checked={readonly} onChange={(e) => setReadonly(e.currentTarget.checked)} />
          <Checkbox size="xs" label="Shareable" checked={shareable} onChange={(e) => setShareable(e.currentTarget.checked)} />
        </Group>
      )}
      <TextInput size="xs" w={300} label="Serial" placeholder="none" value={serial} onChange={(e) => setSerial(e.currentTarget.value)} />
    </Panel>
  );
}

export function AddDiskForm(p: AddFormProps) {
  const v = p.view;
  const buses = busesOf(v);
  const pools = p.facts?.pools ?? [];
  const existing = (p.facts?.volumes ?? []).filter((x) => !isIso(x));
  const [f, set] = useAddFields({
    source: 'new',
    volume: existing[0] ? `${existing[0].pool}/${existing[0].name}` : '',
    pool: pools.includes('default') ? 'default' : (pools[0] ?? ''),
    name: `${v.name ?? 'vm'}-disk${v.disks.length + 1}.qcow2`,
    size: '1024',
    format: 'qcow2',
    bus: 'virtio',
    ...p.preset,
  });
  let edits: DomainEdit[] = [];
  let newVolumes: NewVolume[] = [];
  if (f.source === 'new') {
    newVolumes = [{ pool: f.pool, name: f.name, capacityMiB: Number(f.size), format: f.format as 'qcow2' | 'raw' }];
    edits = [{ kind: 'add-disk', bus: f.bus as never, source: { pool: f.pool, volume: f.name }, format: f.format as 'qcow2' | 'raw' }];
  } else if (f.volume) {
    const src = splitVolume(f.volume);
    edits = [{ kind: 'add-disk', bus: f.bus as never, source: src, format: /\.qcow2$/i.test(src.volume) ? 'qcow2' : 'raw' }];
  }
  const live = ['virtio', 'scsi', 'usb'].includes(f.bus) ? 'It is plugged into the running VM too.' : `A ${f.bus} disk cannot be hot-plugged: it appears at the next boot.`;
  return (
    <AddFormFrame {...p} edits={edits} newVolumes={newVolumes} live={live}>
      <SegmentedControl
        size="xs"
        aria-label="Disk source"
        data={[
          { value: 'new', label: 'New volume' },
          { value: 'existing', label: 'Existing volume' },
        ]}
        value={f.source}
        onChange={set('source')}
      />
      {f.source === 'new' ? (
        <>
          <NativeSelect size="xs" label="Storage pool" data={pools.length ? opt(pools) : [{ value: '', label: 'no active pool' }]} value={f.pool} onChange={set('pool')} />
          <TextInput size="xs" label="Volume name" value={f.name} onChange={set('name')} />
          <Group gap="sm">
            <NumberInput size="xs" w={160} label="Size (MiB)" value={f.size} onChange={(x) => set('size')(String(x))} allowDecimal={false} min={1} />
            <NativeSelect size="xs" w={160} label="Format" data={opt(DISK_FORMATS)} value={f.format} onChange={set('format')} />
          </Group>
          <Text size="xs" c="dimmed">
            Created sparse with virsh vol-create-as; deleted again if libvirt refuses the new configuration.
          </Text>
        </>
      ) : (
        <NativeSelect size="xs" label="Volume" data={existing.length ? volumeOptions(existing) : [{ value: '', label: 'no volumes' }]} value={f.volume} onChange={set('volume')} />
      )}
      <NativeSelect size="xs" label="Bus" data={opt(buses)} value={f.bus} onChange={set('bus')} />
    </AddFormFrame>
  );
}

export function AddCdromForm(p: AddFormProps) {
  const buses = busesOf(p.view).filter((b) => b !== 'virtio');
  const isos = isoVolumes(p.facts);
  // A CD-ROM goes where the machine's own installer drives are: IDE on i440fx, SATA on q35, SCSI on ARM virt.
  const [f, set] = useAddFields({ bus: buses.includes('ide') ? 'ide' : buses.includes('sata') ? 'sata' : 'scsi', iso: '' });
  const edits: DomainEdit[] = [{ kind: 'add-disk', device: 'cdrom', bus: f.bus as never, source: f.iso ? splitVolume(f.iso) : null, format: 'raw' }];
  return (
    <AddFormFrame
      {...p}
      edits={edits}
      live="A new CD-ROM drive appears at the next boot (SATA/IDE drives cannot be hot-plugged); change the medium of an existing drive to have it live."
    >
      <NativeSelect size="xs" label="Bus" data={opt(buses)} value={f.bus} onChange={set('bus')} />
      <NativeSelect
        size="xs"
        label="ISO volume"
        description={p.facts && isos.length === 0 ? NO_ISO : undefined}
        data={[{ value: '', label: 'empty drive' }, ...volumeOptions(isos)]}
        value={f.iso}
        onChange={set('iso')}
      />
    </AddFormFrame>
  );
}
