// HostKeyAlgorithms as OpenSSH assembles it (kex_assemble_names: +append, -remove, ^prepend,
// patterns expanded against every supported algorithm) and orders it for one host
// (sshconnect.c order_hostkeyalgs: algorithms whose key type is on file for the host first).

/** OpenSSH 9.2's default HostKeyAlgorithms (KEX_DEFAULT_PK_ALG). */
export const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519-cert-v01@openssh.com', 'ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com', 'sk-ssh-ed25519-cert-v01@openssh.com', 'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'rsa-sha2-512-cert-v01@openssh.com', 'rsa-sha2-256-cert-v01@openssh.com', 'ssh-ed25519', 'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com',
  'rsa-sha2-512', 'rsa-sha2-256',
];

/** Every host key algorithm OpenSSH 9.2 knows, in its own order (`ssh -Q HostKeyAlgorithms`). */
export const ALL_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519', 'ssh-ed25519-cert-v01@openssh.com', 'sk-ssh-ed25519@openssh.com', 'sk-ssh-ed25519-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521', 'ecdsa-sha2-nistp521-cert-v01@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com',
  'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com', 'webauthn-sk-ecdsa-sha2-nistp256@openssh.com', 'ssh-dss',
  'ssh-dss-cert-v01@openssh.com', 'ssh-rsa', 'ssh-rsa-cert-v01@openssh.com', 'rsa-sha2-256', 'rsa-sha2-256-cert-v01@openssh.com',
  'rsa-sha2-512', 'rsa-sha2-512-cert-v01@openssh.com',
];

/** What ssh2 can verify: no certificates, no security-key types. */
export const SSH2_HOST_KEY_ALGORITHMS = new Set(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-dss']);

const globRe = (p: string) => new RegExp(`^${p.replace(/[.+^${}()|\\[\]]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
const matchesAny = (name: string, patterns: string[]) => patterns.some((p) => globRe(p).test(name));

/** kex_assemble_names() for HostKeyAlgorithms; undefined means the default. */
export function assembleHostKeyAlgorithms(spec: string | undefined, def = DEFAULT_HOST_KEY_ALGORITHMS, all = ALL_HOST_KEY_ALGORITHMS): string[] {
  if (spec === undefined) return [...def];
  let list: string[];
  if (spec.startsWith('+')) list = [...def, ...spec.slice(1).split(',')];
  else if (spec.startsWith('-')) {
    const remove = spec.slice(1).split(',');
    list = def.filter((a) => !matchesAny(a, remove));
  } else if (spec.startsWith('^')) list = [...spec.slice(1).split(','), ...def];
  else list = spec.split(',');
  const out: string[] = [];
  for (const pattern of list) for (const alg of all) if (globRe(pattern).test(alg) && !out.includes(alg)) out.push(alg);
  if (!out.length) throw new Error(`HostKeyAlgorithms "${spec}" leaves no algorithm`);
  return out;
}

/** The known_hosts key type an algorithm's key has (rsa-sha2-512 is an ssh-rsa key). */
export function plainKeyType(alg: string): string {
  const plain = alg.replace('-cert-v01@openssh.com', '');
  if (plain === 'rsa-sha2-512' || plain === 'rsa-sha2-256') return 'ssh-rsa';
  if (plain.startsWith('sk-ssh-ed25519')) return 'sk-ssh-ed25519@openssh.com';
  if (plain.startsWith('sk-ecdsa-sha2-nistp256')) return 'sk-ecdsa-sha2-nistp256@openssh.com';
  return plain;
}

const isCert = (alg: string) => alg.includes('-cert-v01@');

export interface KnownForHost {
  /** Key types of plain (unmarked) known_hosts lines for the host. */
  keyTypes: Set<string>;
  /** Whether a @cert-authority line applies to the host. */
  certAuthority: boolean;
}

/** order_hostkeyalgs(): the list verbatim when its first choice is on file, else the
 *  algorithms whose key is on file (and certificates when a CA is) first, keeping the order. */
export function orderHostKeyAlgorithms(algorithms: string[], known: KnownForHost): string[] {
  if (known.keyTypes.has(plainKeyType(algorithms[0]!))) return [...algorithms];
  const first: string[] = [];
  const last: string[] = [];
  for (const alg of algorithms) {
    if ((isCert(alg) && known.certAuthority) || known.keyTypes.has(plainKeyType(alg))) first.push(alg);
    else last.push(alg);
  }
  return [...first, ...last];
}
