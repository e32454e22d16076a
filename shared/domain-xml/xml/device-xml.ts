// Device elements inside <devices>: placing a new one where libvirt orders it, and one device of a
// domain as a standalone XML fragment, for `virsh attach-device` / `detach-device` /
// `update-device` (which take a single device element).

import { type Element, XMLSerializer } from '@xmldom/xmldom';
import { DEVICE_TAGS, DOMAIN_ORDER, devicesOf, devicesOfKind, findDomain } from '../domain';
import { diskTarget } from '../devices/disk-names';
import { XmlDoc, attr, child, createEl, elements, insertEl, placeEl, removeEl } from './xml-doc';

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

export type DevicePick = { index: number } | { target: string } | { mac: string };

/** The device of kind `tag` picked by position, disk target or MAC; null when there is none. */
export function deviceXml(xml: string, tag: string, pick: DevicePick, opts: { dropAddress?: boolean } = {}): string | null {
  const xd = new XmlDoc(xml);
  const list = devicesOfKind(findDomain(xd), tag);
  const el =
    'index' in pick
      ? list[pick.index]
      : 'target' in pick
        ? list.find((d) => diskTarget(d) === pick.target)
        : list.find((d) => attr(child(d, 'mac'), 'address')?.toLowerCase() === pick.mac.toLowerCase());
  if (!el) return null;
  if (opts.dropAddress) elements(el, 'address').forEach(removeEl);
  return new XMLSerializer().serializeToString(el);
}

/** How many devices of a kind the domain has. */
export function deviceCount(xml: string, tag: string): number {
  return devicesOfKind(findDomain(new XmlDoc(xml)), tag).length;
}

/**
 * A device fragment as it is shown on its own: serialized out of the document, its first line
 * has no indentation and the others keep the document's; take the common indentation of the
 * others off so it reads as one block.
 */
export function dedentFragment(xml: string): string {
  const lines = xml.split('\n');
  const rest = lines.slice(1).filter((l) => l.trim() !== '');
  const common = Math.min(...rest.map((l) => /^[ \t]*/.exec(l)![0].length));
  if (!rest.length || !Number.isFinite(common) || common === 0) return xml;
  return [lines[0], ...lines.slice(1).map((l) => l.slice(Math.min(common, /^[ \t]*/.exec(l)![0].length)))].join('\n');
}
