// Browser mode's console path: GET /console?token=…&id=… upgraded to a WebSocket. The caller has
// already checked the per-run token and the origin; here the one-time console id is spent.
// Binary frames carry the console's bytes both ways; text frames carry ConsoleControl (resize).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { ConsoleControl } from '../../../shared/contract/index.js';
import type { ConsoleManager } from './console-manager.js';

export const CONSOLE_PATH = '/console';

export function upgradeConsole(wss: WebSocketServer, consoles: ConsoleManager, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const id = url.searchParams.get('id') ?? '';
  if (!consoles.has(id)) {
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    return;
  }
  const cols = Number(url.searchParams.get('cols')) || 80;
  const rows = Number(url.searchParams.get('rows')) || 24;
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.binaryType = 'nodebuffer';
    const early: Buffer[] = [];
    let stream: Awaited<ReturnType<ConsoleManager['attach']>> | undefined;
    let gone = false;
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        try {
          const control = JSON.parse(String(data)) as ConsoleControl;
          if (control.resize) stream?.resize(Number(control.resize.cols), Number(control.resize.rows));
        } catch {
          /* not ours: ignore */
        }
        return;
      }
      const buf = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
      if (stream) stream.write(buf);
      else early.push(buf);
    });
    ws.on('close', () => {
      gone = true;
      stream?.close();
    });
    consoles
      .attach(
        id,
        {
          send: (data) => ws.readyState === ws.OPEN && ws.send(data, { binary: true }),
          // 4000-4999 are ours: the page tells a dropped stream from its own close.
          close: (reason) => ws.readyState === ws.OPEN && ws.close(4001, reason.slice(0, 120)),
        },
        { cols: Math.min(Math.max(cols, 1), 999), rows: Math.min(Math.max(rows, 1), 999) },
      )
      .then(
        (s) => {
          if (gone) return s.close();
          stream = s;
          for (const buf of early.splice(0)) s.write(buf);
        },
        (err: Error) => ws.readyState === ws.OPEN && ws.close(4002, err.message.slice(0, 120)),
      );
  });
}
