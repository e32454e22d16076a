// Placing and finding elements inside <devices>.

import type { Element } from '@xmldom/xmldom';
import { DEVICE_TAGS, DOMAIN_ORDER, devicesOf, devicesOfKind } from './domain';
import { type XmlDoc, createEl, insertEl, placeEl } from './xml-doc';

export function ensureDevices(xd: XmlDoc, domain: Element): Element {
  return devicesOf(domain) ?? placeEl(xd, domain, createEl(xd, 'devices'), DOMAIN_ORDER);
}

/** Appends a device after the last device of the same kind, else where libvirt orders that kind. */
export function appendDevice(xd: XmlDoc, domain: Element, el: Element): Element {
  const devices = ensureDevices(xd, domain);
  const last = devicesOfKind(domain, el.nodeName).at(-1);
  if (last) return insertEl(xd, devices, el, { after: last });
  return placeEl(xd, devices, el, DEVICE_TAGS);
}
