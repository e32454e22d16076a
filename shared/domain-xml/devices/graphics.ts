// <graphics>: the VM's displays (VNC, SPICE…). Listen address, password and port, a new VNC
// display, and the read. Waits for the next boot.

import type { Element } from '@xmldom/xmldom';
import type { RuntimeState } from '../pending/runtime';
import { devicesOfKind, intOrNull, nthDevice, yesNo } from '../domain';
import { type Ctx, type Handlers, NEXT_BOOT, nonEmpty, oneOf } from '../handler';
import type { GraphicsView } from '../types';
import { appendDevice } from '../xml/device-xml';
import { attr, createEl, elements, placeEl, replaceEl, setAttr } from '../xml/xml-doc';

export const GRAPHICS_TYPES = ['vnc', 'spice', 'rdp', 'sdl', 'desktop', 'egl-headless', 'dbus'] as const;
/** The graphics types with a listen address, password and port. */
export const NETWORK_GRAPHICS_TYPES = ['vnc', 'spice', 'rdp'] as const;
/** What add-graphics adds. */
export const NEW_GRAPHICS_TYPES = ['vnc'] as const;
/** Where a new display listens unless told otherwise (this host only, reached over SSH). */
export const DEFAULT_GRAPHICS_LISTEN = '127.0.0.1';

export type GraphicsEdit =
  // Sets a graphics device's listen address, password and port; undefined = unchanged, null = removed.
  | { kind: 'set-graphics'; index?: number; listen?: string | null; passwd?: string | null; port?: number | 'auto' }
  // Adds a VNC display with automatic port, listening on the given address (default 127.0.0.1).
  | { kind: 'add-graphics'; type: 'vnc'; listen?: string };

export function readGraphics(g: Element, index: number): GraphicsView {
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

function setListen(c: Ctx, g: Element, listen: string | null): void {
  const listens = elements(g, 'listen');
  if (listen === null) {
    g.removeAttribute('listen');
    for (const l of listens) if (attr(l, 'type') === 'address') l.removeAttribute('address');
    return;
  }
  nonEmpty('listen address', listen);
  // The listen attribute and the first <listen type='address'> must agree, so set both.
  if (g.hasAttribute('listen')) g.setAttribute('listen', listen);
  const addr = listens.find((l) => attr(l, 'type') === 'address');
  const fresh = createEl(c.xd, 'listen', { type: 'address', address: listen });
  if (addr) addr.setAttribute('address', listen);
  else if (listens[0]) replaceEl(c.xd, listens[0], fresh);
  else if (!g.hasAttribute('listen')) placeEl(c.xd, g, fresh, ['listen']);
}

function setGraphics(c: Ctx, e: Extract<GraphicsEdit, { kind: 'set-graphics' }>): void {
  const g = nthDevice(c.domain, 'graphics', e.index ?? 0);
  const type = attr(g, 'type') ?? '';
  if (!(NETWORK_GRAPHICS_TYPES as readonly string[]).includes(type)) throw new Error(`graphics type '${type}' has no listen address, password or port`);
  if (e.listen !== undefined) setListen(c, g, e.listen);
  if (e.passwd !== undefined) {
    setAttr(g, 'passwd', e.passwd);
    if (e.passwd === null) g.removeAttribute('passwdValidTo');
  }
  if (e.port === 'auto') {
    g.setAttribute('autoport', 'yes');
    g.removeAttribute('port');
  } else if (e.port !== undefined) {
    const min = type === 'vnc' ? 5900 : 1;
    if (!Number.isInteger(e.port) || e.port < min || e.port > 65535) {
      throw new Error(`invalid ${type} port '${e.port}' (expected ${min}–65535 or 'auto')`);
    }
    g.setAttribute('port', String(e.port));
    g.setAttribute('autoport', 'no');
  }
}

function addGraphics(c: Ctx, type: 'vnc', listen: string | undefined): void {
  oneOf('graphics type', type, NEW_GRAPHICS_TYPES);
  if (devicesOfKind(c.domain, 'graphics').some((g) => attr(g, 'type') === type)) throw new Error(`the domain already has a ${type} display`);
  const address = nonEmpty('listen address', listen ?? DEFAULT_GRAPHICS_LISTEN);
  const listenEl = createEl(c.xd, 'listen', { type: 'address', address });
  appendDevice(c.xd, c.domain, createEl(c.xd, 'graphics', { type, port: -1, autoport: 'yes', listen: address }, [listenEl]));
}

export const graphicsHandlers = {
  'set-graphics': { apply: setGraphics, live: NEXT_BOOT },
  'add-graphics': { apply: (c, e) => addGraphics(c, e.type, e.listen), live: NEXT_BOOT },
} satisfies Handlers<GraphicsEdit>;

/** Runtime-only: the ports an autoport display was given; resolved: the listen address libvirt
  * takes from qemu.conf when the config names none. */
export const GRAPHICS_RUNTIME: RuntimeState = {
  resolved: ['@listen', 'listen@address'],
  when: [{ test: (el: Element) => attr(el, 'autoport') === 'yes', runtime: ['@port', '@tlsPort', '@websocket'] }],
};
