// Raw sockets to a browser-mode host on 127.0.0.1: bytes a browser or `fetch` would never send.
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';

/** Send `bytes` and collect what comes back until an answer's head is complete (or, with
 *  `untilClose`, until the server closes), or `ms` pass. */
export function rawExchange(port: number, bytes: string | Buffer | Array<string | Buffer>, ms = 1500, untilClose = false): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, ms);
    socket.on('data', (d) => {
      chunks.push(d);
      if (!untilClose && Buffer.concat(chunks).includes('\r\n\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => {
      for (const part of Array.isArray(bytes) ? bytes : [bytes]) socket.write(part);
    });
  });
}

/** The status code of a raw HTTP answer, or 0 when none came. */
export const statusOf = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

/** A GET (or upgrade) request with exactly these target and headers. */
export function rawRequest(target: string, headers: Record<string, string> = {}, method = 'GET'): string {
  return `${method} ${target} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

export function upgradeHeaders(host: string): Record<string, string> {
  return { Host: host, Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64') };
}

/** One client-to-server WebSocket frame (masked, as clients must), with any opcode and flags. */
export function wsFrame(opcode: number, payload: Buffer, opts: { fin?: boolean; rsv?: number; mask?: boolean; lengthOverride?: bigint } = {}): Buffer {
  const { fin = true, rsv = 0, mask = true } = opts;
  const len = opts.lengthOverride ?? BigInt(payload.length);
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)];
  const m = mask ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (len < 126n) head.push(m | Number(len));
  else if (len < 65536n) {
    head.push(m | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(Number(len));
  } else {
    head.push(m | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(len);
  }
  const key = mask ? randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(payload);
  if (mask) for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(head), ext, key, body]);
}
