import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from './server';

describe('browser-mode web host', () => {
  let host: WebHost;
  let base: string;

  beforeAll(async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'vd-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>VirtDeck</title>');
    writeFileSync(join(rendererDir, 'app.js'), 'console.log(1)');
    host = await startWebHost({ port: 0, rendererDir, dataDir: mkdtempSync(join(tmpdir(), 'vd-data-')) });
    base = `http://127.0.0.1:${host.port}`;
  });
  afterAll(() => host.close());

  it('prints a loopback URL that carries the token', () => {
    expect(host.url).toBe(`${base}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses HTTP requests without the token or with a wrong one', async () => {
    expect((await fetch(`${base}/`)).status).toBe(403);
    expect((await fetch(`${base}/app.js`)).status).toBe(403);
    expect((await fetch(`${base}/?token=${host.token.slice(1)}x`)).status).toBe(403);
    expect((await fetch(`${base}/`, { headers: { cookie: 'virtdeck_token=nope' } })).status).toBe(403);
  });

  it('serves the page with the token, then assets by its cookie, with a strict CSP', async () => {
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toBe(`virtdeck_token=${host.token}`);
    const asset = await fetch(`${base}/app.js`, { headers: { cookie } });
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe('console.log(1)');
  });

  it('does not serve files outside the renderer folder', async () => {
    const res = await fetch(`${base}/..%2F..%2Fetc%2Fpasswd?token=${host.token}`);
    expect(res.status).toBe(404);
  });

  const openSocket = (query: string, origin?: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws${query}`, origin ? { origin } : {});
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });

  it('refuses a WebSocket without the token, or from another origin', async () => {
    await expect(openSocket('')).rejects.toThrow(/403/);
    await expect(openSocket('?token=wrong')).rejects.toThrow(/403/);
    await expect(openSocket(`?token=${host.token}`, 'http://evil.example')).rejects.toThrow(/403/);
  });

  it('answers the contract over the WebSocket with the token', async () => {
    const ws = await openSocket(`?token=${host.token}`, base);
    const reply = new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    ws.send(JSON.stringify({ id: 7, method: 'hosts.list', params: {} }));
    expect(await reply).toEqual({ id: 7, outcome: { ok: true, value: [] } });
    const bad = new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    ws.send(JSON.stringify({ id: 8, method: 'hosts.add', params: { target: 'hv1; rm -rf /' } }));
    expect(await bad).toMatchObject({ id: 8, outcome: { ok: false, error: { message: expect.stringMatching(/Not a host/) } } });
    ws.close();
  });
});
