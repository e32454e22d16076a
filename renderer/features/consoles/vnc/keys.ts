// X11 keysyms (what RFB key events carry) for the keys the console toolbar sends, and text → keysym
// for "type clipboard". noVNC's own keysym table is not among its package exports.
export const KEY = {
  ControlLeft: 0xffe3,
  AltLeft: 0xffe9,
  ShiftLeft: 0xffe1,
  Delete: 0xffff,
  PrintScreen: 0xff61,
  Return: 0xff0d,
  Tab: 0xff09,
  BackSpace: 0xff08,
  F1: 0xffbe,
} as const;

export interface KeyStroke {
  keysym: number;
  /** The physical key (KeyboardEvent.code); lets QEMU's extended key events skip keymap lookups. */
  code: string | null;
}

/** Ctrl+Alt+Fn (n = 1…12): switches the Linux virtual console, among others. */
export const ctrlAltF = (n: number): KeyStroke[] => [
  { keysym: KEY.ControlLeft, code: 'ControlLeft' },
  { keysym: KEY.AltLeft, code: 'AltLeft' },
  { keysym: KEY.F1 + n - 1, code: `F${n}` },
];

/** The keysym that types `ch`: Latin-1 maps to itself, other code points to 0x01000000 + cp. */
export function keysymFor(ch: string): number | null {
  const cp = ch.codePointAt(0);
  if (cp === undefined) return null;
  if (ch === '\n' || ch === '\r') return KEY.Return;
  if (ch === '\t') return KEY.Tab;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return null;
  if (cp < 0x100) return cp;
  return 0x01000000 + cp;
}
