// Browser mode's byte paths for transfers, under the same prefix + token guard as everything else
// (request-guard.ts), each needing a one-time ticket from transfer.prepareUpload/-Download:
//   PUT <prefix>/transfer?id=T   the file as the request body (fetch with a File: the browser
//                                streams it from disk). Back-pressure is TCP's: the host reads the
//                                body only as fast as the SSH channel takes it.
//   GET <prefix>/transfer?id=T   the volume as a streamed attachment the browser saves.
// A plain HTTP body was chosen over WebSocket chunks with acknowledgements: it streams with flow
// control for free, needs no framing or resume logic, and the browser's own download manager
// saves the answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Transfers } from '../backend/transfers/transfers.js';

export const TRANSFER_PATH = '/transfer';

const BASE = { 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { ...BASE, 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' }).end(JSON.stringify(body));
}

/** `attachment; filename="…"` with an ASCII stand-in and the exact name in RFC 5987 form. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_') || 'volume';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function serveTransfer(req: IncomingMessage, res: ServerResponse, transfers: Transfers, origin: string): Promise<void> {
  // A page of another origin cannot send or read these (the cookie is SameSite=Strict as well).
  if (req.headers.origin !== undefined && req.headers.origin !== origin) return reply(res, 403, { error: 'VirtDeck: wrong origin' });
  const id = new URLSearchParams((req.url ?? '').split('?')[1] ?? '').get('id') ?? '';
  try {
    if (req.method === 'PUT') {
      // The page stops sending (Cancel aborts its fetch, or it closed): that is a cancel too, and
      // it is said before the body's reading fails, so the transfer ends as cancelled, cleaned up.
      req.once('aborted', () => {
        try {
          transfers.cancel(id);
        } catch {
          /* already ended */
        }
      });
      const progress = await transfers.acceptUpload(id, req, () => req.destroy());
      return reply(res, progress.state === 'done' ? 200 : 409, progress);
    }
    if (req.method === 'GET') {
      const progress = await transfers.acceptDownload(id, (_total, fileName) => {
        res.writeHead(200, { ...BASE, 'Content-Type': 'application/octet-stream', 'Content-Disposition': contentDisposition(fileName) });
        return res;
      });
      // Headers already sent: a failed download ends the connection, so the browser marks it failed.
      if (progress.state !== 'done') return reply(res, 409, progress);
      return;
    }
    return reply(res, 405, { error: 'Only PUT (upload) and GET (download)' });
  } catch (err) {
    return reply(res, 404, { error: (err as Error).message });
  }
}
