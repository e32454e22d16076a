// The storage dialogs of one host's view, one open at a time.
import type { HostStorage } from '../../../shared/contract';
import { CreatePoolDialog } from './CreatePoolDialog';
import type { StorageDialog } from './dialogs';
import { AttachDialog, DeletePoolDialog } from './PoolDialogs';
import { CloneDialog, CreateVolumeDialog, DestroyVolumeDialog, ResizeDialog } from './VolumeDialogs';

export function StorageDialogs({ hostId, hostLabel, storage, dialog, close }: { hostId: string; hostLabel: string; storage: HostStorage; dialog?: StorageDialog; close(): void }) {
  if (!dialog) return null;
  const base = { hostId, hostLabel, close };
  switch (dialog.kind) {
    case 'create-pool':
      return <CreatePoolDialog {...base} />;
    case 'delete-pool':
      return <DeletePoolDialog {...base} pool={dialog.pool} volumes={storage.volumes.filter((v) => v.pool === dialog.pool.name)} />;
    case 'create-volume':
      return <CreateVolumeDialog {...base} pool={dialog.pool} storage={storage} />;
    case 'resize':
      return <ResizeDialog {...base} pool={dialog.pool} volume={dialog.volume} />;
    case 'clone':
      return <CloneDialog {...base} pool={dialog.pool} volume={dialog.volume} />;
    case 'wipe':
      return <DestroyVolumeDialog kind="wipe" {...base} pool={dialog.pool} volume={dialog.volume} />;
    case 'delete-volume':
      return <DestroyVolumeDialog kind="delete" {...base} pool={dialog.pool} volume={dialog.volume} />;
    case 'attach':
      return <AttachDialog {...base} pool={dialog.pool} volume={dialog.volume} />;
  }
}
