import { EventEmitter } from 'node:events';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { startWebHost, type WebHost } from '../../web/server';
import { ConsoleManager, type ConsoleChannel } from './console-manager';
import { CONSOLE_PATH, upgradeConsole } from './ws-bridge';

class EchoChannel extends EventEmitter implements ConsoleChannel {
  write(data: Buffer): boolean {
    setImmediate(() => this.emit('data', Buffer.concat([Buffer.from('echo:'), data])));
    return true;
  }
  close(): void {
    this.emit('close');
  }
}

/** Resolves with the HTTP status of a refused upgrade, or 101 when it opened. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => undefined);
  });
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('the /console WebSocket', () => {
  it('spends a one-time id: bytes flow both ways once, a second use and a forged id are refused', async () => {
    const consoles = new ConsoleManager(() => ({
      label: 'hv9',
      libvirtUri: 'qemu:///system',
      virsh: async () => "Domain: 'vm1'\n  state.state=1\n",
      forwardOut: async () => new EchoChannel(),
      openPty: async () => new EchoChannel(),
    }));
    const wss = new WebSocketServer({ noServer: true });
    const server: Server = createServer();
    server.on('upgrade', (req, socket, head) => upgradeConsole(wss, consoles, req, socket, head));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as { port: number }).port;

    const { consoleId } = await consoles.open({ hostId: 'h', name: 'vm1', kind: 'serial' });
    const url = `ws://127.0.0.1:${port}${CONSOLE_PATH}?id=${consoleId}`;
    const ws = new WebSocket(url);
    const reply = new Promise<string>((resolve) => ws.on('message', (d) => resolve(String(d))));
    await new Promise((r) => ws.on('open', r));
    ws.send(Buffer.from('hello'));
    expect(await reply).toBe('echo:hello');
    ws.close();

    expect(await upgradeStatus(url)).toBe(403);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}${CONSOLE_PATH}?id=forged`)).toBe(403);
  });

  it('in browser mode also needs the per-run token and our origin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vd-console-ws-'));
    mkdirSync(join(dir, 'renderer'));
    const host: WebHost = await startWebHost({ port: 0, rendererDir: join(dir, 'renderer'), dataDir: join(dir, 'data') });
    cleanups.push(async () => {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const base = `ws://127.0.0.1:${host.port}${CONSOLE_PATH}`;
    expect(await upgradeStatus(`${base}?id=whatever`)).toBe(403);
    expect(await upgradeStatus(`${base}?token=${host.token}&id=whatever`)).toBe(403);
    expect(await upgradeStatus(`${base}?token=${host.token}&id=whatever`, { Origin: 'http://evil.example' })).toBe(403);
  });
});
