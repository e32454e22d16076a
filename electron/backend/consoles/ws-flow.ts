// Limits every WebSocket of browser mode keeps, so that no client can make the host buffer without
// bound or throw: close reasons fit the protocol's 123 bytes, sends stop at a ceiling on what the
// client has not read yet, and output is paused while a slow reader catches up.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/** A close frame's reason is at most 123 bytes of UTF-8 (RFC 6455 §5.5); `ws` throws above it. */
export const MAX_CLOSE_REASON_BYTES = 123;

/** Past this much unread output a client is not reading: its socket is closed, saying so. */
export const SEND_CEILING_BYTES = 8 * 1024 * 1024;
/** A console's output is paused above this much unread by the page, and resumed below LOW. */
export const PAUSE_ABOVE_BYTES = 1024 * 1024;
export const RESUME_BELOW_BYTES = 256 * 1024;
/** Console input the page may send before the console's SSH channel is open. */
export const EARLY_INPUT_BYTES = 256 * 1024;

const REASONS: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' };

/** Answer an upgrade request with an HTTP error and let go of the socket. Destroyed once the
 *  answer is out: a client that keeps sending would otherwise hold a half-closed socket open. */
export function refuseUpgrade(socket: Duplex, status: number): void {
  if (!socket.writable) return void socket.destroy();
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** `text` cut to whole characters within `max` bytes of UTF-8, marked with … when cut. */
export function closeReason(text: string, max = MAX_CLOSE_REASON_BYTES): string {
  if (Buffer.byteLength(text) <= max) return text;
  const room = max - Buffer.byteLength('…');
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > room) break;
    out += ch;
    bytes += n;
  }
  return `${out}…`;
}

/** Close `ws` if it is open, with a reason that always fits. */
export function closeWith(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === ws.OPEN) ws.close(code, closeReason(reason));
}

/** Send unless the client already has SEND_CEILING_BYTES unread; then close it politely. */
export function sendBounded(ws: WebSocket, data: string | Buffer, binary = false): boolean {
  if (ws.readyState !== ws.OPEN) return false;
  if (ws.bufferedAmount + Buffer.byteLength(data) > SEND_CEILING_BYTES) {
    closeWith(ws, 1008, 'VirtDeck: this page stopped reading its messages; reload it to reconnect');
    return false;
  }
  ws.send(data, { binary });
  return true;
}

/** Output to a WebSocket that pauses its source while the client has much unread and resumes it
 *  once the client caught up; past the ceiling (a source that cannot pause) the socket is closed. */
export function pacedSender(ws: WebSocket, source: () => { pause(): void; resume(): void } | undefined) {
  let paused = false;
  const maybeResume = () => {
    if (paused && ws.bufferedAmount < RESUME_BELOW_BYTES) {
      paused = false;
      source()?.resume();
    }
  };
  return {
    send(data: Buffer): void {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount + data.length > SEND_CEILING_BYTES) {
        closeWith(ws, 1008, 'VirtDeck: the page did not read the console fast enough');
        return;
      }
      ws.send(data, { binary: true }, maybeResume);
      if (!paused && ws.bufferedAmount > PAUSE_ABOVE_BYTES) {
        paused = true;
        source()?.pause();
      }
    },
    /** Whether the source should start paused (it was joined while the client lagged). */
    get paused() {
      return paused;
    },
  };
}
