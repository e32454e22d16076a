// One SSH connection per hypervisor. Every virsh command and long-lived stream of that host rides
// on it; channels are budgeted under sshd's MaxSessions, and a dropped link is retried with backoff.
import { EventEmitter } from 'node:events';
// ssh2 honours `agentForward` per exec (it forwards the client's `agent`); its types lack it.
import type { Client as SshClient, ClientChannel, ExecOptions } from 'ssh2';
import type { SessionState } from '../../../shared/contract/index.js';
import { buildCommand } from '../exec/command.js';
import { noteCommand } from '../exec/command-log.js';
import { lineSplitter } from '../exec/lines.js';
import type { ExecResult, ExecStream, Session, StreamHandle } from '../exec/session.js';
import { dial, describeNetworkError, factsOf, type ClientFacts, type DialContext } from './dial.js';
import { Semaphore } from './semaphore.js';
import type { ResolvedHost } from './target.js';

/** sshd's default MaxSessions is 10; keep one in reserve for the server's own accounting races. */
const CHANNEL_BUDGET = 9;
const CHANNEL_RETRIES = 5;

/** How a channel is asked of ssh2: exec, shell or forwardOut, handing the channel to `done`. */
type Opener = (client: SshClient, done: (err: Error | undefined, channel: ClientChannel) => void) => void;

/** The command's exit as the server reported it (code null: it sent none, or a signal). */
interface ChannelExit {
  code: number | null;
  signal?: string;
}

const execOpener =
  (command: string, options: ExecOptions = {}): Opener =>
  (client, done) =>
    client.exec(command, options, done);
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 15_000;

export class SshSession extends EventEmitter<{ state: [state: SessionState, error: string | undefined] }> implements Session {
  /** The target's client is the last; jump hosts come before it. */
  private chain: SshClient[] = [];
  private channels = new Semaphore(CHANNEL_BUDGET);
  private wanted = false;
  private retryTimer?: NodeJS.Timeout;
  private backoffMs = FIRST_BACKOFF_MS;
  state: SessionState = 'disconnected';
  lastError?: string;

  constructor(
    private readonly host: ResolvedHost,
    private readonly ctx: DialContext,
  ) {
    super();
  }

  private get client(): SshClient | undefined {
    return this.chain.at(-1);
  }

  /** Connect and stay connected (reconnecting after a lost link) until disconnect(). */
  connect(): Promise<void> {
    this.wanted = true;
    clearTimeout(this.retryTimer);
    return this.open();
  }

  disconnect(): void {
    this.wanted = false;
    clearTimeout(this.retryTimer);
    this.closeChain();
    this.setState('disconnected', undefined);
  }

  private closeChain(): void {
    const chain = this.chain;
    this.chain = [];
    for (const c of chain.reverse()) c.end();
  }

  private setState(state: SessionState, error: string | undefined): void {
    this.state = state;
    this.lastError = error;
    this.emit('state', state, error);
  }

  private async open(): Promise<void> {
    // A host that was online and dropped stays "offline" while it is retried.
    this.setState(this.state === 'offline' ? 'offline' : 'connecting', this.lastError);
    let chain: SshClient[];
    try {
      chain = await dial(this.host, this.ctx);
    } catch (err) {
      const message = (err as Error).message;
      // A refused host key, a declined prompt or failed authentication will not fix itself.
      const permanent = /HOST IDENTIFICATION|REVOKED|revoked|StrictHostKeyChecking is yes|cannot be checked against known_hosts|not accepted|Authentication (failed|cancelled)|Could not save/.test(message);
      if (!this.wanted) throw err;
      this.setState(permanent ? 'disconnected' : 'offline', message);
      if (!permanent) this.scheduleRetry();
      throw err;
    }
    if (!this.wanted) {
      for (const c of chain) c.end();
      return;
    }
    this.chain = chain;
    const client = chain.at(-1)!;
    client.on('error', (err: Error) => (this.lastError = describeNetworkError(err, `${this.host.hostName}:${this.host.port}`)));
    client.on('close', () => {
      if (this.client !== client) return;
      this.closeChain();
      if (!this.wanted) return;
      this.setState('offline', this.lastError ?? 'Connection closed');
      this.scheduleRetry();
    });
    this.backoffMs = FIRST_BACKOFF_MS;
    this.setState('online', undefined);
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.wanted) this.open().catch(() => undefined);
    }, this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
  }

  /** Reconnect now instead of at the next backoff step (the person pressed Connect). */
  retryNow(): Promise<void> {
    if (this.state === 'online' || this.state === 'connecting') return Promise.resolve();
    clearTimeout(this.retryTimer);
    this.backoffMs = FIRST_BACKOFF_MS;
    return this.connect();
  }

  /** Open a channel, waiting for a free slot and retrying when the server refuses one. */
  private async openChannel(open: Opener): Promise<{ channel: ClientChannel; release: () => void; exit: ChannelExit }> {
    for (let attempt = 0; ; attempt++) {
      const release = await this.channels.acquire();
      const client = this.client;
      if (!client || this.state !== 'online') {
        release();
        throw new Error(`Not connected to ${this.host.alias}${this.lastError ? `: ${this.lastError}` : ''}`);
      }
      try {
        const { channel, exit } = await new Promise<{ channel: ClientChannel; exit: ChannelExit }>((resolve, reject) =>
          open(client, (err, channel) => {
            if (err) return reject(err);
            // Listened for at once: ssh2 can read a quick command's exit-status in the same chunk
            // as the channel's confirmation, and emits it before any later listener exists (its
            // output waits in the stream; the exit event does not) — the status would be lost.
            const exit: ChannelExit = { code: null };
            channel.on('exit', (code: number | null, signal?: string) => {
              exit.code = code;
              if (signal) exit.signal = signal;
            });
            resolve({ channel, exit });
          }),
        );
        return { channel, release, exit };
      } catch (err) {
        release();
        const refused = /open failed|Channel open failure|No free channels/i.test((err as Error).message);
        if (!refused || attempt >= CHANNEL_RETRIES) throw err;
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  }

  get commandLogId(): string {
    return this.ctx.hostId;
  }

  /** Run a command (argv, quoted by buildCommand) and collect its output. `stdin` is written and closed. */
  async exec(argv: readonly string[], options: { stdin?: string } = {}): Promise<ExecResult> {
    const opened = await this.openChannel(execOpener(buildCommand(argv)));
    return this.collect(opened, options.stdin, noteCommand(this.ctx.hostId, argv, options.stdin));
  }

  /** Who VirtDeck logs in as there, and on which port (another host's virsh logs in alike). */
  get login(): { user: string; port: number; alias: string } {
    return { user: this.host.user, port: this.host.port, alias: this.host.alias };
  }

  /** The host key VirtDeck verified for this host, and the agent that can lend the key it logged
   *  in with; undefined while not connected. */
  loginFacts(): ClientFacts | undefined {
    return this.client && factsOf(this.client);
  }

  /** exec(), with VirtDeck's agent forwarded for this one command (ssh2 agent forwarding) and
   *  armed while it runs: the command can log in to another host as the person, and no key file
   *  is ever written on this host (forward-agent.ts). */
  async execLendingKey(argv: readonly string[], options: { stdin?: string } = {}): Promise<ExecResult> {
    const agent = this.loginFacts()?.agent;
    if (!agent || agent.credential === 'none') throw new Error(`VirtDeck logged in to ${this.host.alias} without a key: it has none to lend`);
    const command = buildCommand(argv);
    const disarm = agent.arm();
    try {
      const opened = await this.openChannel(execOpener(command, { agentForward: true } as ExecOptions));
      return await this.collect(opened, options.stdin, noteCommand(this.ctx.hostId, argv, options.stdin));
    } finally {
      disarm();
    }
  }

  private collect({ channel, release, exit }: { channel: ClientChannel; release: () => void; exit: ChannelExit }, stdin: string | undefined, ended: (code: number | null) => void): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      channel.on('data', (d: Buffer) => stdout.push(d));
      channel.stderr.on('data', (d: Buffer) => stderr.push(d));
      channel.on('close', () => {
        release();
        ended(exit.code);
        resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), code: exit.code, ...(exit.signal ? { signal: exit.signal } : {}) });
      });
      channel.end(stdin ?? '');
    });
  }

  /** An interactive channel on a pty: `argv` (quoted by buildCommand), or the login shell when
   *  null. It holds a slot of the channel budget until it closes. */
  async openPty(argv: readonly string[] | null, size: { cols: number; rows: number }): Promise<ClientChannel> {
    const command = argv && buildCommand(argv);
    const pty = { term: 'xterm-256color', cols: size.cols, rows: size.rows, width: 0, height: 0 };
    const { channel, release } = await this.openChannel((client, done) => (command ? client.exec(command, { pty }, done) : client.shell(pty, done)));
    channel.once('close', release);
    return channel;
  }

  /** A TCP stream from the host to `address:port` (e.g. a VNC server on its loopback), through
   *  this connection (ssh2 forwardOut). It holds a slot of the channel budget until it closes. */
  async forwardOut(address: string, port: number): Promise<ClientChannel> {
    const { channel, release } = await this.openChannel((client, done) => client.forwardOut('127.0.0.1', 0, address, port, done));
    channel.once('close', release);
    return channel;
  }

  /** A long-lived command whose stdout is delivered line by line; `onEnd` runs when it stops. */
  async streamLines(argv: readonly string[], onLine: (line: string) => void, onEnd: (error?: string) => void): Promise<StreamHandle> {
    const { channel, release, exit } = await this.openChannel(execOpener(buildCommand(argv)));
    const ended = noteCommand(this.ctx.hostId, argv);
    let stderr = '';
    channel.on('data', lineSplitter(onLine));
    channel.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    channel.on('close', () => {
      release();
      ended(exit.code);
      onEnd(stderr.trim() || undefined);
    });
    channel.end();
    return { close: () => channel.close() };
  }

  /** A command with streamed stdin/stdout (a volume's bytes): the channel itself is both, so
   *  ssh2's window gives the back-pressure — a full window makes write() return false, and an
   *  unread stdout stops the window from being renewed. Holds a channel slot until it closes. */
  async execStream(argv: readonly string[]): Promise<ExecStream> {
    const { channel, release, exit } = await this.openChannel(execOpener(buildCommand(argv)));
    const ended = noteCommand(this.ctx.hostId, argv);
    let stderr = '';
    channel.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-8192)));
    // A write after the far end went away is an error of the stream, seen by whoever pipes it.
    channel.on('error', () => undefined);
    const done = new Promise<ExecResult>((resolve) =>
      channel.once('close', () => {
        release();
        ended(exit.code);
        resolve({ stdout: '', stderr, code: exit.code, ...(exit.signal ? { signal: exit.signal } : {}) });
      }),
    );
    return {
      stdin: channel,
      stdout: channel,
      stderr: channel.stderr,
      done,
      abort: () => {
        // The command is the channel's own process (buildCommand execs it), so the signal reaches
        // it; an sshd that ignores signal requests still closes its stdio with the channel.
        try {
          channel.signal('TERM');
        } catch {
          /* channel already closing */
        }
        channel.close();
      },
    };
  }
}
