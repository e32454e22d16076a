// libvirt node device XML (`virsh nodedev-dumpxml`): the facts of a host PCI or USB device that
// passing it through needs. XML, not `nodedev-list --tree` text, so the host's language does not
// matter.

import { DOMParser, type Element } from '@xmldom/xmldom';
import type { NodeDevice } from '../contract/nodedevs';

const kids = (el: Element | null | undefined, name: string): Element[] =>
  el ? Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1 && n.nodeName === name) : [];
const first = (el: Element | null | undefined, name: string): Element | null => kids(el, name)[0] ?? null;
const textOf = (el: Element | null): string | null => {
  const t = el?.textContent?.trim();
  return t ? t : null;
};

/** A decimal (or 0x-hex) number from the XML as 0x-hex with `digits` digits. */
function hex(v: string | null, digits: number): string | null {
  if (v === null) return null;
  const n = /^0x/i.test(v) ? Number.parseInt(v, 16) : Number(v);
  return Number.isInteger(n) && n >= 0 ? `0x${n.toString(16).padStart(digits, '0')}` : null;
}

/** The PCI or USB device one `nodedev-dumpxml` describes, or null for any other kind (or bad XML). */
export function parseNodeDevice(xml: string): NodeDevice | null {
  let root: Element | null;
  try {
    root = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'application/xml').documentElement;
  } catch {
    return null;
  }
  if (!root || root.nodeName !== 'device') return null;
  const name = textOf(first(root, 'name'));
  const cap = kids(root, 'capability').find((c) => ['pci', 'usb_device'].includes(c.getAttribute('type') ?? ''));
  if (!name || !cap) return null;
  const vendorEl = first(cap, 'vendor');
  const productEl = first(cap, 'product');
  const base = {
    name,
    vendor: textOf(vendorEl),
    product: textOf(productEl),
    vendorId: hex(vendorEl?.getAttribute('id') ?? null, 4),
    productId: hex(productEl?.getAttribute('id') ?? null, 4),
    driver: textOf(first(first(root, 'driver'), 'name')),
  };
  const field = (n: string) => textOf(first(cap, n));
  if (cap.getAttribute('type') === 'pci') {
    const [domain, bus, slot, fn] = [hex(field('domain'), 4), hex(field('bus'), 2), hex(field('slot'), 2), hex(field('function'), 1)];
    if (!domain || !bus || !slot || !fn) return null;
    const group = first(cap, 'iommuGroup')?.getAttribute('number');
    return { ...base, cap: 'pci', pci: { domain, bus, slot, function: fn, iommuGroup: group ? Number(group) : null } };
  }
  const bus = Number(field('bus'));
  const device = Number(field('device'));
  return { ...base, cap: 'usb_device', ...(Number.isInteger(bus) && Number.isInteger(device) ? { usb: { bus, device } } : {}) };
}

/** How the picker names a device: "0000:03:00.0 Intel Corporation I350 (igb)" / "USB 1-2 Logitech …". */
export function nodeDeviceLabel(d: NodeDevice): string {
  const what = [d.vendor ?? d.vendorId, d.product ?? d.productId].filter(Boolean).join(' ');
  const where = d.pci
    ? `${d.pci.domain.slice(2)}:${d.pci.bus.slice(2)}:${d.pci.slot.slice(2)}.${d.pci.function.slice(2)}`
    : `USB ${d.usb ? `${d.usb.bus}-${d.usb.device}` : d.name}`;
  return `${where} ${what}${d.driver ? ` (${d.driver})` : ''}`.trim();
}
