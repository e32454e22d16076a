// Where a VM's graphical display listens, read from its live domain XML: VNC or SPICE, a TCP port
// on an address of the host or a UNIX socket there, and the password the XML holds.
import { DOMParser, type Element } from '@xmldom/xmldom';
import type { GraphicalKind } from '../../../shared/contract/index.js';
import { readDomain, videoFollowsWindowSize } from '../../../shared/domain-xml/index.js';

export class ConsoleError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** A display's endpoint as seen from the host. */
export interface DisplayTarget {
  address: string;
  port: number;
  password?: string;
}

/** The address to dial on the host for a display's listen address: wildcards mean loopback. */
export function dialAddress(listen: string | null): string {
  if (!listen || listen === '0.0.0.0') return '127.0.0.1';
  if (listen === '::' || listen === '[::]') return '::1';
  return listen;
}

/** The graphical displays VirtDeck can show, in the order the XML lists them. */
export function displayKinds(xml: string): GraphicalKind[] {
  const kinds = readDomain(xml).graphics.map((g) => g.type);
  return (['vnc', 'spice'] as const).filter((k) => kinds.includes(k)).sort((a, b) => kinds.indexOf(a) - kinds.indexOf(b));
}

/** Whether the VM's display follows a window size (its primary video card does). */
export const displayResizable = (xml: string): boolean => videoFollowsWindowSize(readDomain(xml).videos);

/** The <graphics> elements directly under <devices> (readDomain hides the password on purpose). */
function graphicsElements(xml: string): Element[] {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const devices = doc.getElementsByTagName('devices')[0];
  return devices ? Array.from(devices.getElementsByTagName('graphics')).filter((g) => g.parentNode === devices) : [];
}

/** The display of `kind` in a live domain XML, or why there is none. */
export function displayTarget(xml: string, name: string, kind: GraphicalKind): DisplayTarget {
  const dom = readDomain(xml);
  const g = dom.graphics.find((d) => d.type === kind);
  const label = kind === 'vnc' ? 'VNC' : 'SPICE';
  if (!g) {
    if (kind === 'vnc' && dom.graphics.some((d) => d.type === 'spice')) {
      throw new ConsoleError('spice-only', `${name} has only a SPICE display.`);
    }
    if (kind === 'spice' && dom.graphics.some((d) => d.type === 'vnc')) throw new ConsoleError('vnc-only', `${name} has no SPICE display (it has a VNC one).`);
    throw new ConsoleError('no-display', `${name} has no graphical display. Its serial console may still work.`);
  }
  const el = graphicsElements(xml)[g.index];
  const password = el?.getAttribute('passwd') || undefined;
  // QEMU makes its display socket for itself (not for the SSH user), so a socket is not reachable.
  if (g.listenType === 'socket') throw new ConsoleError('unsupported', `${name}'s ${label} display listens on a UNIX socket, which VirtDeck cannot reach yet.`);
  if (g.listenType === 'none') throw new ConsoleError('unsupported', `${name}'s ${label} display does not listen anywhere (listen type 'none').`);
  if (g.port === null || g.port <= 0) {
    const tls = Number(el?.getAttribute('tlsPort') ?? '0');
    if (tls > 0) throw new ConsoleError('unsupported', `${name}'s SPICE display takes only TLS connections (tlsPort ${tls}), which VirtDeck cannot make yet.`);
    throw new ConsoleError('not-running', `${name} is not running: its display has no port yet.`);
  }
  return { address: dialAddress(g.listen), port: g.port, ...(password ? { password } : {}) };
}

export const vncTarget = (xml: string, name: string): DisplayTarget => displayTarget(xml, name, 'vnc');
