import { createHmac, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assertKnownHostsName, checkHostKey, hostFieldMatches, hostKeyName, knownForHost, knownHostLine, parseKnownHosts } from './known-hosts';
import { assembleHostKeyAlgorithms, DEFAULT_HOST_KEY_ALGORITHMS, orderHostKeyAlgorithms } from './openssh/host-key-algorithms';

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

describe('openssh host key order and verdicts by key type', () => {
  const ed = ed25519Blob();
  const ecdsaLine = 'hv1 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFake=';

  it('calls a key of a type not on file unknown, not changed, and names the types that are', () => {
    const verdict = checkHostKey(parseKnownHosts(`${ecdsaLine}\n`), ['hv1'], ed);
    expect(verdict).toMatchObject({ kind: 'unknown', otherTypes: ['ecdsa-sha2-nistp256'] });
  });

  it('puts the key types on file for the host first, keeping the configured order otherwise', () => {
    const lines = parseKnownHosts(`${ecdsaLine}\n@revoked hv1 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQFake=\n`);
    const order = orderHostKeyAlgorithms(DEFAULT_HOST_KEY_ALGORITHMS, knownForHost(lines, ['hv1']));
    expect(order.slice(0, 2)).toEqual(['ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp256']);
    // a @revoked line says nothing about which key the host has
    expect(order.indexOf('rsa-sha2-512')).toBeGreaterThan(order.indexOf('ssh-ed25519'));
  });

  it('keeps HostKeyAlgorithms verbatim when its first choice is on file', () => {
    const lines = parseKnownHosts(`hv1 ssh-ed25519 ${ed.toString('base64')}\nhv1 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQFake=\n`);
    expect(orderHostKeyAlgorithms(DEFAULT_HOST_KEY_ALGORITHMS, knownForHost(lines, ['hv1']))).toEqual(DEFAULT_HOST_KEY_ALGORITHMS);
  });

  it('prefers certificate algorithms when a @cert-authority line covers the host', () => {
    const lines = parseKnownHosts('@cert-authority *.lab ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake=\nhv1.lab ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQFake=\n');
    const order = orderHostKeyAlgorithms(assembleHostKeyAlgorithms('ssh-ed25519,rsa-sha2-512,ssh-ed25519-cert-v01@openssh.com'), knownForHost(lines, ['hv1.lab']));
    expect(order).toEqual(['rsa-sha2-512', 'ssh-ed25519-cert-v01@openssh.com', 'ssh-ed25519']);
  });
});

describe('assertKnownHostsName', () => {
  it('takes host names, addresses and [host]:port', () => {
    for (const ok of ['hv1', '192.0.2.11', '[192.0.2.11]:2222', 'fe80::1%eth0', 'bücher.example', 'my_alias-1']) expect(() => assertKnownHostsName(ok)).not.toThrow();
  });
  it('refuses what would change the meaning of a known_hosts line, naming the character', () => {
    for (const [bad, ch] of [['a b', ' '], ['a,b', ','], ['a\nb', '\n'], ['a\tb', '\t'], ['*.example', '*'], ['h?', '?'], ['!h', '!'], ['|1|x', '|'], ['h#c', '#'], ['@revoked', '@'], ['a\u0000b', '\u0000']] as const) {
      expect(() => assertKnownHostsName(bad)).toThrow(JSON.stringify(ch));
      expect(() => knownHostLine(bad, Buffer.from('x'), false)).toThrow(/cannot be checked against known_hosts/);
    }
    expect(() => assertKnownHostsName('')).toThrow(/empty/);
  });
});
