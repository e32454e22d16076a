// virsh over a host's SSH session: argv in, stdout out, libvirt's own message on failure.
import { RemoteCommandError } from '../hosts/host-session.js';
import type { CommandSession } from '../hosts/local-session.js';
import { virshArgv } from './command.js';

export class Virsh {
  constructor(private readonly session: CommandSession, private readonly libvirtUri: string) {}

  /** Run `virsh -c URI args…`; rejects with libvirt's message (stderr) when it fails. */
  async run(args: readonly string[], options: { stdin?: string } = {}): Promise<string> {
    const result = await this.session.exec(virshArgv(this.libvirtUri, args), options);
    if (result.code !== 0) {
      const message = result.stderr.replace(/^error: /gm, '').trim() || `virsh ${args[0]} exited with ${result.code}`;
      throw new RemoteCommandError(message, result);
    }
    return result.stdout;
  }

  stream(args: readonly string[], onLine: (line: string) => void, onEnd: (error?: string) => void) {
    return this.session.streamLines(virshArgv(this.libvirtUri, args), onLine, onEnd);
  }
}
