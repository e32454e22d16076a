// Which commands a call ran, for the task that made it ("show the commands"), and each host's
// last commands, for an audit. The dispatcher opens a record around every call; the sessions
// note each command they send (in any async continuation of that call, via AsyncLocalStorage,
// so concurrent calls never mix). Lines are shown as an admin would type them: sh-quoted argv,
// without the locale prefix, with secrets masked.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CommandRecord } from '../../../shared/contract/index.js';
import { shellQuote } from './command.js';

const current = new AsyncLocalStorage<CommandRecord[]>();
/** How many commands a host's log keeps. */
export const HOST_LOG_SIZE = 500;
const hostLogs = new Map<string, CommandRecord[]>();

const MASK = '••••••';
/** Options whose value is a secret (`--password X`, `--passwd=X`, `--secret X` …). */
const SECRET_OPTION = /^--?(?:pass(?:word|wd|phrase)?|secret|token|key-secret)$/i;
const SECRET_OPTION_INLINE = /^(--?(?:pass(?:word|wd|phrase)?|secret|token|key-secret)=).*/i;
/** A secret inside an argument: JSON ("password": "x"), XML (passwd='x') or key=value. */
const SECRET_IN_TEXT = /((?:"|')?(?:password|passwd|passphrase|secret)(?:"|')?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,}]+)/gi;

/** The argv with secrets replaced by a mask, as one sh line. */
export function commandLine(argv: readonly string[]): string {
  const shown = argv.map((arg, i) => {
    if (i > 0 && SECRET_OPTION.test(argv[i - 1]!)) return MASK;
    if (SECRET_OPTION_INLINE.test(arg)) return arg.replace(SECRET_OPTION_INLINE, `$1${MASK}`);
    return arg.replace(SECRET_IN_TEXT, (_m, key: string, value: string) => `${key}${/^["']/.test(value) ? `${value[0]}${MASK}${value[0]}` : MASK}`);
  });
  return shown.map(shellQuote).join(' ');
}

/** Run `fn` collecting every command its work sends to a host. */
export async function recordCommands<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; commands: CommandRecord[] }> {
  const commands: CommandRecord[] = [];
  try {
    return { value: await current.run(commands, fn), commands };
  } catch (error) {
    return { error, commands };
  }
}

/** A session is about to send `argv` to `hostId`; call the returned function with its exit. */
export function noteCommand(hostId: string, argv: readonly string[], stdin?: string, startedAt = Date.now()): (exit: number | null) => void {
  const record: CommandRecord = { hostId, line: commandLine(argv), startedAt, ...(stdin ? { stdinBytes: Buffer.byteLength(stdin) } : {}) };
  current.getStore()?.push(record);
  const log = hostLogs.get(hostId) ?? [];
  log.push(record);
  if (log.length > HOST_LOG_SIZE) log.splice(0, log.length - HOST_LOG_SIZE);
  hostLogs.set(hostId, log);
  return (exit) => {
    record.exit = exit;
    record.durationMs = Date.now() - record.startedAt;
  };
}

/** The host's last commands, oldest first (copies: the caller may send them on). */
export const hostCommandLog = (hostId: string): CommandRecord[] => (hostLogs.get(hostId) ?? []).map((r) => ({ ...r }));

export const forgetHostCommands = (hostId: string): void => void hostLogs.delete(hostId);
