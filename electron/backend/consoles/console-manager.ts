// Consoles ride the host's one SSH connection: VNC through ssh2 forwardOut to the display's listen
// address read from the live domain XML, the serial console as `virsh console --force` on a pty
// channel, the host shell as a pty shell. Each takes a slot of the host's channel budget.
//
// Two steps so that no byte stream is reachable without the contract: `open` (a contract call)
// checks the VM and issues a one-time console id; `attach` (the /console WebSocket in browser
// mode, a MessagePort in Electron) spends that id and joins the stream to a sink.
import { randomBytes } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import type { ConsoleKind, ConsoleTicket, VmDriver } from '../../../shared/contract/index.js';
import { readDomain } from '../../../shared/domain-xml/index.js';
import { containerRunning } from '../libvirt/containers.js';
import { domainStateArgs, parseDomainState } from '../libvirt/parse.js';

/** What a console needs of a host: a channel opener over its SSH connection and virsh. */
export interface ConsoleHost {
  label: string;
  /** The URI of the driver the console's domain is in (the LXC one for a container). */
  libvirtUri: string;
  driver?: VmDriver;
  /** Runs virsh; rejects with libvirt's message. */
  virsh(args: readonly string[]): Promise<string>;
  forwardOut(address: string, port: number): Promise<ConsoleChannel>;
  openPty(argv: readonly string[] | null, size: { cols: number; rows: number }): Promise<ConsoleChannel>;
}

/** The part of an ssh2 ClientChannel a console uses (a fake in unit tests). */
export interface ConsoleChannel {
  write(data: Buffer): boolean;
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  once(event: 'close' | 'end' | 'drain', listener: () => void): unknown;
  close(): void;
  setWindow?(rows: number, cols: number, height: number, width: number): void;
  /** ssh2 channels are streams: paused, they stop reading and the SSH window closes. */
  pause?(): unknown;
  resume?(): unknown;
}

/** The renderer's end of one console: a WebSocket or a MessagePort. */
export interface ConsoleSink {
  send(data: Buffer): void;
  close(reason: string): void;
}

/** The backend's end, handed to whoever carries the bytes. */
export interface ConsoleStream {
  /** false: the channel's buffer is full; `whenDrained` says when to send more. */
  write(data: Buffer): boolean;
  whenDrained(listener: () => void): void;
  resize(cols: number, rows: number): void;
  /** Stop and restart reading the console's output while the page catches up. */
  pause(): void;
  resume(): void;
  close(): void;
}

export class ConsoleError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

interface Ticket {
  hostId: string;
  name: string;
  driver: VmDriver;
  kind: ConsoleKind;
  /** VNC only: where the display listens, as seen from the host. */
  target?: { address: string; port: number };
  expires: NodeJS.Timeout;
  openedAt: number;
}

const TICKET_TTL_MS = 30_000;
const DEFAULT_SIZE = { cols: 80, rows: 24 };

/** The address to dial on the host for a display's listen address: wildcards mean loopback. */
export function dialAddress(listen: string | null): string {
  if (!listen || listen === '0.0.0.0') return '127.0.0.1';
  if (listen === '::' || listen === '[::]') return '::1';
  return listen;
}

/** The VNC display of a live domain XML, or why there is none. */
export function vncTarget(xml: string, name: string): { address: string; port: number; password?: string } {
  const dom = readDomain(xml);
  const vnc = dom.graphics.find((g) => g.type === 'vnc');
  if (!vnc) {
    if (dom.graphics.some((g) => g.type === 'spice')) {
      throw new ConsoleError('spice-only', `${name} has only a SPICE display. VirtDeck shows VNC displays: add a VNC display to see its screen here.`);
    }
    throw new ConsoleError('no-display', `${name} has no graphical display. Its serial console may still work.`);
  }
  if (vnc.listenType === 'socket') throw new ConsoleError('unsupported', `${name}'s VNC display listens on a UNIX socket, which VirtDeck cannot reach yet.`);
  if (vnc.port === null || vnc.port <= 0) throw new ConsoleError('not-running', `${name} is not running: its display has no port yet.`);
  const password = vnc.hasPassword ? vncPassword(xml, vnc.index) : undefined;
  return { address: dialAddress(vnc.listen), port: vnc.port, ...(password ? { password } : {}) };
}

/** readDomain deliberately hides the password; only the console needs it. */
function vncPassword(xml: string, index: number): string | undefined {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const devices = doc.getElementsByTagName('devices')[0];
  const graphics = devices ? Array.from(devices.getElementsByTagName('graphics')).filter((g) => g.parentNode === devices) : [];
  return graphics[index]?.getAttribute('passwd') ?? undefined;
}

export class ConsoleManager {
  private readonly tickets = new Map<string, Ticket>();
  private readonly live = new Set<ConsoleStream>();
  /** Called with how long a VNC console took from open to the server's first bytes (bench). */
  onFirstBytes?: (ms: number, kind: ConsoleKind) => void;

  constructor(private readonly resolveHost: (hostId: string, driver?: VmDriver) => ConsoleHost) {}

  async open(params: { hostId: string; name?: string; driver?: VmDriver; kind: ConsoleKind }): Promise<ConsoleTicket> {
    const { hostId, kind } = params;
    const driver = params.driver ?? 'qemu';
    const name = String(params.name ?? '');
    if (kind !== 'vnc' && kind !== 'serial' && kind !== 'shell') throw new ConsoleError('invalid-input', `Unknown console kind: ${String(kind)}`);
    if (kind !== 'shell' && !name) throw new ConsoleError('invalid-input', 'A VM name is needed');
    if (driver === 'lxc' && kind !== 'serial') throw new ConsoleError('unsupported', `${name} is a container: it has a text console only`);
    const host = this.resolveHost(hostId, driver);
    const openedAt = performance.now();
    let target: Ticket['target'];
    let password: string | undefined;
    if (kind === 'vnc') {
      // The live XML: autoport displays get their port only when the VM starts.
      const xml = await host.virsh(['dumpxml', '--security-info', '--domain', name]);
      ({ password, ...target } = vncTarget(xml, name));
    } else if (kind === 'serial' && driver === 'lxc') {
      // LXC has no domstats: a running container is in the running filter's list.
      if (!(await containerRunning((args) => host.virsh(args), name))) throw new ConsoleError('not-running', `${name} is not running: its console is closed.`);
    } else if (kind === 'serial') {
      const state = parseDomainState(await host.virsh(domainStateArgs(name)));
      if (state !== 'running' && state !== 'paused') throw new ConsoleError('not-running', `${name} is not running (${state}): its serial console is closed.`);
    }
    const consoleId = randomBytes(24).toString('base64url');
    const expires = setTimeout(() => this.tickets.delete(consoleId), TICKET_TTL_MS);
    expires.unref?.();
    this.tickets.set(consoleId, { hostId, name, driver, kind, target, expires, openedAt });
    return { consoleId, kind, ...(password ? { vncPassword: password } : {}) };
  }

  /** Whether `consoleId` is a ticket not yet spent (checked before a WebSocket upgrade). */
  has(consoleId: string): boolean {
    return this.tickets.has(consoleId);
  }

  /** Spend the ticket and join its stream to `sink`. Rejects when the id is unknown, spent or expired. */
  async attach(consoleId: string, sink: ConsoleSink, size = DEFAULT_SIZE): Promise<ConsoleStream> {
    const ticket = this.tickets.get(consoleId);
    if (!ticket) throw new ConsoleError('forbidden', 'Unknown or used console id');
    this.tickets.delete(consoleId);
    clearTimeout(ticket.expires);
    const host = this.resolveHost(ticket.hostId, ticket.driver);
    let channel: ConsoleChannel;
    if (ticket.kind === 'vnc') channel = await host.forwardOut(ticket.target!.address, ticket.target!.port);
    // Not quiet (-q): virsh's "Connected to domain … Escape character is ^]" tells the person
    // (and the page) that the console is up.
    // LXC's console takes no --force ("unsupported flags (0x1) in function lxcDomainOpenConsole").
    else if (ticket.kind === 'serial') channel = await host.openPty(['virsh', '-c', host.libvirtUri, 'console', ...(ticket.driver === 'lxc' ? [] : ['--force']), '--domain', ticket.name], size);
    else channel = await host.openPty(null, size);

    let closed = false;
    let first = true;
    const stream: ConsoleStream = {
      write: (data) => closed || channel.write(data),
      whenDrained: (listener) => void channel.once('drain', listener),
      pause: () => void channel.pause?.(),
      resume: () => void channel.resume?.(),
      resize: (cols, rows) => {
        if (!closed && Number.isInteger(cols) && Number.isInteger(rows) && cols > 0 && rows > 0 && cols < 1000 && rows < 1000) channel.setWindow?.(rows, cols, 0, 0);
      },
      close: () => {
        if (closed) return;
        closed = true;
        this.live.delete(stream);
        channel.close();
      },
    };
    this.live.add(stream);
    channel.on('data', (data: Buffer) => {
      if (first) {
        first = false;
        this.onFirstBytes?.(performance.now() - ticket.openedAt, ticket.kind);
      }
      sink.send(data);
    });
    // The VNC server hung up (its QEMU exited: the VM was powered off or restarted). ssh2 keeps a
    // half-closed channel open until we close our side too; without this the console would sit
    // "connected" to a display that is gone.
    if (ticket.kind === 'vnc') channel.once('end', () => channel.close());
    channel.once('close', () => {
      const wasOpen = !closed;
      closed = true;
      this.live.delete(stream);
      if (wasOpen) sink.close(`The ${ticket.kind === 'shell' ? 'shell' : 'console'} on ${host.label} closed`);
    });
    return stream;
  }

  closeAll(): void {
    for (const stream of [...this.live]) stream.close();
    for (const t of this.tickets.values()) clearTimeout(t.expires);
    this.tickets.clear();
  }
}
