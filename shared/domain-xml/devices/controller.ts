// <controller>: the buses disks and other devices sit on. Adding one, switching SCSI controllers
// to virtio-scsi, and the read (with the disks attached to each). All of it waits for the next
// boot (a SCSI controller a hot-plugged SCSI disk needs is attached with the disk).

import type { Element } from '@xmldom/xmldom';
import { addressOf, devicesOfKind, intOrNull } from '../domain';
import { type Ctx, type Handlers, NEXT_BOOT, firstFree, oneOf } from '../handler';
import type { ControllerView } from '../types';
import { type XmlDoc, attr, createEl } from '../xml/xml-doc';
import { appendDevice } from '../xml/device-xml';
import { diskController, diskTarget } from './disk-names';
import type { GuestDriverNames } from './guest-driver';

export const CONTROLLER_TYPES = ['scsi', 'sata', 'ide', 'fdc', 'usb', 'virtio-serial', 'pci', 'ccid', 'xenbus', 'isa'] as const;

/** The paravirtualized SCSI controller models. */
export const VIRTIO_SCSI_MODELS = ['virtio-scsi', 'virtio-transitional', 'virtio-non-transitional'] as const;
/** The guest's virtio-scsi driver. */
export const VIRTIO_SCSI_DRIVER: GuestDriverNames = { linux: 'virtio_scsi', windows: 'vioscsi' };
/** SCSI controller models that mean "LSI" (the hypervisor default) and should become virtio-scsi. */
export const LSI_LIKE_SCSI_MODELS = ['auto', 'lsilogic', 'lsisas1068', 'lsisas1078', 'buslogic'] as const;

/** The models libvirt accepts per controller type (types not listed take none or any). */
export const CONTROLLER_MODELS: Readonly<Record<string, readonly string[]>> = {
  scsi: [
    'virtio-scsi', 'virtio-transitional', 'virtio-non-transitional', 'lsilogic', 'lsisas1068', 'lsisas1078',
    'buslogic', 'ibmvscsi', 'vmpvscsi', 'auto', 'ncr53c90', 'am53c974', 'dc390',
  ],
  usb: [
    'qemu-xhci', 'nec-xhci', 'piix3-uhci', 'piix4-uhci', 'ehci', 'ich9-ehci1', 'ich9-uhci1', 'ich9-uhci2',
    'ich9-uhci3', 'vt82c686b-uhci', 'pci-ohci', 'qusb1', 'qusb2', 'none',
  ],
  'virtio-serial': ['virtio', 'virtio-transitional', 'virtio-non-transitional'],
};

export type ControllerEdit =
  // Adds a controller; index defaults to the next free one for that type.
  | { kind: 'add-controller'; type: string; model?: string; index?: number }
  // Switches SCSI controllers with no/LSI model (all, or the one with this index) to virtio-scsi.
  | { kind: 'replace-scsi-controller-with-virtio-scsi'; index?: number };

export function readControllers(domain: Element): ControllerView[] {
  const disks = devicesOfKind(domain, 'disk');
  return devicesOfKind(domain, 'controller').map((c, position) => {
    const type = attr(c, 'type');
    // libvirt's default index is 0.
    const index = controllerIndex(c);
    const attached = disks.filter((d) => {
      const at = diskController(d);
      return at !== null && at.type === type && at.index === index;
    });
    return {
      position,
      type,
      index: intOrNull(attr(c, 'index')),
      model: attr(c, 'model'),
      address: addressOf(c),
      disks: attached.map(diskTarget).filter((t): t is string => t !== null),
    };
  });
}

export function controllerIndex(c: Element): number {
  return intOrNull(attr(c, 'index')) ?? 0;
}

export function controllersOf(domain: Element, type: string): Element[] {
  return devicesOfKind(domain, 'controller').filter((x) => attr(x, 'type') === type);
}

export const isVirtioScsi = (c: Element): boolean => (VIRTIO_SCSI_MODELS as readonly string[]).includes(attr(c, 'model') ?? '');

/**
 * Makes sure a virtio-scsi controller exists and returns its index: an existing one, else the
 * lowest-index LSI/default one switched to virtio-scsi in place (it keeps its index and address),
 * else a new one.
 */
export function ensureVirtioScsiController(xd: XmlDoc, domain: Element): number {
  const scsi = controllersOf(domain, 'scsi').sort((a, b) => controllerIndex(a) - controllerIndex(b));
  const virtio = scsi.find(isVirtioScsi);
  if (virtio) return controllerIndex(virtio);
  const lsi = scsi.find((c) => attr(c, 'model') === null || (LSI_LIKE_SCSI_MODELS as readonly string[]).includes(attr(c, 'model')!));
  if (lsi) {
    lsi.setAttribute('model', 'virtio-scsi');
    return controllerIndex(lsi);
  }
  return addVirtioScsiController(xd, domain);
}

/** A new virtio-scsi controller at the lowest free SCSI index; returns that index. */
export function addVirtioScsiController(xd: XmlDoc, domain: Element): number {
  const index = firstFree(new Set(controllersOf(domain, 'scsi').map(controllerIndex)));
  appendDevice(xd, domain, createEl(xd, 'controller', { type: 'scsi', index, model: 'virtio-scsi' }));
  return index;
}

function addController(c: Ctx, type: string, model: string | undefined, index: number | undefined): void {
  oneOf('controller type', type, CONTROLLER_TYPES);
  const models = CONTROLLER_MODELS[type];
  if (model !== undefined && models) oneOf(`${type} controller model`, model, models);
  const used = new Set(controllersOf(c.domain, type).map(controllerIndex));
  let idx = index;
  if (idx === undefined) idx = firstFree(used);
  else if (!Number.isInteger(idx) || idx < 0) throw new Error(`invalid controller index '${idx}'`);
  else if (used.has(idx)) throw new Error(`a ${type} controller with index ${idx} already exists`);
  appendDevice(c.xd, c.domain, createEl(c.xd, 'controller', { type, index: idx, model }));
}

function replaceScsiWithVirtio(c: Ctx, index: number | undefined): void {
  const scsi = controllersOf(c.domain, 'scsi');
  if (scsi.length === 0) throw new Error('the domain has no SCSI controller');
  let chosen: Element[];
  if (index !== undefined) {
    const one = scsi.find((x) => controllerIndex(x) === index);
    if (!one) throw new Error(`no SCSI controller with index ${index}`);
    chosen = [one];
  } else {
    chosen = scsi.filter((x) => !isVirtioScsi(x));
  }
  for (const x of chosen) x.setAttribute('model', 'virtio-scsi');
}

export const controllerHandlers = {
  'add-controller': { apply: (c, e) => addController(c, e.type, e.model, e.index), live: NEXT_BOOT },
  'replace-scsi-controller-with-virtio-scsi': { apply: (c, e) => replaceScsiWithVirtio(c, e.index), live: NEXT_BOOT },
} satisfies Handlers<ControllerEdit>;
