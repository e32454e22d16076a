import { describe, expect, test } from 'vitest';
import { keyForChar, SCANCODE, spiceKeyCode } from './scancodes';

describe('SPICE key codes', () => {
  test('a plain key: its scancode down, with bit 7 up', () => {
    expect(spiceKeyCode(SCANCODE.KeyA!, true)).toBe(0x1e);
    expect(spiceKeyCode(SCANCODE.KeyA!, false)).toBe(0x9e);
  });
  test('an extended key: E0 first (lowest byte), then the key', () => {
    expect(spiceKeyCode(SCANCODE.Delete!, true)).toBe(0x53e0);
    expect(spiceKeyCode(SCANCODE.Delete!, false)).toBe(0xd3e0);
    expect(spiceKeyCode(SCANCODE.PrintScreen!, true)).toBe(0x37e0);
  });
  test('F11 and F12 are not after F10 in set 1', () => {
    expect([SCANCODE.F10, SCANCODE.F11, SCANCODE.F12]).toEqual([0x44, 0x57, 0x58]);
  });
});

describe('keyForChar (US layout)', () => {
  test('letters, digits, shifted symbols, whitespace', () => {
    expect(keyForChar('e')).toEqual({ code: 'KeyE', shift: false });
    expect(keyForChar('E')).toEqual({ code: 'KeyE', shift: true });
    expect(keyForChar('7')).toEqual({ code: 'Digit7', shift: false });
    expect(keyForChar('>')).toEqual({ code: 'Period', shift: true });
    expect(keyForChar('$')).toEqual({ code: 'Digit4', shift: true });
    expect(keyForChar('"')).toEqual({ code: 'Quote', shift: true });
    expect(keyForChar('|')).toEqual({ code: 'Backslash', shift: true });
    expect(keyForChar(' ')).toEqual({ code: 'Space', shift: false });
    expect(keyForChar('\n')).toEqual({ code: 'Enter', shift: false });
  });
  test('every key it names has a scancode; characters without a key are null', () => {
    for (const ch of 'aZ09`~!@#$%^&*()-_=+[{]}\\|;:\'",<.>/? \n\t') expect(SCANCODE[keyForChar(ch)!.code]).toBeDefined();
    expect(keyForChar('é')).toBeNull();
    expect(keyForChar('\u0007')).toBeNull();
  });
});
