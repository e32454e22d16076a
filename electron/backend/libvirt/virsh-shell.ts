// One long-lived virsh per host: its interactive shell (`virsh -q -c URI`, commands read on
// stdin) on one channel of the host's connection. A small command then costs a line written and
// its answer read back — not a channel, a shell, a virsh process and a libvirt connection each.
//
// Framing. virsh's shell drops each command's exit status, and readline echoes every typed line
// on stdout. So a command goes as two lines (S, E, P are markers, below):
//   A:  echo S ; COMMAND ; echo --err E ; echo E
//   B:  echo --err P ; echo P
// A marker is `<nonce>.<kind>.<seq>.` with a random 128-bit nonce per shell that nothing shows or
// logs, so no output — a VM name, a description, an error quoting either — can hold it. It is
// typed with a quote in the middle (`'<half>'<half>.e.7.`): the echo of a typed line therefore
// never holds the nonce whole; only the `echo` command's own output does. virsh runs a line only
// when all of it parses, so a COMMAND that does not parse (an option this virsh lacks) prints its
// parse error and nothing of line A; line B ends every command either way.
//   stdout: the command's output is what lies between S and E (exactly: with -q virsh adds no
//           newline after a command, and `echo` prints none).
//   stderr: what comes before `error: E` (echo --err prints through virsh's error path), or
//           before `error: P` when line A did not parse.
// A command failed when it did not parse or printed an `error: ` line — virsh's own rule: when a
// command returns false, it reports libvirt's error (vshReportError). Lines from virsh's event
// thread (`Disconnected from … due to …`, `Reconnected to the hypervisor`) do not fail a command.
// Commands that print `error:` lines when they succeed (undefine --storage), read stdin or run
// long are never sent here (Virsh decides; see virsh.ts).
//
// One command at a time is written; the next waits. One that has not been written yet is never
// lost: when the shell is slow (a command running longer than slowMs) or ends, waiting commands
// are handed back ('declined') to run on the exec path. A command written when the shell ended
// is 'lost': it may or may not have run, and only the caller knows whether it may run again.
import { randomBytes } from 'node:crypto';
import { virshShellWords } from '../exec/virsh-shell-line.js';
import type { CommandSession, ExecResult, ExecStream } from '../exec/session.js';
import { ShellOutput } from './shell-output.js';

export type ShellOutcome =
  | { kind: 'done'; result: ExecResult }
  /** It never reached virsh (shell not up, busy with a slow command, or ended first): run it another way. */
  | { kind: 'declined' }
  /** It was written, and the shell ended before answering: it may or may not have run. */
  | { kind: 'lost'; reason: string };

export interface VirshShellOptions {
  /** A command running longer than this hands the waiting ones back to the exec path. */
  slowMs?: number;
  /** How long the shell may take to start and answer its first line. */
  startTimeoutMs?: number;
}

/** Commands that would change the shell itself (leave it, move it, connect it elsewhere). */
const SHELL_BUILTINS = new Set(['quit', 'exit', 'cd', 'connect', 'echo', 'pwd']);
/** Typed lines are read byte by byte by readline: a very long one is cheaper as argv. */
const MAX_WORDS = 4096;
/** Waits before starting again after the shell ended, by how often it ended in a row. */
const RESTART_MS = [0, 1000, 5000, 30_000];
/** Sent at start: non-ASCII text read back unchanged means such names may be typed here. */
const UNICODE_PROBE = 'ü虚🙂';
/** Printed by virsh's event thread at any moment; not a command's failure. */
const ASYNC_LINE = /^error: (?:Disconnected from \S+ due to [^\n]*|Reconnected to the hypervisor)$/;

interface Pending {
  args: readonly string[];
  words: string;
  resolve: (outcome: ShellOutcome) => void;
}

export class VirshShell {
  private stream?: ExecStream;
  private state: 'down' | 'starting' | 'ready' | 'closed' = 'down';
  private starting?: Promise<void>;
  private nonce: [string, string] = ['', ''];
  private seq = 0;
  private readonly out = new ShellOutput();
  private readonly err = new ShellOutput();
  /** Called when both streams have shown the marker they watch. */
  private onMarks?: () => void;
  private current?: Pending & { sentAt: number };
  private queue: Pending[] = [];
  private slowTimer?: NodeJS.Timeout;
  private endings = 0;
  private notBefore = 0;
  /** The host's process id of this virsh (for diagnostics and tests that end it on purpose). */
  pid?: number;
  /** Whether non-ASCII arguments reach virsh intact through readline here. */
  unicode = false;
  private readonly slowMs: number;
  private readonly startTimeoutMs: number;

  constructor(
    private readonly session: CommandSession,
    /** `virsh -q -c URI`: the same program and connection as the exec path's commands. */
    private readonly virshArgv: readonly string[],
    options: VirshShellOptions = {},
  ) {
    this.slowMs = options.slowMs ?? 300;
    this.startTimeoutMs = options.startTimeoutMs ?? 10_000;
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  /** Start the shell unless it is up or starting; `now` skips the wait after it ended (the
   *  connection came back). Never rejects: a shell that cannot start leaves commands on exec. */
  start(now = false): Promise<void> {
    if (this.state === 'closed' || this.state === 'ready') return Promise.resolve();
    if (this.starting) return this.starting;
    if (now) this.notBefore = 0;
    if (Date.now() < this.notBefore) return Promise.resolve();
    this.starting = this.spawn().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** End the shell for good (the host is disconnected); a command in flight is lost. */
  close(): void {
    this.state = 'closed';
    this.stop('the connection was closed');
  }

  /** Run one virsh command (args without the program and URI) in the shell. */
  run(args: readonly string[]): Promise<ShellOutcome> {
    const words = virshShellWords(args);
    const slow = this.current && Date.now() - this.current.sentAt > this.slowMs;
    const typeable = words !== null && words.length <= MAX_WORDS && !SHELL_BUILTINS.has(args[0]!) && (this.unicode || /^[\x20-\x7e]*$/.test(words));
    if (this.state !== 'ready' || slow || !typeable) {
      if (this.state === 'down') void this.start();
      return Promise.resolve({ kind: 'declined' });
    }
    return new Promise((resolve) => {
      this.queue.push({ args, words: words!, resolve });
      this.pump();
    });
  }

  private marker(kind: string, seq: number): { printed: string; typed: string } {
    const [a, b] = this.nonce;
    return { printed: `${a}${b}.${kind}.${seq}.`, typed: `'${a}'${b}.${kind}.${seq}.` };
  }

  private async spawn(): Promise<void> {
    this.state = 'starting';
    this.nonce = [randomBytes(8).toString('hex'), randomBytes(8).toString('hex')];
    this.seq = 0;
    this.out.clear();
    this.err.clear();
    let stream: ExecStream;
    try {
      // readline: no user or system inputrc (no key bindings of theirs), no terminal to drive,
      // no history kept or written (the lines hold VM names; the user's own virsh history stays
      // untouched). `echo $$` first: exec keeps the process id, so it is virsh's.
      const env = ['env', 'INPUTRC=/dev/null', 'TERM=dumb', 'VIRSH_HISTSIZE=0', 'XDG_CACHE_HOME=/dev/null'];
      stream = await this.session.execStream([...env, 'sh', '-c', 'echo $$; exec "$@"', 'sh', ...this.virshArgv]);
    } catch (err) {
      return this.ended(`the shell could not start: ${(err as Error).message}`);
    }
    // close() may have come while the channel opened.
    if ((this.state as string) === 'closed') return stream.abort();
    this.stream = stream;
    stream.stdout.on('data', (d: Buffer) => this.received(this.out, d));
    stream.stderr.on('data', (d: Buffer) => this.received(this.err, d));
    void stream.done.then((r) => {
      const how = r.signal ? ` by signal ${r.signal}` : r.code !== null ? ` with status ${r.code}` : '';
      if (this.stream === stream) this.ended(`the host's virsh ended${how}`);
    });
    const first = this.marker('h', 0);
    const second = this.marker('h', 1);
    const answered = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.startTimeoutMs);
      this.out.watch(second.printed);
      this.err.watch(`error: ${first.printed}\n`);
      this.onMarks = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    stream.stdin.write(`echo --err ${first.typed} ; echo ${first.typed} ${UNICODE_PROBE} ${second.typed}\n`);
    if (!(await answered) || this.stream !== stream) {
      if (this.stream === stream) this.ended('virsh did not answer its first line');
      return;
    }
    const out = this.out.takeThroughMarker()!.toString('utf8');
    this.err.takeThroughMarker();
    this.pid = Number(/^(\d+)\n/.exec(out)?.[1]) || undefined;
    this.unicode = out.includes(`${first.printed} ${UNICODE_PROBE} ${second.printed}`);
    this.endings = 0;
    this.state = 'ready';
    this.pump();
  }

  private received(output: ShellOutput, chunk: Buffer): void {
    output.push(chunk);
    const done = this.onMarks;
    if (!done) return;
    // Both streams must have shown their marker; takeThroughMarker is only called by the waiter.
    if (this.out.hasMarker() && this.err.hasMarker()) {
      this.onMarks = undefined;
      done();
    }
  }

  private pump(): void {
    if (this.current || this.state !== 'ready' || !this.stream) return;
    const next = this.queue.shift();
    if (!next) return;
    const seq = ++this.seq;
    const s = this.marker('s', seq);
    const e = this.marker('e', seq);
    const p = this.marker('p', seq);
    this.current = { ...next, sentAt: Date.now() };
    this.out.watch(p.printed);
    this.err.watch(`error: ${p.printed}\n`);
    this.onMarks = () => this.finish(seq);
    clearTimeout(this.slowTimer);
    this.slowTimer = setTimeout(() => this.declineWaiting(), this.slowMs);
    this.stream.stdin.write(`echo ${s.typed} ; ${next.words} ; echo --err ${e.typed} ; echo ${e.typed}\necho --err ${p.typed} ; echo ${p.typed}\n`);
  }

  /** The command of `seq` has answered on both streams: cut its output out of them. */
  private finish(seq: number): void {
    const current = this.current!;
    const stdout = this.out.takeThroughMarker()!;
    const stderr = this.err.takeThroughMarker()!.toString('utf8');
    const s = Buffer.from(this.marker('s', seq).printed);
    const e = Buffer.from(this.marker('e', seq).printed);
    const from = stdout.indexOf(s);
    const to = from < 0 ? -1 : stdout.indexOf(e, from + s.length);
    const parsed = to >= 0;
    const output = parsed ? stdout.subarray(from + s.length, to).toString('utf8') : '';
    const cut = stderr.indexOf(`error: ${this.marker('e', seq).printed}\n`);
    // What the command itself said: before its end marker; all of it (less line B's marker)
    // when line A did not parse.
    const said = (cut >= 0 ? stderr.slice(0, cut) : stderr.slice(0, stderr.length - `error: ${this.marker('p', seq).printed}\n`.length))
      .split('\n')
      .filter((l) => !ASYNC_LINE.test(l))
      .join('\n');
    const failed = !parsed || /^error: /m.test(said);
    this.current = undefined;
    clearTimeout(this.slowTimer);
    current.resolve({ kind: 'done', result: { stdout: output, stderr: said, code: failed ? 1 : 0 } });
    this.pump();
  }

  /** The running command is slow: what waits behind it runs elsewhere rather than wait. */
  private declineWaiting(): void {
    for (const waiting of this.queue.splice(0)) waiting.resolve({ kind: 'declined' });
  }

  /** The shell ended by itself (virsh died, the channel closed): start again later, not at once
   *  when it keeps ending. */
  private ended(reason: string): void {
    if (this.state === 'closed') return;
    this.endings++;
    this.notBefore = Date.now() + RESTART_MS[Math.min(this.endings, RESTART_MS.length - 1)]!;
    this.stop(reason);
  }

  private stop(reason: string): void {
    const stream = this.stream;
    this.stream = undefined;
    this.onMarks = undefined;
    this.pid = undefined;
    clearTimeout(this.slowTimer);
    if (this.state !== 'closed') this.state = 'down';
    const current = this.current;
    this.current = undefined;
    current?.resolve({ kind: 'lost', reason });
    this.declineWaiting();
    this.out.clear();
    this.err.clear();
    stream?.abort();
  }
}
