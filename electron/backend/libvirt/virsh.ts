// virsh over a host's session (SSH or local): argv in, stdout out, libvirt's own message on failure.
import { RemoteCommandError, type CommandSession } from '../exec/session.js';

/** `virsh -c URI args…` — a non-root virsh defaults to qemu:///session, so the URI is always explicit. */
export function virshArgv(libvirtUri: string, args: readonly string[]): string[] {
  return ['virsh', '-q', '-c', libvirtUri, ...args];
}

export class Virsh {
  constructor(private readonly session: CommandSession, private readonly libvirtUri: string) {}

  /** Run `virsh -c URI args…`; rejects with libvirt's message (stderr) when it fails. */
  async run(args: readonly string[], options: { stdin?: string } = {}): Promise<string> {
    return (await this.runWithWarnings(args, options)).stdout;
  }

  /** run(), also giving what virsh said on stderr although it succeeded (`undefine --storage`
   *  exits 0 when it leaves a volume libvirt does not manage, and only says so there). */
  async runWithWarnings(args: readonly string[], options: { stdin?: string } = {}): Promise<{ stdout: string; warnings: string }> {
    const result = await this.session.exec(virshArgv(this.libvirtUri, args), options);
    const said = result.stderr.replace(/^error: /gm, '').trim();
    if (result.code !== 0) throw new RemoteCommandError(said || `virsh ${args[0]} exited with ${result.code}`, result);
    return { stdout: result.stdout, warnings: said };
  }

  stream(args: readonly string[], onLine: (line: string) => void, onEnd: (error?: string) => void) {
    return this.session.streamLines(virshArgv(this.libvirtUri, args), onLine, onEnd);
  }
}
