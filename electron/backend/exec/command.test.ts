import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCommand, COMMAND_LINE_SHAPE, posixScript, shellQuote } from './command';

// Every test runs in a scratch folder; a hostile name that gets executed creates CANARY there.
const dir = mkdtempSync(join(tmpdir(), 'vd-cmd-'));
const CANARY = join(dir, 'CANARY');

// Names an attacker (or an unlucky admin) might give a VM, volume or path: each one breaks or
// was seen exploiting a shell of some kind when quoted for POSIX sh alone.
export const HOSTILE_NAMES = [
  `it's`,
  `"double"`,
  'a b  c',
  `$(touch ${CANARY})`,
  `\`touch ${CANARY}\``,
  `x; touch ${CANARY}`,
  `a\\';touch ${CANARY};#`, // fish: \' is an escape inside single quotes
  `a\\\\';touch ${CANARY};#`,
  `a;touch ${CANARY};b`,
  'T!#', // tcsh: !# re-inserts the words typed so far, unquoted
  'x!y',
  '!!',
  '!-1',
  '^a^b',
  'line1\nline2',
  `\n touch ${CANARY}\n`,
  'tab\there',
  'cr\rhere',
  'ünïcødé-虚拟机-🙂',
  '-leading-dash',
  '--all',
  '*glob?[a]',
  '\\backslash\\',
  'trailing-backslash\\',
  "'; echo '",
  '$HOME ${PATH} %s',
  '~tilde',
  '{a,b}',
  '(paren)|&<>',
  '',
];

const SHELLS = ['sh', 'bash', 'dash', 'fish', 'tcsh', 'zsh'];
const shellPath = (shell: string) => {
  const found = spawnSync('sh', ['-c', `command -v ${shell}`]).stdout.toString().trim();
  // .ci/run installs fish, tcsh and zsh: a machine without them must not pass silently.
  if (!found) throw new Error(`${shell} is not installed (apt-get install fish tcsh zsh)`);
  return found;
};

// A tiny program that prints each argument it received, NUL-terminated.
const PRINTER = join(dir, 'argv-printer');
writeFileSync(PRINTER, '#!/bin/sh\nfor a in "$@"; do printf \'%s\\0\' "$a"; done\n');
chmodSync(PRINTER, 0o755);
const decodeArgs = (out: Buffer) => out.toString('utf8').split('\0').slice(0, -1);

/** Run a line as sshd does: `<login shell> -c LINE`, in the scratch folder, with a German
 *  environment such as a host's sshd may set. */
function runAsLoginShell(shell: string, line: string, stdin = '') {
  const r = spawnSync(shellPath(shell), ['-c', line], {
    cwd: dir,
    input: stdin,
    env: { PATH: process.env.PATH, HOME: dir, LANG: 'de_DE.UTF-8', LC_MESSAGES: 'de_DE.UTF-8', LANGUAGE: 'de' },
  });
  return { stdout: r.stdout, stderr: r.stderr.toString('utf8'), status: r.status };
}

describe('buildCommand under every login shell', () => {
  it.each(SHELLS)('%s passes every hostile name to the program unchanged, and runs none of it', (shell) => {
    const line = buildCommand([PRINTER, ...HOSTILE_NAMES]);
    const r = runAsLoginShell(shell, line);
    expect(r.stderr).toBe('');
    expect(decodeArgs(r.stdout)).toEqual(HOSTILE_NAMES);
    expect(existsSync(CANARY)).toBe(false);
  });

  it.each(SHELLS)('%s: each hostile name alone, as the VM name after --domain', (shell) => {
    for (const name of HOSTILE_NAMES) {
      const r = runAsLoginShell(shell, buildCommand([PRINTER, 'desc', '--domain', name, '--new-desc', 'T!#']));
      expect(decodeArgs(r.stdout)).toEqual(['desc', '--domain', name, '--new-desc', 'T!#']);
    }
    expect(existsSync(CANARY)).toBe(false);
  });

  it.each(SHELLS)('%s hands the channel stdin (e.g. domain XML) to the command untouched', (shell) => {
    const xml = `<domain><name>a\\';id;#!# $(x) \`y\`</name>\n<description>ü\n</description></domain>\n`;
    const r = runAsLoginShell(shell, buildCommand(['cat']), xml);
    expect(r.stdout.toString('utf8')).toBe(xml);
  });

  it.each(SHELLS)('%s runs the command with LC_ALL=C and LANG=C whatever the session set', (shell) => {
    const r = runAsLoginShell(shell, buildCommand(['sh', '-c', 'printf "%s|%s|%s" "$LC_ALL" "$LANG" "$LC_MESSAGES"']));
    expect(r.stdout.toString('utf8')).toBe('C|C|de_DE.UTF-8'); // LC_ALL overrides LC_MESSAGES
  });

  it.each(SHELLS)('%s passes an exit status and a long argument through', (shell) => {
    expect(runAsLoginShell(shell, buildCommand(['sh', '-c', 'exit 7'])).status).toBe(7);
    const long = `${'x!\\\''.repeat(2500)}`;
    expect(decodeArgs(runAsLoginShell(shell, buildCommand([PRINTER, long])).stdout)).toEqual([long]);
  });

  it('sends the login shell only a line of one fixed shape', () => {
    for (const name of HOSTILE_NAMES) expect(buildCommand(['virsh', '-c', 'qemu:///system', 'start', '--domain', name])).toMatch(COMMAND_LINE_SHAPE);
  });

  it('the names are truly hostile: POSIX quoting alone lets fish and tcsh run them', () => {
    // The line as it was sent before: correct for sh, an injection under fish and tcsh.
    const posixOnly = (argv: string[]) => argv.map(shellQuote).join(' ');
    runAsLoginShell('fish', posixOnly([PRINTER, `a\\';touch ${CANARY};#`]));
    expect(existsSync(CANARY)).toBe(true);
    execFileSync('rm', [CANARY]);
    runAsLoginShell('tcsh', posixOnly([PRINTER, '--domain', `a;touch ${CANARY};b`, '--new-desc', 'T!#']));
    expect(existsSync(CANARY)).toBe(true);
    execFileSync('rm', [CANARY]);
  });

  it('refuses an empty command, a NUL byte and a program name that reads as an option', () => {
    expect(() => buildCommand([])).toThrow(/Empty/);
    expect(() => buildCommand(['virsh', 'a\0b'])).toThrow(/NUL/);
    expect(() => buildCommand(['-c', 'x'])).toThrow(/program/);
  });
});

describe('shellQuote and posixScript', () => {
  it('leaves plain words readable', () => {
    expect(shellQuote('list')).toBe('list');
    expect(shellQuote('qemu:///system')).toBe('qemu:///system');
    expect(posixScript(['virsh', 'list', '--all'])).toBe('export LC_ALL=C LANG=C; exec virsh list --all');
  });
});
