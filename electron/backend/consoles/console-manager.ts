// Consoles ride the host's one SSH connection: VNC and SPICE through ssh2 forwardOut to the
// display's listen address read from the live domain XML (SPICE: one forwardOut per SPICE channel,
// all under one console id that lives as long as its channels), the serial console as `virsh console --force` on a pty
// channel, the host shell as a pty shell. Each takes a slot of the host's channel budget.
//
// Two steps so that no byte stream is reachable without the contract: `open` (a contract call)
// checks the VM and issues a one-time console id; `attach` (the /console WebSocket in browser
// mode, a MessagePort in Electron) spends that id and joins the stream to a sink.
import { randomBytes } from 'node:crypto';
import type { ConsoleKind, ConsoleTicket, VmDriver } from '../../../shared/contract/index.js';
import { containerRunning } from '../libvirt/containers.js';
import { domainStateArgs, parseDomainState } from '../libvirt/parse.js';
import { ConsoleError, displayKinds, displayResizable, displayTarget } from './display-target.js';

export { ConsoleError, dialAddress, vncTarget } from './display-target.js';

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
  /** The host's LXC tools: whether a container runs, and the argv of its console or a shell in it. */
  lxcTools?: { running(name: string): Promise<boolean>; argv(kind: 'serial' | 'shell', name: string): string[] };
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

interface Ticket {
  hostId: string;
  name: string;
  driver: VmDriver;
  kind: ConsoleKind;
  /** vnc and spice: where the display listens, as seen from the host. */
  target?: { address: string; port: number };
  expires?: NodeJS.Timeout;
  openedAt: number;
  /** spice: the streams (SPICE channels) open now under this ticket. */
  open: Set<ConsoleStream>;
}

const TICKET_TTL_MS = 30_000;
/** A SPICE session's id outlives its last channel this long (a reconnect asks for a new one). */
const SPICE_IDLE_MS = 10_000;
/** main, display, inputs, cursor: the channels the page opens (it declines the others), with room
 *  for a client that reconnects one before the server has closed the old one. */
const SPICE_CHANNELS_MAX = 6;
const DEFAULT_SIZE = { cols: 80, rows: 24 };

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
    if (kind !== 'vnc' && kind !== 'spice' && kind !== 'serial' && kind !== 'shell') throw new ConsoleError('invalid-input', `Unknown console kind: ${String(kind)}`);
    if (kind !== 'shell' && !name) throw new ConsoleError('invalid-input', 'A VM name is needed');
    if (driver === 'lxc' && kind !== 'serial') throw new ConsoleError('unsupported', `${name} is a container: it has a text console only`);
    if (driver === 'lxc-tools' && kind !== 'serial' && kind !== 'shell') throw new ConsoleError('unsupported', `${name} is an LXC container: it has a console and a shell, no display`);
    if (driver === 'lxc-tools' && !name) throw new ConsoleError('invalid-input', 'A container name is needed');
    const host = this.resolveHost(hostId, driver);
    const openedAt = performance.now();
    let target: Ticket['target'];
    let password: string | undefined;
    let displays: ConsoleTicket['displays'];
    let resizable: boolean | undefined;
    if (kind === 'vnc' || kind === 'spice') {
      // The live XML: autoport displays get their port only when the VM starts.
      const xml = await host.virsh(['dumpxml', '--security-info', '--domain', name]);
      ({ password, ...target } = displayTarget(xml, name, kind));
      displays = displayKinds(xml);
      resizable = displayResizable(xml);
    } else if (driver === 'lxc-tools') {
      if (!(await host.lxcTools?.running(name))) throw new ConsoleError('not-running', `${name} is not running: start it to open its ${kind === 'shell' ? 'shell' : 'console'}.`);
    } else if (kind === 'serial' && driver === 'lxc') {
      // LXC has no domstats: a running container is in the running filter's list.
      if (!(await containerRunning((args) => host.virsh(args), name))) throw new ConsoleError('not-running', `${name} is not running: its console is closed.`);
    } else if (kind === 'serial') {
      const state = parseDomainState(await host.virsh(domainStateArgs(name)));
      if (state !== 'running' && state !== 'paused') throw new ConsoleError('not-running', `${name} is not running (${state}): its serial console is closed.`);
    }
    const consoleId = randomBytes(24).toString('base64url');
    const ticket: Ticket = { hostId, name, driver, kind, target, openedAt, open: new Set() };
    this.tickets.set(consoleId, ticket);
    this.expireLater(consoleId, ticket, TICKET_TTL_MS);
    const secret = password ? { [kind === 'spice' ? 'spicePassword' : 'vncPassword']: password } : {};
    return { consoleId, kind, ...secret, ...(displays ? { displays } : {}), ...(resizable !== undefined ? { resizable } : {}) };
  }

  private expireLater(consoleId: string, ticket: Ticket, ms: number): void {
    clearTimeout(ticket.expires);
    ticket.expires = setTimeout(() => {
      if (this.tickets.get(consoleId) === ticket) this.tickets.delete(consoleId);
    }, ms);
    ticket.expires.unref?.();
  }

  /** Take a ticket for one stream: a one-time ticket is spent, a SPICE session's is kept while
   *  its channels are open (each channel a stream of its own, bridged by its own forwardOut). */
  private take(consoleId: string): Ticket {
    const ticket = this.tickets.get(consoleId);
    if (!ticket) throw new ConsoleError('forbidden', 'Unknown or used console id');
    if (ticket.kind !== 'spice') {
      this.tickets.delete(consoleId);
      clearTimeout(ticket.expires);
    } else {
      if (ticket.open.size >= SPICE_CHANNELS_MAX) throw new ConsoleError('forbidden', `A SPICE console opens at most ${SPICE_CHANNELS_MAX} channels`);
      clearTimeout(ticket.expires);
    }
    return ticket;
  }

  /** A SPICE channel closed: with none left, the session's id expires soon. */
  private released(consoleId: string, ticket: Ticket, stream: ConsoleStream): void {
    ticket.open.delete(stream);
    if (ticket.kind === 'spice' && ticket.open.size === 0 && this.tickets.get(consoleId) === ticket) this.expireLater(consoleId, ticket, SPICE_IDLE_MS);
  }

  /** Whether `consoleId` is a ticket not yet spent (checked before a WebSocket upgrade). */
  has(consoleId: string): boolean {
    return this.tickets.has(consoleId);
  }

  /** Spend the ticket and join its stream to `sink`. Rejects when the id is unknown, spent or expired. */
  async attach(consoleId: string, sink: ConsoleSink, size = DEFAULT_SIZE): Promise<ConsoleStream> {
    const ticket = this.take(consoleId);
    const host = this.resolveHost(ticket.hostId, ticket.driver);
    const graphical = ticket.kind === 'vnc' || ticket.kind === 'spice';
    let channel: ConsoleChannel;
    // A placeholder holds the SPICE channel's place in the count while its forwardOut opens.
    const pending: ConsoleStream = { write: () => false, whenDrained: () => undefined, resize: () => undefined, pause: () => undefined, resume: () => undefined, close: () => undefined };
    ticket.open.add(pending);
    try {
      if (graphical) channel = await host.forwardOut(ticket.target!.address, ticket.target!.port);
      else if (ticket.driver === 'lxc-tools') channel = await host.openPty(host.lxcTools!.argv(ticket.kind === 'shell' ? 'shell' : 'serial', ticket.name), size);
    // Not quiet (-q): virsh's "Connected to domain … Escape character is ^]" tells the person
    // (and the page) that the console is up.
      // LXC's console takes no --force ("unsupported flags (0x1) in function lxcDomainOpenConsole").
      else if (ticket.kind === 'serial') channel = await host.openPty(['virsh', '-c', host.libvirtUri, 'console', ...(ticket.driver === 'lxc' ? [] : ['--force']), '--domain', ticket.name], size);
      else channel = await host.openPty(null, size);
    } finally {
      this.released(consoleId, ticket, pending);
    }

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
        this.released(consoleId, ticket, stream);
        channel.close();
      },
    };
    this.live.add(stream);
    ticket.open.add(stream);
    channel.on('data', (data: Buffer) => {
      if (first) {
        first = false;
        this.onFirstBytes?.(performance.now() - ticket.openedAt, ticket.kind);
      }
      sink.send(data);
    });
    // The display's server hung up (its QEMU exited: the VM was powered off or restarted). ssh2
    // keeps a half-closed channel open until we close our side too; without this the console
    // would sit "connected" to a display that is gone.
    if (graphical) channel.once('end', () => channel.close());
    channel.once('close', () => {
      const wasOpen = !closed;
      closed = true;
      this.live.delete(stream);
      this.released(consoleId, ticket, stream);
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
