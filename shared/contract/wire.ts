// What travels between the processes: the browser-mode WebSocket frames, the Electron IPC
// channels, and the messages between Electron's main process and the backend's utility process.
// Method names in these messages are not trusted: the backend's dispatcher checks them.
import type { BackendEvent } from './events';
import type { Method, Outcome } from './methods';

// Wire frames for the WebSocket transport (Electron IPC carries the same payloads).
export type ClientFrame = { id: number; method: Method; params: unknown };
export type ServerFrame = { id: number; outcome: Outcome<unknown> } | { event: BackendEvent };

/** Electron IPC channel names, shared by main and preload. */
export const IPC = { call: 'virtdeck:call', event: 'virtdeck:event', console: 'virtdeck:console', pickFile: 'virtdeck:pick-file' } as const;

// ---- main <-> backend utility process (structured-cloned by Electron) -------------------------
//   main -> backend: BackendRequest | BackendControl | KeychainReply | ConsoleAttachMessage
//   backend -> main: ServerFrame | KeychainRequest

/** A contract call relayed from a window; `method` is as the window sent it. */
export type BackendRequest = { id: number; method: unknown; params: unknown };
export type BackendControl = { shutdown: true };

/** The OS keychain lives in the main process (Electron's safeStorage): the backend asks it. */
export type KeychainRequest = { keychain: 'get' | 'set' | 'delete'; reqId: number; key: string; value?: string };
export type KeychainReply = { keychainReply: number; value?: string; error?: string };

/** Sent with one end of a console's MessageChannel: the one-time console id it must spend. */
export interface ConsoleAttachMessage {
  consoleAttach: string;
  size?: { cols: number; rows: number };
}

export const isConsoleAttach = (msg: unknown): msg is ConsoleAttachMessage =>
  typeof msg === 'object' && msg !== null && typeof (msg as ConsoleAttachMessage).consoleAttach === 'string';

export type ToBackend = BackendRequest | BackendControl | KeychainReply | ConsoleAttachMessage;
export type FromBackend = ServerFrame | KeychainRequest;
