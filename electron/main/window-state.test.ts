import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, loadWindowState, parseWindowState, placeWindow, saveWindowState } from './window-state';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const monitor = { x: 1440, y: 0, width: 2560, height: 1415 };

describe('the main window opens where it was left', () => {
  it('uses the saved bounds on a screen that still exists, maximized as it was', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1800, height: 1000 }, maximized: true };
    expect(placeWindow(saved, [laptop, monitor])).toEqual({ bounds: saved.bounds, maximized: true });
  });

  it('opens at the default size, placed by the OS, when that screen is gone', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1800, height: 1000 }, maximized: false };
    expect(placeWindow(saved, [laptop])).toEqual({ bounds: DEFAULT_SIZE, maximized: false });
  });

  it('keeps a window no smaller than the minimum and no larger than its screen', () => {
    expect(placeWindow({ bounds: { x: 10, y: 10, width: 400, height: 300 }, maximized: false }, [laptop]).bounds).toEqual({ x: 10, y: 10, width: 960, height: 600 });
    expect(placeWindow({ bounds: { x: 0, y: 0, width: 1400, height: 870 }, maximized: false }, [{ ...laptop, width: 1280, height: 700 }]).bounds).toEqual({ x: 0, y: 0, width: 1280, height: 700 });
  });

  it('reads back what it wrote, and ignores a file that is not its own', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vd-window-'));
    expect(loadWindowState(dir)).toBeUndefined();
    saveWindowState(dir, { bounds: { x: 5, y: 6, width: 1000, height: 700 }, maximized: false });
    expect(loadWindowState(dir)).toEqual({ bounds: { x: 5, y: 6, width: 1000, height: 700 }, maximized: false });
    expect(JSON.parse(readFileSync(path.join(dir, 'window-state.json'), 'utf8')).bounds.width).toBe(1000);
    writeFileSync(path.join(dir, 'window-state.json'), '{"bounds":{"x":"a"}}');
    expect(loadWindowState(dir)).toBeUndefined();
    expect(parseWindowState('not json')).toBeUndefined();
  });
});
