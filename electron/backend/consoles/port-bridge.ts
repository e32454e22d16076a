// Electron's console path: the main process makes a MessageChannelMain per console, hands one end
// to the window and this end to the backend's utility process with the one-time console id. No
// socket is opened anywhere. Messages: bytes as Uint8Array/ArrayBuffer both ways, ConsoleControl
// objects from the window, and { closed: reason } either way when the stream ends.
import type { MessagePortMain } from 'electron';
import type { ConsoleAttachMessage, ConsoleControl } from '../../../shared/contract/index.js';
import type { ConsoleManager, ConsoleStream } from './console-manager.js';
import { EARLY_INPUT_BYTES } from './ws-flow.js';

const toBuffer = (data: unknown): Buffer | null =>
  data instanceof Uint8Array ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : data instanceof ArrayBuffer ? Buffer.from(data) : null;

export function attachConsolePort(consoles: ConsoleManager, msg: ConsoleAttachMessage, port: MessagePortMain | undefined): void {
  if (!port) return;
  let stream: ConsoleStream | undefined;
  let gone = false;
  const early: Buffer[] = [];
  let earlyBytes = 0;
  const closeEarly = () => {
    gone = true;
    port.postMessage({ closed: 'VirtDeck: too much console input before the console opened' });
    port.close();
  };
  port.on('message', (e) => {
    if (gone) return;
    const buf = toBuffer(e.data);
    if (buf && stream) return void stream.write(buf);
    if (buf) return (earlyBytes += buf.length) > EARLY_INPUT_BYTES ? closeEarly() : void early.push(buf);
    const control = (e.data ?? {}) as Partial<ConsoleControl> & { closed?: string };
    if (control.resize) stream?.resize(Number(control.resize.cols), Number(control.resize.rows));
    if (typeof control.closed === 'string') {
      gone = true;
      stream?.close();
      port.close();
    }
  });
  port.on('close', () => {
    gone = true;
    stream?.close();
  });
  port.start();
  const size = msg.size && { cols: Math.min(Math.max(Number(msg.size.cols) || 80, 1), 999), rows: Math.min(Math.max(Number(msg.size.rows) || 24, 1), 999) };
  consoles
    .attach(
      msg.consoleAttach,
      {
        // A copy of just these bytes: cloning a view would clone its whole (pooled) ArrayBuffer.
        send: (data) => !gone && port.postMessage(new Uint8Array(data)),
        close: (reason) => {
          if (gone) return;
          gone = true;
          port.postMessage({ closed: reason });
          port.close();
        },
      },
      size,
    )
    .then(
      (s) => {
        if (gone) return s.close();
        stream = s;
        for (const buf of early.splice(0)) s.write(buf);
      },
      (err: Error) => {
        if (gone) return;
        gone = true;
        port.postMessage({ closed: err.message });
        port.close();
      },
    );
}
