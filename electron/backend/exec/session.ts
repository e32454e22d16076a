// The one command interface of a host connection. The SSH session (ssh/) and the local session
// (local-session.ts) implement it; libvirt/ runs virsh and scripts through nothing else.
import type { SessionState } from '../../../shared/contract/index.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** null when the command ended without an exit status (killed by a signal, or its channel closed). */
  code: number | null;
  /** The signal that ended it, when the host said so (e.g. 'SIGTERM'). */
  signal?: string;
}

/** A command that ran and failed; its message is what the command said. */
export class RemoteCommandError extends Error {
  constructor(message: string, readonly result: ExecResult) {
    super(message);
  }
}

export interface StreamHandle {
  close(): void;
}

/** What Virsh, the inventory and the host page need of a connection, local or over SSH. */
export interface CommandSession {
  /** Run a command (an argument vector, program first) and collect its output. `stdin` is written and closed. */
  exec(argv: readonly string[], options?: { stdin?: string }): Promise<ExecResult>;
  /** A long-lived command whose stdout is delivered line by line; `onEnd` runs when it stops. */
  streamLines(argv: readonly string[], onLine: (line: string) => void, onEnd: (error?: string) => void): Promise<StreamHandle>;
}

/** A connection that comes and goes: its state, and the means to open and close it. */
export interface Session extends CommandSession {
  readonly state: SessionState;
  readonly lastError?: string;
  /** Connect and stay connected until disconnect(); rejects when the first attempt fails. */
  connect(): Promise<void>;
  disconnect(): void;
  /** Try again now instead of waiting for the next scheduled retry. */
  retryNow(): Promise<void>;
  on(event: 'state', listener: (state: SessionState, error: string | undefined) => void): this;
  removeAllListeners(): this;
}
