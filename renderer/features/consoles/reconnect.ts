// One console's life: open, and when the stream drops (link cut, host reconnecting, VM restarted)
// open again on its own, backing off to a few seconds. Stops for good only on answers that
// retrying cannot change (a SPICE-only VM, no display) or when the view goes away.
import { type MutableRefObject, useCallback, useEffect, useRef } from 'react';
import { useFleet } from '../../store/fleet';
import { ConsoleOpenError } from './console-channel';

/** Calls `retryNow` whenever the host's SSH session comes back online (HostSession's 'state',
 *  pushed as host.status) or the VM starts running, so a console reopens as soon as it can
 *  rather than at its next try. */
export function useRetryWhenHostOnline(hostId: string, retryNow: () => void, vmName?: string): void {
  const state = useFleet((s) => s.hosts[hostId]?.state);
  const vmState = useFleet((s) => (vmName === undefined ? undefined : s.vmsByHost[hostId]?.find((v) => v.name === vmName)?.state));
  useEffect(() => {
    if (state === 'online' && (vmName === undefined || vmState === 'running')) retryNow();
  }, [state, vmState, vmName, retryNow]);
}

/** A console's "open again now": its effect sets it, and it runs when the host or the VM is back. */
export function useReopenWhenBack(hostId: string, vmName?: string): MutableRefObject<() => void> {
  const retry = useRef<() => void>(() => undefined);
  useRetryWhenHostOnline(hostId, useCallback(() => retry.current(), []), vmName);
  return retry;
}

export type ConsoleStatus =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'disconnected'; reason?: string }
  /** The VNC server refused the password (or asked for one the XML did not have): waiting for the person. */
  | { kind: 'needs-password' }
  /** Retrying will not help: say why (and what to do). */
  | { kind: 'unavailable'; code: string; message: string };

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 4000;
const FINAL_CODES = new Set(['spice-only', 'vnc-only', 'no-display', 'unsupported', 'invalid-input', 'not-found']);

/** `attempt` connects and resolves with a promise that settles (with why) when that connection
 *  ends, and a way to close it. */
export function keepConsoleOpen(
  attempt: () => Promise<{ ended: Promise<string | undefined>; close(): void }>,
  onStatus: (s: ConsoleStatus) => void,
): { stop(): void; retryNow(): void } {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = FIRST_DELAY_MS;
  let closeCurrent: (() => void) | undefined;

  const retry = (reason?: string) => {
    if (stopped) return;
    onStatus({ kind: 'disconnected', reason });
    timer = setTimeout(() => {
      timer = undefined;
      void run();
    }, delay);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  };

  async function run(): Promise<void> {
    if (stopped) return;
    onStatus({ kind: 'connecting' });
    try {
      const { ended, close } = await attempt();
      if (stopped) return close();
      closeCurrent = close;
      delay = FIRST_DELAY_MS;
      onStatus({ kind: 'connected' });
      const reason = await ended;
      closeCurrent = undefined;
      retry(reason);
    } catch (err) {
      if (stopped) return;
      if (err instanceof ConsoleOpenError && FINAL_CODES.has(err.code)) onStatus({ kind: 'unavailable', code: err.code, message: err.message });
      else retry((err as Error).message);
    }
  }

  void run();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      closeCurrent?.();
    },
    /** The host is back online: skip the rest of the backoff. */
    retryNow() {
      if (stopped || timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      delay = FIRST_DELAY_MS;
      void run();
    },
  };
}

const STATUS_TEXT: Record<ConsoleStatus['kind'], string> = {
  connecting: 'connecting…',
  connected: 'connected',
  disconnected: 'disconnected – reconnecting…',
  unavailable: 'unavailable',
  'needs-password': 'password needed',
};

export const statusText = (s: ConsoleStatus): string => STATUS_TEXT[s.kind];
