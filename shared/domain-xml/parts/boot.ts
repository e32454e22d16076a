// Boot: per-device <boot order>, the legacy <os><boot dev> list and the firmware boot menu, plus
// the read of <os>. All of it waits for the next boot.

import type { Element } from '@xmldom/xmldom';
import type { RuntimeState } from '../pending/runtime';
import { devicesOfKind, intOrNull, nthDevice, yesNo } from '../domain';
import { DISK_ORDER, findDisk } from '../devices/disk-names';
import { INTERFACE_ORDER } from '../devices/nic';
import { type Ctx, type Handlers, NEXT_BOOT, oneOf } from '../handler';
import type { DomainView } from '../types';
import { attr, child, createEl, elements, ensureChild, insertEl, placeEl, removeEl, replaceEl, text } from '../xml/xml-doc';

export const OS_BOOT_DEVS = ['hd', 'cdrom', 'network', 'fd'] as const;
export type OsBootDev = (typeof OS_BOOT_DEVS)[number];

/** libvirt's order of <os> children. */
export const OS_ORDER = [
  'type', 'firmware', 'loader', 'nvram', 'kernel', 'initrd', 'cmdline', 'dtb', 'acpi', 'boot', 'bootmenu', 'smbios', 'bios',
] as const;

/** Device kinds that can carry <boot order>. */
export const BOOTABLE_DEVICES = ['disk', 'interface', 'hostdev', 'redirdev', 'filesystem'] as const;

/** A device that can carry a per-device <boot order>. */
export type BootDeviceRef =
  | { type: 'disk'; target: string }
  | { type: 'interface' | 'hostdev' | 'redirdev'; index: number };

export type BootEdit =
  // Per-device boot order: listed devices get <boot order=1..n>, all others and <os><boot dev> lose theirs.
  | { kind: 'set-boot-order'; devices: BootDeviceRef[] }
  // Legacy BIOS-style order via <os><boot dev>, replacing any per-device boot order.
  | { kind: 'set-boot-devs'; devs: OsBootDev[] }
  // Turns the firmware boot menu on/off; timeoutMs undefined = unchanged, null = removed.
  | { kind: 'set-boot-menu'; enabled: boolean; timeoutMs?: number | null };

export function readOs(domain: Element): Pick<DomainView, 'os'> {
  const os = child(domain, 'os');
  const osType = os ? child(os, 'type') : null;
  const bootmenu = os ? child(os, 'bootmenu') : null;
  return {
    os: {
      type: text(osType)?.trim() ?? null,
      arch: attr(osType, 'arch'),
      machine: attr(osType, 'machine'),
      firmware: attr(os, 'firmware'),
      bootDevs: os ? elements(os, 'boot').map((b) => attr(b, 'dev')).filter((d): d is string => d !== null) : [],
      bootMenu: yesNo(attr(bootmenu, 'enable')),
      bootMenuTimeoutMs: intOrNull(attr(bootmenu, 'timeout')),
    },
  };
}

function clearBootOrders(c: Ctx): void {
  for (const kind of BOOTABLE_DEVICES) for (const dev of devicesOfKind(c.domain, kind)) elements(dev, 'boot').forEach(removeEl);
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
  devs.forEach((d) => oneOf('boot device', d, OS_BOOT_DEVS));
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
  if (typeof enabled !== 'boolean') throw new Error(`invalid boot menu setting ${JSON.stringify(enabled) ?? 'undefined'}: expected true or false`);
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

export const bootHandlers = {
  'set-boot-order': { apply: (c, e) => setBootOrder(c, e.devices), live: NEXT_BOOT },
  'set-boot-devs': { apply: (c, e) => setBootDevs(c, e.devs), live: NEXT_BOOT },
  'set-boot-menu': { apply: (c, e) => setBootMenu(c, e.enabled, e.timeoutMs), live: NEXT_BOOT },
} satisfies Handlers<BootEdit>;

/** Resolved at start (or at define): the firmware files libvirt picked for <os firmware>. */
export const BOOT_RUNTIME: RuntimeState = { resolved: ['os/loader', 'os/nvram', 'os/firmware'] };
