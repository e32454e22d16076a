// OpenSSH known_hosts: plain and hashed (|1|salt|hmac) host fields, [host]:port, wildcard and
// negated patterns, @revoked markers. A host key is accepted only when a line matches both the
// host and the key.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KnownForHost } from './openssh/host-key-algorithms.js';
import { matchHostname } from './openssh/patterns.js';

export interface KnownHostLine {
  lineNumber: number;
  marker?: '@revoked' | '@cert-authority';
  hosts: string;
  keyType: string;
  keyBase64: string;
}

export function parseKnownHosts(text: string): KnownHostLine[] {
  const lines: KnownHostLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const parts = line.split(/\s+/);
    let marker: KnownHostLine['marker'];
    if (parts[0] === '@revoked' || parts[0] === '@cert-authority') marker = parts.shift() as KnownHostLine['marker'];
    const [hosts, keyType, keyBase64] = parts;
    if (!hosts || !keyType || !keyBase64) return;
    lines.push({ lineNumber: i + 1, marker, hosts, keyType, keyBase64 });
  });
  return lines;
}

/** The name OpenSSH looks up: `host`, or `[host]:port` when the port is not 22. */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** A name that can be written as one known_hosts host field and read back as that name alone:
 *  no whitespace or control character (a newline would start a line of its own), no comma (a
 *  list), no pattern character (`*`, `?`, `!`), no `|` (a hashed entry), `#` (a comment) or
 *  leading `@` (a marker). Throws, naming the character, otherwise. */
export function assertKnownHostsName(name: string): void {
  if (!name) throw new Error('An empty host name cannot be checked against known_hosts');
  const bad = /[\s,*?!|#\p{Cc}]/u.exec(name) ?? (name.startsWith('@') ? ['@'] : null);
  if (bad) throw new Error(`The host name ${JSON.stringify(name)} cannot be checked against known_hosts: it contains ${JSON.stringify(bad[0])}`);
}

/** Does a known_hosts host field (comma-separated patterns, or one hashed entry) match `name`? */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  return matchHostname(name, field) === 1;
}

export function fingerprintSha256(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

export type HostKeyVerdict =
  | { kind: 'trusted'; line: KnownHostLine }
  /** Not on file; `otherTypes` are the key types that are (OpenSSH shows them too). */
  | { kind: 'unknown'; fingerprint: string; otherTypes: string[] }
  | { kind: 'changed'; fingerprint: string; line: KnownHostLine }
  | { kind: 'revoked'; fingerprint: string; line: KnownHostLine };

/** The key type named inside an SSH public key blob. */
export function blobKeyType(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return '';
  const len = keyBlob.readUInt32BE(0);
  return len <= keyBlob.length - 4 ? keyBlob.subarray(4, 4 + len).toString() : '';
}

const linesFor = <L extends KnownHostLine>(lines: L[], names: string[]) => lines.filter((l) => names.some((n) => hostFieldMatches(l.hosts, n)));

/** Check the key a server presented (ssh2 hands the raw key blob) against known_hosts lines, as
 *  OpenSSH's check_key_in_hostkeys does: a revoked key is refused, the same key is trusted, a
 *  different key of the same type is a changed key, and a key of a type not on file is unknown. */
export function checkHostKey<L extends KnownHostLine>(lines: L[], names: string[], keyBlob: Buffer): HostKeyVerdict {
  const presented = keyBlob.toString('base64');
  const keyType = blobKeyType(keyBlob);
  const fingerprint = fingerprintSha256(keyBlob);
  const forHost = linesFor(lines, names);
  const revoked = forHost.find((l) => l.marker === '@revoked' && l.keyBase64 === presented);
  if (revoked) return { kind: 'revoked', fingerprint, line: revoked };
  const plain = forHost.filter((l) => !l.marker);
  const trusted = plain.find((l) => l.keyBase64 === presented);
  if (trusted) return { kind: 'trusted', line: trusted };
  const changed = plain.find((l) => l.keyType === keyType);
  if (changed) return { kind: 'changed', fingerprint, line: changed };
  return { kind: 'unknown', fingerprint, otherTypes: [...new Set(plain.map((l) => l.keyType))] };
}

/** What known_hosts holds for a host: the input to OpenSSH's host key algorithm order. */
export function knownForHost(lines: KnownHostLine[], names: string[]): KnownForHost {
  const forHost = linesFor(lines, names);
  return { keyTypes: new Set(forHost.filter((l) => !l.marker).map((l) => l.keyType)), certAuthority: forHost.some((l) => l.marker === '@cert-authority') };
}

/** The known_hosts line OpenSSH would write for this host and key (hashed with HashKnownHosts). */
export function knownHostLine(name: string, keyBlob: Buffer, hashed: boolean, salt: Buffer = randomBytes(20)): string {
  assertKnownHostsName(name);
  const keyType = blobKeyType(keyBlob);
  const host = hashed ? `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}` : name;
  return `${host} ${keyType} ${keyBlob.toString('base64')}`;
}

/** Append an accepted host key, creating the file (and ~/.ssh) when needed. */
export function appendKnownHost(file: string, line: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const existing = readFileSync(file, 'utf8');
    if (existing.length > 0 && !existing.endsWith('\n')) prefix = '\n';
  } catch {
    // a new file
  }
  appendFileSync(file, `${prefix}${line}\n`, { mode: 0o600 });
}
