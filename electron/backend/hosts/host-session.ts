// One SSH connection per hypervisor. Every virsh command and long-lived stream of that host rides
// on it; channels are budgeted under sshd's MaxSessions, and a dropped link is retried with backoff.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import ssh2, { type AnyAuthMethod, type Client as SshClient, type ClientChannel, type ConnectConfig } from 'ssh2';
import { buildCommand } from '../libvirt/command.js';
import { checkHostKey, hostKeyName, parseKnownHosts, type KnownHostLine } from './known-hosts.js';
import { Semaphore } from './semaphore.js';
import type { ResolvedHost } from './target.js';
import type { ConnectionState } from '../../../shared/contract/index.js';

// ssh2 is CommonJS; Node's ESM loader cannot see its named exports, the default export has them all.
const { Client, utils } = ssh2;

/** sshd's default MaxSessions is 10; keep one in reserve for the server's own accounting races. */
const CHANNEL_BUDGET = 9;
const CHANNEL_RETRIES = 5;
const MAX_BACKOFF_MS = 15_000;

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export class RemoteCommandError extends Error {
  constructor(message: string, readonly result: ExecResult) {
    super(message);
  }
}

export interface StreamHandle {
  close(): void;
}

export interface HostSessionEvents {
  state: [state: ConnectionState, error: string | undefined];
}

/** Say what went wrong in an admin's words, keeping the system's code for searching. */
function describeNetworkError(err: Error & { code?: string }, where: string): string {
  switch (err.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot resolve ${where.replace(/:\d+$/, '')} (${err.code})`;
    case 'ECONNREFUSED':
      return `Connection refused by ${where}: is sshd running there? (${err.code})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `No route to ${where} (${err.code})`;
    case 'ETIMEDOUT':
      return `Connection to ${where} timed out (${err.code})`;
  }
  if (/Timed out while waiting for handshake/.test(err.message)) return `No SSH answer from ${where} within 15 s`;
  if (/Keepalive timeout/i.test(err.message)) return `Lost the link to ${where}: no answer to keepalives`;
  return err.message;
}

export class HostSession extends EventEmitter<HostSessionEvents> {
  private client?: SshClient;
  private channels = new Semaphore(CHANNEL_BUDGET);
  private wanted = false;
  private retryTimer?: NodeJS.Timeout;
  private backoffMs = 1000;
  state: ConnectionState = 'disconnected';
  lastError?: string;

  constructor(private readonly host: ResolvedHost) {
    super();
  }

  /** Connect and stay connected (reconnecting on failure) until disconnect(). */
  connect(): Promise<void> {
    this.wanted = true;
    clearTimeout(this.retryTimer);
    return this.open();
  }

  disconnect(): void {
    this.wanted = false;
    clearTimeout(this.retryTimer);
    this.client?.end();
    this.client = undefined;
    this.setState('disconnected', undefined);
  }

  private setState(state: ConnectionState, error: string | undefined): void {
    this.state = state;
    this.lastError = error;
    this.emit('state', state, error);
  }

  private open(): Promise<void> {
    this.setState(this.state === 'offline' ? 'offline' : 'connecting', this.lastError);
    const client = new Client();
    this.client = client;
    let hostKeyProblem: string | undefined;
    const tried: string[] = [];

    return new Promise<void>((resolve, reject) => {
      let settled = false;
      client.on('ready', () => {
        settled = true;
        this.backoffMs = 1000;
        this.setState('online', undefined);
        resolve();
      });
      client.on('error', (err: Error & { level?: string }) => {
        let message = describeNetworkError(err, `${this.host.hostName}:${this.host.port}`);
        if (hostKeyProblem) message = hostKeyProblem;
        else if (err.level === 'client-authentication') message = `Authentication failed for ${this.host.user}@${this.host.hostName} (tried: ${tried.join(', ') || 'nothing'})`;
        this.lastError = message;
        if (!settled) {
          settled = true;
          reject(new Error(message));
        }
      });
      client.on('close', () => {
        if (this.client !== client) return;
        this.client = undefined;
        if (!this.wanted) return;
        // A refused host key or failed authentication will not fix itself by retrying.
        const permanent = hostKeyProblem !== undefined || /Authentication failed/.test(this.lastError ?? '');
        this.setState(permanent ? 'disconnected' : 'offline', this.lastError ?? 'Connection closed');
        if (!permanent) this.scheduleRetry();
      });

      let config: ConnectConfig;
      try {
        config = this.connectConfig(tried, (problem) => (hostKeyProblem = problem));
      } catch (err) {
        settled = true;
        this.setState('disconnected', (err as Error).message);
        reject(err);
        return;
      }
      client.connect(config);
    });
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.wanted) this.open().catch(() => undefined);
    }, this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
  }

  private connectConfig(tried: string[], onHostKeyProblem: (problem: string) => void): ConnectConfig {
    const h = this.host;
    const knownHosts: Array<KnownHostLine & { file: string }> = [];
    for (const file of h.knownHostsFiles) {
      try {
        knownHosts.push(...parseKnownHosts(readFileSync(file, 'utf8')).map((l) => ({ ...l, file })));
      } catch {
        // A missing known_hosts file only means no host is known yet.
      }
    }
    const names = [hostKeyName(h.hostName, h.port)];
    if (h.alias !== h.hostName) names.push(hostKeyName(h.alias, h.port));

    const auth: AnyAuthMethod[] = [];
    if (process.env.SSH_AUTH_SOCK && !h.identitiesOnly) {
      auth.push({ type: 'agent', username: h.user, agent: process.env.SSH_AUTH_SOCK });
      tried.push('agent');
    }
    for (const file of h.identityFiles) {
      let key: Buffer;
      try {
        key = readFileSync(file);
      } catch {
        continue;
      }
      const parsed = utils.parseKey(key);
      if (parsed instanceof Error) {
        tried.push(`${file} (skipped: ${parsed.message})`);
        continue;
      }
      auth.push({ type: 'publickey', username: h.user, key });
      tried.push(`publickey ${file}`);
    }

    return {
      host: h.hostName,
      port: h.port,
      username: h.user,
      readyTimeout: 15_000,
      keepaliveInterval: h.serverAliveIntervalMs,
      keepaliveCountMax: h.serverAliveCountMax,
      authHandler: auth,
      // ssh2 accepts any key when no verifier is set: this one is always set.
      hostVerifier: (key: Buffer) => {
        const verdict = checkHostKey(knownHosts, names, key);
        if (verdict.kind === 'trusted') return true;
        const where = (l: KnownHostLine) => `${(l as KnownHostLine & { file: string }).file}:${l.lineNumber}`;
        onHostKeyProblem(
          verdict.kind === 'unknown'
            ? `Unknown host key for ${names[0]} (${verdict.fingerprint}); it is not in ${h.knownHostsFiles.join(', ')}`
            : verdict.kind === 'revoked'
              ? `The host key of ${names[0]} (${verdict.fingerprint}) is revoked at ${where(verdict.line)}`
              : `WARNING: the host key of ${names[0]} has CHANGED (now ${verdict.fingerprint}); it does not match ${where(verdict.line)}. Refusing to connect.`,
        );
        return false;
      },
    };
  }

  /** Open a channel, waiting for a free slot and retrying when the server refuses one. */
  private async openChannel(command: string, pty: boolean): Promise<{ channel: ClientChannel; release: () => void }> {
    for (let attempt = 0; ; attempt++) {
      const client = this.client;
      if (!client || this.state !== 'online') throw new Error(`Not connected to ${this.host.alias}${this.lastError ? `: ${this.lastError}` : ''}`);
      const release = await this.channels.acquire();
      try {
        const channel = await new Promise<ClientChannel>((resolve, reject) =>
          client.exec(command, { pty }, (err, ch) => (err ? reject(err) : resolve(ch))),
        );
        return { channel, release };
      } catch (err) {
        release();
        const refused = /open failed|Channel open failure/i.test((err as Error).message);
        if (!refused || attempt >= CHANNEL_RETRIES) throw err;
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  }

  /** Run a command (argv, quoted by buildCommand) and collect its output. `stdin` is written and closed. */
  async exec(argv: readonly string[], options: { stdin?: string } = {}): Promise<ExecResult> {
    const { channel, release } = await this.openChannel(buildCommand(argv), false);
    return new Promise<ExecResult>((resolve) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let code: number | null = null;
      channel.on('data', (d: Buffer) => stdout.push(d));
      channel.stderr.on('data', (d: Buffer) => stderr.push(d));
      channel.on('exit', (c: number | null) => (code = c));
      channel.on('close', () => {
        release();
        resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), code });
      });
      channel.end(options.stdin ?? '');
    });
  }

  /** A long-lived command whose stdout is delivered line by line; `onEnd` runs when it stops. */
  async streamLines(argv: readonly string[], onLine: (line: string) => void, onEnd: (error?: string) => void): Promise<StreamHandle> {
    const { channel, release } = await this.openChannel(buildCommand(argv), false);
    let buffered = '';
    let stderr = '';
    channel.on('data', (d: Buffer) => {
      buffered += d.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        onLine(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
    });
    channel.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    channel.on('close', () => {
      release();
      onEnd(stderr.trim() || undefined);
    });
    channel.end();
    return { close: () => channel.close() };
  }
}
