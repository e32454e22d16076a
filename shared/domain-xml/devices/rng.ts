// <rng>: a virtio random number generator fed by a host entropy device. A virtio RNG is
// hot-plugged when added to or removed from a running VM.

import type { Element } from '@xmldom/xmldom';
import { type Ctx, type Handlers, hotplug, oneOf } from '../handler';
import type { RngView } from '../types';
import { appendDevice } from '../xml/device-xml';
import { attr, child, createEl, text } from '../xml/xml-doc';

export const RNG_BACKENDS = ['/dev/urandom', '/dev/random', '/dev/hwrng'] as const;
export const RNG_MODELS = ['virtio', 'virtio-transitional', 'virtio-non-transitional'] as const;
export type RngBackend = (typeof RNG_BACKENDS)[number];
export type RngModel = (typeof RNG_MODELS)[number];

export type RngEdit =
  // Adds a virtio RNG fed by a host entropy device (default /dev/urandom).
  { kind: 'add-rng'; backend?: RngBackend; model?: RngModel };

export function readRng(r: Element, index: number): RngView {
  const b = child(r, 'backend');
  const backendText = text(b)?.trim();
  return { index, model: attr(r, 'model'), backendModel: attr(b, 'model'), backend: backendText ? backendText : null };
}

/** Whether this RNG can be plugged into (or out of) a running VM: the virtio ones. */
export function rngHotplugs(r: { model: string | null } | undefined): boolean {
  return /^virtio/.test(r?.model ?? '');
}

function addRng(c: Ctx, backend: string | undefined, model: string | undefined): void {
  const dev = oneOf('RNG backend', backend ?? '/dev/urandom', RNG_BACKENDS);
  const m = oneOf('RNG model', model ?? 'virtio', RNG_MODELS);
  const backendEl = createEl(c.xd, 'backend', { model: 'random' }, [], dev);
  appendDevice(c.xd, c.domain, createEl(c.xd, 'rng', { model: m }, [backendEl]));
}

export const rngHandlers = {
  'add-rng': { apply: (c, e) => addRng(c, e.backend, e.model), live: hotplug('rng') },
} satisfies Handlers<RngEdit>;
