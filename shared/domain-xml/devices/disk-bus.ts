// set-disk-bus: move a disk to another bus the way a careful admin would by hand.
//
// The trap this avoids: a disk moved to bus='scsi' with no controller lands on the SCSI controller
// libvirt adds by default, which is LSI on x86 — and RHEL 7+ guests have no LSI driver, so they
// stop booting. We always put the disk on a virtio-scsi controller.

import type { Element } from '@xmldom/xmldom';
import { devicesOfKind } from '../domain';
import { type Ctx, firstFree, oneOf } from '../handler';
import { diskBusProblem } from '../arch';
import { attr, child, elements, removeEl } from '../xml/xml-doc';
import { diskBus, diskDevice, diskIndex, diskLetters, diskTarget, findDisk, prefixForBus } from './disk-names';
import { placeOnScsi } from './scsi-address';

export const DISK_BUSES = ['virtio', 'scsi', 'sata', 'ide', 'usb'] as const;
export type DiskBus = (typeof DISK_BUSES)[number];

// Attributes/children only valid for some buses: dropped when the disk leaves them, since libvirt
// rejects the domain otherwise.
const VIRTIO_DRIVER_ATTRS = ['queues', 'queue_size', 'iothread', 'ats', 'iommu', 'packed', 'page_per_vq'];

/** First free target name for a bus, ignoring the disk being renamed. */
export function freeTargetName(domain: Element, bus: string, except: Element | null): string {
  const prefix = prefixForBus(bus);
  const used = new Set<number>();
  for (const d of devicesOfKind(domain, 'disk')) {
    if (d === except) continue;
    const idx = diskIndex(diskTarget(d) ?? '', prefix);
    if (idx !== null) used.add(idx);
  }
  return prefix + diskLetters(firstFree(used));
}

/** The domain's `<os><type arch machine>`. */
function osType(domain: Element): { arch: string | null; machine: string | null } {
  const type = child(child(domain, 'os') ?? domain, 'type');
  return { arch: attr(type, 'arch'), machine: attr(type, 'machine') };
}

export function setDiskBus(c: Ctx, target: string, bus: string): void {
  oneOf('disk bus', bus, DISK_BUSES);
  const { xd, domain } = c;
  const disk = findDisk(domain, target);
  const device = diskDevice(disk);
  const current = diskBus(disk);
  if (current === bus) return;
  if (device === 'floppy') throw new Error(`disk '${target}' is a floppy; floppies can only use bus fdc`);
  if (device === 'cdrom' && bus === 'virtio') {
    throw new Error(`disk '${target}' is a CD-ROM; a CD-ROM cannot use bus virtio (use sata or scsi)`);
  }
  if (device === 'lun' && bus !== 'scsi' && bus !== 'virtio') {
    throw new Error(`disk '${target}' is a SCSI LUN passthrough; it can only use bus scsi or virtio`);
  }
  const { arch, machine } = osType(domain);
  const problem = diskBusProblem(bus, arch, machine);
  if (problem) throw new Error(`${problem} for disk '${target}'`);

  const name = freeTargetName(domain, bus, disk);
  if (bus === 'ide' && (diskIndex(name, 'hd') ?? 0) > 3) {
    throw new Error(`no free IDE slot for disk '${target}' (hda–hdd are all in use)`);
  }

  const targetEl = child(disk, 'target')!;
  targetEl.setAttribute('dev', name);
  targetEl.setAttribute('bus', bus);
  // libvirt 9 refuses removable on anything but usb ("removable is only valid for usb disks").
  if (bus !== 'usb') targetEl.removeAttribute('removable');
  if (bus === 'virtio' || bus === 'usb') targetEl.removeAttribute('rotation_rate');

  if (bus !== 'virtio') {
    disk.removeAttribute('model');
    const driver = child(disk, 'driver');
    if (driver) {
      for (const a of VIRTIO_DRIVER_ATTRS) driver.removeAttribute(a);
      for (const it of elements(driver, 'iothreads')) removeEl(it);
    }
  }
  if (bus !== 'scsi' && bus !== 'ide') for (const w of elements(disk, 'wwn')) removeEl(w);
  if (bus !== 'scsi') for (const n of ['vendor', 'product']) for (const e of elements(disk, n)) removeEl(e);

  // The old address names a controller/slot of the old bus; libvirt assigns a fresh one.
  const oldAddress = child(disk, 'address');
  if (oldAddress) removeEl(oldAddress);

  // A drive address no disk or SCSI host device holds, on virtio-scsi (never libvirt's default
  // LSI controller), written explicitly.
  if (bus === 'scsi') placeOnScsi(xd, domain, disk);
}
