// Moving bytes from one stream to another without holding them: each chunk is written only when
// the sink has room (write() false → wait for 'drain'), so a slow sink slows the source down
// instead of filling memory. Pure stream logic; what the streams are is the caller's business.
import type { Writable } from 'node:stream';

/** Write one chunk, resolving once the sink can take more; rejects when the sink fails or closes first. */
export function writeChunk(sink: Writable, chunk: Buffer): Promise<void> {
  if (sink.destroyed || sink.writableEnded) return Promise.reject(new Error('The receiving side closed before all bytes were sent'));
  if (sink.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      sink.off('drain', onDrain);
      sink.off('error', onError);
      sink.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (err: Error) => done(err);
    const onClose = () => done(new Error('The receiving side closed before all bytes were sent'));
    sink.once('drain', onDrain);
    sink.once('error', onError);
    sink.once('close', onClose);
  });
}

/** End the sink and wait until it has flushed (or failed). */
export function endSink(sink: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    if (sink.writableFinished) return resolve();
    sink.once('error', reject);
    sink.end(() => resolve());
  });
}

/** The first chunks of `source` until at least `n` bytes (or its end), and an iterator over the
 *  rest; the held chunks are handed back as `head`, not re-read. */
export async function takeHead(source: AsyncIterable<Buffer>, n: number): Promise<{ head: Buffer[]; headBytes: number; rest: AsyncIterator<Buffer> }> {
  const rest = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  while (headBytes < n) {
    const next = await rest.next();
    if (next.done) break;
    head.push(next.value);
    headBytes += next.value.length;
  }
  return { head, headBytes, rest };
}

/** The first `n` bytes of some chunks, as one buffer. */
export const firstBytes = (chunks: readonly Buffer[], n: number): Buffer => Buffer.concat(chunks).subarray(0, n);

/** Copy `chunks` (then whatever `rest` yields) into `sink`, calling `onChunk` for each chunk as
 *  it is handed over (count, hash). Stops with the signal's reason once it is aborted. */
export async function pump(
  chunks: readonly Buffer[],
  rest: AsyncIterator<Buffer> | null,
  sink: Writable,
  onChunk: (chunk: Buffer) => void,
  signal: AbortSignal,
): Promise<void> {
  const send = async (chunk: Buffer) => {
    signal.throwIfAborted();
    onChunk(chunk);
    await writeChunk(sink, chunk);
  };
  for (const chunk of chunks) await send(chunk);
  if (!rest) return;
  try {
    for (;;) {
      signal.throwIfAborted();
      const next = await rest.next();
      if (next.done) return;
      await send(next.value);
    }
  } catch (err) {
    // Let the source go (a request is destroyed, a channel closed) rather than keep reading it.
    await rest.return?.().catch(() => undefined);
    throw err;
  }
}
