import SSHConfig from 'ssh-config';
import { describe, expect, it } from 'vitest';
import { parseTarget, resolveHost } from './target';

describe('parseTarget', () => {
  it('reads the forms an admin types', () => {
    expect(parseTarget('hv1')).toEqual({ user: undefined, host: 'hv1', port: undefined });
    expect(parseTarget('admin@192.0.2.11:2222')).toEqual({ user: 'admin', host: '192.0.2.11', port: 2222 });
    expect(parseTarget('qemu+ssh://root@hv2:2200/system')).toEqual({ user: 'root', host: 'hv2', port: 2200, libvirtUri: 'qemu:///system' });
    expect(parseTarget('qemu+ssh://hv3/session')).toMatchObject({ host: 'hv3', libvirtUri: 'qemu:///session' });
  });

  it('takes `local` and host-less libvirt URIs as this machine, without SSH', () => {
    expect(parseTarget('local')).toEqual({ local: true, host: 'localhost', libvirtUri: 'qemu:///system' });
    expect(parseTarget('qemu:///session')).toEqual({ local: true, host: 'localhost', libvirtUri: 'qemu:///session' });
  });

  it('rejects input that is not a host, with a clear message', () => {
    expect(() => parseTarget('')).toThrow(/Enter a host/);
    expect(() => parseTarget('a b')).toThrow(/Not a host/);
    expect(() => parseTarget('hv1; rm -rf /')).toThrow(/Not a host/);
    expect(() => parseTarget('hv1:99999')).toThrow(/Port out of range/);
  });
});

describe('resolveHost', () => {
  const config = SSHConfig.parse(`
Host hv*
  User virtdeck
  IdentityFile /keys/lab
  IdentitiesOnly yes
  UserKnownHostsFile /lab/known_hosts

Host hv1
  HostName 192.0.2.11
  Port 2222
`);

  it('applies aliases and patterns, explicit values first', () => {
    const r = resolveHost(parseTarget('hv1'), config, 'me');
    expect(r).toMatchObject({ hostName: '192.0.2.11', port: 2222, user: 'virtdeck', identityFiles: ['/keys/lab'], knownHostsFiles: ['/lab/known_hosts'] });
    expect(resolveHost(parseTarget('root@hv1:22'), config, 'me')).toMatchObject({ user: 'root', port: 22 });
  });

  it('falls back to the local user and OpenSSH defaults', () => {
    const r = resolveHost(parseTarget('elsewhere'), config, 'me');
    expect(r).toMatchObject({ hostName: 'elsewhere', port: 22, user: 'me', identitiesOnly: false });
    expect(r.identityFiles.some((f) => f.endsWith('.ssh/id_ed25519'))).toBe(true);
  });
});

describe('parseTarget and libvirt URIs', () => {
  it('refuses URIs that could start a program or skip checks, through the one URI check', () => {
    expect(() => parseTarget('qemu+ext:///system?command=/bin/x')).toThrow(/runs a program/);
    expect(() => parseTarget('qemu+ssh://hv1/system?no_verify=1')).toThrow(/no_verify/);
    expect(() => parseTarget('qemu+ssh://hv1/system?socket=/x')).toThrow(/socket/);
    expect(() => parseTarget('qemu:///embed')).toThrow(/connects only to/);
  });

  it('honours keyfile= of a qemu+ssh:// target as the first identity', () => {
    const t = parseTarget('qemu+ssh://root@hv1/system?keyfile=/k/id');
    expect(t).toMatchObject({ user: 'root', host: 'hv1', libvirtUri: 'qemu:///system', identityFile: '/k/id' });
    expect(resolveHost(t, SSHConfig.parse('Host hv1\n  IdentityFile /cfg/key\n'), 'me').identityFiles.slice(0, 2)).toEqual(['/k/id', '/cfg/key']);
  });
});
