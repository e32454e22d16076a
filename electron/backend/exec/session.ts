// The one command interface of a host connection. The SSH session (ssh/) and the local session
// (local-session.ts) implement it; libvirt/ runs virsh and scripts through nothing else.
import type { Readable, Writable } from 'node:stream';
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

/** A command whose stdin and stdout are byte streams (a volume's bytes in or out), for data too
 *  large to hold: write `stdin` with back-pressure (write() false → wait for 'drain') and end it;
 *  read `stdout` as it comes. `done` settles when the command has ended, with its exit status and
 *  stderr (its stdout went to the stream). */
export interface ExecStream {
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** Its stderr as it comes (its last 8 KiB are also in `done`'s result). */
  readonly stderr: Readable;
  readonly done: Promise<ExecResult>;
  /** End the command now (cancel): SIGTERM where the host honours it, then its stdio closes. */
  abort(): void;
}

/** What Virsh, the inventory and the host page need of a connection, local or over SSH. */
export interface CommandSession {
  /** Whose command log (exec/command-log.ts) the commands go to: the host's id. */
  readonly commandLogId?: string;
  /** Run a command (an argument vector, program first) and collect its output. `stdin` is written and closed. */
  exec(argv: readonly string[], options?: { stdin?: string }): Promise<ExecResult>;
  /** A long-lived command whose stdout is delivered line by line; `onEnd` runs when it stops. */
  streamLines(argv: readonly string[], onLine: (line: string) => void, onEnd: (error?: string) => void): Promise<StreamHandle>;
  /** A command (argv, quoted like exec's) with streamed stdin and stdout: see ExecStream. */
  execStream(argv: readonly string[]): Promise<ExecStream>;
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
