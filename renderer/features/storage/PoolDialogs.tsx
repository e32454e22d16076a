// Delete a pool (keeping or deleting what is in it, the risk said plainly) and hand a volume to
// a VM's Add disk form.
import { NativeSelect, Radio, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { StoragePool, StorageVolume } from '../../../shared/contract';
import { runTask } from '../../app/api';
import { useDiskHandover } from '../../store/disk-handover';
import { useFleet } from '../../store/fleet';
import { useNavigation } from '../../store/navigation';
import { InUseWarning, StorageModal } from './DialogParts';

interface Base {
  hostId: string;
  hostLabel: string;
  pool: StoragePool;
  close(): void;
}

function contentsRisk(pool: StoragePool, count: number): string {
  const what = pool.type === 'logical' ? `the volume group ${pool.source || pool.name} is removed` : pool.type === 'dir' ? `the folder ${pool.targetPath ?? ''} is removed` : 'the pool storage is removed';
  return `All ${count} volume${count === 1 ? '' : 's'} in it are deleted and ${what}. Nothing of it can be got back.`;
}

export function DeletePoolDialog({ hostId, hostLabel, pool, volumes, close }: Base & { volumes: StorageVolume[] }) {
  const [mode, setMode] = useState<'keep' | 'contents'>('keep');
  const [confirmed, setConfirmed] = useState(false);
  const deleteContents = mode === 'contents';
  return (
    <StorageModal
      title={`Delete pool ${pool.name}?`}
      action={deleteContents ? 'Delete pool and contents' : 'Delete pool'}
      danger
      disabled={pool.usedBy.length > 0 && !confirmed}
      close={close}
      run={() => runTask(`Delete pool ${pool.name}${deleteContents ? ' and its contents' : ''} on ${hostLabel}`, 'pool.delete', { hostId, pool: pool.name, deleteContents, force: confirmed })}
    >
      <Radio.Group value={mode} onChange={(v) => setMode(v as 'keep' | 'contents')} aria-label="What happens to the contents">
        <Stack gap={6}>
          <Radio size="xs" value="keep" label="Keep its contents: libvirt forgets the pool; the files or logical volumes stay on the host" />
          <Radio size="xs" value="contents" label="Delete its contents too" />
        </Stack>
      </Radio.Group>
      {deleteContents && (
        <Text size="xs" c="red" role="alert">
          {contentsRisk(pool, volumes.length)}
        </Text>
      )}
      <InUseWarning
        users={pool.usedBy}
        consequence={deleteContents ? 'Their disks are deleted with the pool.' : 'Their disks stay on the host, but libvirt no longer manages them as volumes of this pool.'}
        confirmed={confirmed}
        setConfirmed={setConfirmed}
      />
    </StorageModal>
  );
}

export function AttachDialog({ hostId, hostLabel, pool, volume, close }: Base & { volume: StorageVolume }) {
  const vms = useFleet((s) => s.vmsByHost[hostId]) ?? [];
  const [vm, setVm] = useState(vms.find((v) => !volume.usedBy.includes(v.name))?.name ?? vms[0]?.name ?? '');
  const go = useNavigation((s) => s.go);
  return (
    <StorageModal
      title={`Attach ${volume.name} to a VM`}
      action="Open Add disk"
      disabled={!vm}
      close={close}
      run={async () => {
        useDiskHandover.getState().offer({ vm: { hostId, name: vm }, pool: pool.name, volume: volume.name });
        go({ kind: 'vm', vm: { hostId, name: vm }, tab: 'hardware' });
        return true;
      }}
    >
      <NativeSelect size="xs" label={`VM on ${hostLabel}`} data={vms.map((v) => v.name)} value={vm} onChange={(e) => setVm(e.currentTarget.value)} />
      <Text size="xs" c="dimmed">
        The VM&apos;s hardware editor opens its Add disk form with this volume chosen; pick the bus there.
      </Text>
    </StorageModal>
  );
}
