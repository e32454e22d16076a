// The storage dialogs of one host's view, one open at a time.
import type { HostStorage } from '../../../shared/contract';
import type { StorageDialog } from './dialogs';

export function StorageDialogs(_p: { hostId: string; hostLabel: string; storage: HostStorage; dialog?: StorageDialog; close(): void }) {
  return null;
}
