import { describe, expect, test } from 'vitest';
import { takeScreenKeys } from './screen-keys';
import { SCANCODE } from './scancodes';

const key = (type: string, code: string) => Object.assign(new Event(type, { cancelable: true }), { code });

function screenWithLog() {
  const screen = new EventTarget();
  const sent: string[] = [];
  const stop = takeScreenKeys(screen, (code, down) => {
    if (SCANCODE[code] === undefined) return false;
    sent.push(`${down ? '+' : '-'}${code}`);
    return true;
  });
  return { screen, sent, stop };
}

describe('takeScreenKeys', () => {
  test('sends each press and release by its physical key, and keeps the event from the page', () => {
    const { screen, sent } = screenWithLog();
    const down = key('keydown', 'ShiftLeft');
    screen.dispatchEvent(down);
    for (const [type, code] of [['keydown', 'KeyS'], ['keyup', 'KeyS'], ['keyup', 'ShiftLeft']] as const) screen.dispatchEvent(key(type, code));
    expect(sent).toEqual(['+ShiftLeft', '+KeyS', '-KeyS', '-ShiftLeft']);
    expect(down.defaultPrevented).toBe(true);
  });
  test('a key without a scancode is dropped, and a release of a key never pressed is not sent', () => {
    const { screen, sent } = screenWithLog();
    screen.dispatchEvent(key('keydown', ''));
    screen.dispatchEvent(key('keyup', ''));
    screen.dispatchEvent(key('keyup', 'KeyA'));
    expect(sent).toEqual([]);
  });
  test('keys held when the screen loses focus, or when it stops, are released', () => {
    const { screen, sent, stop } = screenWithLog();
    screen.dispatchEvent(key('keydown', 'ControlLeft'));
    screen.dispatchEvent(key('keydown', 'AltLeft'));
    screen.dispatchEvent(new Event('focusout'));
    expect(sent).toEqual(['+ControlLeft', '+AltLeft', '-AltLeft', '-ControlLeft']);
    screen.dispatchEvent(key('keydown', 'KeyQ'));
    stop();
    screen.dispatchEvent(key('keydown', 'KeyW'));
    expect(sent.slice(4)).toEqual(['+KeyQ', '-KeyQ']);
  });
});
