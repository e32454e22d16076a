// Browser mode's console path: GET /console?token=…&id=… upgraded to a WebSocket. The caller has
// already checked the per-run token, the Host and the origin; here the one-time console id is spent.
// Binary frames carry the console's bytes both ways; text frames carry ConsoleControl (resize).
// Both directions are bounded: input waits (the socket is not read) while the SSH channel is full,
// output pauses the channel while the page has much unread (ws-flow.ts).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { ConsoleControl } from '../../../shared/contract/index.js';
import type { ConsoleManager, ConsoleStream } from './console-manager.js';
import { closeWith, EARLY_INPUT_BYTES, pacedSender, refuseUpgrade } from './ws-flow.js';

export const CONSOLE_PATH = '/console';

/** The query of a request target; never throws, whatever the target holds. */
export function targetQuery(target: string | undefined): URLSearchParams {
  const at = (target ?? '').indexOf('?');
  return new URLSearchParams(at < 0 ? '' : target!.slice(at + 1));
}

const size = (value: string | null, fallback: number) => Math.min(Math.max(Math.trunc(Number(value)) || fallback, 1), 999);

export function upgradeConsole(wss: WebSocketServer, consoles: ConsoleManager, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const query = targetQuery(req.url);
  const id = query.get('id') ?? '';
  if (!consoles.has(id)) {
    return refuseUpgrade(socket, 403);
  }
  const cols = size(query.get('cols'), 80);
  const rows = size(query.get('rows'), 24);
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.binaryType = 'nodebuffer';
    const early: Buffer[] = [];
    let earlyBytes = 0;
    let stream: ConsoleStream | undefined;
    let gone = false;
    let draining = false;
    const output = pacedSender(ws, () => stream);
    const input = (buf: Buffer) => {
      if (stream) {
        // The channel's buffer is full: stop reading the socket until it drains.
        if (!stream.write(buf) && !draining) {
          draining = true;
          ws.pause();
          stream.whenDrained(() => {
            draining = false;
            ws.resume();
          });
        }
        return;
      }
      earlyBytes += buf.length;
      if (earlyBytes > EARLY_INPUT_BYTES) return closeWith(ws, 1009, 'VirtDeck: too much console input before the console opened');
      early.push(buf);
    };
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        try {
          const control = JSON.parse(String(data)) as ConsoleControl | null;
          if (control?.resize) stream?.resize(Number(control.resize.cols), Number(control.resize.rows));
        } catch {
          /* not ours: ignore */
        }
        return;
      }
      input(Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]));
    });
    ws.on('close', () => {
      gone = true;
      stream?.close();
    });
    consoles
      .attach(
        id,
        {
          send: (data) => output.send(data),
          // 4000-4999 are ours: the page tells a dropped stream from its own close.
          close: (reason) => closeWith(ws, 4001, reason),
        },
        { cols, rows },
      )
      .then(
        (s) => {
          if (gone) return s.close();
          stream = s;
          if (output.paused) s.pause();
          for (const buf of early.splice(0)) input(buf);
        },
        (err: Error) => closeWith(ws, 4002, err.message),
      );
  });
}
