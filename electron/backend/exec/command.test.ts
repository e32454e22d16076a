import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildCommand, shellQuote } from './command';

// Names an attacker (or an unlucky admin) might give a VM, volume or path.
export const HOSTILE_NAMES = [
  `it's`,
  `"double"`,
  'a b  c',
  '$(touch /tmp/virtdeck-pwned)',
  '`touch /tmp/virtdeck-pwned`',
  'x; rm -rf /tmp/nothing',
  'line1\nline2',
  'tab\there',
  'ünïcødé-虚拟机-🙂',
  '-leading-dash',
  '*glob?[a]',
  '\\backslash\\',
  "'; echo '",
  '$HOME ${PATH}',
  '!history',
  '~tilde',
  '',
];

describe('shellQuote', () => {
  it.each(HOSTILE_NAMES)('round-trips %j through a real POSIX shell unchanged', (name) => {
    // sshd runs the command line with the user's shell: check with /bin/sh (dash) and bash.
    for (const shell of ['/bin/sh', '/bin/bash']) {
      const out = execFileSync(shell, ['-c', `printf '%s' ${shellQuote(name)}`]);
      expect(out.toString('utf8')).toBe(name);
    }
  });

  it('leaves plain words readable', () => {
    expect(shellQuote('list')).toBe('list');
    expect(shellQuote('qemu:///system')).toBe('qemu:///system');
    expect(shellQuote('--all')).toBe('--all');
  });

  it('refuses a NUL byte, which no shell argument can carry', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});

describe('buildCommand', () => {
  it('keeps every argument one argument', () => {
    const argv = ['printf', '%s|', ...HOSTILE_NAMES];
    const out = execFileSync('/bin/sh', ['-c', buildCommand(argv)]).toString('utf8');
    expect(out).toBe(HOSTILE_NAMES.map((n) => `${n}|`).join(''));
  });

  it('refuses an empty command', () => {
    expect(() => buildCommand([])).toThrow();
  });
});
