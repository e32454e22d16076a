// The one place where a remote command line is built.
//
// sshd hands the line to the user's LOGIN shell, which may be fish (`\'` is an escape inside
// single quotes), tcsh (`!` history expansion inside quotes, no newline in a quoted word) or
// anything else. So the command itself is quoted for POSIX sh only, and reaches /bin/sh
// base64-encoded, on a fixed line whose only characters are the same in every shell:
//
//     exec /bin/sh -c 'eval "$(echo <base64>|base64 -d)"'
//
// Inside single quotes, `"$()|` and [A-Za-z0-9+/=] are literal in sh, bash, dash, zsh, fish and
// tcsh alike (no backslash, no `!`, no newline, no quote), so the login shell only passes the
// quoted text to /bin/sh as one argument. sh decodes the script and evals it; the command then
// inherits the channel's stdin (XML, a console's terminal) untouched. This costs no round trip:
// no shell detection, one tiny `base64` process per command.
// Why not `echo <b64> | base64 -d | sh`: the script would then be sh's stdin, and XML written
// to the channel would never reach the command.

/** The environment every command runs with: virsh and the tools print untranslated text (and
 *  "error:" prefixes) whatever the host's locale. LANGUAGE is ignored by gettext under C. */
export const COMMAND_ENV: Readonly<Record<'LC_ALL' | 'LANG', string>> = { LC_ALL: 'C', LANG: 'C' };

/** Quote one argument for POSIX sh (never for a login shell: see above): wrap in single quotes,
 *  and write each embedded single quote as '\'' (close, escaped quote, reopen). */
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new Error('An argument cannot contain a NUL byte');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The POSIX sh script that runs `argv` (program first) with COMMAND_ENV. `exec`: the program
 *  replaces sh, so closing the channel reaches it directly. */
export function posixScript(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('Empty command');
  if (!argv[0] || argv[0].startsWith('-')) throw new Error(`Not a program name: ${JSON.stringify(argv[0])}`);
  const env = Object.entries(COMMAND_ENV).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return `export ${env.join(' ')}; exec ${argv.map(shellQuote).join(' ')}`;
}

/** The line sent to sshd for `argv`: safe under any login shell (see the top of this file). */
export function buildCommand(argv: readonly string[]): string {
  const encoded = Buffer.from(posixScript(argv), 'utf8').toString('base64');
  return `exec /bin/sh -c 'eval "$(echo ${encoded}|base64 -d)"'`;
}

/** What every line built by buildCommand looks like; nothing else reaches a login shell. */
export const COMMAND_LINE_SHAPE = /^exec \/bin\/sh -c 'eval "\$\(echo [A-Za-z0-9+/=]+\|base64 -d\)"'$/;
