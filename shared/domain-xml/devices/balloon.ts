// <memballoon>: the memory balloon, which lets the host take back guest memory and reports the
// guest's memory statistics. The statistics period is applied to a running VM too (dommemstat
// --period --live); the model waits for the next boot.

import type { Element } from '@xmldom/xmldom';
import { devicesOfKind } from '../domain';
import { type Ctx, type Handlers, LIVE, NEXT_BOOT, oneOf } from '../handler';
import type { DomainView } from '../types';
import { appendDevice } from '../xml/device-xml';
import { attr, child, createEl, elements, ensureChild, removeEl } from '../xml/xml-doc';
import type { GuestDriverNames } from './guest-driver';

export const MEMBALLOON_MODELS = ['virtio', 'virtio-transitional', 'virtio-non-transitional', 'none'] as const;
export type MemballoonModel = (typeof MEMBALLOON_MODELS)[number];
/** The models that are a working (virtio) balloon. */
export const VIRTIO_MEMBALLOON_MODELS = ['virtio', 'virtio-transitional', 'virtio-non-transitional'] as const satisfies readonly MemballoonModel[];
/** The guest's balloon driver (it sends the memory statistics). */
export const VIRTIO_BALLOON_DRIVER: GuestDriverNames = { linux: 'virtio_balloon', windows: 'Balloon' };
/** The longest statistics period libvirt takes, in seconds. */
export const MAX_BALLOON_STATS_PERIOD_S = 86400;

export type BalloonEdit =
  // Sets (or adds) the memory balloon's model; 'none' disables it.
  | { kind: 'set-memballoon-model'; model: MemballoonModel }
  // How often the balloon driver reports the guest's memory statistics, in seconds; 0 stops it.
  | { kind: 'set-memballoon-stats-period'; periodS: number };

export function readMemballoon(domain: Element): Pick<DomainView, 'memballoon'> {
  const balloon = devicesOfKind(domain, 'memballoon')[0];
  // <stats period>: seconds between the guest's memory reports; null when not set.
  const period = balloon ? attr(child(balloon, 'stats'), 'period') : null;
  return {
    memballoon: balloon ? { model: attr(balloon, 'model'), statsPeriodS: period === null || !/^\d+$/.test(period) ? null : Number(period) } : null,
  };
}

function setMemballoonModel(c: Ctx, model: MemballoonModel): void {
  oneOf('memballoon model', model, MEMBALLOON_MODELS);
  const balloon = devicesOfKind(c.domain, 'memballoon')[0];
  if (!balloon) {
    appendDevice(c.xd, c.domain, createEl(c.xd, 'memballoon', { model }));
    return;
  }
  balloon.setAttribute('model', model);
  // A disabled balloon has no statistics, driver options or PCI slot.
  if (model === 'none') elements(balloon).forEach(removeEl);
}

function setMemballoonStatsPeriod(c: Ctx, periodS: number): void {
  if (!Number.isInteger(periodS) || periodS < 0 || periodS > MAX_BALLOON_STATS_PERIOD_S) {
    throw new Error(`invalid balloon statistics period ${periodS}: whole seconds from 0 to ${MAX_BALLOON_STATS_PERIOD_S}`);
  }
  const balloon = devicesOfKind(c.domain, 'memballoon')[0];
  if (!balloon || attr(balloon, 'model') === 'none') throw new Error('the domain has no memory balloon to report statistics');
  // libvirt writes <stats> first inside <memballoon>.
  ensureChild(c.xd, balloon, 'stats', ['stats', 'alias', 'address', 'driver']).setAttribute('period', String(periodS));
}

export const balloonHandlers = {
  'set-memballoon-model': { apply: (c, e) => setMemballoonModel(c, e.model), live: NEXT_BOOT },
  'set-memballoon-stats-period': { apply: (c, e) => setMemballoonStatsPeriod(c, e.periodS), live: LIVE },
} satisfies Handlers<BalloonEdit>;
