// <hostdev>: a host PCI, USB or SCSI device passed through to the guest. Read and value lists;
// removing one is the generic remove-device (next boot).

import type { Element } from '@xmldom/xmldom';
import { addressOf, bootOrder } from '../domain';
import type { DeviceAddress, HostdevView } from '../types';
import { attr, child } from '../xml/xml-doc';

export const HOSTDEV_MODES = ['subsystem', 'capabilities'] as const;
export const HOSTDEV_SUBSYSTEM_TYPES = ['pci', 'usb', 'scsi', 'scsi_host', 'mdev'] as const;


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
