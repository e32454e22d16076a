// <hostdev>: a host PCI or USB device passed through to the guest (picked from the host's own
// devices, `virsh nodedev-list`). PCI and USB ones are plugged into (and out of) a running VM too.

import type { Element } from '@xmldom/xmldom';
import { addressOf, bootOrder, devicesOfKind } from '../domain';
import { type Ctx, type Handlers, hotplug } from '../handler';
import type { DeviceAddress, HostdevView } from '../types';
import { appendDevice } from '../xml/device-xml';
import { attr, child, createEl } from '../xml/xml-doc';

export const HOSTDEV_MODES = ['subsystem', 'capabilities'] as const;
export const HOSTDEV_SUBSYSTEM_TYPES = ['pci', 'usb', 'scsi', 'scsi_host', 'mdev'] as const;

/** A host device as libvirt's hostdev <source> names it. */
export type HostdevSource =
  | { type: 'pci'; domain: string; bus: string; slot: string; function: string }
  | { type: 'usb'; vendor: string; product: string };

export type HostdevEdit =
  // Passes a host PCI device (by address) or USB device (by vendor:product) through; libvirt
  // detaches it from its host driver itself (managed).
  { kind: 'add-hostdev'; source: HostdevSource };

export function readHostdev(h: Element, index: number): HostdevView {
  const src = child(h, 'source');
  const vendor = src ? attr(child(src, 'vendor'), 'id') : null;
  const product = src ? attr(child(src, 'product'), 'id') : null;
  const managed = attr(h, 'managed');
  return {
    index,
    mode: attr(h, 'mode'),
    type: attr(h, 'type'),
    managed: managed === null ? null : managed === 'yes',
    source: src ? (addressOf(src) ?? (vendor || product ? { vendor: vendor ?? '', product: product ?? '' } : null)) : null,
    bootOrder: bootOrder(h),
  };
}

/** Whether this host device can be plugged into (or out of) a running VM: PCI and USB ones. */
export function hostdevHotplugs(h: HostdevView | undefined): boolean {
  return h !== undefined && (h.mode ?? 'subsystem') === 'subsystem' && (h.type === 'pci' || h.type === 'usb');
}

const hex = (what: string, v: unknown, digits: number): string => {
  if (typeof v !== 'string' || !new RegExp(`^0x[0-9a-fA-F]{1,${digits}}$`).test(v)) {
    throw new Error(`invalid ${what} '${String(v)}' (expected hex like 0x${'0'.repeat(digits)})`);
  }
  return v.toLowerCase();
};

function sameSource(a: DeviceAddress | null, b: DeviceAddress): boolean {
  return a !== null && Object.entries(b).every(([k, v]) => k === 'type' || Number.parseInt(a[k] ?? '', 16) === Number.parseInt(v, 16));
}

function addHostdev(c: Ctx, s: HostdevSource): void {
  let source: Element;
  let key: DeviceAddress;
  if (s.type === 'pci') {
    key = { domain: hex('PCI domain', s.domain, 4), bus: hex('PCI bus', s.bus, 2), slot: hex('PCI slot', s.slot, 2), function: hex('PCI function', s.function, 1) };
    source = createEl(c.xd, 'source', {}, [createEl(c.xd, 'address', key)]);
  } else if (s.type === 'usb') {
    key = { vendor: hex('USB vendor id', s.vendor, 4), product: hex('USB product id', s.product, 4) };
    source = createEl(c.xd, 'source', {}, [createEl(c.xd, 'vendor', { id: key.vendor }), createEl(c.xd, 'product', { id: key.product })]);
  } else {
    throw new Error(`invalid host device type '${String((s as { type?: unknown }).type)}' (expected pci or usb)`);
  }
  const taken = devicesOfKind(c.domain, 'hostdev').map(readHostdev).some((h) => h.type === s.type && sameSource(h.source, key));
  if (taken) throw new Error('that host device is already passed through to this VM');
  appendDevice(c.xd, c.domain, createEl(c.xd, 'hostdev', { mode: 'subsystem', type: s.type, managed: 'yes' }, [source]));
}

export const hostdevHandlers = {
  'add-hostdev': { apply: (c, e) => addHostdev(c, e.source), live: hotplug('hostdev') },
} satisfies Handlers<HostdevEdit>;
