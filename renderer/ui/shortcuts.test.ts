import { expect, test } from 'vitest';
import { ACTION_KEYS, actionForKey } from './shortcuts';
import type { ActionSpec } from './vm-actions';

const specs = Object.entries(ACTION_KEYS).map(([action, key]) => ({ action, key, label: action, allowed: () => true }) as unknown as ActionSpec);
const press = (key: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>>) => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

test('Ctrl+Shift and a letter pick the lifecycle action of that letter, in either case', () => {
  expect(actionForKey(press('S', { ctrlKey: true, shiftKey: true }), specs)?.action).toBe('start');
  expect(actionForKey(press('p', { ctrlKey: true, shiftKey: true }), specs)?.action).toBe('suspend');
});

test('without Shift, with Alt, or on an unassigned letter nothing is picked', () => {
  expect(actionForKey(press('s', { ctrlKey: true }), specs)).toBeUndefined();
  expect(actionForKey(press('S', { ctrlKey: true, shiftKey: true, altKey: true }), specs)).toBeUndefined();
  expect(actionForKey(press('Q', { ctrlKey: true, shiftKey: true }), specs)).toBeUndefined();
});

test('each action has its own letter, none a browser keeps for itself', () => {
  const keys = Object.values(ACTION_KEYS);
  expect(new Set(keys).size).toBe(keys.length);
  for (const k of keys) expect('RCIJNTWQ').not.toContain(k);
});
