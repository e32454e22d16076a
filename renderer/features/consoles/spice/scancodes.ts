// PC keyboard scancodes (set 1, what SPICE's inputs channel carries) for the keys typed on the
// console's screen (by KeyboardEvent.code), the keys the toolbar sends and "type clipboard". A
// scancode names a physical key, so the guest's own keyboard layout decides the character, as
// with a real keyboard; typed text assumes a US layout in the guest, as QEMU's own `sendkey` does.

/** KeyboardEvent.code → set-1 scancode; 0xe0xx for the extended keys. */
export const SCANCODE: Readonly<Record<string, number>> = {
  Escape: 0x01, Digit1: 0x02, Digit2: 0x03, Digit3: 0x04, Digit4: 0x05, Digit5: 0x06, Digit6: 0x07,
  Digit7: 0x08, Digit8: 0x09, Digit9: 0x0a, Digit0: 0x0b, Minus: 0x0c, Equal: 0x0d, Backspace: 0x0e,
  Tab: 0x0f, KeyQ: 0x10, KeyW: 0x11, KeyE: 0x12, KeyR: 0x13, KeyT: 0x14, KeyY: 0x15, KeyU: 0x16,
  KeyI: 0x17, KeyO: 0x18, KeyP: 0x19, BracketLeft: 0x1a, BracketRight: 0x1b, Enter: 0x1c,
  ControlLeft: 0x1d, KeyA: 0x1e, KeyS: 0x1f, KeyD: 0x20, KeyF: 0x21, KeyG: 0x22, KeyH: 0x23,
  KeyJ: 0x24, KeyK: 0x25, KeyL: 0x26, Semicolon: 0x27, Quote: 0x28, Backquote: 0x29,
  ShiftLeft: 0x2a, Backslash: 0x2b, KeyZ: 0x2c, KeyX: 0x2d, KeyC: 0x2e, KeyV: 0x2f, KeyB: 0x30,
  KeyN: 0x31, KeyM: 0x32, Comma: 0x33, Period: 0x34, Slash: 0x35, ShiftRight: 0x36, AltLeft: 0x38,
  Space: 0x39, CapsLock: 0x3a, F1: 0x3b, F2: 0x3c, F3: 0x3d, F4: 0x3e, F5: 0x3f, F6: 0x40, F7: 0x41,
  F8: 0x42, F9: 0x43, F10: 0x44, NumLock: 0x45, ScrollLock: 0x46, Numpad7: 0x47, Numpad8: 0x48,
  Numpad9: 0x49, NumpadSubtract: 0x4a, Numpad4: 0x4b, Numpad5: 0x4c, Numpad6: 0x4d, NumpadAdd: 0x4e,
  Numpad1: 0x4f, Numpad2: 0x50, Numpad3: 0x51, Numpad0: 0x52, NumpadDecimal: 0x53, NumpadMultiply: 0x37,
  IntlBackslash: 0x56, F11: 0x57, F12: 0x58, KanaMode: 0x70, IntlRo: 0x73, Convert: 0x79, NonConvert: 0x7b,
  IntlYen: 0x7d, NumpadEnter: 0xe01c, NumpadDivide: 0xe035, ContextMenu: 0xe05d,
  ControlRight: 0xe01d, AltRight: 0xe038, PrintScreen: 0xe037, Home: 0xe047, ArrowUp: 0xe048,
  PageUp: 0xe049, ArrowLeft: 0xe04b, ArrowRight: 0xe04d, End: 0xe04f, ArrowDown: 0xe050,
  PageDown: 0xe051, Insert: 0xe052, Delete: 0xe053, MetaLeft: 0xe05b, MetaRight: 0xe05c,
};

/** The `code` field of SPICE's KEY_DOWN / KEY_UP: the scancode's bytes in the order a keyboard
 *  sends them, first byte lowest (E0 53 → 0x53e0); a release sets bit 7 of the last byte. */
export function spiceKeyCode(scancode: number, down: boolean): number {
  const key = scancode & 0xff;
  const code = down ? key : key | 0x80;
  return scancode > 0xff ? (code << 8) | (scancode >> 8) : code;
}

const SHIFTED = '~!@#$%^&*()_+{}|:"<>?';
const UNSHIFTED = '`1234567890-=[]\\;\',./';
const PUNCT: Readonly<Record<string, string>> = {
  '`': 'Backquote', '-': 'Minus', '=': 'Equal', '[': 'BracketLeft', ']': 'BracketRight', '\\': 'Backslash',
  ';': 'Semicolon', "'": 'Quote', ',': 'Comma', '.': 'Period', '/': 'Slash', ' ': 'Space', '\n': 'Enter', '\t': 'Tab',
};

/** The key (and whether Shift is held) that types `ch` on a US keyboard; null when none does. */
export function keyForChar(ch: string): { code: string; shift: boolean } | null {
  if (/^[a-z]$/.test(ch)) return { code: `Key${ch.toUpperCase()}`, shift: false };
  if (/^[A-Z]$/.test(ch)) return { code: `Key${ch}`, shift: true };
  if (/^[0-9]$/.test(ch)) return { code: `Digit${ch}`, shift: false };
  if (ch === '\r') return { code: 'Enter', shift: false };
  const shifted = SHIFTED.indexOf(ch);
  const base = shifted >= 0 ? UNSHIFTED[shifted]! : ch;
  const code = /^[0-9]$/.test(base) ? `Digit${base}` : PUNCT[base];
  return code ? { code, shift: shifted >= 0 } : null;
}
