// Host key verdicts against a real sshd with ed25519, ECDSA and RSA host keys: VirtDeck's dial
// must accept and refuse exactly where `ssh -o BatchMode=yes -o StrictHostKeyChecking=yes` does,
// with the same config and known_hosts files.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dial } from './dial';
import { defaultConfigEnv } from './openssh/resolve';
import type { PromptBroker } from './prompts';
import { SessionSecrets } from './secrets';
import { parseTarget, resolveHost } from './target';

const SSHD = '/usr/sbin/sshd';
const canRun = existsSync(SSHD) && !spawnSync('ssh', ['-V']).error && process.getuid?.() === 0;
if (!canRun) console.warn('openssh host keys: needs root, /usr/sbin/sshd and ssh; skipped');

const dir = mkdtempSync(join(tmpdir(), 'vd-openssh-sshd-'));
let sshd: ChildProcess | undefined;
let port = 0;
const pub: Record<string, string> = {};

function keygen(name: string, type: string): string {
  const file = join(dir, name);
  spawnSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file], { stdio: 'ignore' });
  return readFileSync(`${file}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
}

const hashed = (name: string) => {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
};

beforeAll(async () => {
  if (!canRun) return;
  for (const t of ['ed25519', 'ecdsa', 'rsa']) pub[t] = keygen(`host_${t}`, t);
  pub.otherEcdsa = keygen('other_ecdsa', 'ecdsa');
  port = await freePort();
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation directory
  writeFileSync(
    join(dir, 'sshd_config'),
    [`ListenAddress 127.0.0.1`, `Port ${port}`, ...['ed25519', 'ecdsa', 'rsa'].map((t) => `HostKey ${join(dir, `host_${t}`)}`), 'PidFile none', 'UsePAM no', 'AuthorizedKeysFile none', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no'].join('\n') + '\n',
  );
  sshd = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const probe = spawnSync('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`]);
    if (probe.status === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('sshd did not start');
});

afterAll(() => {
  sshd?.kill();
});

type Verdict = 'accepted' | 'refused';

/** ssh's verdict: past the host key check, authentication is what fails. */
function sshVerdict(config: string): { verdict: Verdict; text: string } {
  const r = spawnSync('ssh', ['-F', config, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', 't', 'true'], { encoding: 'utf8', timeout: 20_000 });
  if (/Permission denied/.test(r.stderr)) return { verdict: 'accepted', text: r.stderr };
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|REVOKED HOST KEY/.test(r.stderr)) return { verdict: 'refused', text: r.stderr };
  throw new Error(`ssh gave neither verdict: ${r.stderr}`);
}

/** VirtDeck's verdict, a person declining every question as BatchMode does. */
async function virtdeckVerdict(config: string): Promise<{ verdict: Verdict; text: string; asked: string[] }> {
  const asked: string[] = [];
  const prompts = { ask: async (q: { kind: string }) => (asked.push(q.kind), null) } as unknown as PromptBroker;
  const host = resolveHost(parseTarget('t'), { userConfig: config }, defaultConfigEnv());
  try {
    const chain = await dial(host, { hostId: 't', prompts, secrets: new SessionSecrets() });
    for (const c of chain) c.end();
    return { verdict: 'accepted', text: 'logged in', asked };
  } catch (err) {
    const text = (err as Error).message;
    if (/^Authentication (failed|cancelled)/.test(text)) return { verdict: 'accepted', text, asked };
    if (/HAS CHANGED|revoked|was not accepted/.test(text)) return { verdict: 'refused', text, asked };
    throw new Error(`VirtDeck gave neither verdict: ${text}`);
  }
}

interface HostKeyCase {
  name: string;
  knownHosts: (name: string) => string;
  extraConfig?: string;
  expected: Verdict;
  /** What VirtDeck's refusal must say. */
  says?: RegExp;
}

const cases: HostKeyCase[] = [
  { name: 'known only by its ECDSA key', knownHosts: (n) => `${n} ${pub.ecdsa}\n`, expected: 'accepted' },
  { name: 'known only by its RSA key', knownHosts: (n) => `${n} ${pub.rsa}\n`, expected: 'accepted' },
  { name: 'ECDSA key on a hashed line', knownHosts: (n) => `${hashed(n)} ${pub.ecdsa}\n`, expected: 'accepted' },
  { name: 'RSA key on a hashed line', knownHosts: (n) => `${hashed(n)} ${pub.rsa}\n`, expected: 'accepted' },
  { name: 'ECDSA key under a wildcard pattern', knownHosts: () => `[127.0.0.*]:* ${pub.ecdsa}\n`, expected: 'accepted' },
  { name: 'ECDSA key under a negated pattern', knownHosts: (n) => `*,!${n} ${pub.ecdsa}\n`, expected: 'refused', says: /was not accepted/ },
  { name: 'ECDSA key revoked', knownHosts: (n) => `@revoked ${n} ${pub.ecdsa}\n${n} ${pub.ecdsa}\n`, expected: 'refused', says: /revoked at .*known_hosts_\d+:1\./ },
  { name: 'a revoked ed25519 key beside a good ECDSA key', knownHosts: (n) => `@revoked * ${pub.ed25519}\n${n} ${pub.ecdsa}\n`, expected: 'accepted' },
  { name: 'a different ECDSA key on file: changed', knownHosts: (n) => `# old\n${n} ${pub.otherEcdsa}\n`, expected: 'refused', says: /HAS CHANGED.*known_hosts_\d+:2\./ },
  { name: 'good ed25519 key beside a wrong ECDSA key', knownHosts: (n) => `${n} ${pub.otherEcdsa}\n${n} ${pub.ed25519}\n`, expected: 'accepted' },
  { name: 'nothing on file', knownHosts: () => '', expected: 'refused', says: /was not accepted/ },
  { name: 'only a line for another port', knownHosts: () => `[127.0.0.1]:1 ${pub.ecdsa}\n`, expected: 'refused' },
  { name: 'HostKeyAlgorithms excludes the type on file', knownHosts: (n) => `${n} ${pub.ecdsa}\n`, extraConfig: '  HostKeyAlgorithms rsa-sha2-512,ssh-ed25519\n', expected: 'refused' },
  { name: 'HostKeyAlgorithms -ecdsa* with RSA on file', knownHosts: (n) => `${n} ${pub.rsa}\n`, extraConfig: '  HostKeyAlgorithms -ecdsa*\n', expected: 'accepted' },
  { name: 'the key in known_hosts2 of the default list', knownHosts: () => '', extraConfig: 'KH2', expected: 'accepted' },
];

describe.skipIf(!canRun)('openssh host key verdicts against a real sshd', () => {
  for (const [i, c] of cases.entries()) {
    it(`openssh ${c.name}: ${c.expected}, as ssh decides`, async () => {
      const name = `[127.0.0.1]:${port}`;
      const kh = join(dir, `known_hosts_${i}`);
      writeFileSync(kh, c.knownHosts(name));
      let files = kh;
      let extra = c.extraConfig ?? '';
      if (extra === 'KH2') {
        writeFileSync(`${kh}_2`, `${name} ${pub.ecdsa}\n`);
        files = `${kh} ${kh}_2`;
        extra = '';
      }
      const config = join(dir, `config_${i}`);
      writeFileSync(config, `Host t\n  HostName 127.0.0.1\n  Port ${port}\n  User nobody\n  IdentitiesOnly yes\n  IdentityFile ${join(dir, 'no-such-key')}\n  UserKnownHostsFile ${files}\n  GlobalKnownHostsFile /dev/null\n${extra}`);
      const ssh = sshVerdict(config);
      const ours = await virtdeckVerdict(config);
      expect({ ssh: ssh.verdict, virtdeck: ours.verdict, text: ours.verdict === c.expected ? '' : ours.text }).toEqual({ ssh: c.expected, virtdeck: c.expected, text: '' });
      if (c.says) expect(ours.text).toMatch(c.says);
      // Accepted silently: no question about the host key was put to the person.
      if (c.expected === 'accepted') expect(ours.asked).not.toContain('host-key');
    }, 30_000);
  }
});

// StrictHostKeyChecking, each value against each state of known_hosts: ssh with that option (and
// BatchMode, so "ask" is declined) and VirtDeck with the same line in its config, each with its
// own copy of known_hosts; both must connect or refuse alike, and add a line alike.
const strictModes = ['yes', 'ask', 'accept-new', 'no', 'off'] as const;
const strictStates: Array<{ state: string; knownHosts: (n: string) => string }> = [
  { state: 'unknown host', knownHosts: () => '' },
  { state: 'changed key', knownHosts: (n) => `${n} ${pub.otherEcdsa}\n` },
  { state: 'revoked key', knownHosts: (n) => `@revoked ${n} ${pub.ed25519}\n@revoked ${n} ${pub.ecdsa}\n@revoked ${n} ${pub.rsa}\n` },
];
const expectedStrict = (mode: string, state: string): Verdict =>
  state === 'unknown host' ? (mode === 'yes' || mode === 'ask' ? 'refused' : 'accepted') : mode === 'no' || mode === 'off' ? 'accepted' : 'refused';

describe.skipIf(!canRun)('openssh StrictHostKeyChecking against a real sshd and ssh', () => {
  let n = 0;
  for (const mode of strictModes) {
    for (const { state, knownHosts } of strictStates) {
      it(`openssh StrictHostKeyChecking ${mode}, ${state}: ${expectedStrict(mode, state)}, as ssh decides`, async () => {
        const i = n++;
        const name = `[127.0.0.1]:${port}`;
        const files = { ssh: join(dir, `strict_ssh_${i}`), ours: join(dir, `strict_ours_${i}`) };
        const config = (kh: string) => {
          const file = join(dir, `strict_config_${i}_${kh === files.ssh ? 'ssh' : 'ours'}`);
          writeFileSync(file, `Host t\n  HostName 127.0.0.1\n  Port ${port}\n  User nobody\n  IdentitiesOnly yes\n  IdentityFile ${join(dir, 'no-such-key')}\n  UserKnownHostsFile ${kh}\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking ${mode}\n`);
          return file;
        };
        for (const f of Object.values(files)) writeFileSync(f, knownHosts(name));
        const r = spawnSync('ssh', ['-F', config(files.ssh), '-o', 'BatchMode=yes', 't', 'true'], { encoding: 'utf8', timeout: 20_000 });
        const ssh: Verdict = /Permission denied/.test(r.stderr) ? 'accepted' : 'refused';
        const ours = await virtdeckVerdictStrict(config(files.ours));
        expect({ ssh, virtdeck: ours.verdict }).toEqual({ ssh: expectedStrict(mode, state), virtdeck: expectedStrict(mode, state) });
        // The same lines added (ssh may hash by its default; compare the keys, not the names).
        const keys = (f: string) => readFileSync(f, 'utf8').split('\n').filter((l) => l && !l.startsWith('@')).map((l) => l.split(' ').slice(1).join(' '));
        expect(keys(files.ours)).toEqual(keys(files.ssh));
        // Never a question under yes, accept-new or no; a refusal says why.
        if (mode !== 'ask') expect(ours.asked).not.toContain('host-key');
        if (mode === 'yes' && state === 'unknown host') expect(ours.text).toMatch(/No ED25519 host key is known for .* StrictHostKeyChecking is yes/);
        if (ours.verdict === 'accepted' && state !== 'unknown host') expect(ours.warnings.join(' ')).toMatch(/(HAS CHANGED|REVOKED).*without password/);
        if (ours.verdict === 'accepted' && state === 'unknown host') expect(ours.warnings.join(' ')).toMatch(/Permanently added/);
      }, 30_000);
    }
  }
});

async function virtdeckVerdictStrict(config: string): Promise<{ verdict: Verdict; text: string; asked: string[]; warnings: string[] }> {
  const asked: string[] = [];
  const warnings: string[] = [];
  const prompts = { ask: async (q: { kind: string }) => (asked.push(q.kind), null) } as unknown as PromptBroker;
  const host = resolveHost(parseTarget('t'), { userConfig: config }, defaultConfigEnv());
  try {
    const chain = await dial(host, { hostId: 't', prompts, secrets: new SessionSecrets(), warn: (w) => warnings.push(w) });
    for (const c of chain) c.end();
    return { verdict: 'accepted', text: 'logged in', asked, warnings };
  } catch (err) {
    const text = (err as Error).message;
    return { verdict: /^Authentication (failed|cancelled)/.test(text) ? 'accepted' : 'refused', text, asked, warnings };
  }
}
