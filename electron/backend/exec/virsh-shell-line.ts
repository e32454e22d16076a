// The one place where a line for virsh's own interactive shell (`virsh -q -c URI` reading
// commands on stdin) is built — the counterpart of command.ts for that second parser.
//
// What reads the line on the host, in order:
//  1. readline (virsh links it): every byte is a keystroke. Printable characters insert
//     themselves; control characters are editing keys (TAB completes, ^A/^E/^K/^U move and kill,
//     ^V quotes the next key, ESC starts a Meta key, DEL deletes) and a newline ends the line.
//     So an argument holding any C0 control character or DEL cannot be sent as typed text at all:
//     such a command takes the exec path (argv, command.ts) instead.
//  2. virsh's tokenizer (vshCommandStringGetArg): words split on space, tab and ';'; a word
//     starting with '#' is a comment; outside quotes '\' escapes the next character; inside
//     '…' nothing is special; inside "…" '\' still escapes. Options are then parsed from the
//     words exactly as from argv, so a quoted word reaches the command as the same argument.
// Hence: every argument single-quoted, each embedded ' written as '\'' (close, escaped quote,
// reopen) — the POSIX sh rule, which this tokenizer follows for single quotes.

/** C0 controls and DEL: keys to readline, never text. */
const READLINE_KEYS = /[\u0000-\u001f\u007f]/;

/** Whether `arg` can be typed into virsh's shell at all (see the top of this file); the caller
 *  runs a command with such an argument through the exec path instead. */
export function virshShellCanQuote(arg: string): boolean {
  return !READLINE_KEYS.test(arg);
}

/** One argument as a word of virsh's shell: always single-quoted (so '#', ';', spaces, quotes
 *  and backslashes are plain text). Throws for an argument virshShellCanQuote refuses. */
export function virshShellQuote(arg: string): string {
  if (!virshShellCanQuote(arg)) throw new Error(`Not expressible in virsh's shell: ${JSON.stringify(arg)}`);
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The words of one command (no newline), or null when an argument cannot be typed. The first
 *  word is the virsh command, which must be a plain command name. */
export function virshShellWords(args: readonly string[]): string | null {
  if (args.length === 0 || !/^[a-z][a-z0-9-]*$/.test(args[0]!)) return null;
  if (!args.every(virshShellCanQuote)) return null;
  return [args[0]!, ...args.slice(1).map(virshShellQuote)].join(' ');
}
