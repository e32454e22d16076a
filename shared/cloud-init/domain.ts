// The NoCloud seed in a domain's XML, as virt-install attaches it: the ISO as a read-only CD-ROM
// on SCSI (a virtio-scsi controller is added when the VM has none — cloud kernels that lack the
// AHCI/ATA drivers still read it, virt-manager #912), and `ds=nocloud` as the SMBIOS system serial
// (<sysinfo type='smbios'> with <os><smbios mode='sysinfo'/>), which tells cloud-init where to
// look before it probes anything. Edits the document losslessly (XmlDoc); removeSeed undoes it.
import type { Element } from '@xmldom/xmldom';
import { DOMAIN_ORDER, findDomain } from '../domain-xml/domain';
import { child, createEl, elements, insertEl, placeEl, removeEl, XmlDoc } from '../domain-xml/xml/xml-doc';

export const NOCLOUD_SERIAL = 'ds=nocloud';

const letter = (n: number) => (n < 26 ? String.fromCharCode(97 + n) : String.fromCharCode(96 + Math.floor(n / 26)) + String.fromCharCode(97 + (n % 26)));

/** The first sdX target no disk of the domain uses. */
function freeSdTarget(devices: Element): string {
  const used = new Set(elements(devices, 'disk').map((d) => child(d, 'target')?.getAttribute('dev')));
  for (let i = 0; ; i++) if (!used.has(`sd${letter(i)}`)) return `sd${letter(i)}`;
}

/** The domain XML with the seed ISO attached and the SMBIOS serial set; returns the CD-ROM's target too. */
export function addSeed(xml: string, seedPath: string): { xml: string; target: string } {
  const xd = new XmlDoc(xml);
  const domain = findDomain(xd);
  let sysinfo = elements(domain, 'sysinfo').find((s) => s.getAttribute('type') === 'smbios');
  if (!sysinfo) sysinfo = placeEl(xd, domain, createEl(xd, 'sysinfo', { type: 'smbios' }), DOMAIN_ORDER);
  const system = child(sysinfo, 'system') ?? insertEl(xd, sysinfo, createEl(xd, 'system'));
  const serial = elements(system, 'entry').find((e) => e.getAttribute('name') === 'serial');
  if (serial) serial.textContent = NOCLOUD_SERIAL;
  else insertEl(xd, system, createEl(xd, 'entry', { name: 'serial' }, [], NOCLOUD_SERIAL));
  const os = child(domain, 'os');
  if (!os) throw new Error('The domain has no <os> element');
  const smbios = child(os, 'smbios');
  if (smbios) smbios.setAttribute('mode', 'sysinfo');
  else insertEl(xd, os, createEl(xd, 'smbios', { mode: 'sysinfo' }), { after: child(os, 'type') ?? undefined });
  const devices = child(domain, 'devices');
  if (!devices) throw new Error('The domain has no <devices> element');
  const target = freeSdTarget(devices);
  const cdrom = createEl(xd, 'disk', { type: 'file', device: 'cdrom' }, [
    createEl(xd, 'driver', { name: 'qemu', type: 'raw' }),
    createEl(xd, 'source', { file: seedPath }),
    createEl(xd, 'target', { dev: target, bus: 'scsi' }),
    createEl(xd, 'readonly'),
  ]);
  const disks = elements(devices, 'disk');
  insertEl(xd, devices, cdrom, disks.length ? { after: disks[disks.length - 1] } : { before: elements(devices)[0] });
  const scsi = elements(devices, 'controller').some((c) => c.getAttribute('type') === 'scsi');
  if (!scsi) insertEl(xd, devices, createEl(xd, 'controller', { type: 'scsi', model: 'virtio-scsi' }), { after: cdrom });
  return { xml: xd.serialize(), target };
}

/** The CD-ROM (target) whose medium is the seed at `seedPath`, if the XML has one. */
export function seedTarget(xml: string, seedPath: string): string | undefined {
  const devices = child(findDomain(new XmlDoc(xml)), 'devices');
  const disk = devices && elements(devices, 'disk').find((d) => d.getAttribute('device') === 'cdrom' && child(d, 'source')?.getAttribute('file') === seedPath);
  return disk ? child(disk, 'target')?.getAttribute('dev') ?? undefined : undefined;
}

/** How VirtDeck names a VM's seed volume, so a clone of a VM made from a cloud image drops its
 *  source's seed for one of its own. */
export const seedVolumeName = (vm: string): string => `${vm}.cidata.iso`;
export const isSeedPath = (path: string | null | undefined): boolean => !!path && path.endsWith('.cidata.iso');

/** The domain XML without its seed CD-ROMs (those at `seedPath`, or every VirtDeck seed) and
 *  without the ds=nocloud serial (the controller stays). */
export function removeSeed(xml: string, seedPath?: string): string {
  const xd = new XmlDoc(xml);
  const domain = findDomain(xd);
  const devices = child(domain, 'devices');
  for (const d of devices ? elements(devices, 'disk') : []) {
    const file = child(d, 'source')?.getAttribute('file');
    if (d.getAttribute('device') === 'cdrom' && (seedPath ? file === seedPath : isSeedPath(file))) removeEl(d);
  }
  for (const s of elements(domain, 'sysinfo')) {
    for (const sys of elements(s, 'system')) for (const e of elements(sys, 'entry')) if (e.getAttribute('name') === 'serial' && e.textContent === NOCLOUD_SERIAL) removeEl(e);
  }
  return xd.serialize();
}
