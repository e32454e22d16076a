// set-disk-bus: move a disk to another bus the way a careful admin would by hand.
//
// The trap this avoids: a disk moved to bus='scsi' with no controller lands on the SCSI controller
// libvirt adds by default, which is LSI on x86 — and RHEL 7+ guests have no LSI driver, so they
// stop booting. We always put the disk on a virtio-scsi controller.

import type { Element } from '@xmldom/xmldom';
import { devicesOfKind, intOrNull } from '../domain';
import { type Ctx, firstFree, oneOf } from '../handler';
import { attr, child, createEl, elements, placeEl, removeEl } from '../xml/xml-doc';
import { diskBusProblem } from '../arch';
import { ensureVirtioScsiController } from './controller';
import { DISK_ORDER, diskBus, diskDevice, diskIndex, diskLetters, diskTarget, findDisk, prefixForBus } from './disk-names';

export const DISK_BUSES = ['virtio', 'scsi', 'sata', 'ide', 'usb'] as const;
export type DiskBus = (typeof DISK_BUSES)[number];

/** Units per SCSI controller in libvirt's default address assignment for QEMU (narrow bus). */
const SCSI_UNITS_PER_CONTROLLER = 7;

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

/** Units on a SCSI controller already taken by other disks (explicit addresses or libvirt's defaults). */
function usedScsiUnits(domain: Element, controller: number, except: Element): Set<number> {
  const used = new Set<number>();
  for (const d of devicesOfKind(domain, 'disk')) {
    if (d === except || diskBus(d) !== 'scsi') continue;
    const a = child(d, 'address');
    if (attr(a, 'type') === 'drive') {
      if ((intOrNull(attr(a, 'controller')) ?? 0) === controller) used.add(intOrNull(attr(a, 'unit')) ?? 0);
    } else {
      const idx = diskIndex(diskTarget(d) ?? '', 'sd');
      if (idx !== null && Math.floor(idx / SCSI_UNITS_PER_CONTROLLER) === controller) used.add(idx % SCSI_UNITS_PER_CONTROLLER);
    }
  }
  return used;
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
  if (bus !== 'usb' && bus !== 'scsi') targetEl.removeAttribute('removable');
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

  if (bus === 'scsi') {
    const controller = ensureVirtioScsiController(xd, domain);
    // libvirt would put an addressless sdX on controller idx/7; if that is not our virtio-scsi
    // controller, say where the disk goes instead of letting libvirt add a default (LSI) one.
    const idx = diskIndex(name, 'sd') ?? 0;
    if (Math.floor(idx / SCSI_UNITS_PER_CONTROLLER) !== controller) {
      const unit = firstFree(usedScsiUnits(domain, controller, disk));
      const address = createEl(xd, 'address', { type: 'drive', controller, bus: 0, target: 0, unit });
      placeEl(xd, disk, address, DISK_ORDER);
    }
  }
}
