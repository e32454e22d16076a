import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { rawExchange, rawRequest, statusOf, upgradeHeaders } from './raw-client.test-support';
import { startWebHost, type WebHost } from './server';

/** What e2e/support/app.ts and the README read from the host's one printed line. */
const PRINTED_LINE = /^VirtDeck: (http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/\?token=\S+)$/;

describe('browser-mode web host', () => {
  let host: WebHost;
  let root: string;
  let base: string;
  let hostHeader: string;

  beforeAll(async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'vd-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>VirtDeck</title>');
    writeFileSync(join(rendererDir, 'app.js'), 'console.log(1)');
    host = await startWebHost({ port: 0, rendererDir, dataDir: mkdtempSync(join(tmpdir(), 'vd-data-')) });
    hostHeader = `127.0.0.1:${host.port}`;
    root = `http://${hostHeader}`;
    base = `${root}${host.prefix}`;
  });
  afterAll(() => host.close());

  it('prints a loopback URL under a random per-run prefix that carries the token', () => {
    expect(host.url).toBe(`${base}/?token=${host.token}`);
    expect(`VirtDeck: ${host.url}`).toMatch(PRINTED_LINE);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
    expect(host.prefix).toMatch(/^\/[A-Za-z0-9_-]{16,}$/);
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

  it('security: the token cookie is scoped to the per-run prefix, so other local servers are never sent it', async () => {
    const page = await fetch(host.url);
    const attributes = page.headers.get('set-cookie')!.split(';').map((a) => a.trim());
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', `Path=${host.prefix}/`]));
    expect(attributes).not.toContain('Path=/');
    // Nothing is served outside the prefix, not even with the token.
    expect((await fetch(`${root}/?token=${host.token}`)).status).toBe(404);
    expect((await fetch(`${root}/app.js?token=${host.token}`)).status).toBe(404);
  });

  it('security: every answer says Referrer-Policy: no-referrer', async () => {
    for (const url of [host.url, `${base}/app.js?token=${host.token}`, `${base}/nope?token=${host.token}`, `${base}/`, `${root}/?token=${host.token}`]) {
      expect((await fetch(url)).headers.get('referrer-policy'), url).toBe('no-referrer');
    }
  });

  it('security: the Host header must be exactly 127.0.0.1:PORT (DNS rebinding)', async () => {
    const target = `${host.prefix}/?token=${host.token}`;
    expect(statusOf(await rawExchange(host.port, rawRequest(target, { Host: hostHeader })))).toBe(200);
    for (const bad of [`localhost:${host.port}`, `evil.example:${host.port}`, '127.0.0.1', `127.0.0.1:${host.port + 1}`, `127.0.0.1:${host.port}.evil.example`]) {
      expect(statusOf(await rawExchange(host.port, rawRequest(target, { Host: bad }))), bad).toBe(403);
    }
    expect(statusOf(await rawExchange(host.port, rawRequest(target)))).toBe(400);
    const upgrade = rawRequest(`${host.prefix}/ws?token=${host.token}`, { ...upgradeHeaders(hostHeader), Host: `rebound.example:${host.port}` });
    expect(statusOf(await rawExchange(host.port, upgrade))).toBe(403);
  });

  it('security: a request target that URL parsing throws on, without the token, is answered and the host lives', async () => {
    for (const target of ['//[x', '//[x?token=a', '/%', 'http://[x/', '*']) {
      expect(statusOf(await rawExchange(host.port, rawRequest(target, { Host: hostHeader }))), target).toBe(403);
      expect(statusOf(await rawExchange(host.port, rawRequest(target, upgradeHeaders(hostHeader)))), `upgrade ${target}`).toBe(403);
    }
    // With the token too: not under the prefix, so not found.
    expect(statusOf(await rawExchange(host.port, rawRequest(`//[x?token=${host.token}`, { Host: hostHeader })))).toBe(404);
    expect((await fetch(host.url)).status).toBe(200);
  });

  it('security: a path that is not valid percent-encoded UTF-8 is a 400, not an exit', async () => {
    for (const path of ['/%E0%A4', '/%', '/%zz', '/a%00b', '/%C0%AF']) {
      const target = `${host.prefix}${path}?token=${host.token}`;
      expect(statusOf(await rawExchange(host.port, rawRequest(target, { Host: hostHeader }))), path).toBe(400);
      expect(statusOf(await rawExchange(host.port, rawRequest(target, upgradeHeaders(hostHeader)))), `upgrade ${path}`).toBe(400);
    }
    expect((await fetch(host.url)).status).toBe(200);
  });

  it('does not serve files outside the renderer folder', async () => {
    const res = await fetch(`${base}/..%2F..%2Fetc%2Fpasswd?token=${host.token}`);
    expect(res.status).toBe(404);
  });

  const openSocket = (query: string, origin?: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://${hostHeader}${host.prefix}/ws${query}`, origin ? { origin } : {});
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });

  it('refuses a WebSocket without the token, or from another origin', async () => {
    await expect(openSocket('')).rejects.toThrow(/403/);
    await expect(openSocket('?token=wrong')).rejects.toThrow(/403/);
    await expect(openSocket(`?token=${host.token}`, 'http://evil.example')).rejects.toThrow(/403/);
    await expect(openSocket(`?token=${host.token}`, `http://localhost:${host.port}`)).rejects.toThrow(/403/);
  });

  const nextReply = (ws: WebSocket) => new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));

  it('answers the contract over the WebSocket with the token', async () => {
    const ws = await openSocket(`?token=${host.token}`, root);
    let reply = nextReply(ws);
    ws.send(JSON.stringify({ id: 7, method: 'hosts.list', params: {} }));
    expect(await reply).toEqual({ id: 7, outcome: { ok: true, value: [] } });
    reply = nextReply(ws);
    ws.send(JSON.stringify({ id: 8, method: 'hosts.add', params: { target: 'hv1; rm -rf /' } }));
    expect(await reply).toMatchObject({ id: 8, outcome: { ok: false, error: { message: expect.stringMatching(/Not a host/) } } });
    ws.close();
  });

  it('security: frames that are not the contract are refused or ignored, and the socket keeps answering', async () => {
    const ws = await openSocket(`?token=${host.token}`, root);
    for (const junk of ['null', '[]', '7', '"x"', '{"id":"1"}', '{', '\u0000', '{"id":1e999,"method":"hosts.list"}']) ws.send(junk);
    ws.send(Buffer.from('{"id":3,"method":"hosts.list"}'), { binary: true });
    let reply = nextReply(ws);
    ws.send(JSON.stringify({ id: 9, method: 'hosts.add', params: { target: 'hv1', label: 5 } }));
    expect(await reply).toEqual({ id: 9, outcome: { ok: false, error: { code: 'invalid-input', message: 'hosts.add: label must be a string, not number 5' } } });
    reply = nextReply(ws);
    ws.send(JSON.stringify({ id: 10, method: 'hosts.list' }));
    expect(await reply).toEqual({ id: 10, outcome: { ok: true, value: [] } });
    ws.close();
  });
});
