// Changing the host itself (its network configuration, its services) needs root. The connection's
// user may be root, or be allowed the exact commands by a sudo rule without a password (`sudo -n`:
// VirtDeck never types a sudo password it would have to keep). Each command is checked with
// `sudo -n -l COMMAND ARGS…` before anything runs, so a change is never half done for want of a rule.
import type { CommandSession } from '../exec/session.js';

export interface RootAccess {
  mode: 'root' | 'sudo' | 'none';
  /** The user the connection logs in as. */
  user: string;
  /** Why the commands cannot run as root, when they cannot. */
  reason?: string;
}

/** Whether every one of `commands` (argument vectors) can run as root on this connection. */
export async function rootAccess(session: CommandSession, commands: string[][]): Promise<RootAccess> {
  const id = await session.exec(['sh', '-c', 'id -u; id -un; command -v sudo >/dev/null && echo sudo']);
  const [uid, user = '?', sudo] = id.stdout.trim().split('\n');
  if (uid === '0') return { mode: 'root', user };
  if (sudo !== 'sudo') return { mode: 'none', user, reason: `The user ${user} is not root and sudo is not installed on this host.` };
  // One check per command, side by side (each its own channel): the answers keep the commands' order.
  const answers = await Promise.all(
    commands.map(async (argv) => {
      const r = await session.exec(['sudo', '-n', '-l', ...argv]);
      if (r.code === 0) return null;
      // sudo's own words, when it said more than "not allowed" (a broken rule file, a lookup).
      const said = r.stderr.trim().split('\n').filter((l) => l && !/unable to resolve host/i.test(l)).pop();
      return said ? `${argv.join(' ')} (sudo: ${said.replace(/^sudo:\s*/, '')})` : argv.join(' ');
    }),
  );
  const refused = answers.filter((a): a is string => a !== null);
  if (!refused.length) return { mode: 'sudo', user };
  return {
    mode: 'none',
    user,
    reason: `The user ${user} is not root and may not run these as root without a password (sudo -n): ${refused.join('; ')}. A sudoers rule such as "${user} ALL=(root) NOPASSWD: ${[...new Set(commands.map((c) => c[0]))].join(', ')}" (with full paths, narrowed to the arguments you allow) or a root connection lets VirtDeck do it.`,
  };
}

/** `argv` run as root under `access` (which must not be 'none'). */
export function asRoot(access: RootAccess, argv: string[]): string[] {
  if (access.mode === 'none') throw new Error(access.reason ?? 'root access is needed');
  return access.mode === 'root' ? argv : ['sudo', '-n', '--', ...argv];
}
