// readDomain: the typed, read-only view of a domain's XML.

import type { Element } from '@xmldom/xmldom';
import {
  LIBOSINFO_NS, QEMU_NS, devicesOfKind, diskBus, diskController, diskDevice, diskTarget, findDomain, intOrNull, toKiB,
} from './domain';
import type {
  CharDeviceView, ControllerView, DeviceAddress, DiskSource, DiskView, DomainView, GraphicsView, InterfaceView, RngView,
  VideoView, WatchdogView,
} from './types';
import { XmlDoc, attr, child, elements, text } from './xml-doc';

function addressOf(el: Element): DeviceAddress | null {
  const a = child(el, 'address');
  if (!a) return null;
  const out: DeviceAddress = {};
  for (let i = 0; i < a.attributes.length; i++) {
    const at = a.attributes.item(i)!;
    out[at.name] = at.value;
  }
  return out;
}

function bootOrder(el: Element): number | null {
  return intOrNull(attr(child(el, 'boot'), 'order'));
}

function yesNo(s: string | null): boolean | null {
  return s === null ? null : s === 'yes' || s === 'on';
}

function readDisk(disk: Element, index: number): DiskView {
  const src = child(disk, 'source');
  const driver = child(disk, 'driver');
  const source: DiskSource | null = src
    ? {
        file: attr(src, 'file'),
        dev: attr(src, 'dev'),
        pool: attr(src, 'pool'),
        volume: attr(src, 'volume'),
        protocol: attr(src, 'protocol'),
        name: attr(src, 'name'),
        hosts: elements(src, 'host').map((h) => ({
          name: attr(h, 'name'),
          port: attr(h, 'port'),
          transport: attr(h, 'transport'),
          socket: attr(h, 'socket'),
        })),
      }
    : null;
  return {
    index,
    device: diskDevice(disk),
    type: attr(disk, 'type'),
    bus: diskBus(disk),
    target: diskTarget(disk),
    source,
    driver: {
      name: attr(driver, 'name'),
      type: attr(driver, 'type'),
      cache: attr(driver, 'cache'),
      io: attr(driver, 'io'),
      discard: attr(driver, 'discard'),
      detectZeroes: attr(driver, 'detect_zeroes'),
    },
    readonly: child(disk, 'readonly') !== null,
    shareable: child(disk, 'shareable') !== null,
    serial: text(child(disk, 'serial')),
    bootOrder: bootOrder(disk),
    address: addressOf(disk),
  };
}

function readControllers(domain: Element): ControllerView[] {
  const disks = devicesOfKind(domain, 'disk');
  return devicesOfKind(domain, 'controller').map((c, position) => {
    const type = attr(c, 'type');
    // libvirt's default index is 0.
    const index = intOrNull(attr(c, 'index')) ?? 0;
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

function readInterface(nic: Element, index: number): InterfaceView {
  const type = attr(nic, 'type');
  const src = child(nic, 'source');
  const source = attr(src, 'network') ?? attr(src, 'bridge') ?? attr(src, 'dev') ?? attr(src, 'path') ?? null;
  return {
    index,
    type,
    source,
    sourceMode: attr(src, 'mode'),
    portgroup: attr(src, 'portgroup'),
    model: attr(child(nic, 'model'), 'type'),
    mac: attr(child(nic, 'mac'), 'address'),
    link: attr(child(nic, 'link'), 'state'),
    bootOrder: bootOrder(nic),
    address: addressOf(nic),
  };
}

function readGraphics(g: Element, index: number): GraphicsView {
  const listens = elements(g, 'listen');
  const addressListen = listens.find((l) => attr(l, 'type') === 'address' && attr(l, 'address') !== null);
  return {
    index,
    type: attr(g, 'type'),
    port: intOrNull(attr(g, 'port')),
    autoport: yesNo(attr(g, 'autoport')),
    listen: attr(g, 'listen') ?? attr(addressListen, 'address'),
    listenType: attr(listens[0], 'type'),
    hasPassword: g.hasAttribute('passwd'),
  };
}

function readVideo(v: Element, index: number): VideoView {
  const m = child(v, 'model');
  return {
    index,
    model: attr(m, 'type'),
    vram: intOrNull(attr(m, 'vram')),
    ram: intOrNull(attr(m, 'ram')),
    vgamem: intOrNull(attr(m, 'vgamem')),
    heads: intOrNull(attr(m, 'heads')),
    primary: attr(m, 'primary') === 'yes',
    accel3d: m !== null && attr(child(m, 'acceleration'), 'accel3d') === 'yes',
  };
}

function readChar(c: Element, index: number): CharDeviceView {
  const target = child(c, 'target');
  return {
    index,
    type: attr(c, 'type'),
    targetType: attr(target, 'type'),
    targetPort: attr(target, 'port'),
    targetName: attr(target, 'name'),
    targetState: attr(target, 'state'),
    sourcePath: attr(child(c, 'source'), 'path'),
  };
}

function readRng(r: Element, index: number): RngView {
  const b = child(r, 'backend');
  const backendText = text(b)?.trim();
  return { index, model: attr(r, 'model'), backendModel: attr(b, 'model'), backend: backendText ? backendText : null };
}

function readWatchdog(w: Element, index: number): WatchdogView {
  return { index, model: attr(w, 'model'), action: attr(w, 'action') };
}

function readMetadata(xd: XmlDoc, domain: Element): DomainView['metadata'] {
  const md = child(domain, 'metadata');
  if (!md) return { xml: null, libosinfoId: null };
  const xml = Array.from(md.childNodes).map((n) => xd.serializeNode(n)).join('').trim();
  const os = md.getElementsByTagNameNS(LIBOSINFO_NS, 'os').item(0);
  return { xml, libosinfoId: attr(os, 'id') };
}

/** Parses domain XML (or a snapshot wrapping one) into a read-only view. Throws on malformed XML. */
export function readDomain(xml: string): DomainView {
  const xd = new XmlDoc(xml);
  const domain = findDomain(xd);
  const os = child(domain, 'os');
  const osType = os ? child(os, 'type') : null;
  const bootmenu = os ? child(os, 'bootmenu') : null;
  const cpu = child(domain, 'cpu');
  const topo = cpu ? child(cpu, 'topology') : null;
  const vcpu = child(domain, 'vcpu');
  const maxVcpus = intOrNull(text(vcpu));
  const memory = toKiB(child(domain, 'memory'));
  const features = child(domain, 'features');
  const balloon = devicesOfKind(domain, 'memballoon')[0];
  const watchdogs = devicesOfKind(domain, 'watchdog').map(readWatchdog);
  const titleText = text(child(domain, 'title'));
  const descText = text(child(domain, 'description'));

  return {
    domainType: attr(domain, 'type'),
    name: text(child(domain, 'name'))?.trim() ?? null,
    uuid: text(child(domain, 'uuid'))?.trim() ?? null,
    title: titleText,
    description: descText,
    memory: { currentKiB: toKiB(child(domain, 'currentMemory')) ?? memory, maxKiB: memory },
    vcpus: { current: intOrNull(attr(vcpu, 'current')) ?? maxVcpus, max: maxVcpus },
    numatune: child(domain, 'numatune') !== null,
    cpu: cpu
      ? {
          mode: attr(cpu, 'mode'),
          match: attr(cpu, 'match'),
          model: text(child(cpu, 'model'))?.trim() || null,
          topology: topo
            ? {
                sockets: intOrNull(attr(topo, 'sockets')),
                dies: intOrNull(attr(topo, 'dies')),
                cores: intOrNull(attr(topo, 'cores')),
                threads: intOrNull(attr(topo, 'threads')),
              }
            : null,
          numaCells: child(cpu, 'numa') ? elements(child(cpu, 'numa')!, 'cell').length : 0,
        }
      : null,
    os: {
      type: text(osType)?.trim() ?? null,
      arch: attr(osType, 'arch'),
      machine: attr(osType, 'machine'),
      firmware: attr(os, 'firmware'),
      bootDevs: os ? elements(os, 'boot').map((b) => attr(b, 'dev')).filter((d): d is string => d !== null) : [],
      bootMenu: yesNo(attr(bootmenu, 'enable')),
      bootMenuTimeoutMs: intOrNull(attr(bootmenu, 'timeout')),
    },
    features: features ? elements(features).map((f) => f.nodeName) : [],
    disks: devicesOfKind(domain, 'disk').map(readDisk),
    controllers: readControllers(domain),
    interfaces: devicesOfKind(domain, 'interface').map(readInterface),
    graphics: devicesOfKind(domain, 'graphics').map(readGraphics),
    videos: devicesOfKind(domain, 'video').map(readVideo),
    memballoon: balloon ? { model: attr(balloon, 'model'), statsPeriodS: balloonStatsPeriod(balloon) } : null,
    inputs: devicesOfKind(domain, 'input').map((i, index) => ({ index, type: attr(i, 'type'), bus: attr(i, 'bus') })),
    serials: devicesOfKind(domain, 'serial').map(readChar),
    consoles: devicesOfKind(domain, 'console').map(readChar),
    channels: devicesOfKind(domain, 'channel').map(readChar),
    rngs: devicesOfKind(domain, 'rng').map(readRng),
    watchdog: watchdogs[0] ?? null,
    watchdogs,
    hasQemuCommandline: domain.getElementsByTagNameNS(QEMU_NS, 'commandline').length > 0,
    metadata: readMetadata(xd, domain),
  };
}

/** <memballoon><stats period>: seconds between the guest's memory reports; null when not set. */
function balloonStatsPeriod(balloon: Element): number | null {
  const period = attr(child(balloon, 'stats'), 'period');
  return period === null || !/^\d+$/.test(period) ? null : Number(period);
}
