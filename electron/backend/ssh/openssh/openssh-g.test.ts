// VirtDeck's resolver against OpenSSH's own: each case writes a config, asks `ssh -G` what it
// would use, and compares field by field. Runs wherever `ssh` is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConfigEnv } from './config';
import { defaultConfigEnv, resolveSettings, type SshSettings } from './resolve';

const resolves = (name: string) => defaultConfigEnv().lookup(name, false) !== undefined;

const sshVersion = spawnSync('ssh', ['-V'], { encoding: 'utf8' });
const haveSsh = !sshVersion.error;
if (!haveSsh) console.warn('openssh: `ssh` is not installed; the ssh -G comparison is skipped');

interface Case {
  name: string;
  /** Files relative to a temp root; `config` is the user's file, `home/…` is $HOME. */
  files: Record<string, string>;
  target: string;
  port?: number;
  /** A system-wide file read after the user's. */
  system?: string;
  env?: Record<string, string>;
  /** ssh -G itself refuses: VirtDeck must refuse too. */
  fails?: boolean;
}

const TOKENS_LINE = 'userknownhostsfile %d/kh %u %i %L %l %C %k %n %r %p %h %%';

const cases: Case[] = [
  { name: 'lower-case keywords', files: { config: 'host kc\n user carol\n port 2206\n hostname 192.0.2.205\n' }, target: 'kc' },
  { name: 'mixed-case keywords', files: { config: 'HOST kc\n HOSTNAME 192.0.2.9\n UsEr Dave\n pORT 2201\n' }, target: 'kc' },
  { name: 'key=value forms', files: { config: 'Host=kc\nHostName=192.0.2.7\nPort = 2200\nUser =bob\nIdentityFile= /k/one\n' }, target: 'kc' },
  { name: 'double and single quotes', files: { config: 'Host kc\n IdentityFile "/tmp/with space/key"\n User \'erin\'\n CertificateFile "/c/a b"\n' }, target: 'kc' },
  { name: 'backslash escapes', files: { config: 'Host kc\n IdentityFile /tmp/a\\ b\n IdentityFile /tmp/c\\\\d\n' }, target: 'kc' },
  { name: 'comments and blank lines', files: { config: '# head\n\nHost kc # a comment\n   User alice # who\n\t# indented\n HostName 192.0.2.3\n' }, target: 'kc' },
  { name: 'first value wins across blocks', files: { config: 'Host kc\n User first\nHost *\n User second\n Port 2222\n' }, target: 'kc' },
  { name: 'Host * before the specific block wins', files: { config: 'Host *\n User everyone\nHost kc\n User carol\n' }, target: 'kc' },
  { name: 'IdentityFile accumulates in order', files: { config: 'Host kc\n IdentityFile /k/a\nHost k*\n IdentityFile /k/b\nHost *\n IdentityFile /k/c\n' }, target: 'kc' },
  { name: 'IdentityFile duplicates are skipped', files: { config: 'Host kc\n IdentityFile /k/a\n IdentityFile /k/b\nHost *\n IdentityFile /k/a\n' }, target: 'kc' },
  { name: 'CertificateFile accumulates', files: { config: 'Host kc\n CertificateFile /c/1\nHost *\n CertificateFile /c/2\n' }, target: 'kc' },
  { name: 'SendEnv accumulates', files: { config: 'Host kc\n SendEnv A B\nHost *\n SendEnv C\n' }, target: 'kc' },
  { name: 'LocalForward accumulates', files: { config: 'Host kc\n LocalForward 8080 h:22\nHost *\n LocalForward 127.0.0.1:8081 h2:23\n' }, target: 'kc' },
  { name: 'Host ? pattern', files: { config: 'Host hv?\n User q\nHost hv??\n User qq\n' }, target: 'hv1' },
  { name: 'Host list', files: { config: 'Host a b kc c\n User listed\n' }, target: 'kc' },
  { name: 'Host negation excludes', files: { config: 'Host * !kc\n User notkc\nHost *\n User other\n' }, target: 'kc' },
  { name: 'Host negation applies to others', files: { config: 'Host * !kc\n User notkc\n' }, target: 'zz' },
  { name: 'Host negation alone never matches', files: { config: 'Host !kc\n User never\n' }, target: 'zz' },
  { name: 'Host patterns are case-sensitive', files: { config: 'Host KC\n User upper\nHost kc\n User lower\n' }, target: 'kc' },
  { name: 'Match all', files: { config: 'Match all\n User everybody\n' }, target: 'kc' },
  { name: 'Match host sees HostName', files: { config: 'Host kc\n HostName 192.0.2.44\nMatch host 192.0.2.*\n User bymatch\n' }, target: 'kc' },
  { name: 'Match host with %h HostName', files: { config: 'Host kc\n HostName %h.lab.example\nMatch host *.lab.example\n Port 2022\n' }, target: 'kc' },
  { name: 'Match originalhost', files: { config: 'Host kc\n HostName 192.0.2.44\nMatch originalhost kc\n User orig\n' }, target: 'kc' },
  { name: 'Match host is case-insensitive', files: { config: 'Match host KC\n User folded\n' }, target: 'kc' },
  { name: 'Match user from the command line', files: { config: 'Match user root,admin\n Port 2200\n' }, target: 'admin@kc' },
  { name: 'Match user from an earlier User', files: { config: 'Host kc\n User carol\nMatch user car*\n Port 2201\n' }, target: 'kc' },
  { name: 'Match localuser', files: { config: `Match localuser ${userInfo().username}\n User local-${userInfo().username}\n` }, target: 'kc' },
  { name: 'Match negated criterion', files: { config: 'Match !host kc\n User notkc\nMatch !host zz\n Port 2300\n' }, target: 'kc' },
  { name: 'Match several criteria all needed', files: { config: 'Match host kc user nobody\n User one\nMatch host kc originalhost kc\n Port 2400\n' }, target: 'kc' },
  { name: 'Match canonical without canonicalisation', files: { config: 'Match canonical\n User canon\n' }, target: 'kc' },
  { name: 'Match canonical with CanonicalizeHostname yes', files: { config: 'CanonicalizeHostname yes\nMatch canonical host kc\n User canon\n' }, target: 'kc' },
  { name: 'Match final', files: { config: 'Match final\n User final\nMatch !final\n Port 2500\n' }, target: 'kc' },
  { name: 'final pass: Host compares with the final host name', files: { config: 'Host kc\n HostName realname\nHost realname\n User second-pass\nMatch final\n Port 2600\n' }, target: 'kc' },
  { name: 'final pass does not replace first values', files: { config: 'Host kc\n User pass1\nMatch final\n User pass2\n IdentityFile /k/final\n' }, target: 'kc' },
  { name: 'Match exec true and false', files: { config: 'Match exec true\n User ran\nMatch exec false\n Port 2700\n' }, target: 'kc' },
  { name: 'Match exec with tokens', files: { config: 'Host kc\n HostName %h.example.net\nMatch exec "test %h = kc.example.net -a %n = kc -a %p = 22"\n User tokens-ok\n' }, target: 'kc' },
  { name: 'Match exec %r %u %d %i', files: { config: `Match exec "test %r = zed -a %u = ${userInfo().username} -a %d = ${userInfo().homedir} -a %i = ${userInfo().uid}"\n Port 2800\n` }, target: 'zed@kc' },
  { name: 'Match exec not run after a failed criterion', files: { config: 'Match host nomatch exec true\n User no\nMatch exec "exit 3"\n User no2\n' }, target: 'kc' },
  { name: 'Match negated exec', files: { config: 'Match !exec false\n User negexec\n' }, target: 'kc' },
  { name: 'HostName %h token', files: { config: 'Host kc\n hostname %h.example.net\n' }, target: 'kc' },
  { name: 'HostName %% token and lower-casing', files: { config: 'Host kc\n HostName Mixed%%Case.EXAMPLE\n' }, target: 'kc' },
  { name: 'UserKnownHostsFile tokens', files: { config: `Host kc\n HostName 192.0.2.8\n User u1\n ${TOKENS_LINE}\n` }, target: 'kc' },
  { name: 'UserKnownHostsFile tokens with HostKeyAlias', files: { config: `Host kc\n HostKeyAlias alias-kc\n ${TOKENS_LINE}\n` }, target: 'kc' },
  { name: 'UserKnownHostsFile ${ENV} and ~', files: { config: 'Host kc\n UserKnownHostsFile ~/.ssh/kh_${VDTEST} /x/${VDTEST}_%h\n' }, target: 'kc', env: { VDTEST: 'envval' } },
  { name: 'ControlPath with %C', files: { config: 'Host kc\n ControlPath ~/.ssh/cm-%C\n' }, target: 'kc' },
  { name: 'RemoteCommand with tokens', files: { config: 'Host kc\n RemoteCommand echo %n %h %p %r\n' }, target: 'kc' },
  { name: 'Include relative to ~/.ssh', files: { config: 'Include inc.conf\nHost *\n User fallback\n', 'home/.ssh/inc.conf': 'Host kc\n HostName 192.0.2.61\n User inc\n' }, target: 'kc' },
  { name: 'Include glob in sorted order', files: { config: 'Include ~/.ssh/conf.d/*.conf\n', 'home/.ssh/conf.d/20-b.conf': 'Host kc\n User b\n Port 2020\n', 'home/.ssh/conf.d/10-a.conf': 'Host kc\n User a\n', 'home/.ssh/conf.d/.hidden.conf': 'Host kc\n IdentityFile /k/hidden\n' }, target: 'kc' },
  { name: 'Include inside an inactive Host block', files: { config: 'Host other\n Include ~/.ssh/inc.conf\nHost *\n User outer\n', 'home/.ssh/inc.conf': 'User inner\nHost *\n Port 2900\n' }, target: 'kc' },
  { name: 'Include inside an active Match keeps the block', files: { config: 'Match host kc\n Include ~/.ssh/inc.conf\n Port 2901\n', 'home/.ssh/inc.conf': 'User inner\nHost nothing\n IdentityFile /k/x\n' }, target: 'kc' },
  { name: 'Include of a missing file', files: { config: 'Include ~/.ssh/none.conf /nonexistent/*.conf\nUser still\n' }, target: 'kc' },
  { name: 'system file after the user file', files: { config: 'Host kc\n User fromuser\n' }, system: 'Host *\n User fromsystem\n Port 2222\n HashKnownHosts yes\n SendEnv LANG LC_*\n', target: 'kc' },
  { name: 'port and user on the command line win', files: { config: 'Host kc\n User cfg\n Port 2100\n' }, target: 'cli@kc', port: 2345 },
  { name: 'ProxyJump first stops ProxyCommand', files: { config: 'Host kc\n ProxyJump u@j1:2222,j2\n ProxyCommand nc %h %p\n' }, target: 'kc' },
  { name: 'ProxyCommand first stops ProxyJump', files: { config: 'Host kc\n ProxyCommand nc %h %p\n ProxyJump j1\n' }, target: 'kc' },
  { name: 'ProxyJump none', files: { config: 'Host kc\n ProxyJump none\nHost *\n ProxyJump j1\n' }, target: 'kc' },
  { name: 'HostKeyAlgorithms + and patterns', files: { config: 'Host kc\n HostKeyAlgorithms +ssh-dss,ssh-ed25519\n' }, target: 'kc' },
  { name: 'HostKeyAlgorithms - pattern', files: { config: 'Host kc\n HostKeyAlgorithms -ecdsa*\n' }, target: 'kc' },
  { name: 'HostKeyAlgorithms ^ prepend', files: { config: 'Host kc\n HostKeyAlgorithms ^ssh-rsa,ssh-ed25519\n' }, target: 'kc' },
  { name: 'HostKeyAlgorithms explicit list', files: { config: 'Host kc\n HostKeyAlgorithms ecdsa*,rsa-sha2-512,ssh-ed25519\n' }, target: 'kc' },
  { name: 'known-hosts and liveness keywords', files: { config: 'Host kc\n HashKnownHosts yes\n ServerAliveInterval 1m30s\n ServerAliveCountMax 5\n StrictHostKeyChecking accept-new\n ConnectTimeout 7\n IdentitiesOnly yes\n BatchMode yes\n GlobalKnownHostsFile /g/one /g/two\n' }, target: 'kc' },
  { name: 'StrictHostKeyChecking yes', files: { config: 'Host kc\n StrictHostKeyChecking yes\n' }, target: 'kc' },
  { name: 'StrictHostKeyChecking no', files: { config: 'Host kc\n stricthostkeychecking no\n' }, target: 'kc' },
  { name: 'defaults with an empty config', files: { config: '' }, target: 'kc' },
  { name: 'IgnoreUnknown lets an unknown keyword pass', files: { config: 'IgnoreUnknown UseKeychain,AddKeysToKeychain\nHost kc\n UseKeychain yes\n User known\n' }, target: 'kc' },
  { name: 'deprecated keywords are accepted', files: { config: 'Host kc\n Protocol 2\n UseRoaming no\n User dep\n' }, target: 'kc' },
  { name: 'ProxyJump in its ssh:// form', files: { config: 'Host kc\n ProxyJump ssh://u@j1:2200,j2\n' }, target: 'kc' },
  { name: 'quoted values with spaces', files: { config: 'Host kc\n User "a b"\n HostName "x y"\n' }, target: 'kc' },
  { name: 'Match final sees the final HostName', files: { config: 'Host kc\n HostName %h.final.example\nMatch final host *.final.example\n User final-host\n' }, target: 'kc' },
  { name: 'CanonicalizeHostname: no domain resolves, the name stays', files: { config: 'CanonicalizeHostname yes\nCanonicalDomains nope.invalid also.invalid\nHost kc.nope.invalid\n User wrong\nMatch canonical\n Port 3001\n' }, target: 'kc' },
  { name: 'CanonicalizeHostname: CanonicalizeFallbackLocal no refuses', files: { config: 'CanonicalizeHostname yes\nCanonicalizeFallbackLocal no\nCanonicalDomains nope.invalid\n' }, target: 'kc', fails: true },
  { name: 'CanonicalizeHostname: more dots than CanonicalizeMaxDots are left alone', files: { config: 'CanonicalizeHostname yes\nCanonicalizeFallbackLocal no\nCanonicalizeMaxDots 1\nCanonicalDomains nope.invalid\n' }, target: 'a.b.c' },
  { name: 'CanonicalizeHostname: CanonicalDomains none', files: { config: 'CanonicalizeHostname yes\nCanonicalizeFallbackLocal no\nCanonicalDomains none\n' }, target: 'kc', fails: true },
  { name: 'CanonicalizeHostname yes is skipped through a ProxyJump', files: { config: 'CanonicalizeHostname yes\nCanonicalizeFallbackLocal no\nCanonicalDomains nope.invalid\nHost kc\n ProxyJump j1\n' }, target: 'kc' },
  { name: 'CanonicalizeHostname always applies through a ProxyJump', files: { config: 'CanonicalizeHostname always\nCanonicalizeFallbackLocal no\nCanonicalDomains nope.invalid\nHost kc\n ProxyJump j1\n' }, target: 'kc', fails: true },
  { name: 'CanonicalizeHostname: an anchored name is looked up as written', files: { config: 'CanonicalizeHostname yes\nCanonicalizeFallbackLocal no\n' }, target: 'localhost.', fails: !resolves('localhost.') },
  { name: 'CanonicalizePermittedCNAMEs: a name that does not resolve is refused', files: { config: 'CanonicalizePermittedCNAMEs *.a:*.b\n' }, target: 'nosuch.invalid', fails: true },
  { name: 'CanonicalizePermittedCNAMEs: a name that resolves goes on', files: { config: 'CanonicalizeHostname yes\nCanonicalizePermittedCNAMEs *:*\n' }, target: 'localhost' },
  { name: 'addresses take their standard form', files: { config: 'Host kc\n HostName 127.1\nHost kd\n HostName 2001:DB8:0::1\n' }, target: 'kc' },
  { name: 'an IPv6 address on the command line is shortened', files: { config: '' }, target: '2001:DB8:0:0::7' },
  { name: 'a hex IPv4 address is written out', files: { config: 'Host kc\n HostName 0x7f.0.0.2\n' }, target: 'kc' },
  { name: 'a mixed-case HostName is lower-cased', files: { config: 'Host kc\n HostName MixedCase.EXAMPLE\n' }, target: 'kc' },
  { name: 'a jump hop resolved with its command-line user and port', files: { config: 'Host j1\n HostName 192.0.2.11\n User cfg\n Port 2200\n IdentityFile /k/j1\n' }, target: 'u@j1', port: 2222 },
];

const FIELDS: Array<[string, (s: SshSettings) => string[] | undefined]> = [
  ['hostname', (s) => [s.hostName]],
  ['user', (s) => [s.user]],
  ['port', (s) => [String(s.port)]],
  ['identityfile', (s) => s.identityFiles],
  ['certificatefile', (s) => s.certificateFiles],
  ['identitiesonly', (s) => [s.identitiesOnly ? 'yes' : 'no']],
  ['userknownhostsfile', (s) => [s.userKnownHostsFiles.join(' ')]],
  ['globalknownhostsfile', (s) => [s.globalKnownHostsFiles.join(' ')]],
  ['proxyjump', (s) => (s.proxyJump ? [s.proxyJump] : [])],
  ['proxycommand', (s) => (s.proxyCommand ? [s.proxyCommand] : [])],
  ['hostkeyalias', (s) => (s.hostKeyAlias ? [s.hostKeyAlias] : [])],
  ['hostkeyalgorithms', (s) => [s.hostKeyAlgorithms.join(',')]],
  ['hashknownhosts', (s) => [s.hashKnownHosts ? 'yes' : 'no']],
  ['serveraliveinterval', (s) => [String(s.serverAliveInterval)]],
  ['serveralivecountmax', (s) => [String(s.serverAliveCountMax)]],
  ['stricthostkeychecking', (s) => [s.strictHostKeyChecking]],
  ['connecttimeout', (s) => [s.connectTimeout === undefined ? 'none' : String(s.connectTimeout)]],
  ['batchmode', (s) => [s.batchMode ? 'yes' : 'no']],
  ['controlpath', (s) => (s.controlPath ? [s.controlPath] : [])],
  ['remotecommand', (s) => (s.remoteCommand ? [s.remoteCommand] : [])],
  ['localforward', (s) => s.localForwards],
  ['sendenv', (s) => s.sendEnv],
];

function writeTree(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text, { mode: 0o600 });
  }
}

function sshG(c: Case, root: string, configFile: string, env: Record<string, string>): Record<string, string[]> {
  const at = c.target.lastIndexOf('@');
  const args = ['-G', '-F', configFile, ...(c.port ? ['-p', String(c.port)] : []), ...(at >= 0 ? ['-l', c.target.slice(0, at)] : []), c.target.slice(at + 1)];
  const r = spawnSync('ssh', args, { cwd: root, env, encoding: 'utf8' });
  if (Boolean(c.fails) !== (r.status !== 0)) throw new Error(`ssh -G ${r.status === 0 ? 'succeeded' : 'failed'} for "${c.name}": ${r.stderr}`);
  const out: Record<string, string[]> = {};
  for (const line of r.stdout.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp > 0) (out[line.slice(0, sp)] ??= []).push(line.slice(sp + 1));
  }
  return out;
}

describe.skipIf(!haveSsh)('openssh: resolved settings equal ssh -G', () => {
  it('has at least 40 configs', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  for (const c of cases) {
    it(`openssh ${c.name}`, () => {
      const root = mkdtempSync(join(tmpdir(), 'vd-openssh-'));
      const home = join(root, 'home');
      mkdirSync(join(home, '.ssh'), { recursive: true });
      writeTree(root, c.files);
      const env = { ...process.env, HOME: home, ...c.env } as Record<string, string>;
      let sshConfig = join(root, 'config');
      let system: string | undefined;
      if (c.system !== undefined) {
        // ssh -F reads no system file: a wrapper includes both, in OpenSSH's order.
        system = join(root, 'etc', 'ssh_config');
        writeTree(root, { 'etc/ssh_config': c.system, wrapper: `Include ${sshConfig}\nInclude ${system}\n` });
        sshConfig = join(root, 'wrapper');
      }
      const expected = sshG(c, root, sshConfig, env);
      const base = defaultConfigEnv();
      const configEnv: ConfigEnv = { ...base, globHome: home, localHostname: hostname(), env, systemDir: join(root, 'etc') };
      const at = c.target.lastIndexOf('@');
      const target = { host: c.target.slice(at + 1), user: at >= 0 ? c.target.slice(0, at) : undefined, port: c.port };
      const sources = { userConfig: join(root, 'config'), systemConfig: system };
      if (c.fails) {
        expect(() => resolveSettings(target, sources, configEnv)).toThrow(/Could not resolve/);
        return;
      }
      const got = resolveSettings(target, sources, configEnv);
      for (const [field, read] of FIELDS) {
        expect({ field, value: read(got) }).toEqual({ field, value: expected[field] ?? [] });
      }
      expect(existsSync(root)).toBe(true);
    });
  }
});
