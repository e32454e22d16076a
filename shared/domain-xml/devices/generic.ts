// Edits for any device kind: add one given as raw XML, remove one by kind and position (or a disk
// by target). A removed NIC, hot-pluggable disk, virtio RNG, usb/virtio input, USB redirector or
// PCI/USB host device is detached from a running VM too; other kinds wait for the next boot.

import { type DeviceTag, isDeviceTag, nthDevice } from '../domain';
import { type Ctx, type Handlers, NEXT_BOOT, hotplug, isHotplugTag } from '../handler';
import { appendDevice } from '../xml/device-xml';
import { importEl, parseFragment, removeEl } from '../xml/xml-doc';
import { removeSerial } from './chardev';
import { findDisk } from './disk-names';

export type GenericEdit =
  // Adds one device given as raw XML, after the last device of the same kind.
  | { kind: 'add-device'; xml: string }
  // Removes a device by kind and position, or a disk by target.
  | { kind: 'remove-device'; device: DeviceTag; index?: number; target?: string };

/** Kinds whose removal takes more than the element itself (what goes with it). */
const REMOVERS: Partial<Record<DeviceTag, (c: Ctx, index: number) => void>> = { serial: removeSerial };

function addDevice(c: Ctx, xml: string): void {
  const el = parseFragment(xml);
  if (!isDeviceTag(el.nodeName)) throw new Error(`<${el.nodeName}> is not a libvirt device element`);
  appendDevice(c.xd, c.domain, importEl(c.xd, el));
}

function removeDevice(c: Ctx, device: string, index: number | undefined, target: string | undefined): void {
  if (!isDeviceTag(device)) throw new Error(`invalid device kind '${device}'`);
  if (target !== undefined) {
    if (device !== 'disk') throw new Error('target is only for disks');
    removeEl(findDisk(c.domain, target));
    return;
  }
  if (index === undefined) throw new Error('give an index (or a target for disks)');
  const remove = REMOVERS[device];
  if (remove) remove(c, index);
  else removeEl(nthDevice(c.domain, device, index));
}

export const genericHandlers = {
  'add-device': { apply: (c, e) => addDevice(c, e.xml), live: NEXT_BOOT },
  'remove-device': {
    apply: (c, e) => removeDevice(c, e.device, e.index, e.target),
    live: (e) => (isHotplugTag(e.device) ? hotplug(e.device) : NEXT_BOOT),
  },
} satisfies Handlers<GenericEdit>;
