// The one place where a remote command line is built. Every argument is quoted for a POSIX shell
// (sshd hands the line to the user's login shell), so no VM, volume or path name can be
// interpreted by that shell, whatever it contains.

/** Quote one argument for a POSIX shell: wrap in single quotes, and write each embedded single
 *  quote as '\'' (close, escaped quote, reopen). Nothing is special inside single quotes. */
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new Error('An argument cannot contain a NUL byte');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Build the command line for `argv` (program first). */
export function buildCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('Empty command');
  return argv.map(shellQuote).join(' ');
}
