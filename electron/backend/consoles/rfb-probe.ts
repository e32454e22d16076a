// A minimal RFB (VNC) client for measurements: handshake with security type None, raw encoding,
// then full-screen (non-incremental) framebuffer update requests, counting bytes. The bench runs
// the same code through VirtDeck's tunnel and directly inside a lab host's namespace.

export interface ByteLink {
  write(data: Buffer): void;
  onData(listener: (data: Buffer) => void): void;
}

class Reader {
  private chunks: Buffer[] = [];
  private length = 0;
  private wake?: () => void;
  received = 0;

  push(data: Buffer): void {
    this.chunks.push(data);
    this.length += data.length;
    this.received += data.length;
    this.wake?.();
  }

  async read(n: number): Promise<Buffer> {
    while (this.length < n) await new Promise<void>((r) => (this.wake = r));
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.length -= n;
    return all.subarray(0, n);
  }

  /** Skip n bytes without keeping them. */
  async skip(n: number): Promise<void> {
    while (n > 0) {
      const take = Math.min(n, Math.max(this.length, 1));
      await this.read(take);
      n -= take;
    }
  }
}

export interface RfbSession {
  width: number;
  height: number;
  bytesPerPixel: number;
  /** Request one full-screen update and wait for it; resolves with the bytes it took. */
  fullFrame(): Promise<number>;
  /** Bytes received so far. */
  received(): number;
}

export async function rfbHandshake(link: ByteLink): Promise<RfbSession> {
  const r = new Reader();
  link.onData((d) => r.push(d));
  const version = (await r.read(12)).toString('latin1');
  if (!version.startsWith('RFB ')) throw new Error(`Not an RFB server: ${JSON.stringify(version)}`);
  link.write(Buffer.from('RFB 003.008\n', 'latin1'));
  const n = (await r.read(1))[0]!;
  if (n === 0) throw new Error('The VNC server refused the connection');
  const types = [...(await r.read(n))];
  if (!types.includes(1)) throw new Error(`The VNC server wants authentication (types ${types.join(',')}); the probe only speaks None`);
  link.write(Buffer.from([1]));
  if ((await r.read(4)).readUInt32BE(0) !== 0) throw new Error('Security handshake failed');
  link.write(Buffer.from([1])); // ClientInit: shared
  const init = await r.read(24);
  const width = init.readUInt16BE(0);
  const height = init.readUInt16BE(2);
  const bytesPerPixel = init[4]! / 8;
  await r.read(init.readUInt32BE(20)); // desktop name
  const encodings = Buffer.alloc(8);
  encodings.writeUInt8(2, 0); // SetEncodings
  encodings.writeUInt16BE(1, 2);
  encodings.writeInt32BE(0, 4); // raw
  link.write(encodings);

  async function fullFrame(): Promise<number> {
    const start = r.received;
    const req = Buffer.alloc(10);
    req.writeUInt8(3, 0); // FramebufferUpdateRequest, non-incremental
    req.writeUInt16BE(width, 6);
    req.writeUInt16BE(height, 8);
    link.write(req);
    for (;;) {
      const type = (await r.read(1))[0]!;
      if (type === 0) break;
      if (type === 2) continue; // Bell
      if (type === 3) {
        const cut = await r.read(7);
        await r.skip(cut.readUInt32BE(3));
        continue;
      }
      throw new Error(`Unexpected RFB message ${type}`);
    }
    const rects = (await r.read(3)).readUInt16BE(1);
    for (let i = 0; i < rects; i++) {
      const head = await r.read(12);
      const w = head.readUInt16BE(4);
      const h = head.readUInt16BE(6);
      const enc = head.readInt32BE(8);
      if (enc !== 0) throw new Error(`Unexpected encoding ${enc}`);
      await r.skip(w * h * bytesPerPixel);
    }
    return r.received - start;
  }

  return { width, height, bytesPerPixel, fullFrame, received: () => r.received };
}

/** Full frames for `seconds`: megabits per second of framebuffer bytes received. */
export async function rfbThroughput(session: RfbSession, seconds: number): Promise<{ mbps: number; frames: number; bytes: number }> {
  const t0 = performance.now();
  let bytes = 0;
  let frames = 0;
  while (performance.now() - t0 < seconds * 1000) {
    bytes += await session.fullFrame();
    frames++;
  }
  const s = (performance.now() - t0) / 1000;
  return { mbps: (bytes * 8) / s / 1e6, frames, bytes };
}
