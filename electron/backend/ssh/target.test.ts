import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfigEnv } from './openssh/resolve';
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

function configFile(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vd-target-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return join(dir, 'config');
}

const env = { ...defaultConfigEnv(), globHome: '/nonexistent-home' };

describe('resolveHost', () => {
  const config = configFile({
    config: `
Host hv*
  User virtdeck
  IdentityFile /keys/lab
  IdentitiesOnly yes
  UserKnownHostsFile /lab/known_hosts

Host hv1
  HostName 192.0.2.11
  Port 2222
`,
  });

  it('applies aliases and patterns, explicit values first', () => {
    const r = resolveHost(parseTarget('hv1'), { userConfig: config }, env);
    expect(r).toMatchObject({ hostName: '192.0.2.11', port: 2222, user: 'virtdeck', identityFiles: ['/keys/lab'], knownHostsFiles: ['/lab/known_hosts'] });
    expect(resolveHost(parseTarget('root@hv1:22'), { userConfig: config }, env)).toMatchObject({ user: 'root', port: 22 });
  });

  it('falls back to the local user and OpenSSH defaults', () => {
    const r = resolveHost(parseTarget('elsewhere'), { userConfig: config }, env);
    expect(r).toMatchObject({ hostName: 'elsewhere', port: 22, user: env.localUser, identitiesOnly: false });
    expect(r.identityFiles[0]).toBe(join(env.home, '.ssh/id_rsa'));
    expect(r.knownHostsFiles).toEqual([join(env.home, '.ssh/known_hosts'), join(env.home, '.ssh/known_hosts2')]);
    expect(r.globalKnownHostsFiles).toEqual(['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']);
  });

  it('goes through ProxyJump hops as ssh -J does: only the first hop keeps its own ProxyJump', () => {
    const cfg = configFile({
      config: 'Host far\n  HostName 10.9.9.9\n  ProxyJump hv1,ops@bastion:2222\nHost bastion\n  HostName 198.51.100.7\n  ProxyJump hv9\nHost hv1\n  HostName 192.0.2.11\n  ProxyJump gate\nHost gate\n  HostName 192.0.2.99\n',
    });
    const far = resolveHost(parseTarget('far'), { userConfig: cfg }, env);
    expect(far.jumps.map((j) => `${j.user}@${j.hostName}:${j.port}`)).toEqual([`${env.localUser}@192.0.2.99:22`, `${env.localUser}@192.0.2.11:22`, 'ops@198.51.100.7:2222']);
  });

  it('refuses a ProxyJump loop instead of recursing forever', () => {
    const loop = configFile({ config: 'Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n' });
    expect(() => resolveHost(parseTarget('a'), { userConfig: loop }, env)).toThrow(/ProxyJump: more than/);
  });

  it('refuses an Include loop, naming the file', () => {
    const loop = configFile({ config: '' });
    writeFileSync(loop, `Include ${loop}\n`);
    expect(() => resolveHost(parseTarget('x'), { userConfig: loop }, env)).toThrow(/too many recursive configuration includes/);
  });

  it('runs a ProxyCommand as ssh does: exec, with %h %p %r %n %k %% expanded', () => {
    const cfg = configFile({ config: 'Host pc\n  HostName 192.0.2.9\n  User u\n  ProxyCommand ssh -W %h:%p -l %r bastion # %n %k %%\n' });
    expect(resolveHost(parseTarget('pc'), { userConfig: cfg }, env).proxyCommand).toBe('exec ssh -W 192.0.2.9:22 -l u bastion # pc pc %');
  });

  it('runs the first hop\'s ProxyCommand, not a later hop\'s', () => {
    const cfg = configFile({ config: 'Host t\n  ProxyJump j1,j2\nHost j1\n  ProxyCommand nc %h %p\nHost j2\n  ProxyCommand false\n' });
    const r = resolveHost(parseTarget('t'), { userConfig: cfg }, env);
    expect(r.jumps.map((j) => [j.alias, j.proxyCommand])).toEqual([['j1', 'exec nc j1 22'], ['j2', undefined]]);
    expect(r.proxyCommand).toBeUndefined();
  });

  it('refuses a ProxyCommand that would hand shell syntax from the typed name to the shell', () => {
    const cfg = configFile({ config: 'Host *\n  ProxyCommand nc %h %p\n' });
    expect(() => resolveHost({ host: 'a;id' }, { userConfig: cfg }, env)).toThrow(/ProxyCommand at .*config:2.*shell characters/);
  });

  it('refuses an unknown token in a ProxyCommand, as ssh does', () => {
    const cfg = configFile({ config: 'Host pc\n  ProxyCommand nc %h %u\n' });
    expect(() => resolveHost(parseTarget('pc'), { userConfig: cfg }, env)).toThrow(/unknown token %u/);
  });

  it('refuses a Match exec that would hand shell syntax from the typed name to the shell', () => {
    const cfg = configFile({ config: 'Match exec "test %h = x"\n  User y\n' });
    expect(() => resolveHost({ host: 'a$(id)b' }, { userConfig: cfg }, env)).toThrow(/config:1.*refusing a name with shell characters/);
  });

  it('reads the system file after the user file, with its relative Includes under the system directory', () => {
    const user = configFile({ config: 'Host kc\n  User fromuser\n' });
    const sys = configFile({ config: 'Include ssh_config.d/*.conf\nHost *\n  User fromsystem\n  Port 2022\n', 'ssh_config.d/a.conf': 'HashKnownHosts yes\n' });
    const r = resolveHost(parseTarget('kc'), { userConfig: user, systemConfig: sys }, { ...env, systemDir: dirname(sys) });
    expect(r).toMatchObject({ user: 'fromuser', port: 2022, hashKnownHosts: true });
    expect(() => resolveHost(parseTarget('kc'), { userConfig: user, systemConfig: configFile({ config: 'Include ~/x\n' }) }, env)).toThrow(/bad include path/);
  });

  it('honours Match tagged (OpenSSH 9.4) on the Tag keyword', () => {
    const cfg = configFile({ config: 'Host kc\n  Tag lab\nMatch tagged lab\n  User tagged\nMatch !tagged lab\n  Port 2000\n' });
    expect(resolveHost(parseTarget('kc'), { userConfig: cfg }, env)).toMatchObject({ user: 'tagged', port: 22 });
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
    expect(resolveHost(t, { userConfig: configFile({ config: 'Host hv1\n  IdentityFile /cfg/key\n' }) }, env).identityFiles.slice(0, 2)).toEqual(['/k/id', '/cfg/key']);
  });
});
