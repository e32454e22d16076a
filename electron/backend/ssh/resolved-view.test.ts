import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfigEnv } from './openssh/resolve';
import { SshConfigSource } from './openssh/source';
import { describeResolved } from './resolved-view';
import { parseTarget } from './target';

describe('openssh resolved settings for a person to read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vd-resolved-'));
  const kh = join(dir, 'known_hosts');
  writeFileSync(kh, '192.0.2.11 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFake=\n');
  const config = join(dir, 'config');
  writeFileSync(config, `host lower\n  hostname 192.0.2.1%h\n  user carol\n  proxyjump gate\n  userknownhostsfile ${kh}\n  identityfile /k/one\nhost gate\n  hostname 198.51.100.1\n  port 2222\nmatch host 192.0.2.*\n  globalknownhostsfile /dev/null\n`);
  const source = new SshConfigSource(config, { ...defaultConfigEnv(), globHome: dir });

  it('shows address, hops, keys, known_hosts files and the deciding lines', () => {
    const r = describeResolved({ host: 'lower' }, source);
    expect(r).toMatchObject({ address: '192.0.2.1lower', user: 'carol', port: 22, identityFiles: ['/k/one'], knownHostsFiles: [kh], globalKnownHostsFiles: ['/dev/null'] });
    expect(r.hops).toEqual([{ name: 'gate', address: '198.51.100.1', port: 2222, user: defaultConfigEnv().localUser }]);
    expect(r.decidedBy).toContainEqual({ setting: 'HostName', origin: `${config}:2` });
    expect(r.decidedBy).toContainEqual({ setting: 'GlobalKnownHostsFile', origin: `${config}:11` });
    expect(r.files).toEqual([config]);
  });

  it('puts the key type on file first in the host key order', () => {
    writeFileSync(config, `Host hv1\n  HostName 192.0.2.11\n  UserKnownHostsFile ${kh}\n`);
    const r = describeResolved(parseTarget('hv1'), source);
    expect(r.hostKeyName).toBe('192.0.2.11');
    expect(r.hostKeyAlgorithms[0]).toBe('ecdsa-sha2-nistp256');
  });

  it('shows the ProxyCommand that will carry the connection', () => {
    writeFileSync(config, 'Host pc\n  ProxyCommand nc %h %p\n');
    const r = describeResolved(parseTarget('pc'), source);
    expect(r.problem).toBeUndefined();
    expect(r.proxyCommand).toBe('exec nc pc 22');
  });
});
