// Where actions from other rooms join a pool header or a volume row (uploads, downloads, copies
// between hosts …): each returns the buttons or menu items to show there, or nothing.
import type { StoragePool, StorageVolume } from '../../../shared/contract';
import { PoolUploadAction, VolumeTransferActions } from '../transfers/TransferActions';

export interface PoolSlotProps {
  hostId: string;
  pool: StoragePool;
}

export interface VolumeSlotProps {
  hostId: string;
  pool: StoragePool;
  volume: StorageVolume;
}

/** Shown in each pool's header, after its own actions. */
export function PoolHeaderActions(p: PoolSlotProps) {
  return <PoolUploadAction hostId={p.hostId} pool={p.pool.name} active={p.pool.active} />;
}

/** Shown in each volume row, before its own actions menu. */
export function VolumeRowActions(p: VolumeSlotProps) {
  return <VolumeTransferActions hostId={p.hostId} pool={p.pool.name} volume={p.volume.name} />;
}
