// <redirdev>: a USB device on the SPICE client's machine redirected into the guest (spicevmc).
// Added to and removed from a running VM live, as virt-manager does.

import type { Element } from '@xmldom/xmldom';
import { devicesOfKind } from '../domain';
import { type Ctx, type Handlers, hotplug } from '../handler';
import type { RedirdevView } from '../types';
import { appendDevice } from '../xml/device-xml';
import { attr, createEl } from '../xml/xml-doc';

export type RedirdevEdit =
  // Adds a USB redirector fed by the SPICE client (the domain needs a SPICE display and USB).
  { kind: 'add-redirdev' };

export function readRedirdev(r: Element, index: number): RedirdevView {
  return { index, bus: attr(r, 'bus'), type: attr(r, 'type') };
}

/** Whether this redirector can be plugged into (or out of) a running VM: USB ones. */
export function redirdevHotplugs(r: { bus: string | null } | undefined): boolean {
  return r !== undefined && (r.bus ?? 'usb') === 'usb';
}

function addRedirdev(c: Ctx): void {
  const spice = devicesOfKind(c.domain, 'graphics').some((g) => attr(g, 'type') === 'spice');
  if (!spice) throw new Error('a spicevmc USB redirector needs a SPICE display (the domain has none)');
  appendDevice(c.xd, c.domain, createEl(c.xd, 'redirdev', { bus: 'usb', type: 'spicevmc' }));
}

export const redirdevHandlers = {
  'add-redirdev': { apply: (c) => addRedirdev(c), live: hotplug('redirdev') },
} satisfies Handlers<RedirdevEdit>;
