// Transfers: uploads, downloads and host-to-host copies of volumes (transfers/). Paths on this
// machine are accepted only where the backend was told the caller is the app's own window with
// native dialogs (Electron); browser mode brings and takes bytes over HTTP instead.
import { UserError } from '../errors.js';
import type { Service } from '../dispatch.js';
import type { ServiceContext } from './context.js';

type TransferMethod = 'transfer.prepareUpload' | 'transfer.prepareDownload' | 'transfer.copy' | 'transfer.uploadFile' | 'transfer.downloadFile' | 'transfer.cancel';

export function transfersService(ctx: ServiceContext): Service<TransferMethod> {
  const localOnly = (path: string): string => {
    if (!ctx.localFiles) throw new UserError('forbidden', 'Files on this machine are reached through the browser here (its file picker and downloads)');
    if (!path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(path)) throw new UserError('invalid-input', `Not an absolute path: ${path}`);
    return path;
  };
  return {
    'transfer.prepareUpload': async ({ size, ...dest }) => ({ transferId: await ctx.transfers.prepareUpload(dest, size) }),
    'transfer.prepareDownload': async (src) => ({ transferId: await ctx.transfers.prepareDownload(src), fileName: src.name }),
    'transfer.copy': async ({ toHostId, toPool, toName, ...src }) => ({ transferId: ctx.transfers.copy(src, { hostId: toHostId, pool: toPool, name: toName }) }),
    'transfer.uploadFile': async ({ path, ...dest }) => ({ transferId: await ctx.transfers.uploadFile(dest, localOnly(path)) }),
    'transfer.downloadFile': async ({ path, ...src }) => ({ transferId: await ctx.transfers.downloadFile(src, localOnly(path)) }),
    'transfer.cancel': async ({ transferId }) => {
      ctx.transfers.cancel(transferId);
      return null;
    },
  };
}
