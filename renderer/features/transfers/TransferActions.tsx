// The transfer actions the storage view shows: "Upload to this pool…" on a pool's header;
// Download and "Copy to host…" on a volume's row.
import { Button, Group } from '@mantine/core';
import { useState } from 'react';
import { useFleet } from '../../store/fleet';
import { CopyDialog } from './CopyDialog';
import { activePools, downloadVolume } from './transfer-tasks';
import { UploadDialog } from './UploadDialog';

const useHostLabel = (hostId: string) => useFleet((s) => s.hosts[hostId]?.config.label ?? hostId);

export function PoolUploadAction({ hostId, pool, active }: { hostId: string; pool: string; active: boolean }) {
  const [open, setOpen] = useState(false);
  const where = `${useHostLabel(hostId)}:${pool}`;
  return (
    <>
      <Button size="compact-xs" variant="default" disabled={!active} aria-label={`Upload to pool ${pool} on ${useHostLabel(hostId)}`} onClick={() => setOpen(true)}>
        Upload to this pool…
      </Button>
      {open && <UploadDialog hostId={hostId} pool={pool} where={where} onClose={() => setOpen(false)} />}
    </>
  );
}

export function VolumeTransferActions({ hostId, pool, volume }: { hostId: string; pool: string; volume: string }) {
  const [copying, setCopying] = useState(false);
  const host = useHostLabel(hostId);
  return (
    <Group gap={4} wrap="nowrap">
      <Button size="compact-xs" variant="subtle" aria-label={`Download ${volume} from ${host}`} onClick={() => void downloadVolume({ hostId, pool, name: volume }, `${host}:${pool}`)}>
        Download
      </Button>
      <Button size="compact-xs" variant="subtle" aria-label={`Copy ${volume} from ${host} to a host`} onClick={() => setCopying(true)}>
        Copy to host…
      </Button>
      {copying && <CopyDialog hostId={hostId} pool={pool} volume={volume} listPools={activePools} onClose={() => setCopying(false)} />}
    </Group>
  );
}
