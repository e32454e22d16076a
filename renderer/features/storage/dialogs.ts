// Which storage dialog is open: one at a time per view, opened from a pool header or a volume row.
import type { StoragePool, StorageVolume } from '../../../shared/contract';

export type StorageDialog =
  | { kind: 'create-pool' }
  | { kind: 'delete-pool'; pool: StoragePool }
  | { kind: 'create-volume'; pool: StoragePool }
  | { kind: 'resize'; pool: StoragePool; volume: StorageVolume }
  | { kind: 'clone'; pool: StoragePool; volume: StorageVolume }
  | { kind: 'wipe'; pool: StoragePool; volume: StorageVolume }
  | { kind: 'delete-volume'; pool: StoragePool; volume: StorageVolume }
  | { kind: 'attach'; pool: StoragePool; volume: StorageVolume };

export type OpenDialog = (d: StorageDialog) => void;
