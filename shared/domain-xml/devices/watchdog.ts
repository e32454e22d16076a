// <watchdog>: resets (or otherwise handles) a guest that stops responding. Waits for the next boot.

import type { Element } from '@xmldom/xmldom';
import { devicesOfKind } from '../domain';
import { type Ctx, type Handlers, NEXT_BOOT, oneOf } from '../handler';
import type { WatchdogView } from '../types';
import { appendDevice } from '../xml/device-xml';
import { attr, createEl, elements, removeEl } from '../xml/xml-doc';

/** i6300esb is PCI (any PC), itco is q35's built-in one, ib700 ISA, diag288 s390. */
export const WATCHDOG_MODELS = ['i6300esb', 'ib700', 'diag288', 'itco'] as const;
export const WATCHDOG_ACTIONS = ['reset', 'shutdown', 'poweroff', 'pause', 'none', 'dump', 'inject-nmi'] as const;
export type WatchdogModel = (typeof WATCHDOG_MODELS)[number];
export type WatchdogAction = (typeof WATCHDOG_ACTIONS)[number];

export type WatchdogEdit =
  // Sets (or adds) the watchdog; null removes all watchdogs.
  { kind: 'set-watchdog'; watchdog: { model: WatchdogModel; action?: WatchdogAction } | null };

export function readWatchdog(w: Element, index: number): WatchdogView {
  return { index, model: attr(w, 'model'), action: attr(w, 'action') };
}

function setWatchdog(c: Ctx, w: { model: WatchdogModel; action?: WatchdogAction } | null): void {
  const existing = devicesOfKind(c.domain, 'watchdog');
  if (w === null) {
    if (existing.length === 0) throw new Error('the domain has no watchdog to remove');
    existing.forEach(removeEl);
    return;
  }
  oneOf('watchdog model', w.model, WATCHDOG_MODELS);
  if (w.action !== undefined) oneOf('watchdog action', w.action, WATCHDOG_ACTIONS);
  const first = existing[0];
  if (!first) {
    appendDevice(c.xd, c.domain, createEl(c.xd, 'watchdog', { model: w.model, action: w.action ?? 'reset' }));
    return;
  }
  // i6300esb is PCI, ib700 ISA, diag288 s390: an address from another model is stale.
  if (attr(first, 'model') !== w.model) elements(first, 'address').forEach(removeEl);
  first.setAttribute('model', w.model);
  if (w.action !== undefined) first.setAttribute('action', w.action);
}

export const watchdogHandlers = {
  'set-watchdog': { apply: (c, e) => setWatchdog(c, e.watchdog), live: NEXT_BOOT },
} satisfies Handlers<WatchdogEdit>;
