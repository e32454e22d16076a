// Throws malformed HTTP targets, headers, percent-encodings and WebSocket frames at a real
// browser-mode host over raw sockets (127.0.0.1 only, a fixed seed, a bounded number of cases run
// in small batches), then checks that the host is still up and answers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { rawExchange, rawRequest, statusOf, upgradeHeaders, wsFrame } from './raw-client.test-support';
import { startWebHost, type WebHost } from './server';

/** mulberry32: the same cases on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TARGETS = ['//[x', '//[x?token=a', '/%E0%A4', '/%', '/%%', '/%zz', '/%00', '/%C0%AF', '/%ED%A0%80', '*', 'http://[x/', 'http://evil/', '//', '///', '/?', '/??token', '/#x', '/\u00ff', '/../../etc/passwd', `/${'a'.repeat(8000)}`, '/%2e%2e/%2e%2e/', '/\\..\\..\\', '/ws', '/console'];
const ALPHABET = ['/', '%', '[', ']', '?', '#', '&', '=', '@', ':', '\\', '.', '..', 'token', 'ws', 'console', '%E0', '%A4', '%FF', '%0', 'é', '\u00a0', 'a', '1'];

describe('security: browser-mode host under fuzzing', () => {
  let host: WebHost;
  let hostHeader: string;
  const escaped: unknown[] = [];
  const record = (err: unknown) => escaped.push(err);

  beforeAll(async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'vd-fuzz-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>VirtDeck</title>');
    host = await startWebHost({ port: 0, rendererDir, dataDir: mkdtempSync(join(tmpdir(), 'vd-fuzz-data-')) });
    hostHeader = `127.0.0.1:${host.port}`;
    process.on('uncaughtException', record);
    process.on('unhandledRejection', record);
  });
  afterAll(async () => {
    process.off('uncaughtException', record);
    process.off('unhandledRejection', record);
    await host.close();
  });

  /** Run exchanges a few at a time; each ends by itself within `ms`. */
  async function run(cases: Array<Array<string | Buffer>>, ms: number, untilClose: boolean): Promise<string[]> {
    const answers: string[] = [];
    for (let i = 0; i < cases.length; i += 24) answers.push(...(await Promise.all(cases.slice(i, i + 24).map((c) => rawExchange(host.port, c, ms, untilClose)))));
    return answers;
  }

  it('security: survives malformed targets, headers, percent-encodings and WebSocket frames, then answers', { timeout: 60_000 }, async () => {
    const rand = prng(22);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const token = `token=${host.token}`;
    const randomPath = () => Array.from({ length: 1 + Math.floor(rand() * 8) }, () => pick(ALPHABET)).join('');

    // 1. Request targets, with and without the token, plain and as upgrades.
    const targets = [...TARGETS, ...Array.from({ length: 60 }, randomPath)];
    const http: Array<Array<string | Buffer>> = [];
    for (const t of targets) {
      for (const target of [t, `${t}${t.includes('?') ? '&' : '?'}${token}`, `${host.prefix}${t.startsWith('/') ? t : `/${t}`}?${token}`]) {
        http.push([rawRequest(target, { Host: hostHeader })], [rawRequest(target, upgradeHeaders(hostHeader))]);
      }
    }
    // 2. Headers: hosts, cookies, origins, framing a parser must refuse.
    const page = `${host.prefix}/?${token}`;
    const headerSets: Array<Record<string, string>> = [
      { Host: '' },
      { Host: `[::1]:${host.port}` },
      { Host: `127.0.0.1:${host.port}\u0000` },
      { Host: hostHeader, Cookie: '=;=;;virtdeck_token' },
      { Host: hostHeader, Cookie: `virtdeck_token=${'%'.repeat(4000)}` },
      { Host: hostHeader, Cookie: 'virtdeck_token=%E0%A4; virtdeck_token=' },
      { Host: hostHeader, 'Content-Length': '-1' },
      { Host: hostHeader, 'Content-Length': '99999999999999999999' },
      { Host: hostHeader, 'Transfer-Encoding': 'chunked, gzip, nonsense' },
      { Host: hostHeader, 'X-Long': 'x'.repeat(20_000) },
      { ...upgradeHeaders(hostHeader), Origin: 'null' },
      { ...upgradeHeaders(hostHeader), 'Sec-WebSocket-Version': '8' },
      { ...upgradeHeaders(hostHeader), 'Sec-WebSocket-Key': '' },
      { ...upgradeHeaders(hostHeader), 'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits=99' },
    ];
    for (const headers of headerSets) http.push([rawRequest(page, headers)], [rawRequest(`${host.prefix}/ws?${token}`, headers)]);
    http.push(['GET / HTTP/1.1\r\nHost\r\n\r\n'], ['GARBAGE\r\n\r\n'], ['GET /\u0000 HTTP/1.1\r\n\r\n'], [`GET ${page} HTTP/9.9\r\nHost: ${hostHeader}\r\n\r\n`], ['\r\n\r\n\r\n']);
    // 3. Percent-encodings under the prefix, with the token.
    for (let i = 0; i < 60; i++) {
      const bytes = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => `%${Math.floor(rand() * 256).toString(16).padStart(2, '0')}`).join('');
      http.push([rawRequest(`${host.prefix}/${bytes}?${token}`, { Host: hostHeader })]);
    }
    const answers = await run(http, 400, false);
    // Whatever came back was an HTTP answer or a closed socket, never a crash (checked below).
    for (const a of answers) if (a) expect(statusOf(a), a.slice(0, 80)).toBeGreaterThanOrEqual(100);

    // 4. WebSocket frames after a valid upgrade, on the contract path and the console path.
    const frames: Buffer[] = [
      wsFrame(1, Buffer.from('null')),
      wsFrame(1, Buffer.from('{"id":1,"method":"__proto__","params":{}}')),
      wsFrame(1, Buffer.from('{"id":1,"method":"hosts.add","params":{"label":5,"target":[]}}')),
      wsFrame(1, Buffer.from('{"id":1,"method":"hosts.add","params":"x"}')),
      wsFrame(1, Buffer.from(`${'['.repeat(50_000)}${']'.repeat(50_000)}`)),
      wsFrame(1, Buffer.from([0xe0, 0xa4])),
      wsFrame(1, Buffer.from('{}'), { mask: false }),
      wsFrame(1, Buffer.from('{}'), { rsv: 7 }),
      wsFrame(9, Buffer.alloc(200)),
      wsFrame(8, Buffer.from([0x03, 0xe8, 0xe0, 0xa4])),
      wsFrame(8, Buffer.from([0x00, 0x01])),
      wsFrame(8, Buffer.from([0x0f])),
      wsFrame(0, Buffer.from('orphan continuation')),
      wsFrame(1, Buffer.from('{"id":'), { fin: false }),
      wsFrame(1, Buffer.alloc(0), { lengthOverride: 2n ** 63n - 1n }),
      wsFrame(2, Buffer.alloc(0), { lengthOverride: 17n * 1024n * 1024n }),
    ];
    for (let i = 0; i < 40; i++) frames.push(wsFrame(Math.floor(rand() * 16), Buffer.from(Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 256))), { rsv: rand() < 0.2 ? 1 : 0, fin: rand() < 0.8 }));
    const ws: Array<Array<string | Buffer>> = [];
    for (const path of ['/ws', '/console?id=forged', `/console?id=${'%'.repeat(50)}&cols=NaN&rows=-1`]) {
      for (const frame of frames) ws.push([rawRequest(`${host.prefix}${path}&${token}`.replace('/ws&', '/ws?'), upgradeHeaders(hostHeader)), frame]);
    }
    await run(ws, 300, true);

    // The host is up: it serves the page and answers the contract.
    expect(escaped).toEqual([]);
    expect((await fetch(host.url)).status).toBe(200);
    const socket = new WebSocket(`ws://${hostHeader}${host.prefix}/ws?${token}`);
    await new Promise((r, j) => socket.once('open', r).once('error', j));
    const reply = new Promise((r) => socket.once('message', (d) => r(JSON.parse(String(d)))));
    socket.send(JSON.stringify({ id: 1, method: 'hosts.list', params: {} }));
    expect(await reply).toEqual({ id: 1, outcome: { ok: true, value: [] } });
    socket.close();
  });
});
