// Browser mode: the same renderer and backend, served on 127.0.0.1 only. A random per-run token
// is required on every HTTP request and on the WebSocket that carries the contract.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientFrame, ServerFrame } from '../../shared/contract/index.js';
import { Backend } from '../backend/backend.js';
import { CONSOLE_PATH, upgradeConsole } from '../backend/consoles/ws-bridge.js';
import { CONTENT_SECURITY_POLICY } from '../main/window-security.js';

const TOKEN_COOKIE = 'virtdeck_token';

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
  close(): Promise<void>;
}

function tokenMatches(candidate: string | undefined | null, token: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function requestToken(req: IncomingMessage): string | undefined {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  return url.searchParams.get('token') ?? cookie(req, TOKEN_COOKIE);
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = randomBytes(24).toString('base64url');
  const backend = new Backend({ dataDir: opts.dataDir, sshConfigPath: opts.sshConfigPath });
  const rendererDir = resolve(opts.rendererDir);
  let origin = '';

  const server = createServer((req, res) => void serveFile(req, res));

  async function serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!tokenMatches(requestToken(req), token)) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('VirtDeck: a valid token is required\n');
      return;
    }
    const path = new URL(req.url ?? '/', origin).pathname;
    const file = normalize(join(rendererDir, path === '/' ? 'index.html' : decodeURIComponent(path)));
    if (!file.startsWith(rendererDir + sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
        // The page's own asset requests carry no query string: the cookie authorises them.
        'Set-Cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    // Cross-site pages may open WebSockets to localhost: require our token and our own origin.
    if (!tokenMatches(requestToken(req), token) || (req.headers.origin && req.headers.origin !== origin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    // Consoles: binary frames on their own path, each also needing a one-time id from console.open.
    if (new URL(req.url ?? '/', origin).pathname === CONSOLE_PATH) return upgradeConsole(wss, backend.consoles, req, socket, head);
    wss.handleUpgrade(req, socket, head, (ws) => serveClient(ws));
  });

  function serveClient(ws: WebSocket): void {
    const send = (frame: ServerFrame) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(frame));
    const unsubscribe = backend.onEvent((event) => send({ event }));
    ws.on('close', unsubscribe);
    ws.on('message', async (data) => {
      let frame: ClientFrame;
      try {
        frame = JSON.parse(String(data)) as ClientFrame;
      } catch {
        return;
      }
      // JSON that is not a frame (null, a number …) is ignored like one without an id.
      if (typeof frame?.id !== 'number') return;
      // The dispatcher checks the method name and the parameters.
      send({ id: frame.id, outcome: await backend.call(frame.method, frame.params) });
    });
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, '127.0.0.1', ok);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    token,
    port,
    async close() {
      for (const client of wss.clients) client.terminate();
      await backend.close();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
