// OpenSSH known_hosts: plain and hashed (|1|salt|hmac) host fields, [host]:port, wildcard and
// negated patterns, @revoked markers. A host key is accepted only when a line matches both the
// host and the key.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

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

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|\\[\]]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Does a known_hosts host field (comma-separated patterns, or one hashed entry) match `name`? */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) {
      if (globToRegExp(pattern.slice(1)).test(name)) return false;
    } else if (globToRegExp(pattern).test(name)) {
      matched = true;
    }
  }
  return matched;
}

export function fingerprintSha256(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

export type HostKeyVerdict =
  | { kind: 'trusted'; line: KnownHostLine }
  | { kind: 'unknown'; fingerprint: string }
  | { kind: 'changed'; fingerprint: string; line: KnownHostLine }
  | { kind: 'revoked'; fingerprint: string; line: KnownHostLine };

/** Check the key a server presented (ssh2 hands the raw key blob) against known_hosts lines. */
export function checkHostKey(lines: KnownHostLine[], names: string[], keyBlob: Buffer): HostKeyVerdict {
  const presented = keyBlob.toString('base64');
  const keyType = keyBlob.readUInt32BE(0) <= keyBlob.length - 4 ? keyBlob.subarray(4, 4 + keyBlob.readUInt32BE(0)).toString() : '';
  const fingerprint = fingerprintSha256(keyBlob);
  const forHost = lines.filter((l) => names.some((n) => hostFieldMatches(l.hosts, n)));
  const revoked = forHost.find((l) => l.marker === '@revoked' && l.keyBase64 === presented);
  if (revoked) return { kind: 'revoked', fingerprint, line: revoked };
  const plain = forHost.filter((l) => !l.marker);
  const trusted = plain.find((l) => l.keyBase64 === presented);
  if (trusted) return { kind: 'trusted', line: trusted };
  // Like OpenSSH: a different key of the same type for this host is a changed key.
  const changed = plain.find((l) => l.keyType === keyType) ?? plain[0];
  if (changed) return { kind: 'changed', fingerprint, line: changed };
  return { kind: 'unknown', fingerprint };
}

/** The known_hosts line OpenSSH would write for this host and key (hashed with HashKnownHosts). */
export function knownHostLine(name: string, keyBlob: Buffer, hashed: boolean, salt: Buffer = randomBytes(20)): string {
  const keyType = keyBlob.subarray(4, 4 + keyBlob.readUInt32BE(0)).toString();
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
