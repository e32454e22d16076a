// One device of a domain as a standalone XML fragment, for `virsh attach-device` / `detach-device`
// / `update-device` (which take a single device element).

import { XMLSerializer } from '@xmldom/xmldom';
import { devicesOfKind, diskTarget, findDomain } from './domain';
import { XmlDoc, attr, child, elements, removeEl } from './xml-doc';

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
