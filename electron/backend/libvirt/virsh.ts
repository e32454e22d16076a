// virsh over a host's session (SSH or local): argv in, stdout out, libvirt's own message on failure.
import { RemoteCommandError, type CommandSession } from '../exec/session.js';
import type { VirshObserver } from './health.js';

/** `virsh -c URI args…` — a non-root virsh defaults to qemu:///session, so the URI is always explicit. */
export function virshArgv(libvirtUri: string, args: readonly string[]): string[] {
  return ['virsh', '-q', '-c', libvirtUri, ...args];
}

export class Virsh {
  constructor(
    private readonly session: CommandSession,
    private readonly libvirtUri: string,
    /** Told of every outcome, to notice libvirt going away (see LibvirtHealth). */
    private readonly observer?: VirshObserver,
  ) {}

  /** Run `virsh -c URI args…`; rejects with libvirt's message (stderr) when it fails. */
  async run(args: readonly string[], options: { stdin?: string } = {}): Promise<string> {
    return (await this.runWithWarnings(args, options)).stdout;
  }

  /** run(), also giving what virsh said on stderr although it succeeded (`undefine --storage`
   *  exits 0 when it leaves a volume libvirt does not manage, and only says so there). */
  async runWithWarnings(args: readonly string[], options: { stdin?: string } = {}): Promise<{ stdout: string; warnings: string }> {
    const result = await this.session.exec(virshArgv(this.libvirtUri, args), options);
    const said = result.stderr.replace(/^error: /gm, '').trim();
    if (result.code !== 0) {
      const message = said || `virsh ${args[0]} exited with ${result.code}`;
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
