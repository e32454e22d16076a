// Browser mode: the same renderer and backend, served on 127.0.0.1 only. Everything lives under a
// random per-run path prefix and needs a random per-run token (request-guard.ts); the token's
// cookie is scoped to that prefix, because cookies ignore ports and any other server on
// 127.0.0.1 would otherwise receive it. No request can make the host throw: each is checked and
// answered inside a guard that replies 400 to what it cannot parse.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServerFrame } from '../../shared/contract/index.js';
import { Backend } from '../backend/backend.js';
import { CONSOLE_PATH, upgradeConsole } from '../backend/consoles/ws-bridge.js';
import { refuseUpgrade, sendBounded } from '../backend/consoles/ws-flow.js';
import { CONTENT_SECURITY_POLICY } from '../main/window-security.js';
import { checkRequest, TOKEN_COOKIE, type Guard } from './request-guard.js';
import { serveTransfer, TRANSFER_PATH } from './transfer-http.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** On every answer: no Referer carries the prefix (or a token) anywhere, nothing is cached. */
const BASE_HEADERS = { 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };

/** Calls one contract socket may have in flight before the host stops reading it. */
const MAX_CALLS_IN_FLIGHT = 32;

export interface WebHostOptions {
  port: number;
  rendererDir: string;
  dataDir: string;
  sshConfigPath?: string;
}

export interface WebHost {
  url: string;
  token: string;
  port: number;
  /** `/<random>`: the path every page, asset and socket of this run lives under. */
  prefix: string;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = randomBytes(24).toString('base64url');
  const guard: Guard = { token, prefix: `/${randomBytes(12).toString('base64url')}`, host: '' };
  const backend = new Backend({ dataDir: opts.dataDir, sshConfigPath: opts.sshConfigPath });
  const rendererDir = resolve(opts.rendererDir);
  let origin = '';

  const server = createServer((req, res) => {
    serveFile(req, res).catch(() => answer(res, 400, 'Bad request'));
  });
  // Node answers unparsable HTTP itself; this keeps a socket error from ever reaching the process.
  server.on('clientError', (_err, socket) => refuseUpgrade(socket, 400));

  async function serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const verdict = checkRequest(req, guard);
    if (verdict.status !== 200) return answer(res, verdict.status, verdict.message);
    if (verdict.path === TRANSFER_PATH) return serveTransfer(req, res, backend.transfers, origin);
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'Only GET and HEAD');
    const file = normalize(join(rendererDir, verdict.path === '/' ? 'index.html' : verdict.path));
    if (!file.startsWith(rendererDir + sep)) return answer(res, 404, 'Not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return answer(res, 404, 'Not found');
    }
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      // The page's own asset requests carry no query string: the cookie authorises them, and
      // only them — its Path is this run's prefix, which no other local server is asked for.
      'Set-Cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=${guard.prefix}/`,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that resets mid-handshake must not become an uncaught 'error'.
    socket.on('error', () => socket.destroy());
    try {
      const verdict = checkRequest(req, guard);
      if (verdict.status !== 200) return refuseUpgrade(socket, verdict.status);
      // Cross-site pages may open WebSockets to localhost: require our own origin.
      if (req.headers.origin !== undefined && req.headers.origin !== origin) return refuseUpgrade(socket, 403);
      // Consoles: binary frames on their own path, each also needing a one-time id from console.open.
      if (verdict.path === CONSOLE_PATH) return upgradeConsole(wss, backend.consoles, req, socket, head);
      if (verdict.path !== '/ws') return refuseUpgrade(socket, 404);
      wss.handleUpgrade(req, socket, head, (ws) => serveClient(ws));
    } catch {
      refuseUpgrade(socket, 400);
    }
  });

  function serveClient(ws: WebSocket): void {
    const send = (frame: ServerFrame) => sendBounded(ws, JSON.stringify(frame));
    const unsubscribe = backend.onEvent((event) => send({ event }));
    ws.on('close', unsubscribe);
    ws.on('error', () => ws.terminate());
    let inFlight = 0;
    let held = false;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: { id?: unknown; method?: unknown; params?: unknown } | null;
      try {
        frame = JSON.parse(String(data)) as typeof frame;
      } catch {
        return;
      }
      // JSON that is not a frame (null, a number …) is ignored like one without an id.
      if (typeof frame !== 'object' || frame === null || typeof frame.id !== 'number') return;
      const id = frame.id;
      // Back-pressure on calls: past the limit the socket is not read until answers go out.
      if (++inFlight >= MAX_CALLS_IN_FLIGHT && !held) {
        held = true;
        ws.pause();
      }
      // The dispatcher checks the method name and the parameters; a call never throws.
      void backend.call(frame.method, frame.params).then((outcome) => {
        if (--inFlight < MAX_CALLS_IN_FLIGHT && held) {
          held = false;
          ws.resume();
        }
        send({ id, outcome });
      });
    });
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, '127.0.0.1', ok);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  // One name only: 127.0.0.1 is the origin the page, the cookie and the Origin check agree on.
  guard.host = `127.0.0.1:${port}`;
  origin = `http://${guard.host}`;

  return {
    url: `${origin}${guard.prefix}/?token=${token}`,
    token,
    port,
    prefix: guard.prefix,
    async close() {
      for (const client of wss.clients) client.terminate();
      await backend.close();
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections();
      await closed;
    },
  };
}
