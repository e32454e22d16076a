// The names libvirt gives a running VM's devices (<alias name='virtio-disk0'/>), which QEMU uses
// as the device ids in its own paths (/machine/peripheral/virtio-disk0/…): each alias with the
// device it names, told by what stays the same between the running and the next-boot config.

import type { Element } from '@xmldom/xmldom';
import type { DeviceRef } from './advisor/types';
import { devicesOf, findDomain } from './domain';
import { XmlDoc, attr, child, elements } from './xml/xml-doc';

/** alias -> device, from a running VM's XML (devices without an alias are left out). */
export function deviceAliases(xml: string): Map<string, DeviceRef> {
  const out = new Map<string, DeviceRef>();
  const devices = devicesOf(findDomain(new XmlDoc(xml)));
  if (!devices) return out;
  const seen = new Map<string, number>();
  for (const el of elements(devices)) {
    const tag = el.nodeName;
    const position = seen.get(tag) ?? 0;
    seen.set(tag, position + 1);
    const alias = attr(child(el, 'alias'), 'name');
    if (!alias) continue;
    out.set(alias, { tag, id: refId(el, tag, position) });
  }
  return out;
}

function refId(el: Element, tag: string, position: number): string {
  switch (tag) {
    case 'disk':
      return attr(child(el, 'target'), 'dev') ?? String(position);
    case 'interface':
      return attr(child(el, 'mac'), 'address')?.toLowerCase() ?? String(position);
    case 'controller':
      return `${attr(el, 'type') ?? ''}:${attr(el, 'index') ?? '0'}`;
    default:
      return String(position);
  }
}

/** One string per device, for maps keyed by device. */
export const deviceRefKey = (ref: DeviceRef): string => `${ref.tag}/${ref.id}`;
