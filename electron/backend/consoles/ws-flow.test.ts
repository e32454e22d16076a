import { describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { closeReason, closeWith, SEND_CEILING_BYTES, sendBounded } from './ws-flow';

/** The part of a ws WebSocket these helpers read, with a settable amount of unread output. */
function fakeSocket(bufferedAmount = 0) {
  return { OPEN: 1, readyState: 1, bufferedAmount, send: vi.fn(), close: vi.fn() };
}

describe('security: WebSocket limits', () => {
  it('security: cuts close reasons to whole characters within 123 bytes of UTF-8', () => {
    expect(closeReason('short')).toBe('short');
    const ascii = 'a'.repeat(123);
    expect(closeReason(ascii)).toBe(ascii);
    for (const text of ['Гипервизор '.repeat(8), '😀'.repeat(40), `${'a'.repeat(119)}€€`, 'x\uD800'.repeat(60)]) {
      const cut = closeReason(text);
      expect(Buffer.byteLength(cut), text).toBeLessThanOrEqual(123);
      expect(cut.endsWith('…')).toBe(true);
      expect(text.startsWith(cut.slice(0, -1))).toBe(true);
    }
    // 60 Cyrillic letters are 120 bytes but only 60 characters: a cut by characters kept them all.
    expect(Buffer.byteLength(closeReason('Ж'.repeat(70)))).toBeLessThanOrEqual(123);
  });

  it('security: closing with a long reason never throws', () => {
    const ws = fakeSocket();
    closeWith(ws as unknown as WebSocket, 4001, `The shell on ${'Хост'.repeat(40)} closed`);
    expect(Buffer.byteLength(ws.close.mock.calls[0]![1] as string)).toBeLessThanOrEqual(123);
  });

  it('security: stops sending to a client that does not read, closing it with a reason', () => {
    const reading = fakeSocket(1024);
    expect(sendBounded(reading as unknown as WebSocket, '{"event":{}}')).toBe(true);
    expect(reading.send).toHaveBeenCalledTimes(1);
    const stuck = fakeSocket(SEND_CEILING_BYTES);
    expect(sendBounded(stuck as unknown as WebSocket, '{"event":{}}')).toBe(false);
    expect(stuck.send).not.toHaveBeenCalled();
    expect(stuck.close).toHaveBeenCalledWith(1008, 'VirtDeck: this page stopped reading its messages; reload it to reconnect');
  });
});
