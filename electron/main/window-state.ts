// The main window's size and place, remembered across restarts (window-state.json in the profile).
// A remembered place is used only if it is still mostly on a screen that exists now: a laptop
// unplugged from its second monitor must not open VirtDeck off screen.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1440, height: 900 };
export const MIN_SIZE = { width: 960, height: 600 };
const FILE = 'window-state.json';

/** The saved state if it is well formed, else undefined. */
export function parseWindowState(text: string): WindowState | undefined {
  try {
    const v = JSON.parse(text) as { bounds?: Partial<Rect>; maximized?: unknown };
    const b = v.bounds;
    if (!b || ![b.x, b.y, b.width, b.height].every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
    return { bounds: b as Rect, maximized: v.maximized === true };
  } catch {
    return undefined;
  }
}

const overlap = (a: Rect, b: Rect): number => Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

/** Where to open: the saved bounds (no smaller than the minimum, no larger than the screen they
 *  are on) when at least half of the window lands on one of today's work areas; else the default
 *  size, placed by the OS. */
export function placeWindow(saved: WindowState | undefined, workAreas: readonly Rect[]): { bounds: Partial<Rect> & { width: number; height: number }; maximized: boolean } {
  if (!saved) return { bounds: { ...DEFAULT_SIZE }, maximized: false };
  const b = saved.bounds;
  const area = workAreas.find((w) => overlap(b, w) >= (b.width * b.height) / 2);
  if (!area) return { bounds: { ...DEFAULT_SIZE }, maximized: saved.maximized };
  const width = Math.min(Math.max(b.width, MIN_SIZE.width), area.width);
  const height = Math.min(Math.max(b.height, MIN_SIZE.height), area.height);
  return { bounds: { x: b.x, y: b.y, width, height }, maximized: saved.maximized };
}

export function loadWindowState(profileDir: string): WindowState | undefined {
  try {
    return parseWindowState(readFileSync(path.join(profileDir, FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Written whole, then renamed over the old file: a crash mid-write leaves the previous state. */
export function saveWindowState(profileDir: string, state: WindowState): void {
  const file = path.join(profileDir, FILE);
  try {
    writeFileSync(`${file}.tmp`, JSON.stringify(state));
    renameSync(`${file}.tmp`, file);
  } catch {
    // A read-only profile only loses the window's place.
  }
}
