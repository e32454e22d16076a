// The byte stream of one console, whatever carries it. It has the WebSocket-like surface noVNC's
// RFB accepts instead of a URL (send, close, binaryType, on* handlers, protocol, readyState), so
// the VNC view, the terminals and both transports share one type.
//
// Browser mode: a WebSocket to /console on the web host, with the page's per-run token and the
// one-time id console.open issued. Electron: a MessagePort the main process creates for that id
// (one end to the backend's utility process, one to this window) — no socket at all.
import type { ConsoleControl, ConsoleKind, ConsoleTicket, VirtDeckApi, VmDriver } from '../../../shared/contract';
import { api } from '../../app/api';
import { socketQuery } from '../../app/transport/page-token';

type ReadyState = 'connecting' | 'open' | 'closing' | 'closed';

/** What carries a console's bytes: a WebSocket or a MessagePort, seen the same way. */
interface Carrier {
  send(data: ArrayBuffer | Uint8Array | string): void;
  close(): void;
  on(event: 'open', listener: () => void): void;
  on(event: 'data', listener: (data: ArrayBuffer) => void): void;
  on(event: 'close', listener: (reason: string) => void): void;
}

function webSocketCarrier(socket: WebSocket): Carrier {
  socket.binaryType = 'arraybuffer';
  return {
    send: (data) => socket.readyState === WebSocket.OPEN && socket.send(data as ArrayBuffer),
    close: () => socket.close(1000),
    on: ((event: string, listener: (arg?: unknown) => void) => {
      if (event === 'open') socket.addEventListener('open', () => listener());
      if (event === 'data') socket.addEventListener('message', (e: MessageEvent) => e.data instanceof ArrayBuffer && listener(e.data));
      if (event === 'close') socket.addEventListener('close', (e) => listener(e.reason));
    }) as Carrier['on'],
  };
}

/** Electron: the backend posts ArrayBuffers, and { closed: reason } when the stream ends. */
function messagePortCarrier(port: MessagePort): Carrier {
  const closeListeners: Array<(reason: string) => void> = [];
  const dataListeners: Array<(data: ArrayBuffer) => void> = [];
  let closed = false;
  const end = (reason: string) => {
    if (closed) return;
    closed = true;
    port.close();
    closeListeners.forEach((l) => l(reason));
  };
  port.onmessage = (e: MessageEvent) => {
    if (e.data instanceof ArrayBuffer) dataListeners.forEach((l) => l(e.data as ArrayBuffer));
    else if (e.data instanceof Uint8Array) dataListeners.forEach((l) => l((e.data as Uint8Array).slice().buffer));
    else if (e.data && typeof e.data === 'object' && 'closed' in e.data) end(String((e.data as { closed: unknown }).closed));
  };
  return {
    send: (data) => !closed && port.postMessage(typeof data === 'string' ? data : data instanceof Uint8Array ? data.slice() : data),
    close: () => {
      if (!closed) port.postMessage({ closed: 'closed by the window' });
      end('');
    },
    on: ((event: string, listener: (arg?: unknown) => void) => {
      if (event === 'open') queueMicrotask(() => listener());
      if (event === 'data') dataListeners.push(listener as (d: ArrayBuffer) => void);
      if (event === 'close') closeListeners.push(listener as (r: string) => void);
    }) as Carrier['on'],
  };
}

export class ConsoleChannel {
  binaryType: BinaryType = 'arraybuffer';
  readonly protocol = '';
  readyState: ReadyState = 'connecting';
  onopen: ((e: Event) => void) | null = null;
  onmessage: ((e: { data: ArrayBuffer }) => void) | null = null;
  onclose: ((e: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  /** Bytes that arrived before a consumer set onmessage (replayed to it once). */
  private early: ArrayBuffer[] = [];
  private readonly waiting = new Set<{ resolve(): void; reject(err: Error): void; dataFirst: boolean }>();

  constructor(private readonly carrier: Carrier) {
    carrier.on('open', () => {
      for (const w of this.waiting) if (!w.dataFirst) (this.markOpen(), w.resolve());
    });
    carrier.on('data', (data) => {
      if (this.readyState === 'connecting') this.markOpen();
      for (const w of this.waiting) w.resolve();
      if (this.onmessage) this.onmessage({ data });
      else this.early.push(data);
    });
    carrier.on('close', (reason) => {
      this.readyState = 'closed';
      for (const w of this.waiting) w.reject(new Error(reason || 'The console closed before it started'));
      this.onclose?.({ code: 1000, reason, wasClean: true });
    });
  }

  /** Resolves once the server side sent its first bytes (a VNC server speaks first), or, with
   *  `dataFirst` false, once the stream is open. Rejects with the reason when it closes first. */
  ready(dataFirst: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const w = {
        dataFirst,
        resolve: () => (this.waiting.delete(w), resolve()),
        reject: (err: Error) => (this.waiting.delete(w), reject(err)),
      };
      this.waiting.add(w);
    });
  }

  /** Hand the bytes that came before the consumer was attached to it. */
  flush(): void {
    const early = this.early.splice(0);
    queueMicrotask(() => early.forEach((data) => this.onmessage?.({ data })));
  }

  private markOpen(): void {
    if (this.readyState !== 'connecting') return;
    this.readyState = 'open';
    this.onopen?.(new Event('open'));
  }

  send(data: ArrayBuffer | Uint8Array | string): void {
    if (this.readyState === 'open') this.carrier.send(data);
  }

  control(message: ConsoleControl): void {
    this.send(JSON.stringify(message));
  }

  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closing';
    this.carrier.close();
  }
}

/** The browser-mode URL of a console stream. */
export function consoleSocketUrl(consoleId: string, size?: { cols: number; rows: number }): string {
  const url = new URL('console', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = socketQuery({ id: consoleId, ...(size && { cols: String(size.cols), rows: String(size.rows) }) });
  return url.toString();
}

/** Electron: the preload posts the console's MessagePort to the window (see VirtDeckApi.attachConsole). */
function electronPort(consoleId: string, size: { cols: number; rows: number } | undefined, attach: NonNullable<VirtDeckApi['attachConsole']>): Promise<MessagePort> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (window.removeEventListener('message', onMessage), reject(new Error('The console did not start'))), 10_000);
    function onMessage(e: MessageEvent): void {
      if (e.source !== window || e.origin !== location.origin || (e.data as { virtdeckConsole?: unknown })?.virtdeckConsole !== consoleId || !e.ports[0]) return;
      window.removeEventListener('message', onMessage);
      clearTimeout(timer);
      resolve(e.ports[0]);
    }
    window.addEventListener('message', onMessage);
    attach(consoleId, size);
  });
}

export class ConsoleOpenError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Ask the backend for a console and connect to its stream. */
export async function connectConsole(
  params: { hostId: string; name?: string; driver?: VmDriver; kind: ConsoleKind },
  size?: { cols: number; rows: number },
): Promise<{ channel: ConsoleChannel; ticket: ConsoleTicket }> {
  const outcome = await api.call('console.open', params);
  if (!outcome.ok) throw new ConsoleOpenError(outcome.error.code, outcome.error.message);
  const { consoleId } = outcome.value;
  const attach = window.virtdeck?.attachConsole;
  const carrier = attach ? messagePortCarrier(await electronPort(consoleId, size, attach)) : webSocketCarrier(new WebSocket(consoleSocketUrl(consoleId, size)));
  const channel = new ConsoleChannel(carrier);
  // A VNC server and virsh console speak first; a shell may wait for a key.
  await channel.ready(params.kind !== 'shell');
  return { channel, ticket: outcome.value };
}
