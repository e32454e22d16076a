// What a call ran on the hosts: each command line as the admin could type it (secrets masked),
// the host, and how it ended. Carried back with the call's outcome, so the task that made the
// call can show the exact virsh lines behind it.

export interface CommandRecord {
  hostId: string;
  /** The command as a POSIX sh line (quoted as it was run), secrets masked. */
  line: string;
  /** Bytes written to its stdin (XML goes there, never on the command line). */
  stdinBytes?: number;
  /** Epoch ms when it started. */
  startedAt: number;
  /** Its exit status; null when it ended without one; absent while it still runs (a stream). */
  exit?: number | null;
  durationMs?: number;
}
