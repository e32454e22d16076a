// Edits that add a whole device (disk, NIC, input, serial port, VNC display), change an input or a
// console, and give the guest a NUMA topology. Each builds the smallest element libvirt needs and
// lets libvirt fill in the rest (addresses, aliases, MACs) on define, as virt-manager does.

import type { Element } from '@xmldom/xmldom';
import { appendDevice } from './devices';
import { type DiskBus, DISK_BUSES, setDiskBus } from './disk-bus';
import { CPU_ORDER, DOMAIN_ORDER, devicesOfKind, intOrNull, nthDevice, toKiB } from './domain';
import { type XmlDoc, attr, child, createEl, elements, ensureChild, placeEl, removeEl } from './xml-doc';

export type InputType = 'tablet' | 'keyboard' | 'mouse';
export type InputBus = 'usb' | 'virtio' | 'ps2';
export type ConsoleTarget = 'serial' | 'virtio';

/** Where a new disk's data lives: a storage volume (the usual), a file or a block device. */
export type NewDiskSource = { pool: string; volume: string } | { file: string } | { dev: string };

export interface AddDisk {
  kind: 'add-disk';
  /** disk (default) or cdrom. */
  device?: 'disk' | 'cdrom';
  bus: DiskBus;
  /** null only for an empty CD-ROM. */
  source: NewDiskSource | null;
  /** The image format (driver type); default qcow2 for disks, raw for CD-ROMs. */
  format?: 'qcow2' | 'raw';
}

function oneOf<T extends string>(what: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new Error(`invalid ${what} '${String(value)}' (expected one of: ${allowed.join(', ')})`);
  }
  return value as T;
}

function nonEmpty(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`invalid ${what}: must be a non-empty string`);
  return value;
}

const PLACEHOLDER = 'virtdeck-new-disk';

export function addDisk(xd: XmlDoc, domain: Element, e: AddDisk): void {
  const device = oneOf('disk device', e.device ?? 'disk', ['disk', 'cdrom'] as const);
  oneOf('disk bus', e.bus, DISK_BUSES);
  const format = oneOf('disk format', e.format ?? (device === 'cdrom' ? 'raw' : 'qcow2'), ['qcow2', 'raw'] as const);
  if (e.source === null && device !== 'cdrom') throw new Error('a new disk needs a source (a volume, file or device)');
  let type = 'file';
  let source: Element | null = null;
  if (e.source) {
    if ('pool' in e.source) {
      type = 'volume';
      source = createEl(xd, 'source', { pool: nonEmpty('pool', e.source.pool), volume: nonEmpty('volume', e.source.volume) });
    } else if ('file' in e.source) {
      source = createEl(xd, 'source', { file: nonEmpty('disk file', e.source.file) });
    } else if ('dev' in e.source) {
      type = 'block';
      source = createEl(xd, 'source', { dev: nonEmpty('disk device', e.source.dev) });
    } else {
      throw new Error('invalid disk source: expected { pool, volume }, { file } or { dev }');
    }
  }
  const kids = [createEl(xd, 'driver', { name: 'qemu', type: format })];
  if (source) kids.push(source);
  // A placeholder target that set-disk-bus then moves to the bus: one place decides the free
  // name, the virtio-scsi controller and the drive address (and refuses IDE on q35, virtio CD-ROMs).
  kids.push(createEl(xd, 'target', { dev: PLACEHOLDER, bus: PLACEHOLDER }));
  if (device === 'cdrom') kids.push(createEl(xd, 'readonly'));
  appendDevice(xd, domain, createEl(xd, 'disk', { type, device }, kids));
  try {
    setDiskBus(xd, domain, PLACEHOLDER, e.bus);
  } catch (err) {
    throw new Error(String((err as Error).message).replaceAll(`disk '${PLACEHOLDER}'`, 'the new disk'));
  }
}

const NIC_MODELS = ['virtio', 'e1000', 'e1000e', 'rtl8139', 'igb', 'vmxnet3'] as const;

export type NewNicSource =
  | { type: 'network'; network: string }
  | { type: 'bridge'; bridge: string }
  | { type: 'direct'; dev: string; mode?: 'vepa' | 'bridge' | 'private' | 'passthrough' };

export function addNic(xd: XmlDoc, domain: Element, source: NewNicSource, model: string | undefined, mac: string | undefined): void {
  const m = oneOf('NIC model', model ?? 'virtio', NIC_MODELS);
  const kids: Element[] = [];
  if (mac !== undefined) {
    if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(mac)) throw new Error(`invalid MAC address '${mac}' (expected xx:xx:xx:xx:xx:xx)`);
    if (parseInt(mac.slice(0, 2), 16) & 1) throw new Error(`invalid MAC address '${mac}': it is a multicast address`);
    const clash = devicesOfKind(domain, 'interface').findIndex((n) => attr(child(n, 'mac'), 'address')?.toLowerCase() === mac.toLowerCase());
    if (clash >= 0) throw new Error(`MAC address '${mac}' is already used by interface ${clash}`);
    kids.push(createEl(xd, 'mac', { address: mac }));
  }
  const type = oneOf('NIC source type', source?.type, ['network', 'bridge', 'direct'] as const);
  if (source.type === 'network') kids.push(createEl(xd, 'source', { network: nonEmpty('network name', source.network) }));
  else if (source.type === 'bridge') kids.push(createEl(xd, 'source', { bridge: nonEmpty('bridge name', source.bridge) }));
  else {
    const mode = oneOf('macvtap mode', source.mode ?? 'vepa', ['vepa', 'bridge', 'private', 'passthrough'] as const);
    kids.push(createEl(xd, 'source', { dev: nonEmpty('host device', source.dev), mode }));
  }
  kids.push(createEl(xd, 'model', { type: m }));
  appendDevice(xd, domain, createEl(xd, 'interface', { type }, kids));
}

function checkInput(domain: Element, type: string, bus: string): void {
  oneOf('input type', type, ['tablet', 'keyboard', 'mouse'] as const);
  oneOf('input bus', bus, ['usb', 'virtio', 'ps2'] as const);
  if (bus === 'ps2' && type === 'tablet') throw new Error('a tablet cannot be on PS/2 (use usb or virtio)');
  if (bus === 'usb' && devicesOfKind(domain, 'controller').some((c) => attr(c, 'type') === 'usb' && attr(c, 'model') === 'none')) {
    throw new Error('the domain has no USB controller (model none); use bus virtio');
  }
}

export function addInput(xd: XmlDoc, domain: Element, type: InputType, bus: InputBus): void {
  checkInput(domain, type, bus);
  // x86 always has a PS/2 mouse and keyboard (libvirt adds them itself): a second one is refused.
  if (bus === 'ps2' && devicesOfKind(domain, 'input').some((i) => attr(i, 'type') === type && attr(i, 'bus') === 'ps2')) {
    throw new Error(`the domain already has a PS/2 ${type}`);
  }
  appendDevice(xd, domain, createEl(xd, 'input', { type, bus }));
}

export function setInput(domain: Element, index: number, type: InputType, bus: InputBus): void {
  const input = nthDevice(domain, 'input', index);
  checkInput(domain, type, bus);
  if (attr(input, 'bus') === 'ps2' && (type !== attr(input, 'type') || bus !== 'ps2')) {
    throw new Error('the PS/2 mouse and keyboard are built into the machine; add a USB or virtio input instead');
  }
  if (attr(input, 'bus') !== bus) elements(input, 'address').forEach(removeEl); // a USB port or PCI slot of the old bus
  input.setAttribute('type', type);
  input.setAttribute('bus', bus);
}

/** The ports a serial or console uses ('port' of <target>, else its position). */
function usedPorts(domain: Element, tag: string): Set<number> {
  return new Set(devicesOfKind(domain, tag).map((s, i) => intOrNull(attr(child(s, 'target'), 'port')) ?? i));
}

export function addSerial(xd: XmlDoc, domain: Element): void {
  const used = usedPorts(domain, 'serial');
  let port = 0;
  while (used.has(port)) port++;
  if (port > 3) throw new Error('the domain already has four serial ports (ttyS0–ttyS3)');
  appendDevice(xd, domain, createEl(xd, 'serial', { type: 'pty' }, [createEl(xd, 'target', { port })]));
  // libvirt adds the console for serial 0 itself when there is none.
}

/** Removing a serial port also removes the <console> that mirrors it, or libvirt would re-add the port. */
export function removeSerial(domain: Element, index: number): void {
  const serial = nthDevice(domain, 'serial', index);
  const port = intOrNull(attr(child(serial, 'target'), 'port')) ?? index;
  for (const c of devicesOfKind(domain, 'console')) {
    const t = child(c, 'target');
    if ((attr(t, 'type') ?? 'serial') === 'serial' && (intOrNull(attr(t, 'port')) ?? 0) === port) removeEl(c);
  }
  removeEl(serial);
}

export function setConsoleTarget(xd: XmlDoc, domain: Element, index: number, targetType: ConsoleTarget): void {
  oneOf('console target type', targetType, ['serial', 'virtio'] as const);
  const console = nthDevice(domain, 'console', index);
  const target = ensureChild(xd, console, 'target', ['source', 'log', 'protocol', 'target', 'alias', 'address']);
  const before = attr(target, 'type') ?? 'serial';
  if (before === targetType) return;
  if (targetType === 'serial' && devicesOfKind(domain, 'serial').length === 0) {
    throw new Error('a serial console needs a serial port; add one first');
  }
  target.setAttribute('type', targetType);
  if (targetType === 'virtio') {
    // A virtio console (hvc) has its own port numbers; 0 on the virtio-serial bus.
    const used = new Set(
      devicesOfKind(domain, 'console').filter((c) => c !== console && attr(child(c, 'target'), 'type') === 'virtio').map((c) => intOrNull(attr(child(c, 'target'), 'port')) ?? 0),
    );
    let port = 0;
    while (used.has(port)) port++;
    target.setAttribute('port', String(port));
  } else target.setAttribute('port', '0');
  elements(console, 'address').forEach(removeEl);
}

export function addGraphics(xd: XmlDoc, domain: Element, type: 'vnc', listen: string | undefined): void {
  oneOf('graphics type', type, ['vnc'] as const);
  if (devicesOfKind(domain, 'graphics').some((g) => attr(g, 'type') === type)) throw new Error(`the domain already has a ${type} display`);
  const address = nonEmpty('listen address', listen ?? '127.0.0.1');
  appendDevice(xd, domain, createEl(xd, 'graphics', { type, port: -1, autoport: 'yes', listen: address }, [createEl(xd, 'listen', { type: 'address', address })]));
}

/**
 * A guest NUMA topology of `cells` cells, vCPUs and memory split evenly (the vCPU count and the
 * memory stay as they are); null removes it. libvirt then gives <memory> as the cells' sum.
 */
export function setGuestNuma(xd: XmlDoc, domain: Element, cells: number | null): void {
  const cpu = child(domain, 'cpu');
  if (cells === null) {
    const numa = cpu ? child(cpu, 'numa') : null;
    if (!numa) throw new Error('the domain has no guest NUMA topology to remove');
    removeEl(numa);
    return;
  }
  if (!Number.isInteger(cells) || cells < 2) throw new Error(`invalid NUMA cell count '${cells}' (expected 2 or more)`);
  if (cpu && child(cpu, 'numa')) throw new Error('the domain already has a guest NUMA topology; change it in the XML editor');
  const vcpus = intOrNull(child(domain, 'vcpu')?.textContent?.trim() ?? null);
  const memKiB = toKiB(child(domain, 'memory'));
  if (vcpus === null || memKiB === null) throw new Error('the domain gives no <vcpu> or <memory> to split');
  if (vcpus < cells) throw new Error(`${vcpus} vCPUs cannot be split into ${cells} NUMA cells`);
  // Whole MiB per cell (libvirt aligns cell memory); the last cell takes what is left.
  const per = Math.floor(memKiB / cells / 1024) * 1024;
  if (per < 1024) throw new Error(`${memKiB} KiB of memory cannot be split into ${cells} NUMA cells`);
  const topo = cpu ? child(cpu, 'topology') : null;
  const sockets = intOrNull(attr(topo, 'sockets')) ?? 1;
  if (topo && sockets % cells !== 0) throw new Error(`the CPU topology has ${sockets} socket(s); the ${cells} NUMA cells need a multiple of ${cells}`);
  const c = cpu ?? ensureChild(xd, domain, 'cpu', DOMAIN_ORDER);
  const cellEls: Element[] = [];
  let first = 0;
  for (let i = 0; i < cells; i++) {
    const n = Math.floor(vcpus / cells) + (i < vcpus % cells ? 1 : 0);
    const mem = i === cells - 1 ? memKiB - per * (cells - 1) : per;
    cellEls.push(createEl(xd, 'cell', { id: i, cpus: n === 1 ? `${first}` : `${first}-${first + n - 1}`, memory: mem, unit: 'KiB' }));
    first += n;
  }
  placeEl(xd, c, createEl(xd, 'numa', {}, cellEls), CPU_ORDER);
}
