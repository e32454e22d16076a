import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hasVirsh } from '../../../shared/test-support/virsh';
import { virshShellCanQuote, virshShellQuote, virshShellWords } from './virsh-shell-line';

// Words that mean something to virsh's tokenizer or to readline, or look like the framing.
const HOSTILE = [
  `it's`,
  `'`,
  `''`,
  `"double"`,
  `"unclosed`,
  'a b  c',
  'semi;colon',
  ';',
  '#comment',
  'a #b',
  '\\backslash\\',
  'trailing\\',
  `a\\';x;#`,
  '$(touch x) `y` ${PATH}',
  '--all',
  '-leading-dash',
  'error: not an error',
  'virsh # prompt',
  `echo --err 'abcd'ef.e.1.`,
  'abcdef.p.1.',
  'ünïcødé-虚拟机-🙂',
  '*glob?[a]{b,c}',
  '(paren)|&<>!!',
  '',
];

/** What virsh's own `echo` prints for `args`, read as typed lines in its interactive shell. */
function echoedByShell(args: string[]): string[] {
  const lines = args.map((a, i) => `echo -- 'START${i}' ${virshShellQuote(a)} 'END${i}'\n`).join('');
  const r = spawnSync('virsh', ['-q', '-c', 'test:///default'], { input: lines, env: { ...process.env, LC_ALL: 'C', INPUTRC: '/dev/null', TERM: 'dumb' } });
  const out = r.stdout.toString('utf8');
  return args.map((_, i) => {
    const from = out.indexOf(`START${i} `) + `START${i} `.length;
    return out.slice(from, out.indexOf(` END${i}`, from));
  });
}

describe.skipIf(!hasVirsh)("virsh's interactive shell reads each quoted argument back unchanged", () => {
  it('passes every hostile word through readline and the tokenizer to the command', () => {
    expect(echoedByShell(HOSTILE)).toEqual(HOSTILE);
  });

  it('gives the command the same argument as argv does (the exec path)', () => {
    for (const word of HOSTILE.filter(Boolean)) {
      const argv = spawnSync('virsh', ['-q', '-c', 'test:///default', 'echo', '--', word], { env: { ...process.env, LC_ALL: 'C' } }).stdout.toString('utf8');
      expect(echoedByShell([word])).toEqual([argv]);
    }
  });

  it('is needed: the same words unquoted reach the command changed, cut or lost', () => {
    const words = ['a  b', 'semi;colon', '#comment', `it's`];
    const raw = words.map((w, i) => `echo 'START${i}' ${w} 'END${i}'\n`).join('');
    const out = spawnSync('virsh', ['-q', '-c', 'test:///default'], { input: raw, env: { ...process.env, LC_ALL: 'C', INPUTRC: '/dev/null' } }).stdout.toString('utf8');
    words.forEach((w, i) => expect(out).not.toContain(`START${i} ${w} END${i}`));
  });
});

describe('what cannot be typed', () => {
  it('refuses control characters and DEL (keys to readline), so such a command runs as argv', () => {
    for (const key of ['\n', '\r', '\t', '\u0001', '\u0004', '\u0016', '\u001b[A', '\u007f', 'a\u0000b']) expect(virshShellCanQuote(`x${key}y`)).toBe(false);
    expect(virshShellWords(['dominfo', '--domain', 'line1\nline2'])).toBeNull();
    expect(() => virshShellQuote('tab\there')).toThrow(/Not expressible/);
  });

  it('quotes every argument and takes only a plain command name', () => {
    expect(virshShellWords(['dominfo', '--domain', `it's`])).toBe(`dominfo '--domain' 'it'\\''s'`);
    expect(virshShellWords(['--all'])).toBeNull();
    expect(virshShellWords(['list;quit'])).toBeNull();
    expect(virshShellWords([])).toBeNull();
  });
});
