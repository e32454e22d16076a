// The SPICE main channel's list of channels, cut down to the ones a console screen needs.

/** SPICE channel types (spice-protocol's enum). */
const DISPLAY = 2;
const INPUTS = 3;
const CURSOR = 4;
const WANTED = new Set<number>([DISPLAY, INPUTS, CURSOR]);

export interface RawMessage {
  type: number;
  data?: ArrayBuffer | ArrayBuffer[];
}

/** The channels list (u32 count, then u8 type + u8 id each) with only the channels we open. */
export function keepWantedChannels(data: ArrayBuffer): ArrayBuffer {
  const view = new DataView(data);
  const count = view.getUint32(0, true);
  const kept: Array<[number, number]> = [];
  for (let i = 0; i < count && 4 + 2 * i + 1 < data.byteLength; i++) {
    const type = view.getUint8(4 + 2 * i);
    const id = view.getUint8(5 + 2 * i);
    if (WANTED.has(type) && (type !== DISPLAY || id === 0)) kept.push([type, id]);
  }
  const out = new DataView(new ArrayBuffer(4 + 2 * kept.length));
  out.setUint32(0, kept.length, true);
  kept.forEach(([type, id], i) => (out.setUint8(4 + 2 * i, type), out.setUint8(5 + 2 * i, id)));
  return out.buffer;
}

export const joined = (data: ArrayBuffer | ArrayBuffer[]): ArrayBuffer => {
  if (!Array.isArray(data)) return data;
  const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of data) (out.set(new Uint8Array(b), at), (at += b.byteLength));
  return out.buffer;
};

