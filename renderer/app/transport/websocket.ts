// Browser mode's transport: the contract over one WebSocket to the local web host, authorised by
// the per-run token the page was opened with (page-token.ts) and the host's cookie.
import type { BackendEvent, ClientFrame, Method, Outcome, Params, Result, ServerFrame, VirtDeckApi } from '../../../shared/contract';
import { socketQuery } from './page-token';

const RECONNECT_MS = 1000;

export function createWebSocketApi(): VirtDeckApi {
  const listeners = new Set<(e: BackendEvent) => void>();
  const pending = new Map<number, (outcome: Outcome<unknown>) => void>();
  let nextId = 1;
  let socket: WebSocket;
  let opened: Promise<void>;

  function open(): void {
    const url = new URL('ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = socketQuery();
    socket = new WebSocket(url);
    opened = new Promise((resolve) => socket.addEventListener('open', () => resolve(), { once: true }));
    socket.addEventListener('message', (msg) => {
      const frame = JSON.parse(String(msg.data)) as ServerFrame;
      if ('event' in frame) {
        listeners.forEach((l) => l(frame.event));
      } else {
        pending.get(frame.id)?.(frame.outcome);
        pending.delete(frame.id);
      }
    });
    socket.addEventListener('close', () => {
      // The web host went away: fail what was in flight, then try again.
      for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'transport', message: 'Connection to the VirtDeck backend was lost' } });
      pending.clear();
      setTimeout(open, RECONNECT_MS);
    });
  }
  open();

  return {
    async call<M extends Method>(method: M, params: Params<M>): Promise<Outcome<Result<M>>> {
      await opened;
      const id = nextId++;
      const frame: ClientFrame = { id, method, params };
      return new Promise((resolve) => {
        pending.set(id, resolve as (o: Outcome<unknown>) => void);
        socket.send(JSON.stringify(frame));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
