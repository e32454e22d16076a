// The host key check of one connection, as OpenSSH's check_host_key makes it: the names looked
// up, the known_hosts lines on file (user's and global), the algorithm order, and the verdict
// under StrictHostKeyChecking.
import { readFileSync } from 'node:fs';
import { assertKnownHostsName, blobKeyType, checkHostKey, hostKeyName, knownForHost, parseKnownHosts, type KnownHostLine } from './known-hosts.js';
import { orderHostKeyAlgorithms, SSH2_HOST_KEY_ALGORITHMS } from './openssh/host-key-algorithms.js';
import type { ResolvedHost, StrictHostKeyChecking } from './target.js';

export type FiledLine = KnownHostLine & { file: string };

function readKnownHosts(files: string[]): FiledLine[] {
  return files.flatMap((file) => {
    try {
      return parseKnownHosts(readFileSync(file, 'utf8')).map((l) => ({ ...l, file }));
    } catch {
      return []; // a missing known_hosts file only means no host is known yet
    }
  });
}

/** How OpenSSH checks a host: the names it looks up (HostKeyAlias, else the host name with a
 *  non-default port), the lines on file, and the host key algorithms in its order — the key types
 *  already on file for this host first, so a host known by its ECDSA key is asked for that key. */
export function hostKeyPlan(h: ResolvedHost): { names: string[]; lines: FiledLine[]; algorithms: string[] } {
  const names = [h.hostKeyAlias ?? hostKeyName(h.hostName, h.port)];
  assertKnownHostsName(names[0]!);
  const lines = readKnownHosts([...h.knownHostsFiles, ...h.globalKnownHostsFiles]);
  const ordered = orderHostKeyAlgorithms(h.hostKeyAlgorithms, knownForHost(lines, names));
  const algorithms = ordered.filter((a) => SSH2_HOST_KEY_ALGORITHMS.has(a));
  if (!algorithms.length) {
    throw new Error(`None of the host key algorithms for ${h.alias} (${ordered.join(',')}) can be verified by VirtDeck's SSH transport`);
  }
  return { names, lines, algorithms };
}

export type HostKeyDecision =
  | { ok: true; warning?: string }
  | { ok: false; refusal: string }
  | { ok: 'ask'; fingerprint: string; keyType: string; otherTypes: string[] }
  /** Not on file, and StrictHostKeyChecking accept-new or no: added without a question. */
  | { ok: 'add'; fingerprint: string; keyType: string };

/** OpenSSH's name of a key type in its messages ("ED25519", "ECDSA", "RSA"). */
export function keyTypeLabel(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  if (keyType === 'ssh-rsa') return 'RSA';
  return keyType;
}

/** The verdict on a presented host key, as OpenSSH's check_host_key gives it: a revoked or
 *  changed key is refused unless StrictHostKeyChecking is no (then, exactly as ssh does, it goes
 *  ahead with a warning, and password and keyboard-interactive are not offered against a
 *  possible man in the middle); an unknown host is refused under yes, asked about
 *  under ask, and added silently under accept-new and no. */
export function decideHostKey(plan: ReturnType<typeof hostKeyPlan>, key: Buffer, strict: StrictHostKeyChecking = 'ask'): HostKeyDecision {
  const verdict = checkHostKey(plan.lines, plan.names, key);
  const name = plan.names[0]!;
  const type = keyTypeLabel(blobKeyType(key));
  const lineRef = (l: KnownHostLine) => `${(l as FiledLine).file}:${l.lineNumber}`;
  switch (verdict.kind) {
    case 'trusted':
      return { ok: true };
    case 'changed': {
      const warning = `WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED for ${name}: its ${type} key is now ${verdict.fingerprint}, which does not match ${lineRef(verdict.line)}. Someone could be intercepting the connection (or the host was reinstalled).`;
      if (strict === 'no') return { ok: true, warning: `${warning} StrictHostKeyChecking is no: connected anyway, without password or keyboard-interactive authentication.` };
      return { ok: false, refusal: `${warning} VirtDeck refuses to connect; if the change is expected, remove that line.` };
    }
    case 'revoked': {
      const warning = `WARNING: REVOKED HOST KEY: the ${type} host key of ${name} (${verdict.fingerprint}) is revoked at ${lineRef(verdict.line)}.`;
      if (strict === 'no') return { ok: true, warning: `${warning} StrictHostKeyChecking is no: connected anyway, without password or keyboard-interactive authentication.` };
      return { ok: false, refusal: `${warning} Refusing to connect.` };
    }
    case 'unknown':
      if (strict === 'yes') return { ok: false, refusal: `No ${type} host key is known for ${name} and StrictHostKeyChecking is yes: refusing to connect (${verdict.fingerprint}).` };
      if (strict === 'ask') return { ok: 'ask', fingerprint: verdict.fingerprint, keyType: type, otherTypes: verdict.otherTypes };
      return { ok: 'add', fingerprint: verdict.fingerprint, keyType: type };
  }
}

