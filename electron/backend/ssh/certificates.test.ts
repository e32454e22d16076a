// Certificates made by OpenSSH's own ssh-keygen, read back by ours; then logins with them through
// ssh2 against a real sshd (on 127.0.0.1) that trusts only the user CA, from files and from a
// real ssh-agent. Skipped where OpenSSH is not installed.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type AnyAuthMethod, type ParsedKey } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAwareAgent, parseIdentitiesAnswer } from './cert-agent.js';
import { dial } from './dial.js';
import { defaultConfigEnv } from './openssh/resolve.js';
import type { PromptBroker } from './prompts.js';
import type { SecretStore } from './secrets.js';
import { parseTarget, resolveHost } from './target.js';
import { certifiedKey, installCertificateAuth } from './cert-auth.js';
import { certificateAlgorithm, parseCertificateLine, readCertificateFile, validityProblem } from './certificates.js';

const SSHD = '/usr/sbin/sshd';
const haveOpenSsh = spawnSync('ssh-keygen', ['-?']).error === undefined && existsSync(SSHD);
const dir = mkdtempSync(join(tmpdir(), 'vd-certs-'));
const keygen = (...args: string[]) => execFileSync('ssh-keygen', ['-q', ...args], { stdio: 'pipe' });
const me = () => execFileSync('id', ['-un']).toString().trim();

function newKey(name: string, type: string) {
  keygen('-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', join(dir, name));
  return join(dir, name);
}
/** Sign `key`.pub with the CA `ca`; extra ssh-keygen options such as -V, -n, -O, -h. */
function sign(ca: string, key: string, id: string, ...opts: string[]) {
  keygen('-s', ca, '-I', id, ...opts, `${key}.pub`);
  return `${key}-cert.pub`;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!haveOpenSsh)('OpenSSH certificates read back', () => {
  let ca: string;
  beforeAll(() => {
    ca = newKey('ca', 'ed25519');
  });

  it('a user certificate: id, serial, principals, window, options, and the key it certifies', () => {
    const key = newKey('u1', 'ed25519');
    const cert = readCertificateFile(sign(ca, key, 'alice@corp', '-z', '42', '-n', 'alice,root', '-V', '20300101:20300201', '-O', 'force-command=/bin/true', '-O', 'no-pty'))!;
    expect(cert).toMatchObject({ type: 'ssh-ed25519-cert-v01@openssh.com', keyType: 'ssh-ed25519', role: 'user', keyId: 'alice@corp', serial: 42n, principals: ['alice', 'root'] });
    expect(cert.criticalOptions).toEqual(['force-command']);
    expect(cert.extensions).not.toContain('permit-pty');
    // The certified key is exactly the plain public key ssh-keygen wrote beside it.
    const plain = readFileSync(`${key}.pub`, 'utf8').split(' ')[1]!;
    expect(cert.publicKey.toString('base64')).toBe(plain);
    expect(cert.signatureKey.toString('base64')).toBe(readFileSync(`${ca}.pub`, 'utf8').split(' ')[1]);
    // Its window, against ssh-keygen's own reading of it.
    const shown = execFileSync('ssh-keygen', ['-L', '-f', `${key}-cert.pub`]).toString();
    expect(shown).toContain('Valid: from 2030-01-01T00:00:00 to 2030-02-01T00:00:00');
    expect(validityProblem(cert, BigInt(Date.UTC(2030, 0, 15) / 1000))).toBeUndefined();
    expect(validityProblem(cert, BigInt(Date.UTC(2029, 11, 31) / 1000))).toMatch(/not valid before 2030-01-01/);
    expect(validityProblem(cert, BigInt(Date.UTC(2030, 1, 2) / 1000))).toMatch(/expired at 2030-02-01/);
  });

  it('host, RSA and ECDSA certificates; "forever" has no end', () => {
    const host = readCertificateFile(sign(ca, newKey('h1', 'ecdsa'), 'hv1', '-h', '-n', 'hv1.example.org'))!;
    expect(host).toMatchObject({ role: 'host', type: 'ecdsa-sha2-nistp256-cert-v01@openssh.com', principals: ['hv1.example.org'] });
    expect(validityProblem(host)).toBeUndefined();
    const rsa = readCertificateFile(sign(ca, newKey('r1', 'rsa'), 'r'))!;
    expect(rsa.keyType).toBe('ssh-rsa');
    expect(certificateAlgorithm(rsa)).toEqual({ offer: 'rsa-sha2-512-cert-v01@openssh.com', signature: 'rsa-sha2-512', hash: 'sha512' });
    expect(certificateAlgorithm(host)).toEqual({ offer: host.type, signature: 'ecdsa-sha2-nistp256' });
  });

  it('refuses what is not a certificate, or a damaged one, with the reason', () => {
    const key = newKey('p1', 'ed25519');
    expect(() => parseCertificateLine(readFileSync(`${key}.pub`, 'utf8'))).toThrow(/not an OpenSSH certificate/);
    const line = readFileSync(sign(ca, key, 'x'), 'utf8').split(' ');
    const blob = Buffer.from(line[1]!, 'base64');
    expect(() => parseCertificateLine(`${line[0]} ${blob.subarray(0, blob.length - 10).toString('base64')}`)).toThrow(/truncated/);
    expect(() => parseCertificateLine(`ssh-rsa-cert-v01@openssh.com ${line[1]}`)).toThrow(/says ssh-rsa-cert/);
    expect(readCertificateFile(join(dir, 'absent-cert.pub'))).toBeUndefined();
  });
});

describe('agent identity answers', () => {
  it('reads blobs and comments, and refuses a malformed answer', () => {
    const str = (b: Buffer) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      return Buffer.concat([len, b]);
    };
    const msg = Buffer.concat([Buffer.from([12, 0, 0, 0, 2]), str(Buffer.from('blob-1')), str(Buffer.from('first')), str(Buffer.from('b2')), str(Buffer.from('ünï'))]);
    expect(parseIdentitiesAnswer(msg)).toEqual([
      { blob: Buffer.from('blob-1'), comment: 'first' },
      { blob: Buffer.from('b2'), comment: 'ünï' },
    ]);
    expect(() => parseIdentitiesAnswer(Buffer.from([5]))).toThrow(/refused/);
    expect(() => parseIdentitiesAnswer(msg.subarray(0, msg.length - 2))).toThrow(/malformed/);
  });
});

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(!haveOpenSsh)('logging in with a certificate (real sshd trusting only the user CA)', () => {
  let sshd: ChildProcess | undefined;
  let agent: { pid: number; sock: string } | undefined;
  let port = 0;
  let ca = '';
  let hostKey = '';
  beforeAll(async () => {
    installCertificateAuth();
    ca = newKey('login-ca', 'ed25519');
    hostKey = newKey('login-host', 'ed25519');
    port = await freePort();
    const config = join(dir, 'sshd_config');
    // No authorized keys at all: only a certificate signed by the CA can log in.
    writeFileSync(config, [`ListenAddress 127.0.0.1`, `Port ${port}`, `HostKey ${hostKey}`, `PidFile ${join(dir, 'sshd.pid')}`, 'UsePAM no', `TrustedUserCAKeys ${ca}.pub`, 'AuthorizedKeysFile none', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PermitRootLogin prohibit-password', 'StrictModes no', ''].join('\n'));
    sshd = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: 'ignore' });
    const out = execFileSync('ssh-agent', ['-s', '-a', join(dir, 'agent.sock')]).toString();
    agent = { pid: Number(/SSH_AGENT_PID=(\d+)/.exec(out)![1]), sock: join(dir, 'agent.sock') };
    for (let i = 0; i < 50 && !(await canConnect(port)); i++) await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(() => {
    sshd?.kill();
    if (agent) process.kill(agent.pid);
  });

  const login = (method: AnyAuthMethod): Promise<string> =>
    new Promise((resolve, reject) => {
      const c = new ssh2.Client();
      c.on('ready', () =>
        c.exec('id -un', (err, ch) => {
          if (err) return reject(err);
          let out = '';
          ch.on('data', (d: Buffer) => (out += d));
          ch.on('close', () => (c.end(), resolve(out.trim())));
        }),
      );
      c.on('error', reject);
      c.connect({ host: '127.0.0.1', port, username: me(), hostVerifier: () => true, authHandler: [method] as never });
    });
  const parsed = (file: string) => ssh2.utils.parseKey(readFileSync(file)) as ParsedKey;

  for (const type of ['ed25519', 'ecdsa', 'rsa']) {
    it(`${type}: the certificate logs in, the plain key alone does not`, async () => {
      const key = newKey(`login-${type}`, type);
      const cert = readCertificateFile(sign(ca, key, `${type}-login`, '-n', me()))!;
      expect(await login({ type: 'publickey', username: me(), key: certifiedKey(parsed(key), cert) })).toBe(me());
      await expect(login({ type: 'publickey', username: me(), key: parsed(key) })).rejects.toThrow(/authentication methods failed/);
    });
  }

  it('a certificate for another principal is refused by the server', async () => {
    const key = newKey('login-other', 'ed25519');
    const cert = readCertificateFile(sign(ca, key, 'other', '-n', 'somebody-else'))!;
    await expect(login({ type: 'publickey', username: me(), key: certifiedKey(parsed(key), cert) })).rejects.toThrow(/authentication methods failed/);
  });

  it('the dial offers KEY then KEY-cert.pub, in the order ssh -v shows, and logs in with the certificate', async () => {
    const key = newKey('dial-sibling', 'ed25519');
    sign(ca, key, 'dial-other', '-n', 'not-me');
    const refused = sshConfigFor(port, hostKey, [`IdentityFile ${key}`]);
    expect(sshOffers(refused)).toEqual([`${key} ED25519`, `${key} ED25519-CERT`]);
    expect(await dialWith(refused)).toContain(`tried: publickey ${key}, certificate ${key}-cert.pub`);
    sign(ca, key, 'dial-me', '-n', me()); // replaces the certificate beside the key
    expect(await dialWith(refused)).toBeUndefined();
  });

  it('CertificateFile goes first, pairs with the IdentityFile holding its key, and hides KEY-cert.pub', async () => {
    const key = newKey('dial-cf', 'ed25519');
    const cert = sign(ca, key, 'cf', '-n', me());
    const elsewhere = join(dir, 'elsewhere-cert.pub');
    writeFileSync(elsewhere, readFileSync(cert));
    sign(ca, key, 'cf-wrong', '-n', 'not-me'); // the sibling now names someone else
    const config = sshConfigFor(port, hostKey, [`IdentityFile ${key}`, `CertificateFile ${elsewhere}`]);
    expect(sshOffers(config)).toEqual([`${elsewhere} ED25519-CERT`]);
    expect(await dialWith(config)).toBeUndefined();
    const expired = join(dir, 'expired-cert.pub');
    sign(ca, key, 'old', '-n', me(), '-V', '20200101:20200102');
    writeFileSync(expired, readFileSync(cert));
    expect(await dialWith(sshConfigFor(port, hostKey, [`IdentityFile ${key}`, `CertificateFile ${expired}`]))).toMatch(/certificate .*expired-cert.pub \(not offered: certificate "old" expired at 2020-01-02/);
  });

  it('certificates held by a real ssh-agent (RSA with a SHA-2 signature, and ed25519)', async () => {
    for (const type of ['rsa', 'ed25519']) {
      const key = newKey(`agent-${type}`, type);
      sign(ca, key, `agent-${type}`, '-n', me());
      execFileSync('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: agent!.sock }, stdio: 'pipe' });
      expect(await login({ type: 'agent', username: me(), agent: new CertificateAwareAgent(agent!.sock) })).toBe(me());
      execFileSync('ssh-add', ['-q', '-D'], { env: { ...process.env, SSH_AUTH_SOCK: agent!.sock }, stdio: 'pipe' });
    }
  });
});

/** `ssh`'s and VirtDeck's way through an ssh config: the order keys are offered in, and the outcome. */
function sshConfigFor(port: number, hostKey: string, lines: string[]) {
  const knownHosts = join(dir, `kh-${port}`);
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${readFileSync(`${hostKey}.pub`, 'utf8')}`);
  const config = join(dir, `config-${Math.random().toString(36).slice(2)}`);
  writeFileSync(config, ['Host t', '  HostName 127.0.0.1', `  Port ${port}`, `  User ${me()}`, '  IdentitiesOnly yes', `  UserKnownHostsFile ${knownHosts}`, '  GlobalKnownHostsFile /dev/null', '  StrictHostKeyChecking yes', ...lines.map((l) => `  ${l}`), ''].join('\n'));
  return config;
}

async function dialWith(config: string): Promise<string | undefined> {
  const prompts = { ask: async () => null } as unknown as PromptBroker;
  const secrets: SecretStore = { canPersist: false, get: async () => undefined, set: async () => undefined, delete: async () => undefined };
  try {
    for (const c of await dial(resolveHost(parseTarget('t'), { userConfig: config }, defaultConfigEnv()), { hostId: 't', prompts, secrets })) c.end();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** What `ssh -v` offered, in order: "file TYPE" per "Offering public key" line. */
function sshOffers(config: string): string[] {
  const r = spawnSync('ssh', ['-v', '-F', config, '-o', 'BatchMode=yes', 't', 'true'], { encoding: 'utf8' });
  return [...r.stderr.matchAll(/Offering public key: (\S+) (\S+)/g)].map((m) => `${m[1]} ${m[2]}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
  });
}
