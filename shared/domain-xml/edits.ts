// applyEdits: small, named changes to a domain's XML, applied to the parsed document in place.
// Each edit touches only the elements it names; everything else (unknown elements, comments,
// foreign namespaces, formatting) is carried through untouched.

import type { Element } from '@xmldom/xmldom';
import {
  type AddDisk, type ConsoleTarget, type InputBus, type InputType, type NewNicSource, addDisk, addGraphics, addInput, addNic, addSerial,
  removeSerial, setConsoleTarget, setGuestNuma, setInput,
} from './add-devices';
import { appendDevice } from './devices';
import { type DiskBus, setDiskBus } from './disk-bus';
import {
  CPU_ORDER, DISK_ORDER, DOMAIN_ORDER, INTERFACE_ORDER, OS_ORDER, type DeviceTag, devicesOfKind, diskDevice, findDisk,
  findDomain, intOrNull, isDeviceTag, nthDevice, toKiB,
} from './domain';
import {
  XmlDoc, attr, child, createEl, elements, ensureChild, importEl, insertEl, parseFragment, placeEl, removeEl, replaceEl, setAttr,
} from './xml-doc';

export type { DiskBus } from './disk-bus';
export type { DeviceTag } from './domain';
export type { AddDisk, ConsoleTarget, InputBus, InputType, NewDiskSource, NewNicSource } from './add-devices';

export type CpuMode = 'host-passthrough' | 'host-model' | 'custom';
export type OsBootDev = 'hd' | 'cdrom' | 'network' | 'fd';
export type DiskCache = 'default' | 'none' | 'writethrough' | 'writeback' | 'directsync' | 'unsafe';
export type DiskIo = 'threads' | 'native' | 'io_uring';
export type DiskDiscard = 'unmap' | 'ignore';
export type DiskDetectZeroes = 'off' | 'on' | 'unmap';
export type VideoModel = 'virtio' | 'qxl' | 'vga' | 'cirrus' | 'bochs' | 'ramfb' | 'vmvga' | 'none';
export type MemballoonModel = 'virtio' | 'virtio-transitional' | 'virtio-non-transitional' | 'none';
export type WatchdogModel = 'i6300esb' | 'ib700' | 'diag288' | 'itco';
export type WatchdogAction = 'reset' | 'shutdown' | 'poweroff' | 'pause' | 'none' | 'dump' | 'inject-nmi';

/** A device that can carry a per-device <boot order>. */
export type BootDeviceRef =
  | { type: 'disk'; target: string }
  | { type: 'interface' | 'hostdev' | 'redirdev'; index: number };

/** Where a CD-ROM/floppy's new medium comes from. */
export type MediaSource = { file: string } | { dev: string } | { pool: string; volume: string };

/** What a NIC connects to on the host. */
export type NicSource =
  | { type: 'network'; network: string; portgroup?: string }
  | { type: 'bridge'; bridge: string }
  | { type: 'direct'; dev: string; mode?: 'vepa' | 'bridge' | 'private' | 'passthrough' };

export type DomainEdit =
  // Sets the one-line <title> shown in lists; null removes it.
  | { kind: 'set-title'; title: string | null }
  // Sets the free-text <description>; null removes it.
  | { kind: 'set-description'; description: string | null }
  // Sets the boot-time vCPU count (current) and the hotplug maximum (max).
  | { kind: 'set-vcpus'; current: number; max: number }
  // Switches the CPU mode; custom needs a model (given or already present).
  | { kind: 'set-cpu-mode'; mode: CpuMode; model?: string }
  // Sets <cpu><topology> (its product must equal the maximum vCPUs); null removes it.
  | { kind: 'set-cpu-topology'; topology: { sockets: number; dies?: number; cores: number; threads: number } | null }
  // Sets <currentMemory> and <memory> in KiB.
  | { kind: 'set-memory'; currentKiB: number; maxKiB: number }
  // Per-device boot order: listed devices get <boot order=1..n>, all others and <os><boot dev> lose theirs.
  | { kind: 'set-boot-order'; devices: BootDeviceRef[] }
  // Legacy BIOS-style order via <os><boot dev>, replacing any per-device boot order.
  | { kind: 'set-boot-devs'; devs: OsBootDev[] }
  // Turns the firmware boot menu on/off; timeoutMs undefined = unchanged, null = removed.
  | { kind: 'set-boot-menu'; enabled: boolean; timeoutMs?: number | null }
  // Moves a disk (by current target dev) to another bus; see disk-bus.ts for the rules.
  | { kind: 'set-disk-bus'; target: string; bus: DiskBus }
  // Sets <driver> cache/io/discard/detect_zeroes; undefined = unchanged, null = removed.
  | {
      kind: 'set-disk-driver';
      target: string;
      cache?: DiskCache | null;
      io?: DiskIo | null;
      discard?: DiskDiscard | null;
      detect_zeroes?: DiskDetectZeroes | null;
    }
  // Sets <readonly/>, <shareable/> (true adds, false removes) and <serial> (null removes); undefined = unchanged.
  | { kind: 'set-disk-flags'; target: string; readonly?: boolean; shareable?: boolean; serial?: string | null }
  // Inserts a new medium into a CD-ROM/floppy, or ejects it with source null.
  | { kind: 'change-media'; target: string; source: MediaSource | null }
  // Adds a controller; index defaults to the next free one for that type.
  | { kind: 'add-controller'; type: string; model?: string; index?: number }
  // Switches SCSI controllers with no/LSI model (all, or the one with this index) to virtio-scsi.
  | { kind: 'replace-scsi-controller-with-virtio-scsi'; index?: number }
  // Sets the NIC model (index = position among <interface> elements).
  | { kind: 'set-nic-model'; index: number; model: string }
  // Connects the NIC to a libvirt network, a host bridge or a macvtap device.
  | { kind: 'set-nic-source'; index: number; source: NicSource }
  // Sets the NIC's MAC address; null removes it so libvirt generates one.
  | { kind: 'set-nic-mac'; index: number; mac: string | null }
  // Sets the NIC's virtual link state.
  | { kind: 'set-nic-link'; index: number; state: 'up' | 'down' }
  // Sets a graphics device's listen address, password and port; undefined = unchanged, null = removed.
  | { kind: 'set-graphics'; index?: number; listen?: string | null; passwd?: string | null; port?: number | 'auto' }
  // Sets a video device's model, dropping attributes the new model does not have.
  | { kind: 'set-video-model'; index?: number; model: VideoModel }
  // Sets (or adds) the memory balloon's model; 'none' disables it.
  | { kind: 'set-memballoon-model'; model: MemballoonModel }
  // How often the balloon driver reports the guest's memory statistics, in seconds; 0 stops it.
  | { kind: 'set-memballoon-stats-period'; periodS: number }
  // Adds one device given as raw XML, after the last device of the same kind.
  | { kind: 'add-device'; xml: string }
  // Removes a device by kind and position, or a disk by target.
  | { kind: 'remove-device'; device: DeviceTag; index?: number; target?: string }
  // Adds the QEMU guest agent's virtio-serial channel (org.qemu.guest_agent.0).
  | { kind: 'add-guest-agent-channel' }
  // Adds a virtio RNG fed by a host entropy device (default /dev/urandom).
  | { kind: 'add-rng'; backend?: '/dev/urandom' | '/dev/random' | '/dev/hwrng'; model?: 'virtio' | 'virtio-transitional' | 'virtio-non-transitional' }
  // Sets (or adds) the watchdog; null removes all watchdogs.
  | { kind: 'set-watchdog'; watchdog: { model: WatchdogModel; action?: WatchdogAction } | null }
  // Adds a disk or CD-ROM on a bus, with a free target name (a scsi disk goes on virtio-scsi).
  | AddDisk
  // Adds a NIC (default model virtio); without a MAC libvirt generates one.
  | { kind: 'add-nic'; source: NewNicSource; model?: string; mac?: string }
  // Adds an input device (tablet, keyboard, mouse) on usb, virtio or ps2.
  | { kind: 'add-input'; type: InputType; bus: InputBus }
  // Changes an input device's type and bus (index = position among <input> elements).
  | { kind: 'set-input'; index: number; type: InputType; bus: InputBus }
  // Adds a pty serial port on the next free port (libvirt adds the console for port 0).
  | { kind: 'add-serial' }
  // Sets a console's target type: serial (ttyS, mirrors serial port 0) or virtio (hvc).
  | { kind: 'set-console-target'; index: number; targetType: ConsoleTarget }
  // Adds a VNC display with automatic port, listening on the given address (default 127.0.0.1).
  | { kind: 'add-graphics'; type: 'vnc'; listen?: string }
  // Gives the guest a NUMA topology of n cells (vCPUs and memory split evenly); null removes it.
  | { kind: 'set-guest-numa'; cells: number | null };

export type DomainEditKind = DomainEdit['kind'];

// ---- validation helpers ------------------------------------------------------------------

function oneOf<T extends string>(what: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new Error(`invalid ${what} '${String(value)}' (expected one of: ${allowed.join(', ')})`);
  }
  return value as T;
}

function positiveInt(what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`invalid ${what} '${String(value)}' (expected a positive integer)`);
  }
  return value;
}

function nonEmpty(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`invalid ${what}: must be a non-empty string`);
  return value;
}

function setText(xd: XmlDoc, el: Element, value: string): void {
  while (el.firstChild) el.removeChild(el.firstChild);
  el.appendChild(xd.doc.createTextNode(value));
}

/** Sets or removes (null) an optional single child element holding text. */
function setTextChild(xd: XmlDoc, parent: Element, name: string, value: string | null, order: readonly string[]): void {
  const existing = child(parent, name);
  if (value === null) {
    if (existing) removeEl(existing);
    return;
  }
  setText(xd, existing ?? placeEl(xd, parent, createEl(xd, name), order), value);
}

/** Adds (true) or removes (false) an empty flag element like <readonly/>. */
function setFlagChild(xd: XmlDoc, parent: Element, name: string, on: boolean, order: readonly string[]): void {
  const existing = elements(parent, name);
  if (on && existing.length === 0) placeEl(xd, parent, createEl(xd, name), order);
  if (!on) existing.forEach(removeEl);
}

// ---- known values ---------------------------------------------------------------------------

const NIC_MODELS = [
  'virtio', 'virtio-transitional', 'virtio-non-transitional', 'e1000', 'e1000e', 'igb', 'rtl8139', 'vmxnet3',
  'ne2k_pci', 'pcnet', 'i82551', 'i82557b', 'i82559er', 'usb-net', 'spapr-vlan', 'lan9118', 'smc91c111',
] as const;

const CONTROLLER_TYPES = ['scsi', 'sata', 'ide', 'fdc', 'usb', 'virtio-serial', 'pci', 'ccid', 'xenbus', 'isa'] as const;

const CONTROLLER_MODELS: Record<string, readonly string[]> = {
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

const VIDEO_MODELS = ['virtio', 'qxl', 'vga', 'cirrus', 'bochs', 'ramfb', 'vmvga', 'none'] as const;
const GUEST_AGENT = 'org.qemu.guest_agent.0';

// ---- the edits --------------------------------------------------------------------------------

type Ctx = { xd: XmlDoc; domain: Element; touchedCpuCount: boolean };

function setTitle(c: Ctx, title: string | null): void {
  if (title !== null && /[\r\n]/.test(title)) throw new Error('invalid title: it must be a single line');
  setTextChild(c.xd, c.domain, 'title', title, DOMAIN_ORDER);
}

function setVcpus(c: Ctx, current: number, max: number): void {
  positiveInt('vcpus max', max);
  positiveInt('vcpus current', current);
  if (current > max) throw new Error(`invalid vcpus: current ${current} is greater than max ${max}`);
  if (child(c.domain, 'vcpus')) {
    throw new Error('the domain lists individual vCPUs in <vcpus>; change the count in the XML editor');
  }
  const vcpu = ensureChild(c.xd, c.domain, 'vcpu', DOMAIN_ORDER);
  setText(c.xd, vcpu, String(max));
  setAttr(vcpu, 'current', current < max ? current : null);
  c.touchedCpuCount = true;
}

function setCpuMode(c: Ctx, mode: CpuMode, model: string | undefined): void {
  oneOf('CPU mode', mode, ['host-passthrough', 'host-model', 'custom'] as const);
  const existing = child(c.domain, 'cpu');
  if (mode === 'custom') {
    const name = model ?? (existing ? child(existing, 'model')?.textContent?.trim() : undefined);
    if (!name) throw new Error("CPU mode 'custom' needs a model (e.g. Skylake-Client-IBRS)");
    const cpu = existing ?? ensureChild(c.xd, c.domain, 'cpu', DOMAIN_ORDER);
    cpu.setAttribute('mode', 'custom');
    if (!cpu.hasAttribute('match')) cpu.setAttribute('match', 'exact');
    cpu.removeAttribute('migratable'); // only meaningful for the host-* modes
    setText(c.xd, ensureChild(c.xd, cpu, 'model', CPU_ORDER), name);
    return;
  }
  if (model !== undefined) throw new Error(`CPU mode '${mode}' takes no model`);
  const cpu = existing ?? ensureChild(c.xd, c.domain, 'cpu', DOMAIN_ORDER);
  cpu.setAttribute('mode', mode);
  // A named model, vendor and its feature list describe a custom CPU; with host-* modes they
  // would silently change meaning, so they go (as virt-manager does). Topology/NUMA stay.
  cpu.removeAttribute('match');
  for (const name of ['model', 'vendor', 'feature']) elements(cpu, name).forEach(removeEl);
}

function cpuTopology(domain: Element): Element | null {
  const cpu = child(domain, 'cpu');
  return cpu ? child(cpu, 'topology') : null;
}

function setCpuTopology(c: Ctx, t: { sockets: number; dies?: number; cores: number; threads: number } | null): void {
  c.touchedCpuCount = true;
  if (t === null) {
    const topo = cpuTopology(c.domain);
    if (topo) removeEl(topo);
    return;
  }
  const cpu = ensureChild(c.xd, c.domain, 'cpu', DOMAIN_ORDER);
  const topo = ensureChild(c.xd, cpu, 'topology', CPU_ORDER);
  topo.setAttribute('sockets', String(positiveInt('topology sockets', t.sockets)));
  setAttr(topo, 'dies', t.dies === undefined ? null : positiveInt('topology dies', t.dies));
  topo.setAttribute('cores', String(positiveInt('topology cores', t.cores)));
  topo.setAttribute('threads', String(positiveInt('topology threads', t.threads)));
}

/** libvirt refuses a topology whose product differs from the maximum vCPUs. */
function checkTopology(c: Ctx): void {
  const topo = cpuTopology(c.domain);
  const max = intOrNull(child(c.domain, 'vcpu')?.textContent ?? null);
  if (!topo || max === null) return;
  const product = ['sockets', 'dies', 'clusters', 'cores', 'threads']
    .map((a) => intOrNull(attr(topo, a)) ?? 1)
    .reduce((x, y) => x * y, 1);
  if (product !== max) {
    throw new Error(`CPU topology gives ${product} vCPUs (sockets×dies×cores×threads) but the maximum vCPUs is ${max}`);
  }
}

function setMemoryEl(c: Ctx, name: string, kib: number): void {
  const el = ensureChild(c.xd, c.domain, name, DOMAIN_ORDER);
  const unit = attr(el, 'unit');
  if (unit !== null && unit !== 'KiB' && unit !== 'k') el.setAttribute('unit', 'KiB');
  setText(c.xd, el, String(kib));
}

function setMemory(c: Ctx, currentKiB: number, maxKiB: number): void {
  positiveInt('memory maxKiB', maxKiB);
  positiveInt('memory currentKiB', currentKiB);
  if (currentKiB > maxKiB) throw new Error(`invalid memory: current ${currentKiB} KiB is greater than max ${maxKiB} KiB`);
  const hotplugMax = toKiB(child(c.domain, 'maxMemory'));
  if (hotplugMax !== null && maxKiB > hotplugMax) {
    throw new Error(`invalid memory: ${maxKiB} KiB is above <maxMemory> (${hotplugMax} KiB)`);
  }
  const cpu = child(c.domain, 'cpu');
  if (cpu && child(cpu, 'numa')) {
    throw new Error('the domain defines its memory per NUMA cell (<cpu><numa>); change it in the XML editor');
  }
  setMemoryEl(c, 'memory', maxKiB);
  setMemoryEl(c, 'currentMemory', currentKiB);
}

/** Device kinds that can carry <boot order>. */
const BOOTABLE = ['disk', 'interface', 'hostdev', 'redirdev', 'filesystem'];

function clearBootOrders(c: Ctx): void {
  for (const kind of BOOTABLE) for (const dev of devicesOfKind(c.domain, kind)) elements(dev, 'boot').forEach(removeEl);
}

function osOf(c: Ctx): Element {
  const os = child(c.domain, 'os');
  if (!os) throw new Error('the domain has no <os> element');
  return os;
}

function setBootOrder(c: Ctx, refs: BootDeviceRef[]): void {
  const targets: Element[] = refs.map((r) => {
    if (r.type === 'disk') return findDisk(c.domain, r.target);
    oneOf('boot device type', r.type, ['disk', 'interface', 'hostdev', 'redirdev'] as const);
    return nthDevice(c.domain, r.type, r.index);
  });
  if (new Set(targets).size !== targets.length) throw new Error('the boot order lists the same device twice');
  // libvirt rejects per-device boot order together with <os><boot dev>.
  const os = child(c.domain, 'os');
  if (os) elements(os, 'boot').forEach(removeEl);
  clearBootOrders(c);
  targets.forEach((dev, i) => {
    const order = dev.nodeName === 'interface' ? INTERFACE_ORDER : DISK_ORDER;
    placeEl(c.xd, dev, createEl(c.xd, 'boot', { order: i + 1 }), order);
  });
}

function setBootDevs(c: Ctx, devs: OsBootDev[]): void {
  devs.forEach((d) => oneOf('boot device', d, ['hd', 'cdrom', 'network', 'fd'] as const));
  if (new Set(devs).size !== devs.length) throw new Error('the boot order lists the same device twice');
  const os = osOf(c);
  const old = elements(os, 'boot');
  clearBootOrders(c);
  // The first new <boot> takes the first old one's line; the rest follow it.
  let prev: Element | null = null;
  for (const dev of devs) {
    const el = createEl(c.xd, 'boot', { dev });
    if (prev) insertEl(c.xd, os, el, { after: prev });
    else if (old[0]) replaceEl(c.xd, old.shift()!, el);
    else placeEl(c.xd, os, el, OS_ORDER);
    prev = el;
  }
  old.forEach(removeEl);
}

function setBootMenu(c: Ctx, enabled: boolean, timeoutMs: number | null | undefined): void {
  const menu = ensureChild(c.xd, osOf(c), 'bootmenu', OS_ORDER);
  menu.setAttribute('enable', enabled ? 'yes' : 'no');
  if (!enabled) menu.removeAttribute('timeout');
  else if (timeoutMs === null) menu.removeAttribute('timeout');
  else if (timeoutMs !== undefined) {
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > 65535) {
      throw new Error(`invalid boot menu timeout '${timeoutMs}' (expected 0–65535 ms)`);
    }
    menu.setAttribute('timeout', String(timeoutMs));
  }
}

function setDiskDriver(c: Ctx, e: Extract<DomainEdit, { kind: 'set-disk-driver' }>): void {
  const disk = findDisk(c.domain, e.target);
  const changes: [string, string | null | undefined, readonly string[]][] = [
    ['cache', e.cache, ['default', 'none', 'writethrough', 'writeback', 'directsync', 'unsafe']],
    ['io', e.io, ['threads', 'native', 'io_uring']],
    ['discard', e.discard, ['unmap', 'ignore']],
    ['detect_zeroes', e.detect_zeroes, ['off', 'on', 'unmap']],
  ];
  for (const [name, value, allowed] of changes) if (value !== undefined && value !== null) oneOf(`disk ${name}`, value, allowed);
  let driver = child(disk, 'driver');
  if (!driver) {
    if (changes.every(([, v]) => v === undefined || v === null)) return;
    const qemu = ['kvm', 'qemu'].includes(attr(c.domain, 'type') ?? '');
    driver = placeEl(c.xd, disk, createEl(c.xd, 'driver', { name: qemu ? 'qemu' : null }), DISK_ORDER);
  }
  for (const [name, value] of changes) if (value !== undefined) setAttr(driver, name, value);
  if (driver.attributes.length === 0 && !driver.firstChild) removeEl(driver);
}

function setDiskFlags(c: Ctx, e: Extract<DomainEdit, { kind: 'set-disk-flags' }>): void {
  const disk = findDisk(c.domain, e.target);
  if (e.readonly !== undefined) setFlagChild(c.xd, disk, 'readonly', e.readonly, DISK_ORDER);
  if (e.shareable !== undefined) setFlagChild(c.xd, disk, 'shareable', e.shareable, DISK_ORDER);
  if (e.serial !== undefined) {
    // libvirt's own rule for serials (they end up on the QEMU command line).
    if (e.serial !== null && !/^[A-Za-z0-9_.+\- ]+$/.test(e.serial)) {
      throw new Error(`invalid disk serial '${e.serial}' (letters, digits, space and _ . + - only)`);
    }
    setTextChild(c.xd, disk, 'serial', e.serial, DISK_ORDER);
  }
}

function changeMedia(c: Ctx, target: string, source: MediaSource | null): void {
  const disk = findDisk(c.domain, target);
  const device = diskDevice(disk);
  if (device !== 'cdrom' && device !== 'floppy') {
    throw new Error(`disk '${target}' is a ${device}; media can only be changed on a cdrom or floppy`);
  }
  const old = child(disk, 'source');
  // The backing chain belongs to the old medium.
  elements(disk, 'backingStore').forEach(removeEl);
  if (source === null) {
    if (old) removeEl(old);
    return;
  }
  let type: string;
  let el: Element;
  if ('file' in source) {
    type = 'file';
    el = createEl(c.xd, 'source', { file: nonEmpty('media file', source.file) });
  } else if ('dev' in source) {
    type = 'block';
    el = createEl(c.xd, 'source', { dev: nonEmpty('media device', source.dev) });
  } else if ('pool' in source && 'volume' in source) {
    type = 'volume';
    el = createEl(c.xd, 'source', { pool: nonEmpty('media pool', source.pool), volume: nonEmpty('media volume', source.volume) });
  } else {
    throw new Error('invalid media source: expected { file }, { dev } or { pool, volume }');
  }
  disk.setAttribute('type', type);
  if (old) replaceEl(c.xd, old, el);
  else placeEl(c.xd, disk, el, DISK_ORDER);
}

function addController(c: Ctx, type: string, model: string | undefined, index: number | undefined): void {
  oneOf('controller type', type, CONTROLLER_TYPES);
  const models = CONTROLLER_MODELS[type];
  if (model !== undefined && models) oneOf(`${type} controller model`, model, models);
  const same = devicesOfKind(c.domain, 'controller').filter((x) => attr(x, 'type') === type);
  const used = new Set(same.map((x) => intOrNull(attr(x, 'index')) ?? 0));
  let idx = index;
  if (idx === undefined) {
    idx = 0;
    while (used.has(idx)) idx++;
  } else if (!Number.isInteger(idx) || idx < 0) {
    throw new Error(`invalid controller index '${idx}'`);
  } else if (used.has(idx)) {
    throw new Error(`a ${type} controller with index ${idx} already exists`);
  }
  appendDevice(c.xd, c.domain, createEl(c.xd, 'controller', { type, index: idx, model }));
}

function replaceScsiWithVirtio(c: Ctx, index: number | undefined): void {
  const scsi = devicesOfKind(c.domain, 'controller').filter((x) => attr(x, 'type') === 'scsi');
  if (scsi.length === 0) throw new Error('the domain has no SCSI controller');
  let chosen: Element[];
  if (index !== undefined) {
    const one = scsi.find((x) => (intOrNull(attr(x, 'index')) ?? 0) === index);
    if (!one) throw new Error(`no SCSI controller with index ${index}`);
    chosen = [one];
  } else {
    chosen = scsi.filter((x) => !['virtio-scsi', 'virtio-transitional', 'virtio-non-transitional'].includes(attr(x, 'model') ?? ''));
  }
  for (const x of chosen) x.setAttribute('model', 'virtio-scsi');
}

function setNicModel(c: Ctx, index: number, model: string): void {
  oneOf('NIC model', model, NIC_MODELS);
  const nic = nthDevice(c.domain, 'interface', index);
  const el = ensureChild(c.xd, nic, 'model', INTERFACE_ORDER);
  el.setAttribute('type', model);
  // <driver> tunes virtio-net (queues, vhost, offloads); libvirt rejects it on other models.
  if (!model.startsWith('virtio')) elements(nic, 'driver').forEach(removeEl);
}

function setNicSource(c: Ctx, index: number, source: NicSource): void {
  const nic = nthDevice(c.domain, 'interface', index);
  let el: Element;
  if (source.type === 'network') {
    el = createEl(c.xd, 'source', { network: nonEmpty('network name', source.network), portgroup: source.portgroup });
  } else if (source.type === 'bridge') {
    el = createEl(c.xd, 'source', { bridge: nonEmpty('bridge name', source.bridge) });
  } else if (source.type === 'direct') {
    const mode = oneOf('macvtap mode', source.mode ?? 'vepa', ['vepa', 'bridge', 'private', 'passthrough'] as const);
    el = createEl(c.xd, 'source', { dev: nonEmpty('host device', source.dev), mode });
  } else {
    throw new Error(`invalid NIC source type '${String((source as { type?: unknown }).type)}' (expected network, bridge or direct)`);
  }
  const typeChanged = attr(nic, 'type') !== source.type;
  nic.setAttribute('type', source.type);
  // A <virtualport> profile belongs to a connection type (openvswitch bridge, 802.1Qbg macvtap…).
  if (typeChanged) elements(nic, 'virtualport').forEach(removeEl);
  const old = child(nic, 'source');
  if (old) replaceEl(c.xd, old, el);
  else placeEl(c.xd, nic, el, INTERFACE_ORDER);
}

function setNicMac(c: Ctx, index: number, mac: string | null): void {
  const nic = nthDevice(c.domain, 'interface', index);
  if (mac === null) {
    elements(nic, 'mac').forEach(removeEl);
    return;
  }
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(mac)) throw new Error(`invalid MAC address '${mac}' (expected xx:xx:xx:xx:xx:xx)`);
  if (parseInt(mac.slice(0, 2), 16) & 1) throw new Error(`invalid MAC address '${mac}': it is a multicast address`);
  const clash = devicesOfKind(c.domain, 'interface').findIndex(
    (n) => n !== nic && attr(child(n, 'mac'), 'address')?.toLowerCase() === mac.toLowerCase(),
  );
  if (clash >= 0) throw new Error(`MAC address '${mac}' is already used by interface ${clash}`);
  ensureChild(c.xd, nic, 'mac', INTERFACE_ORDER).setAttribute('address', mac);
}

function setNicLink(c: Ctx, index: number, state: 'up' | 'down'): void {
  oneOf('link state', state, ['up', 'down'] as const);
  const nic = nthDevice(c.domain, 'interface', index);
  ensureChild(c.xd, nic, 'link', INTERFACE_ORDER).setAttribute('state', state);
}

function setGraphics(c: Ctx, e: Extract<DomainEdit, { kind: 'set-graphics' }>): void {
  const g = nthDevice(c.domain, 'graphics', e.index ?? 0);
  const type = attr(g, 'type') ?? '';
  if (!['vnc', 'spice', 'rdp'].includes(type)) throw new Error(`graphics type '${type}' has no listen address, password or port`);
  if (e.listen !== undefined) {
    const listens = elements(g, 'listen');
    if (e.listen === null) {
      g.removeAttribute('listen');
      for (const l of listens) if (attr(l, 'type') === 'address') l.removeAttribute('address');
    } else {
      nonEmpty('listen address', e.listen);
      // The listen attribute and the first <listen type='address'> must agree, so set both.
      if (g.hasAttribute('listen')) g.setAttribute('listen', e.listen);
      const addr = listens.find((l) => attr(l, 'type') === 'address');
      const fresh = createEl(c.xd, 'listen', { type: 'address', address: e.listen });
      if (addr) addr.setAttribute('address', e.listen);
      else if (listens[0]) replaceEl(c.xd, listens[0], fresh);
      else if (!g.hasAttribute('listen')) placeEl(c.xd, g, fresh, ['listen']);
    }
  }
  if (e.passwd !== undefined) {
    setAttr(g, 'passwd', e.passwd);
    if (e.passwd === null) g.removeAttribute('passwdValidTo');
  }
  if (e.port !== undefined) {
    if (e.port === 'auto') {
      g.setAttribute('autoport', 'yes');
      g.removeAttribute('port');
    } else {
      const min = type === 'vnc' ? 5900 : 1;
      if (!Number.isInteger(e.port) || e.port < min || e.port > 65535) {
        throw new Error(`invalid ${type} port '${e.port}' (expected ${min}–65535 or 'auto')`);
      }
      g.setAttribute('port', String(e.port));
      g.setAttribute('autoport', 'no');
    }
  }
}

function setVideoModel(c: Ctx, index: number, model: VideoModel): void {
  oneOf('video model', model, VIDEO_MODELS);
  const video = nthDevice(c.domain, 'video', index);
  const m = ensureChild(c.xd, video, 'model', ['driver', 'model', 'alias', 'address']);
  const before = attr(m, 'type');
  m.setAttribute('type', model);
  // Drop what only the old model understood (libvirt refuses it otherwise).
  if (model !== 'qxl') ['ram', 'vgamem'].forEach((a) => m.removeAttribute(a));
  if (['virtio', 'ramfb', 'none'].includes(model)) m.removeAttribute('vram');
  if (model !== 'qxl' && model !== 'virtio') m.removeAttribute('heads');
  if (model !== 'virtio') elements(m, 'acceleration').forEach(removeEl);
  // ramfb and none are not PCI devices; a PCI address from the old model would be stale.
  const nonPci = (t: string | null): boolean => t === 'ramfb' || t === 'none';
  if (nonPci(model) !== nonPci(before) || model === 'none') elements(video, 'address').forEach(removeEl);
}

function setMemballoonModel(c: Ctx, model: MemballoonModel): void {
  oneOf('memballoon model', model, ['virtio', 'virtio-transitional', 'virtio-non-transitional', 'none'] as const);
  const balloon = devicesOfKind(c.domain, 'memballoon')[0];
  if (!balloon) {
    appendDevice(c.xd, c.domain, createEl(c.xd, 'memballoon', { model }));
    return;
  }
  balloon.setAttribute('model', model);
  // A disabled balloon has no statistics, driver options or PCI slot.
  if (model === 'none') elements(balloon).forEach(removeEl);
}

function setMemballoonStatsPeriod(c: Ctx, periodS: number): void {
  if (!Number.isInteger(periodS) || periodS < 0 || periodS > 86400) throw new Error(`invalid balloon statistics period ${periodS}: whole seconds from 0 to 86400`);
  const balloon = devicesOfKind(c.domain, 'memballoon')[0];
  if (!balloon || attr(balloon, 'model') === 'none') throw new Error('the domain has no memory balloon to report statistics');
  // libvirt writes <stats> first inside <memballoon>.
  ensureChild(c.xd, balloon, 'stats', ['stats', 'alias', 'address', 'driver']).setAttribute('period', String(periodS));
}

function addDevice(c: Ctx, xml: string): void {
  let el: Element;
  try {
    el = parseFragment(xml);
  } catch (err) {
    throw err instanceof Error ? err : new Error(String(err));
  }
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
  if (device === 'serial') return removeSerial(c.domain, index);
  removeEl(nthDevice(c.domain, device, index));
}

function addGuestAgentChannel(c: Ctx): void {
  const exists = devicesOfKind(c.domain, 'channel').some((ch) => attr(child(ch, 'target'), 'name') === GUEST_AGENT);
  if (exists) throw new Error('the domain already has a guest agent channel');
  const target = createEl(c.xd, 'target', { type: 'virtio', name: GUEST_AGENT });
  appendDevice(c.xd, c.domain, createEl(c.xd, 'channel', { type: 'unix' }, [target]));
}

function addRng(c: Ctx, backend: string | undefined, model: string | undefined): void {
  const dev = oneOf('RNG backend', backend ?? '/dev/urandom', ['/dev/urandom', '/dev/random', '/dev/hwrng'] as const);
  const m = oneOf('RNG model', model ?? 'virtio', ['virtio', 'virtio-transitional', 'virtio-non-transitional'] as const);
  const backendEl = createEl(c.xd, 'backend', { model: 'random' }, [], dev);
  appendDevice(c.xd, c.domain, createEl(c.xd, 'rng', { model: m }, [backendEl]));
}

function setWatchdog(c: Ctx, w: { model: WatchdogModel; action?: WatchdogAction } | null): void {
  const existing = devicesOfKind(c.domain, 'watchdog');
  if (w === null) {
    if (existing.length === 0) throw new Error('the domain has no watchdog to remove');
    existing.forEach(removeEl);
    return;
  }
  oneOf('watchdog model', w.model, ['i6300esb', 'ib700', 'diag288', 'itco'] as const);
  if (w.action !== undefined) {
    oneOf('watchdog action', w.action, ['reset', 'shutdown', 'poweroff', 'pause', 'none', 'dump', 'inject-nmi'] as const);
  }
  const first = existing[0];
  if (!first) {
    appendDevice(c.xd, c.domain, createEl(c.xd, 'watchdog', { model: w.model, action: w.action ?? 'reset' }));
    return;
  }
  // i6300esb is PCI, ib700 ISA, diag288 s390: an address from another model is stale.
  if (attr(first, 'model') !== w.model) elements(first, 'address').forEach(removeEl);
  first.setAttribute('model', w.model);
  if (w.action !== undefined) first.setAttribute('action', w.action);
}

function applyOne(c: Ctx, e: DomainEdit): void {
  switch (e.kind) {
    case 'set-title':
      return setTitle(c, e.title);
    case 'set-description':
      return setTextChild(c.xd, c.domain, 'description', e.description, DOMAIN_ORDER);
    case 'set-vcpus':
      return setVcpus(c, e.current, e.max);
    case 'set-cpu-mode':
      return setCpuMode(c, e.mode, e.model);
    case 'set-cpu-topology':
      return setCpuTopology(c, e.topology);
    case 'set-memory':
      return setMemory(c, e.currentKiB, e.maxKiB);
    case 'set-boot-order':
      return setBootOrder(c, e.devices);
    case 'set-boot-devs':
      return setBootDevs(c, e.devs);
    case 'set-boot-menu':
      return setBootMenu(c, e.enabled, e.timeoutMs);
    case 'set-disk-bus':
      return setDiskBus(c.xd, c.domain, e.target, e.bus);
    case 'set-disk-driver':
      return setDiskDriver(c, e);
    case 'set-disk-flags':
      return setDiskFlags(c, e);
    case 'change-media':
      return changeMedia(c, e.target, e.source);
    case 'add-controller':
      return addController(c, e.type, e.model, e.index);
    case 'replace-scsi-controller-with-virtio-scsi':
      return replaceScsiWithVirtio(c, e.index);
    case 'set-nic-model':
      return setNicModel(c, e.index, e.model);
    case 'set-nic-source':
      return setNicSource(c, e.index, e.source);
    case 'set-nic-mac':
      return setNicMac(c, e.index, e.mac);
    case 'set-nic-link':
      return setNicLink(c, e.index, e.state);
    case 'set-graphics':
      return setGraphics(c, e);
    case 'set-video-model':
      return setVideoModel(c, e.index ?? 0, e.model);
    case 'set-memballoon-model':
      return setMemballoonModel(c, e.model);
    case 'set-memballoon-stats-period':
      return setMemballoonStatsPeriod(c, e.periodS);
    case 'add-device':
      return addDevice(c, e.xml);
    case 'remove-device':
      return removeDevice(c, e.device, e.index, e.target);
    case 'add-guest-agent-channel':
      return addGuestAgentChannel(c);
    case 'add-rng':
      return addRng(c, e.backend, e.model);
    case 'set-watchdog':
      return setWatchdog(c, e.watchdog);
    case 'add-disk':
      return addDisk(c.xd, c.domain, e);
    case 'add-nic':
      return addNic(c.xd, c.domain, e.source, e.model, e.mac);
    case 'add-input':
      return addInput(c.xd, c.domain, e.type, e.bus);
    case 'set-input':
      return setInput(c.domain, e.index, e.type, e.bus);
    case 'add-serial':
      return addSerial(c.xd, c.domain);
    case 'set-console-target':
      return setConsoleTarget(c.xd, c.domain, e.index, e.targetType);
    case 'add-graphics':
      return addGraphics(c.xd, c.domain, e.type, e.listen);
    case 'set-guest-numa':
      c.touchedCpuCount = true;
      return setGuestNuma(c.xd, c.domain, e.cells);
    default:
      throw new Error(`unknown edit kind '${String((e as { kind?: unknown }).kind)}'`);
  }
}

/**
 * Applies edits in order to a fresh parse of xml and returns the new XML. All or nothing: an
 * invalid edit throws (naming the edit and what was wrong) and no partial result escapes.
 */
export function applyEdits(xml: string, edits: readonly DomainEdit[]): string {
  const xd = new XmlDoc(xml);
  const c: Ctx = { xd, domain: findDomain(xd), touchedCpuCount: false };
  edits.forEach((e, i) => {
    try {
      applyOne(c, e);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new Error(edits.length > 1 ? `edit ${i + 1} (${e.kind}): ${msg}` : `${e.kind}: ${msg}`);
    }
  });
  if (c.touchedCpuCount) checkTopology(c);
  return xd.serialize();
}
