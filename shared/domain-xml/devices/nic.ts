// <interface>: network cards. Value lists, the read, and the edits. The link state is applied to a
// running VM too (domif-setlink); a new or removed NIC is hot-plugged; model, source and MAC
// changes wait for the next boot.

import type { Element } from '@xmldom/xmldom';
import type { RuntimeState } from '../pending/runtime';
import { addressOf, bootOrder, devicesOfKind, nthDevice } from '../domain';
import { type Ctx, type Handlers, LIVE, NEXT_BOOT, hotplug, nonEmpty, oneOf } from '../handler';
import type { InterfaceView } from '../types';
import { appendDevice } from '../xml/device-xml';
import type { GuestDriverNames } from './guest-driver';
import { attr, child, createEl, elements, ensureChild, placeEl, removeEl, replaceEl } from '../xml/xml-doc';

/** Every NIC model libvirt/QEMU accept for <model type> (x86, ARM, PPC, s390 boards). */
export const NIC_MODELS = [
  'virtio', 'virtio-transitional', 'virtio-non-transitional', 'e1000', 'e1000e', 'igb', 'rtl8139', 'vmxnet3',
  'ne2k_pci', 'pcnet', 'i82551', 'i82557b', 'i82559er', 'usb-net', 'spapr-vlan', 'lan9118', 'smc91c111',
] as const;
export type NicModel = (typeof NIC_MODELS)[number];
/** The models worth offering first on a PC (paravirtualized, then the well-known emulated cards). */
export const COMMON_NIC_MODELS = ['virtio', 'e1000e', 'e1000', 'rtl8139', 'igb', 'vmxnet3'] as const satisfies readonly NicModel[];
/** The paravirtualized (virtio-net) models. */
export const VIRTIO_NIC_MODELS = ['virtio', 'virtio-transitional', 'virtio-non-transitional'] as const satisfies readonly NicModel[];

/** The guest's virtio-net driver. */
export const VIRTIO_NET_DRIVER: GuestDriverNames = { linux: 'virtio_net', windows: 'NetKVM' };

export const NIC_SOURCE_TYPES = ['network', 'bridge', 'direct'] as const;
/** macvtap modes of a direct NIC. */
export const MACVTAP_MODES = ['vepa', 'bridge', 'private', 'passthrough'] as const;
export const LINK_STATES = ['up', 'down'] as const;
export type MacvtapMode = (typeof MACVTAP_MODES)[number];

/** libvirt's order of <interface> children. */
export const INTERFACE_ORDER = [
  'mac', 'source', 'virtualport', 'ip', 'route', 'script', 'downscript', 'backend', 'target', 'guest', 'model',
  'driver', 'filterref', 'tune', 'teaming', 'link', 'mtu', 'coalesce', 'boot', 'rom', 'alias', 'address',
] as const;

/** What a NIC connects to on the host. */
export type NicSource =
  | { type: 'network'; network: string; portgroup?: string }
  | { type: 'bridge'; bridge: string }
  | { type: 'direct'; dev: string; mode?: MacvtapMode };

export type NewNicSource =
  | { type: 'network'; network: string }
  | { type: 'bridge'; bridge: string }
  | { type: 'direct'; dev: string; mode?: MacvtapMode };

export type NicEdit =
  // Sets the NIC model (index = position among <interface> elements).
  | { kind: 'set-nic-model'; index: number; model: string }
  // Connects the NIC to a libvirt network, a host bridge or a macvtap device.
  | { kind: 'set-nic-source'; index: number; source: NicSource }
  // Sets the NIC's MAC address; null removes it so libvirt generates one.
  | { kind: 'set-nic-mac'; index: number; mac: string | null }
  // Sets the NIC's virtual link state.
  | { kind: 'set-nic-link'; index: number; state: 'up' | 'down' }
  // Adds a NIC (default model virtio); without a MAC libvirt generates one.
  | { kind: 'add-nic'; source: NewNicSource; model?: string; mac?: string };

export function readInterface(nic: Element, index: number): InterfaceView {
  const src = child(nic, 'source');
  return {
    index,
    type: attr(nic, 'type'),
    source: attr(src, 'network') ?? attr(src, 'bridge') ?? attr(src, 'dev') ?? attr(src, 'path') ?? null,
    sourceMode: attr(src, 'mode'),
    portgroup: attr(src, 'portgroup'),
    model: attr(child(nic, 'model'), 'type'),
    mac: attr(child(nic, 'mac'), 'address'),
    link: attr(child(nic, 'link'), 'state'),
    bootOrder: bootOrder(nic),
    address: addressOf(nic),
  };
}

/** A unicast MAC no other NIC than `self` uses. */
function checkMac(domain: Element, mac: string, self: Element | null): void {
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(mac)) throw new Error(`invalid MAC address '${mac}' (expected xx:xx:xx:xx:xx:xx)`);
  if (parseInt(mac.slice(0, 2), 16) & 1) throw new Error(`invalid MAC address '${mac}': it is a multicast address`);
  const clash = devicesOfKind(domain, 'interface').findIndex((n) => n !== self && attr(child(n, 'mac'), 'address')?.toLowerCase() === mac.toLowerCase());
  if (clash >= 0) throw new Error(`MAC address '${mac}' is already used by interface ${clash}`);
}

/** The <source> for a NIC source (network + portgroup, bridge, or macvtap device + mode). */
function sourceEl(c: Ctx, source: NicSource): Element {
  if (source.type === 'network') return createEl(c.xd, 'source', { network: nonEmpty('network name', source.network), portgroup: source.portgroup });
  if (source.type === 'bridge') return createEl(c.xd, 'source', { bridge: nonEmpty('bridge name', source.bridge) });
  if (source.type === 'direct') {
    const mode = oneOf('macvtap mode', source.mode ?? 'vepa', MACVTAP_MODES);
    return createEl(c.xd, 'source', { dev: nonEmpty('host device', source.dev), mode });
  }
  throw new Error(`invalid NIC source type '${String((source as { type?: unknown }).type)}' (expected network, bridge or direct)`);
}

function setNicModel(c: Ctx, index: number, model: string): void {
  oneOf('NIC model', model, NIC_MODELS);
  const nic = nthDevice(c.domain, 'interface', index);
  ensureChild(c.xd, nic, 'model', INTERFACE_ORDER).setAttribute('type', model);
  // <driver> tunes virtio-net (queues, vhost, offloads); libvirt rejects it on other models.
  if (!model.startsWith('virtio')) elements(nic, 'driver').forEach(removeEl);
}

function setNicSource(c: Ctx, index: number, source: NicSource): void {
  const nic = nthDevice(c.domain, 'interface', index);
  const el = sourceEl(c, source);
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
  checkMac(c.domain, mac, nic);
  ensureChild(c.xd, nic, 'mac', INTERFACE_ORDER).setAttribute('address', mac);
}

function setNicLink(c: Ctx, index: number, state: 'up' | 'down'): void {
  oneOf('link state', state, LINK_STATES);
  const nic = nthDevice(c.domain, 'interface', index);
  ensureChild(c.xd, nic, 'link', INTERFACE_ORDER).setAttribute('state', state);
}

function addNic(c: Ctx, source: NewNicSource, model: string | undefined, mac: string | undefined): void {
  const m = oneOf('NIC model', model ?? 'virtio', NIC_MODELS);
  const kids: Element[] = [];
  if (mac !== undefined) {
    checkMac(c.domain, mac, null);
    kids.push(createEl(c.xd, 'mac', { address: mac }));
  }
  const type = oneOf('NIC source type', source?.type, NIC_SOURCE_TYPES);
  kids.push(sourceEl(c, source.type === 'network' ? { type: 'network', network: source.network } : source));
  kids.push(createEl(c.xd, 'model', { type: m }));
  appendDevice(c.xd, c.domain, createEl(c.xd, 'interface', { type }, kids));
}

export const nicHandlers = {
  'set-nic-model': { apply: (c, e) => setNicModel(c, e.index, e.model), live: NEXT_BOOT },
  // A running NIC moves to another bridge or network by update-device (libvirt re-plugs its tap;
  // the guest keeps its link). A macvtap source libvirt refuses live: that is reported, then pending.
  'set-nic-source': { apply: (c, e) => setNicSource(c, e.index, e.source), live: LIVE },
  'set-nic-mac': { apply: (c, e) => setNicMac(c, e.index, e.mac), live: NEXT_BOOT },
  'set-nic-link': { apply: (c, e) => setNicLink(c, e.index, e.state), live: LIVE },
  'add-nic': { apply: (c, e) => addNic(c, e.source, e.model, e.mac), live: hotplug('interface') },
} satisfies Handlers<NicEdit>;

/** Runtime-only: the tap device libvirt creates (vnetN, macvtapN) and, for a network NIC, the
  * network's port and bridge it resolved. */
export const NIC_RUNTIME: RuntimeState = {
  runtime: ['source@portid'], resolved: ['source@bridge', 'link'], when: [{ test: (el: Element) => /^(vnet|macvtap|tap)\d+$/.test(attr(child(el, 'target'), 'dev') ?? ''), runtime: ['target'] }],
};
