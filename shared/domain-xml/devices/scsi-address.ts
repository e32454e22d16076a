// Where a disk goes on a SCSI bus: a drive address (controller, bus, target, unit) that no other
// disk and no SCSI host device holds, counted the way libvirt counts them, and always written
// explicitly so libvirt never picks one itself.
//
// libvirt (domain_conf.c): an addressless SCSI disk sdX with index i sits at controller i/7,
// unit i%7 (for vmpvscsi: 64 units, unit 7 reserved for the controller); an addressless
// <hostdev type='scsi'> takes the first free unit of the lowest controller with room, in
// document order; units per controller for its own choices are 7, or 64 for vmpvscsi.
// QEMU's virtio-scsi takes LUNs up to 16383 when named explicitly, but a unit beyond libvirt's
// own range is one virsh and virt-manager would never choose, so a full controller gets a new
// virtio-scsi controller beside it instead.
import type { Element } from '@xmldom/xmldom';
import { devicesOfKind, intOrNull } from '../domain';
import { attr, child, createEl, placeEl, type XmlDoc } from '../xml/xml-doc';
import { addVirtioScsiController, controllerIndex, controllersOf, ensureVirtioScsiController, isVirtioScsi } from './controller';
import { DISK_ORDER, diskBus, diskIndex, diskTarget } from './disk-names';

export interface DriveAddress {
  controller: number;
  bus: number;
  target: number;
  unit: number;
}

/** Units libvirt gives a SCSI controller of this model, and the unit it keeps for itself. */
export function scsiUnits(model: string | null): { count: number; reserved?: number } {
  return model === 'vmpvscsi' ? { count: 64, reserved: 7 } : { count: 7 };
}

const key = (a: DriveAddress) => `${a.controller}:${a.bus}:${a.target}:${a.unit}`;

function explicitDrive(el: Element): DriveAddress | null {
  const a = child(el, 'address');
  if (attr(a, 'type') !== 'drive') return null;
  const n = (name: string) => intOrNull(attr(a, name)) ?? 0;
  return { controller: n('controller'), bus: n('bus'), target: n('target'), unit: n('unit') };
}

/** Every drive address on SCSI buses that other devices hold (explicit, or libvirt's default). */
export function usedScsiAddresses(domain: Element, except: Element | null): Set<string> {
  const used = new Set<string>();
  const model = (controller: number) => attr(controllersOf(domain, 'scsi').find((c) => controllerIndex(c) === controller) ?? null, 'model');
  for (const d of devicesOfKind(domain, 'disk')) {
    if (d === except || diskBus(d) !== 'scsi') continue;
    const explicit = explicitDrive(d);
    if (explicit) used.add(key(explicit));
    else {
      // libvirt's virDiskNameToIndex ignores the prefix: a SCSI disk named hdd is index 3.
      const name = diskTarget(d) ?? '';
      const idx = diskIndex(name, /^(sd|hd|vd|xvd|ubd|fd)/.exec(name)?.[1] ?? 'sd');
      if (idx !== null) used.add(key({ controller: Math.floor(idx / 7), bus: 0, target: 0, unit: idx % 7 }));
    }
  }
  const hostdevs = devicesOfKind(domain, 'hostdev').filter((h) => attr(h, 'type') === 'scsi' && h !== except);
  for (const h of hostdevs) {
    const explicit = explicitDrive(h);
    if (explicit) used.add(key(explicit));
  }
  // Addressless ones next, as libvirt assigns them: first free unit, lowest controller with room.
  for (const h of hostdevs) {
    if (explicitDrive(h)) continue;
    for (let controller = 0; controller < 64; controller++) {
      const unit = freeUnit(used, controller, model(controller));
      if (unit !== null) {
        used.add(key({ controller, bus: 0, target: 0, unit }));
        break;
      }
    }
  }
  return used;
}

function freeUnit(used: Set<string>, controller: number, model: string | null): number | null {
  const { count, reserved } = scsiUnits(model);
  for (let unit = 0; unit < count; unit++) {
    if (unit !== reserved && !used.has(key({ controller, bus: 0, target: 0, unit }))) return unit;
  }
  return null;
}

/** Put `disk` on a virtio-scsi controller at a free drive address, written explicitly; when
 *  every virtio-scsi controller is full, a new one is added. Returns the address. */
export function placeOnScsi(xd: XmlDoc, domain: Element, disk: Element): DriveAddress {
  const first = ensureVirtioScsiController(xd, domain);
  const used = usedScsiAddresses(domain, disk);
  const candidates = controllersOf(domain, 'scsi')
    .filter(isVirtioScsi)
    .map((c) => ({ index: controllerIndex(c), model: attr(c, 'model') }))
    .sort((a, b) => (a.index === first ? -1 : b.index === first ? 1 : a.index - b.index));
  let address: DriveAddress | undefined;
  for (const c of candidates) {
    const unit = freeUnit(used, c.index, c.model);
    if (unit !== null) {
      address = { controller: c.index, bus: 0, target: 0, unit };
      break;
    }
  }
  address ??= { controller: addVirtioScsiController(xd, domain), bus: 0, target: 0, unit: 0 };
  const old = child(disk, 'address');
  if (old) old.parentNode?.removeChild(old);
  placeEl(xd, disk, createEl(xd, 'address', { type: 'drive', ...address }), DISK_ORDER);
  return address;
}
