// virsh over a host's session (SSH or local): argv in, stdout out, libvirt's own message on failure.
import { checkConnectionUri } from '../../../shared/libvirt-uri.js';
import { RemoteCommandError, type CommandSession, type ExecResult } from '../exec/session.js';
import { noteCommand } from '../exec/command-log.js';
import type { VirshObserver } from './health.js';
import { VirshShell } from './virsh-shell.js';

/** `virsh -c URI args…` — a non-root virsh defaults to qemu:///session, so the URI is always explicit. */
export function virshArgv(libvirtUri: string, args: readonly string[]): string[] {
  return ['virsh', '-q', '-c', libvirtUri, ...args];
}

/** The translated "error: " virsh puts before each line of a message (gettext: "Fehler: ",
 *  "erreur\u00a0:", "エラー: "): one word, an optional (no-break) space, a colon. */
const MESSAGE_PREFIX = /^([\p{L}\p{M}]+)[ \u00a0\u202f]?:[ \u00a0]?/u;

/** libvirt's message without virsh's per-line prefix, whatever the language. The prefix is the
 *  first line's leading word; only lines starting with that same word lose it, so a message's
 *  own "Domain: x" on a later line stays. (Commands run with LC_ALL=C, so this is "error: "
 *  unless a host overrides the locale in a way the command line cannot.) */
export function stripVirshPrefix(stderr: string): string {
  const lines = stderr.split('\n');
  const first = lines.find((l) => l.trim());
  const word = first && MESSAGE_PREFIX.exec(first)?.[1];
  if (!word) return stderr;
  return lines.map((l) => (MESSAGE_PREFIX.exec(l)?.[1] === word ? l.replace(MESSAGE_PREFIX, '') : l)).join('\n');
}

/** virsh commands that only read: run again, once, when their channel closed before the host
 *  said how they ended (seen under load), or the long-lived shell ended during them, since
 *  running them twice changes nothing. */
const READ_ONLY = new Set([
  'capabilities', 'cpu-stats', 'domblkinfo', 'domblklist', 'domcapabilities', 'domiflist', 'dominfo', 'domjobinfo', 'dommemstat', 'domstate', 'domstats',
  'dumpxml', 'freecell', 'hostname', 'list', 'net-dhcp-leases', 'net-dumpxml', 'net-info', 'net-list', 'nodedev-dumpxml', 'nodedev-list', 'nodeinfo', 'nodememstats',
  'pool-dumpxml', 'pool-info', 'pool-list', 'snapshot-current', 'snapshot-dumpxml', 'snapshot-list', 'sysinfo', 'uri', 'version', 'vol-dumpxml', 'vol-info', 'vol-list',
]);

/** Writes the long-lived shell runs: quick ones, each of which reports its failure with an
 *  `error:` line and prints none when it succeeds (see virsh-shell.ts). Not here: commands that
 *  read stdin, run long (snapshots, block jobs, wipes, builds, migrations, saves) or print
 *  `error:` lines on success (`undefine --storage`); they keep a command of their own. */
const SHELL_WRITES = new Set([
  'autostart', 'change-media', 'desc', 'destroy', 'domif-setlink', 'net-autostart', 'net-destroy', 'net-start', 'net-undefine',
  'pool-autostart', 'pool-destroy', 'pool-refresh', 'pool-start', 'pool-undefine', 'qemu-monitor-command', 'reboot', 'reset', 'resume',
  'send-key', 'setmem', 'setvcpus', 'shutdown', 'start', 'suspend', 'vol-delete',
]);

/** Whether a command may go to the shell. `uri` never does: it is the health probe, and a fresh
 *  virsh's `uri` opens a new connection to the daemon where the shell's would not. */
const forShell = (args: readonly string[], options: RunOptions) =>
  options.stdin === undefined && !options.utf8 && !options.fresh && args[0] !== 'uri' && (READ_ONLY.has(args[0] ?? '') || SHELL_WRITES.has(args[0] ?? '')) && !args.some((a) => a.startsWith('/dev/'));

export interface RunOptions {
  stdin?: string;
  /** Untranslated but UTF-8 (LC_ALL=C.UTF-8): virsh's tables print a name's non-ASCII bytes as
   *  "\xff" under plain C, which loses the name (vol-list). */
  utf8?: boolean;
  /** A virsh process of its own, never the long-lived shell: a new connection to the daemon. */
  fresh?: boolean;
}

const endedUnseen = (r: ExecResult) => r.code === null && !r.signal;

/** How a command that said nothing on stderr ended: its exit code, the signal that ended it, or
 *  an SSH channel that closed before the host sent an exit status. */
function endedHow(r: ExecResult): string {
  if (r.code !== null) return `exited with ${r.code}`;
  return r.signal ? `was ended by signal ${r.signal}` : 'ended without an exit status (its SSH channel closed first)';
}

export class Virsh {
  private readonly libvirtUri: string;
  /** The long-lived virsh for small commands, when this Virsh has one (see virsh-shell.ts). */
  readonly shell?: VirshShell;

  /** The URI passes the one libvirt URI check here too: a saved connection from an older
   *  version (or an edited file) cannot hand virsh a URI that starts a program. The observer is
   *  told of every outcome, to notice libvirt going away (see LibvirtHealth). */
  constructor(
    private readonly session: CommandSession,
    libvirtUri: string,
    private readonly observer?: VirshObserver,
    options: { shell?: boolean } = {},
  ) {
    this.libvirtUri = checkConnectionUri(libvirtUri);
    if (options.shell) this.shell = new VirshShell(session, virshArgv(this.libvirtUri, []));
  }

  /** Start the long-lived shell (the connection is up); `now` skips its restart back-off. */
  startShell(now = false): void {
    void this.shell?.start(now);
  }

  /** End the long-lived shell for good (the host is disconnected). */
  closeShell(): void {
    this.shell?.close();
  }

  /** The command through the shell; undefined when it is to run as a command of its own (the
   *  shell declined it, or was lost during a read, which is safe to run again). A write lost
   *  mid-way fails: it may have been applied, and is never applied twice. */
  private async viaShell(args: readonly string[]): Promise<ExecResult | undefined> {
    const startedAt = Date.now();
    const outcome = await this.shell!.run(args);
    // Logged as the command it stands for (a declined one is logged by the exec that runs it).
    const logId = this.session.commandLogId;
    if (logId !== undefined && outcome.kind !== 'declined') noteCommand(logId, virshArgv(this.libvirtUri, args), undefined, startedAt)(outcome.kind === 'done' ? outcome.result.code : null);
    if (outcome.kind === 'done') return outcome.result;
    if (outcome.kind === 'declined' || READ_ONLY.has(args[0]!)) return undefined;
    const message = `virsh ${args[0]} may or may not have been applied: ${outcome.reason} before it answered. It was not run again; check the host before trying again.`;
    this.observer?.streamEnded(message);
    throw new RemoteCommandError(message, { stdout: '', stderr: '', code: null });
  }

  /** Run `virsh -c URI args…`; rejects with libvirt's message (stderr) when it fails. */
  async run(args: readonly string[], options: RunOptions = {}): Promise<string> {
    return (await this.runWithWarnings(args, options)).stdout;
  }

  /** run(), also giving what virsh said on stderr although it succeeded (`undefine --storage`
   *  exits 0 when it leaves a volume libvirt does not manage, and only says so there). */
  async runWithWarnings(args: readonly string[], options: RunOptions = {}): Promise<{ stdout: string; warnings: string }> {
    const argv = options.utf8 ? ['env', 'LC_ALL=C.UTF-8', ...virshArgv(this.libvirtUri, args)] : virshArgv(this.libvirtUri, args);
    const exec = { stdin: options.stdin };
    let result = this.shell && forShell(args, options) ? await this.viaShell(args) : undefined;
    if (!result) {
      result = await this.session.exec(argv, exec);
      if (endedUnseen(result) && READ_ONLY.has(args[0] ?? '')) result = await this.session.exec(argv, exec);
    }
    const said = stripVirshPrefix(result.stderr).trim();
    if (result.code !== 0) {
      const message = said || `virsh ${args[0]} ${endedHow(result)}`;
      this.observer?.failed({ message, code: result.code });
      throw new RemoteCommandError(message, result);
    }
    this.observer?.heard();
    return { stdout: result.stdout, warnings: said };
  }

  /** A long-lived virsh (`event --loop`): each line is a sign of life, its end a reason to look. */
  stream(args: readonly string[], onLine: (line: string) => void, onEnd: (error?: string) => void) {
    const observer = this.observer;
    return this.session.streamLines(
      virshArgv(this.libvirtUri, args),
      (line) => {
        observer?.heard();
        onLine(line);
      },
      (error) => {
        onEnd(error);
        observer?.streamEnded(error);
      },
    );
  }
}
