import { describe, expect, test } from 'vitest';
import { commandLine } from '../exec/command-log.js';
import { rootArgv } from './prepare.js';

describe('root commands of Prepare', () => {
  const cmd = { argv: ['usermod', '--append', '--groups', 'libvirt,kvm', 'o\'brien'], root: true };
  test('as root: the command itself; sudo without a password: -n; with one: -k -S, asked on each command', () => {
    expect(rootArgv(cmd, 'root')).toEqual(cmd.argv);
    expect(rootArgv(cmd, 'nopasswd')).toEqual(['sudo', '-n', '--', ...cmd.argv]);
    expect(rootArgv(cmd, 'password')).toEqual(['sudo', '-k', '-S', '-p', '', '--', ...cmd.argv]);
    expect(rootArgv({ ...cmd, root: false }, 'password')).toEqual(cmd.argv);
  });
  test('the line shown is the argv quoted for sh, a hostile name included', () => {
    expect(commandLine(rootArgv(cmd, 'password'))).toBe("sudo -k -S -p '' -- usermod --append --groups libvirt,kvm 'o'\\''brien'");
  });
});
