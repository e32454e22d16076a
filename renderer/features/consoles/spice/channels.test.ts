import { describe, expect, test } from 'vitest';
import { keepWantedChannels } from './channels';

const list = (pairs: Array<[number, number]>) => {
  const v = new DataView(new ArrayBuffer(4 + 2 * pairs.length));
  v.setUint32(0, pairs.length, true);
  pairs.forEach(([t, id], i) => (v.setUint8(4 + 2 * i, t), v.setUint8(5 + 2 * i, id)));
  return v.buffer;
};
const read = (buf: ArrayBuffer) => {
  const v = new DataView(buf);
  return Array.from({ length: v.getUint32(0, true) }, (_, i) => [v.getUint8(4 + 2 * i), v.getUint8(5 + 2 * i)]);
};

describe('keepWantedChannels', () => {
  test("keeps display 0, inputs and cursor of virt-install's default SPICE VM; drops audio and USB redirection", () => {
    // display, inputs, cursor, playback, record, usbredir ×2, a second display head
    const all: Array<[number, number]> = [[2, 0], [3, 0], [4, 0], [5, 0], [6, 0], [9, 0], [9, 1], [2, 1]];
    expect(read(keepWantedChannels(list(all)))).toEqual([[2, 0], [3, 0], [4, 0]]);
  });
  test('an empty list stays empty', () => {
    expect(read(keepWantedChannels(list([])))).toEqual([]);
  });
});
