// Character devices: <serial>, <console>, <parallel> and <channel> (the guest agent's among
// them). New serial ports, console targets, the guest agent channel, and removing a serial port
// with the console that mirrors it. Waits for the next boot.

import type { Element } from '@xmldom/xmldom';
import type { RuntimeState } from '../pending/runtime';
import { devicesOfKind, intOrNull, nthDevice } from '../domain';
import { type Ctx, type Handlers, NEXT_BOOT, firstFree, oneOf } from '../handler';
import type { CharDeviceView } from '../types';
import { appendDevice } from '../xml/device-xml';
import { attr, attrsAt, child, createEl, elements, ensureChild, removeEl } from '../xml/xml-doc';

/** The virtio-serial channel name the QEMU guest agent listens on. */
export const GUEST_AGENT_CHANNEL = 'org.qemu.guest_agent.0';
export const CONSOLE_TARGETS = ['serial', 'virtio'] as const;
export type ConsoleTarget = (typeof CONSOLE_TARGETS)[number];
/** ttyS0–ttyS3. */
export const MAX_SERIAL_PORTS = 4;

export type ChardevEdit =
  // Adds the QEMU guest agent's virtio-serial channel (org.qemu.guest_agent.0).
  | { kind: 'add-guest-agent-channel' }
  // Adds a pty serial port on the next free port (libvirt adds the console for port 0).
  | { kind: 'add-serial' }
  // Sets a console's target type: serial (ttyS, mirrors serial port 0) or virtio (hvc).
  | { kind: 'set-console-target'; index: number; targetType: ConsoleTarget };

export function readChar(c: Element, index: number): CharDeviceView {
  return {
    index,
    ...attrsAt(c, { type: 'type', targetType: 'target/type', targetPort: 'target/port', targetName: 'target/name', targetState: 'target/state', sourcePath: 'source/path' }),
  };
}

/** The ports a serial or console uses ('port' of <target>, else its position). */
function usedPorts(domain: Element, tag: string): Set<number> {
  return new Set(devicesOfKind(domain, tag).map((s, i) => intOrNull(attr(child(s, 'target'), 'port')) ?? i));
}

function addSerial(c: Ctx): void {
  const port = firstFree(usedPorts(c.domain, 'serial'));
  if (port >= MAX_SERIAL_PORTS) throw new Error('the domain already has four serial ports (ttyS0–ttyS3)');
  appendDevice(c.xd, c.domain, createEl(c.xd, 'serial', { type: 'pty' }, [createEl(c.xd, 'target', { port })]));
  // libvirt adds the console for serial 0 itself when there is none.
}

/** Removing a serial port also removes the <console> that mirrors it, or libvirt would re-add the port. */
export function removeSerial(c: Ctx, index: number): void {
  const serial = nthDevice(c.domain, 'serial', index);
  const port = intOrNull(attr(child(serial, 'target'), 'port')) ?? index;
  for (const console of devicesOfKind(c.domain, 'console')) {
    const t = child(console, 'target');
    if ((attr(t, 'type') ?? 'serial') === 'serial' && (intOrNull(attr(t, 'port')) ?? 0) === port) removeEl(console);
  }
  removeEl(serial);
}

function setConsoleTarget(c: Ctx, index: number, targetType: ConsoleTarget): void {
  oneOf('console target type', targetType, CONSOLE_TARGETS);
  const console = nthDevice(c.domain, 'console', index);
  const target = ensureChild(c.xd, console, 'target', ['source', 'log', 'protocol', 'target', 'alias', 'address']);
  const before = attr(target, 'type') ?? 'serial';
  if (before === targetType) return;
  if (targetType === 'serial' && devicesOfKind(c.domain, 'serial').length === 0) {
    throw new Error('a serial console needs a serial port; add one first');
  }
  target.setAttribute('type', targetType);
  if (targetType === 'virtio') {
    // A virtio console (hvc) has its own port numbers; 0 on the virtio-serial bus.
    const others = devicesOfKind(c.domain, 'console').filter((x) => x !== console && attr(child(x, 'target'), 'type') === 'virtio');
    target.setAttribute('port', String(firstFree(new Set(others.map((x) => intOrNull(attr(child(x, 'target'), 'port')) ?? 0)))));
  } else target.setAttribute('port', '0');
  elements(console, 'address').forEach(removeEl);
}

function addGuestAgentChannel(c: Ctx): void {
  const exists = devicesOfKind(c.domain, 'channel').some((ch) => attr(child(ch, 'target'), 'name') === GUEST_AGENT_CHANNEL);
  if (exists) throw new Error('the domain already has a guest agent channel');
  const target = createEl(c.xd, 'target', { type: 'virtio', name: GUEST_AGENT_CHANNEL });
  appendDevice(c.xd, c.domain, createEl(c.xd, 'channel', { type: 'unix' }, [target]));
}

export const chardevHandlers = {
  'add-guest-agent-channel': { apply: addGuestAgentChannel, live: NEXT_BOOT },
  'add-serial': { apply: addSerial, live: NEXT_BOOT },
  'set-console-target': { apply: (c, e) => setConsoleTarget(c, e.index, e.targetType), live: NEXT_BOOT },
} satisfies Handlers<ChardevEdit>;

/** Runtime-only: the pty (tty, source path) QEMU opened, a channel's guest-side state, the socket
  * path libvirt generates for a unix channel (/var/lib/libvirt/qemu/channel/target/…). */
export const CHARDEV_RUNTIME: RuntimeState = { runtime: ['@tty', 'target@state'], resolved: ['source@path', 'source'] };
