// A connection to libvirt on this machine itself, where virsh is installed: no SSH. It offers
// the same Session as the SSH one, so the inventory and actions do not care which they have.
// Commands run from an argument vector with no shell in between, with the same untranslated
// environment (COMMAND_ENV) as remote ones.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { SessionState } from '../../../shared/contract/index.js';
import { COMMAND_ENV } from './command.js';
import { noteCommand } from './command-log.js';
import { lineSplitter } from './lines.js';
import type { ExecResult, ExecStream, Session, StreamHandle } from './session.js';

const commandEnv = (): NodeJS.ProcessEnv => ({ ...process.env, ...COMMAND_ENV });

export class LocalSession extends EventEmitter<{ state: [state: SessionState, error: string | undefined] }> implements Session {
  state: SessionState = 'disconnected';
  lastError?: string;

  /** `hostId`: whose command log the commands go to. */
  constructor(private readonly hostId = 'local') {
    super();
  }

  get commandLogId(): string {
    return this.hostId;
  }

  async connect(): Promise<void> {
    this.setState('connecting', undefined);
    const probe = await this.exec(['virsh', '--version']).catch((err: Error) => ({ stdout: '', stderr: err.message, code: -1 }));
    if (probe.code !== 0) {
      const message = /ENOENT/.test(probe.stderr) ? 'virsh is not installed on this machine' : probe.stderr.trim() || 'virsh did not run';
      this.setState('disconnected', message);
      throw new Error(message);
    }
    this.setState('online', undefined);
  }

  disconnect(): void {
    this.setState('disconnected', undefined);
  }

  retryNow(): Promise<void> {
    return this.connect();
  }

  private setState(state: SessionState, error: string | undefined): void {
    this.state = state;
    this.lastError = error;
    this.emit('state', state, error);
  }

  exec(argv: readonly string[], options: { stdin?: string } = {}): Promise<ExecResult> {
    const ended = noteCommand(this.hostId, argv, options.stdin);
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: 'pipe', env: commandEnv() });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => stdout.push(d));
      child.stderr.on('data', (d: Buffer) => stderr.push(d));
      child.once('error', (err) => (ended(null), reject(err)));
      child.once('close', (code) => (ended(code), resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), code })));
      // A command that exits without reading its stdin (lxc-create, mktemp) makes the write fail
      // with EPIPE; unhandled, that error would end the whole backend.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin ?? '');
    });
  }

  async streamLines(argv: readonly string[], onLine: (line: string) => void, onEnd: (error?: string) => void): Promise<StreamHandle> {
    const ended = noteCommand(this.hostId, argv);
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: commandEnv() });
    let stderr = '';
    child.stdout.on('data', lineSplitter(onLine));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.once('close', (code) => (ended(code), onEnd(stderr.trim() || undefined)));
    child.once('error', (err) => onEnd(err.message));
    return { close: () => child.kill() };
  }

  async execStream(argv: readonly string[]): Promise<ExecStream> {
    const ended = noteCommand(this.hostId, argv);
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'pipe', env: commandEnv() });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-8192)));
    child.stdin.on('error', () => undefined);
    const done = new Promise<ExecResult>((resolve) => {
      child.once('error', (err) => resolve({ stdout: '', stderr: err.message, code: null }));
      child.once('close', (code, signal) => (ended(code), resolve({ stdout: '', stderr, code, ...(signal ? { signal } : {}) })));
    });
    return { stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, done, abort: () => void child.kill('SIGTERM') };
  }
}
