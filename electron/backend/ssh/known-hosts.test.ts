import { createHmac, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkHostKey, hostFieldMatches, hostKeyName, parseKnownHosts } from './known-hosts';

/** An ssh-ed25519 public key blob, as ssh2 hands it to hostVerifier. */
function ed25519Blob(): Buffer {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const type = Buffer.from('ssh-ed25519');
  const len = (n: number) => Buffer.from([0, 0, 0, n]);
  return Buffer.concat([len(type.length), type, len(raw.length), raw]);
}

function hashed(name: string): string {
  const salt = Buffer.from('0123456789abcdef0123');
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  const key = ed25519Blob();
  const other = ed25519Blob();
  const b64 = key.toString('base64');

  it('names non-default ports like OpenSSH', () => {
    expect(hostKeyName('hv1', 22)).toBe('hv1');
    expect(hostKeyName('192.0.2.11', 2222)).toBe('[192.0.2.11]:2222');
  });

  it('matches plain, pattern, negated and hashed host fields', () => {
    expect(hostFieldMatches('hv1,192.0.2.11', '192.0.2.11')).toBe(true);
    expect(hostFieldMatches('192.0.2.*', '192.0.2.12')).toBe(true);
    expect(hostFieldMatches('192.0.2.*,!192.0.2.12', '192.0.2.12')).toBe(false);
    expect(hostFieldMatches(hashed('[hv1]:2222'), '[hv1]:2222')).toBe(true);
    expect(hostFieldMatches(hashed('hv1'), 'hv2')).toBe(false);
  });

  it('trusts a matching key, and only that key', () => {
    const lines = parseKnownHosts(`# comment\n\n${hashed('192.0.2.11')} ssh-ed25519 ${b64}\n`);
    expect(checkHostKey(lines, ['192.0.2.11'], key).kind).toBe('trusted');
    const changed = checkHostKey(lines, ['192.0.2.11'], other);
    expect(changed.kind).toBe('changed');
    expect(changed.kind === 'changed' && changed.line.lineNumber).toBe(3);
    expect(checkHostKey(lines, ['192.0.2.12'], key).kind).toBe('unknown');
  });

  it('refuses a revoked key even when another line trusts it', () => {
    const lines = parseKnownHosts(`@revoked * ssh-ed25519 ${b64}\nhv1 ssh-ed25519 ${b64}\n`);
    expect(checkHostKey(lines, ['hv1'], key).kind).toBe('revoked');
  });

  it('gives OpenSSH-style SHA256 fingerprints', () => {
    const verdict = checkHostKey([], ['hv1'], key);
    expect(verdict.kind === 'unknown' && verdict.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
