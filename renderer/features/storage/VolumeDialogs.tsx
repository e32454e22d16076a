// New volume, resize, clone, wipe and delete: each a small dialog that says what it will do.
import { Alert, Checkbox, Group, NativeSelect, NumberInput, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { HostStorage, StoragePool, StorageVolume, VolumeFormat } from '../../../shared/contract';
import { volumeRules } from '../../../shared/storage';
import { runTask } from '../../app/api';
import { InUseWarning, MIB, StorageModal } from './DialogParts';
import { formatBytes } from './format';

interface Base {
  hostId: string;
  hostLabel: string;
  pool: StoragePool;
  close(): void;
}

export function CreateVolumeDialog({ hostId, hostLabel, pool, storage, close }: Base & { storage: HostStorage }) {
  const rules = volumeRules(pool.type);
  const [name, setName] = useState('');
  const [format, setFormat] = useState<VolumeFormat>(rules.formats[0]!);
  const [sizeMiB, setSize] = useState<number | string>(1024);
  const [preallocate, setPreallocate] = useState(!rules.thin);
  const [backingPath, setBacking] = useState('');
  const backings = storage.volumes.filter((v) => v.path && !v.iso && (v.format === 'qcow2' || v.format === 'raw'));
  const backing = backings.find((v) => v.path === backingPath);
  const overlay = rules.backing && format === 'qcow2';
  const size = Number(sizeMiB) * MIB || (backing?.capacity ?? 0);
  return (
    <StorageModal
      title={`New volume in ${pool.name} on ${hostLabel}`}
      action="Create volume"
      disabled={!name.trim() || !(size > 0)}
      close={close}
      run={() =>
        runTask(`Create volume ${name} in ${pool.name} on ${hostLabel}`, 'vol.create', {
          hostId,
          pool: pool.name,
          name,
          format,
          capacityBytes: Math.round(size),
          preallocate,
          ...(overlay && backingPath ? { backingPath } : {}),
        })
      }
    >
      <TextInput size="xs" label="Volume name" value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
      <Group gap="sm" grow>
        <NativeSelect size="xs" label="Format" data={[...rules.formats]} value={format} onChange={(e) => setFormat(e.currentTarget.value as VolumeFormat)} />
        <NumberInput size="xs" label="Size (MiB)" min={1} allowDecimal={false} value={sizeMiB} onChange={setSize} />
      </Group>
      {rules.thin ? (
        <Checkbox size="xs" label={format === 'qcow2' ? 'Preallocate its metadata (thin otherwise)' : 'Allocate it in full now (thin otherwise)'} checked={preallocate} onChange={(e) => setPreallocate(e.currentTarget.checked)} />
      ) : (
        <Text size="xs" c="dimmed">
          A {pool.type} volume is allocated in full.
        </Text>
      )}
      {overlay && (
        <NativeSelect
          size="xs"
          label="Backing volume (an overlay reads unwritten blocks from it)"
          data={[{ value: '', label: 'none' }, ...backings.map((v) => ({ value: v.path!, label: `${v.pool}/${v.name} (${formatBytes(v.capacity)})` }))]}
          value={backingPath}
          onChange={(e) => {
            const path = e.currentTarget.value;
            setBacking(path);
            const b = backings.find((v) => v.path === path);
            if (b?.capacity) setSize(Math.ceil(b.capacity / MIB));
          }}
        />
      )}
    </StorageModal>
  );
}

export function ResizeDialog({ hostId, hostLabel, pool, volume, close }: Base & { volume: StorageVolume }) {
  const current = volume.capacity ?? 0;
  const [sizeMiB, setSize] = useState<number | string>(Math.ceil(current / MIB));
  const [shrinkOk, setShrinkOk] = useState(false);
  const bytes = Math.round(Number(sizeMiB) * MIB);
  const shrink = bytes < current;
  return (
    <StorageModal
      title={`Resize ${volume.name}`}
      action={shrink ? 'Shrink' : 'Resize'}
      danger={shrink}
      disabled={!(bytes > 0) || bytes === current || (shrink && !shrinkOk)}
      close={close}
      run={() => runTask(`Resize ${volume.name} in ${pool.name} on ${hostLabel} to ${formatBytes(bytes)}`, 'vol.resize', { hostId, pool: pool.name, name: volume.name, capacityBytes: bytes, allowShrink: shrink && shrinkOk })}
    >
      <Text size="xs">Now {formatBytes(current)}.{volume.usedBy.length ? ` A running VM sees the new size after its next start.` : ''}</Text>
      <NumberInput size="xs" label="New size (MiB)" min={1} allowDecimal={false} value={sizeMiB} onChange={setSize} data-autofocus />
      {shrink && (
        <Alert color="red" p="xs" role="alert" title="Shrinking loses data">
          Everything past {formatBytes(bytes)} is cut off; a file system or partition reaching further is damaged. Shrink it inside the guest first.
          <Checkbox mt={6} size="xs" label="Shrink anyway" checked={shrinkOk} onChange={(e) => setShrinkOk(e.currentTarget.checked)} />
        </Alert>
      )}
    </StorageModal>
  );
}

export function CloneDialog({ hostId, hostLabel, pool, volume, close }: Base & { volume: StorageVolume }) {
  const [newName, setName] = useState(`${volume.name.replace(/(\.[a-z0-9]+)$/i, '')}-clone${/\.[a-z0-9]+$/i.exec(volume.name)?.[0] ?? ''}`);
  return (
    <StorageModal
      title={`Clone ${volume.name}`}
      action="Clone"
      disabled={!newName.trim()}
      close={close}
      run={() => runTask(`Clone ${volume.name} to ${newName} in ${pool.name} on ${hostLabel}`, 'vol.clone', { hostId, pool: pool.name, name: volume.name, newName })}
    >
      <TextInput size="xs" label="Name of the copy" value={newName} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
      <Text size="xs" c="dimmed">
        A full copy in the same pool ({formatBytes(volume.allocation)} to write).
      </Text>
    </StorageModal>
  );
}

/** What wiping and deleting a volume say and do. */
const DESTROY = {
  wipe: {
    verb: 'Wipe',
    action: 'Wipe',
    what: () => 'Every byte of the volume is overwritten with zeros; what it held cannot be got back.',
    consequence: 'Its VMs lose what is on this disk.',
    task: (b: Base, volume: StorageVolume) => runTask(`Wipe ${volume.name} in ${b.pool.name} on ${b.hostLabel}`, 'vol.wipe', { hostId: b.hostId, pool: b.pool.name, name: volume.name }),
  },
  delete: {
    verb: 'Delete',
    action: 'Delete volume',
    what: (volume: StorageVolume) => `The volume and its data are deleted (${formatBytes(volume.allocation)}).`,
    consequence: 'Their disk would point at nothing: they cannot start until it is removed from their hardware.',
    task: (b: Base, volume: StorageVolume, force: boolean) => runTask(`Delete volume ${volume.name} in ${b.pool.name} on ${b.hostLabel}`, 'vol.delete', { hostId: b.hostId, pool: b.pool.name, name: volume.name, force }),
  },
};

/** Wipe or delete: a red dialog that, for a volume a VM uses, names them and asks once more. */
export function DestroyVolumeDialog({ kind, volume, ...base }: Base & { kind: keyof typeof DESTROY; volume: StorageVolume }) {
  const [confirmed, setConfirmed] = useState(false);
  const d = DESTROY[kind];
  return (
    <StorageModal title={`${d.verb} ${volume.name}?`} action={d.action} danger disabled={volume.usedBy.length > 0 && !confirmed} close={base.close} run={() => d.task(base, volume, confirmed)}>
      <Text size="xs">{d.what(volume)}</Text>
      <InUseWarning users={volume.usedBy} consequence={d.consequence} confirmed={confirmed} setConfirmed={setConfirmed} />
    </StorageModal>
  );
}
