// The clone's domain XML from the source's (its inactive definition), changed only where a clone
// must differ, the way virt-clone does it: a new name and UUID (also in the SMBIOS system entry,
// which libvirt requires to match), a new MAC on every NIC, the copied disks pointed at their new
// volumes, the NVRAM at its copy, and no template mark. Everything else — unknown elements,
// foreign namespaces, comments, formatting — is carried through untouched (the lossless XmlDoc).
import type { Element } from '@xmldom/xmldom';
import { DOMAIN_ORDER, findDomain } from '../domain-xml/domain';
import { child, createEl, elements, insertEl, placeEl, removeEl, setAttr, XmlDoc } from '../domain-xml/xml/xml-doc';
import { VIRTDECK_TEMPLATE_NS } from './template';

/** Where a copied disk now lives: a volume by pool and name (type='volume'), or its path. */
export type NewDiskSource = { pool: string; volume: string } | { path: string };

export interface CloneSpec {
  name: string;
  uuid: string;
  /** One per <interface>, in document order. */
  macs: readonly string[];
  /** By the disk's position among <disk> elements: its new source; a disk not named is kept. */
  disks: ReadonlyMap<number, { source: NewDiskSource; /** the new image's format, e.g. qcow2 for an overlay */ format?: string }>;
  /** The NVRAM copy's path, when the source has <os><nvram>. */
  nvram?: string;
  /** The source's name: a character device's log file named after it is renamed after the
   *  clone, so two VMs never write one log. */
  sourceName?: string;
}

export function cloneDomainXml(xml: string, spec: CloneSpec): string {
  const xd = new XmlDoc(xml);
  const domain = findDomain(xd);
  domain.removeAttribute('id');
  setText(xd, domain, 'name', spec.name);
  setText(xd, domain, 'uuid', spec.uuid);
  for (const sys of elements(domain, 'sysinfo').flatMap((s) => elements(s, 'system'))) {
    for (const entry of elements(sys, 'entry')) if (entry.getAttribute('name') === 'uuid') entry.textContent = spec.uuid;
  }
  setNvram(domain, spec);
  const devices = child(domain, 'devices');
  const nics = devices ? elements(devices, 'interface') : [];
  if (nics.length !== spec.macs.length) throw new Error(`The clone needs ${nics.length} MAC addresses, ${spec.macs.length} were given`);
  nics.forEach((nic, i) => setMac(xd, nic, spec.macs[i]!));
  const disks = devices ? elements(devices, 'disk') : [];
  for (const [index, change] of spec.disks) {
    const disk = disks[index];
    if (!disk) throw new Error(`The source VM has no disk number ${index + 1}`);
    setDiskSource(xd, disk, change.source, change.format);
  }
  if (spec.sourceName && devices) renameLogs(devices, spec.sourceName, spec.name);
  dropTemplateMark(domain);
  return xd.serialize();
}

function setText(xd: XmlDoc, domain: Element, name: string, value: string): void {
  const el = child(domain, name) ?? placeEl(xd, domain, createEl(xd, name), DOMAIN_ORDER);
  el.textContent = value;
}

function setNvram(domain: Element, spec: CloneSpec): void {
  const nvram = child(child(domain, 'os') ?? domain, 'nvram');
  if (!nvram || !child(domain, 'os')) return;
  if (!spec.nvram) {
    // No copy: let libvirt make a fresh one from the template at the first start, rather than
    // two VMs writing one file.
    nvram.textContent = '';
    return;
  }
  nvram.textContent = spec.nvram;
}

function setMac(xd: XmlDoc, nic: Element, mac: string): void {
  const el = child(nic, 'mac');
  if (el) return setAttr(el, 'address', mac);
  const first = elements(nic)[0];
  insertEl(xd, nic, createEl(xd, 'mac', { address: mac }), first ? { before: first } : {});
}

function setDiskSource(xd: XmlDoc, disk: Element, source: NewDiskSource, format: string | undefined): void {
  const old = child(disk, 'source');
  const type = 'pool' in source ? 'volume' : disk.getAttribute('type') === 'block' ? 'block' : 'file';
  disk.setAttribute('type', type);
  const src = old ?? insertEl(xd, disk, createEl(xd, 'source'), { after: child(disk, 'driver') ?? undefined });
  for (const a of ['file', 'dev', 'pool', 'volume', 'dir', 'name', 'protocol', 'index']) src.removeAttribute(a);
  if ('pool' in source) {
    src.setAttribute('pool', source.pool);
    src.setAttribute('volume', source.volume);
  } else {
    src.setAttribute(type === 'block' ? 'dev' : 'file', source.path);
  }
  // The old chain is not the new image's: libvirt reads the copy's (or overlay's) own.
  const chain = child(disk, 'backingStore');
  if (chain) removeEl(chain);
  if (format) {
    const driver = child(disk, 'driver');
    if (driver) driver.setAttribute('type', format);
    else insertEl(xd, disk, createEl(xd, 'driver', { name: 'qemu', type: format }), { before: src });
  }
}

function renameLogs(devices: Element, from: string, to: string): void {
  for (const dev of elements(devices)) {
    for (const log of elements(dev, 'log')) {
      const file = log.getAttribute('file');
      const slash = file ? file.lastIndexOf('/') : -1;
      if (file && file.slice(slash + 1).includes(from)) log.setAttribute('file', file.slice(0, slash + 1) + file.slice(slash + 1).replace(from, to));
    }
  }
}

function dropTemplateMark(domain: Element): void {
  const md = child(domain, 'metadata');
  if (!md) return;
  for (const el of elements(md)) if (el.namespaceURI === VIRTDECK_TEMPLATE_NS) removeEl(el);
  if (elements(md).length === 0 && !md.textContent?.trim()) removeEl(md);
}

/** The path of the domain's NVRAM file (<os><nvram>), or null without one. */
export function nvramOf(xml: string): string | null {
  const os = child(findDomain(new XmlDoc(xml)), 'os');
  const path = os ? child(os, 'nvram')?.textContent?.trim() : '';
  return path || null;
}
