import { EventEmitter } from 'node:events';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { startWebHost, type WebHost } from '../../web/server';
import { ConsoleManager, type ConsoleChannel, type ConsoleHost } from './console-manager';
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
    const base = `ws://127.0.0.1:${host.port}${host.prefix}${CONSOLE_PATH}`;
    expect(await upgradeStatus(`${base}?id=whatever`)).toBe(403);
    expect(await upgradeStatus(`${base}?token=${host.token}&id=whatever`)).toBe(403);
    expect(await upgradeStatus(`${base}?token=${host.token}&id=whatever`, { Origin: 'http://evil.example' })).toBe(403);
    // Outside the run's prefix there is no console path at all.
    expect(await upgradeStatus(`ws://127.0.0.1:${host.port}${CONSOLE_PATH}?token=${host.token}&id=whatever`)).toBe(404);
  });
});

/** A console server on 127.0.0.1 whose channels the test controls. */
async function consoleServer(host: Partial<ConsoleHost> & { label: string }) {
  const consoles = new ConsoleManager(() => ({
    libvirtUri: 'qemu:///system',
    virsh: async () => 'running\n',
    forwardOut: async () => new EchoChannel(),
    openPty: async () => new EchoChannel(),
    ...host,
  }));
  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer();
  server.on('upgrade', (req, socket, head) => upgradeConsole(wss, consoles, req, socket, head));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  const port = (server.address() as { port: number }).port;
  return {
    async open(kind: 'shell' | 'serial' = 'shell') {
      const { consoleId } = await consoles.open({ hostId: 'h', name: 'vm1', kind });
      const ws = new WebSocket(`ws://127.0.0.1:${port}${CONSOLE_PATH}?id=${consoleId}`);
      const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
      await new Promise((r) => ws.on('open', r));
      return { ws, closed };
    },
  };
}

describe('security: the /console WebSocket under hostile sizes', () => {
  it('security: a close reason longer than 123 bytes of UTF-8 is cut by bytes, not characters', async () => {
    const channel = new EchoChannel();
    const label = 'Гипервизор-'.repeat(8);
    const server = await consoleServer({ label, openPty: async () => channel });
    const { closed } = await server.open('shell');
    channel.close();
    const { code, reason } = await closed;
    expect(code).toBe(4001);
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
    expect(reason).toMatch(/^The shell on Гипервизор-Гипервизор.*…$/);
    // The host is still up: another console opens.
    const again = await server.open('shell');
    again.ws.close();
  });

  it('security: console input before the SSH channel opens is bounded; past it the socket is closed, saying why', async () => {
    let openChannel!: (c: ConsoleChannel) => void;
    const server = await consoleServer({ label: 'hv9', openPty: () => new Promise((r) => (openChannel = r)) });
    const { ws, closed } = await server.open('shell');
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < 8; i++) ws.send(chunk);
    expect(await closed).toEqual({ code: 1009, reason: 'VirtDeck: too much console input before the console opened' });
    openChannel(new EchoChannel());
  });

  it('security: console output pauses the SSH channel while the page does not read, and resumes when it does', async () => {
    class FloodChannel extends EchoChannel {
      paused = 0;
      resumed = 0;
      pause() {
        this.paused++;
      }
      resume() {
        this.resumed++;
      }
    }
    const channel = new FloodChannel();
    const server = await consoleServer({ label: 'hv9', openPty: async () => channel });
    const { ws } = await server.open('shell');
    // The page stops reading its socket.
    (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const mib = Buffer.alloc(1024 * 1024, 0x62);
    for (let i = 0; i < 32 && channel.paused === 0; i++) {
      channel.emit('data', mib);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(channel.paused).toBe(1);
    let received = 0;
    ws.on('message', (d: Buffer) => (received += d.length));
    (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await expect.poll(() => channel.resumed, { timeout: 5000 }).toBe(1);
    expect(received).toBeGreaterThan(0);
    ws.close();
  });
});
