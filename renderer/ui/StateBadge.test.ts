import { expect, test } from 'vitest';
import { listedReason, tellingReason } from './StateBadge';

test('a list shows only the reasons that ask for a look or change what Start does', () => {
  // The admin's own "Force off" and a clean shutdown: nothing beside "shut off".
  expect(listedReason('shutoff', 'destroyed')).toBeUndefined();
  expect(listedReason('shutoff', 'shutdown')).toBeUndefined();
  expect(listedReason('running', 'booted')).toBeUndefined();
  // …still told in the tooltip.
  expect(tellingReason('shutoff', 'destroyed')).toBe('destroyed');
  expect(listedReason('shutoff', 'crashed')).toEqual({ text: 'crashed', warn: true });
  expect(listedReason('shutoff', 'saved')).toEqual({ text: 'saved' });
  // libvirt's reason word and the lifecycle event's detail word read the same.
  expect(listedReason('paused', 'I/O error')).toEqual({ text: 'I/O error', warn: true });
  expect(listedReason('paused', 'i/o error')).toEqual({ text: 'I/O error', warn: true });
  expect(listedReason('paused', 'post-copy failed')?.text).toBe('copy failed');
});
