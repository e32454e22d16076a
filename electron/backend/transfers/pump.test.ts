import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { firstBytes, pump, takeHead } from './pump';

/** A sink that takes one chunk per tick and records how much was ever waiting in it. */
function slowSink(highWaterMark: number) {
  const got: Buffer[] = [];
  let maxBuffered = 0;
  const sink = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, done) {
      got.push(chunk);
      setImmediate(done);
    },
  });
  const track = () => (maxBuffered = Math.max(maxBuffered, sink.writableLength));
  return { sink, got, track, max: () => maxBuffered };
}

function chunks(n: number, size: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => Buffer.alloc(size, i % 256));
}

describe('pumping bytes from a source to a sink', () => {
  it('hands every byte over in order and counts each chunk', async () => {
    const src = chunks(50, 1000);
    const { sink, got } = slowSink(4096);
    const { head, headBytes, rest } = await takeHead(Readable.from(src), 32);
    expect(headBytes).toBe(1000);
    let counted = 0;
    await pump(head, rest, sink, (c) => (counted += c.length), new AbortController().signal);
    expect(counted).toBe(50_000);
    expect(Buffer.concat(got).equals(Buffer.concat(src))).toBe(true);
  });

  it('waits for the sink: what waits in it stays within its high-water mark plus one chunk', async () => {
    const { sink, track, max } = slowSink(8192);
    let pulled = 0;
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < 200; i++) {
          pulled++;
          yield Buffer.alloc(4096);
        }
      })(),
      { highWaterMark: 1 },
    );
    const { head, rest } = await takeHead(source, 1);
    await pump(head, rest, sink, track, new AbortController().signal);
    expect(pulled).toBe(200);
    expect(max()).toBeLessThanOrEqual(8192 + 4096);
  });

  it('takes the head across small chunks and gives back exactly the first bytes', async () => {
    const { head, headBytes } = await takeHead(Readable.from([Buffer.from('QF'), Buffer.from('I'), Buffer.from([0xfb, 0, 0, 0, 3])]), 4);
    expect(headBytes).toBe(8); // whole chunks: 2 + 1 + 5
    expect([...firstBytes(head, 4)]).toEqual([0x51, 0x46, 0x49, 0xfb]);
    const short = await takeHead(Readable.from([Buffer.from('ab')]), 32);
    expect(short.headBytes).toBe(2);
  });

  it('stops when aborted, and lets the source go', async () => {
    const ac = new AbortController();
    const source = new Readable({ read() {} });
    source.push(Buffer.alloc(10));
    const { sink } = slowSink(1024);
    const { head, rest } = await takeHead(source, 1);
    const running = pump(head, rest, sink, () => undefined, ac.signal);
    ac.abort(new Error('cancelled by the user'));
    source.destroy();
    await expect(running).rejects.toThrow();
    expect(source.destroyed).toBe(true);
  });

  it('fails when the sink closes before all bytes are in', async () => {
    const sink = new Writable({ highWaterMark: 1, write: (_c, _e, done) => setImmediate(done) });
    const { head, rest } = await takeHead(Readable.from(chunks(20, 100)), 1);
    setImmediate(() => sink.destroy());
    await expect(pump(head, rest, sink, () => undefined, new AbortController().signal)).rejects.toThrow(/closed before all bytes/);
  });
});
