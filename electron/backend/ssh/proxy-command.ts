// ProxyCommand as ssh runs it (sshconnect.c ssh_proxy_connect): `$SHELL -c "exec COMMAND"` on
// this machine, the SSH connection spoken over its stdin and stdout, its stderr kept so a
// failure can say what the command printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { Duplex } from 'node:stream';

/** What is kept of the command's stderr: enough for its error message. */
const STDERR_KEEP = 4096;
/** After a failed handshake, how long to wait for the command's exit status and last words. */
const EXIT_WAIT_MS = 1000;

export interface ProxyProcess {
  /** The connection's byte stream: writes go to the command's stdin, reads come from its stdout. */
  stream: Duplex;
  /** `message`, followed by what the command said and how it ended, once it has. */
  explain(message: string): Promise<string>;
}

/** The shell ssh uses: $SHELL, else /bin/sh; Windows' OpenSSH runs it through cmd.exe. */
function shellFor(command: string): [string, string[]] {
  if (process.platform === 'win32') return [process.env.ComSpec || 'cmd.exe', ['/d', '/s', '/c', command.replace(/^exec /, '')]];
  return [process.env.SHELL || '/bin/sh', ['-c', command]];
}

export function startProxyCommand(commandLine: string): ProxyProcess {
  const [shell, args] = shellFor(commandLine);
  const child: ChildProcess = spawn(shell, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  let stderr = '';
  let ended: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      ended = `could not start: ${err.message}`;
      resolve();
    });
    child.once('exit', (code, signal) => {
      ended = signal ? `was killed by ${signal}` : `exited with status ${code}`;
      resolve();
    });
  });
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-STDERR_KEEP)));
  const stream = Duplex.from({ readable: child.stdout!, writable: child.stdin! });
  // The connection is over when either side is: a closed stream ends the command, and the end of
  // the command ends the stream.
  stream.once('close', () => child.exitCode === null && child.kill());
  void exited.then(() => stream.destroy());
  stream.on('error', () => undefined); // an EPIPE after the command has gone is reported by explain()

  return {
    stream,
    async explain(message) {
      await Promise.race([exited, new Promise((r) => setTimeout(r, EXIT_WAIT_MS))]);
      const said = stderr.trim();
      const how = ended ? `ProxyCommand ${ended}` : 'ProxyCommand is still running';
      return `${message} (${how}${said ? `: ${said}` : ''})`;
    },
  };
}
