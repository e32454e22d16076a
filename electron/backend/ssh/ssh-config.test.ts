import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostAliases, loadSshConfig } from './ssh-config';
import { parseTarget, resolveHost } from './target';

function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vd-sshcfg-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('ssh config with Include and ProxyJump', () => {
  const dir = configDir({
    config: 'Include conf.d/*.conf missing.conf\n\nHost *\n  User fallback\n',
    'conf.d/10-lab.conf': 'Host hv1\n  HostName 192.0.2.11\n  User admin\n\nHost far\n  HostName 10.9.9.9\n  ProxyJump hv1,ops@bastion:2222\n',
    'conf.d/20-bastion.conf': 'Host bastion\n  HostName 198.51.100.7\n  ProxyJump hv1\n',
    'conf.d/ignored.txt': 'Host never\n',
  });
  const config = loadSshConfig(join(dir, 'config'));

  it('inlines included files in glob order and skips missing ones', () => {
    expect(hostAliases(config)).toEqual(['hv1', 'far', 'bastion']);
    expect(resolveHost(parseTarget('hv1'), config, 'me')).toMatchObject({ hostName: '192.0.2.11', user: 'admin' });
    // Later blocks still apply: the first value wins, as in OpenSSH.
    expect(resolveHost(parseTarget('elsewhere'), config, 'me').user).toBe('fallback');
  });

  it('resolves every ProxyJump hop through the config, a hop’s own jumps first', () => {
    const far = resolveHost(parseTarget('far'), config, 'me');
    expect(far.hostName).toBe('10.9.9.9');
    expect(far.jumps.map((j) => `${j.user}@${j.hostName}:${j.port}`)).toEqual(['admin@192.0.2.11:22', 'admin@192.0.2.11:22', 'ops@198.51.100.7:2222']);
    expect(far.jumps.every((j) => j.jumps.length === 0)).toBe(true);
  });

  it('refuses a ProxyJump loop instead of recursing forever', () => {
    const loop = loadSshConfig(join(configDir({ config: 'Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n' }), 'config'));
    expect(() => resolveHost(parseTarget('a'), loop, 'me')).toThrow(/ProxyJump: more than/);
  });

  it('refuses an Include loop', () => {
    const d = configDir({ config: 'Include config\n' });
    expect(() => loadSshConfig(join(d, 'config'))).toThrow(/Include nested too deeply/);
  });
});
