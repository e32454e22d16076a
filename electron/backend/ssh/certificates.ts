// OpenSSH certificates (PROTOCOL.certkeys): a public key, signed by a CA, with a serial, a key id,
// the principals it is valid for and a validity window. Read here from the wire blob, as found in
// `key-cert.pub` files, CertificateFile, an agent's identity list and a server's host key.
import { readFileSync } from 'node:fs';

export type CertRole = 'user' | 'host';

export interface SshCertificate {
  /** The certificate's key type, e.g. ssh-ed25519-cert-v01@openssh.com. */
  type: string;
  /** The certified key's own type, e.g. ssh-ed25519. */
  keyType: string;
  /** The certified key as a plain public key blob (what the private key's public half is). */
  publicKey: Buffer;
  serial: bigint;
  role: CertRole;
  keyId: string;
  /** Empty: valid for every principal. */
  principals: string[];
  /** Seconds since the epoch; validBefore is 2^64-1 for "forever". */
  validAfter: bigint;
  validBefore: bigint;
  criticalOptions: string[];
  extensions: string[];
  /** The CA's public key blob. */
  signatureKey: Buffer;
  /** The whole certificate blob, as sent on the wire. */
  blob: Buffer;
}

const CERT_SUFFIX = '-cert-v01@openssh.com';
const FOREVER = 0xffff_ffff_ffff_ffffn;

/** The key fields after the nonce, per plain key type: how many SSH strings/mpints each has. */
const KEY_FIELDS: Record<string, number> = {
  'ssh-ed25519': 1,
  'ssh-rsa': 2,
  'ssh-dss': 4,
  'ecdsa-sha2-nistp256': 2,
  'ecdsa-sha2-nistp384': 2,
  'ecdsa-sha2-nistp521': 2,
  'sk-ssh-ed25519@openssh.com': 2,
  'sk-ecdsa-sha2-nistp256@openssh.com': 3,
};

export const isCertificateType = (type: string) => type.endsWith(CERT_SUFFIX);

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  string(): Buffer {
    if (this.pos + 4 > this.buf.length) throw new Error('truncated certificate');
    const len = this.buf.readUInt32BE(this.pos);
    const start = this.pos + 4;
    if (start + len > this.buf.length) throw new Error('truncated certificate');
    this.pos = start + len;
    return this.buf.subarray(start, start + len);
  }
  text = () => this.string().toString('utf8');
  uint32(): number {
    if (this.pos + 4 > this.buf.length) throw new Error('truncated certificate');
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  uint64(): bigint {
    if (this.pos + 8 > this.buf.length) throw new Error('truncated certificate');
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  mark = () => this.pos;
  slice = (from: number, to: number) => this.buf.subarray(from, to);
  get done() {
    return this.pos === this.buf.length;
  }
}

const sshString = (b: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
};

/** A list of SSH strings packed into one string (principals), or name/data pairs (options). */
function packedStrings(b: Buffer, pairs: boolean): string[] {
  const r = new Reader(b);
  const out: string[] = [];
  while (!r.done) {
    out.push(r.text());
    if (pairs) r.string();
  }
  return out;
}

/** Parse a certificate blob; throws with the reason when it is not one. */
export function parseCertificate(blob: Buffer): SshCertificate {
  const r = new Reader(blob);
  const type = r.text();
  if (!isCertificateType(type)) throw new Error(`${type || 'this key'} is not an OpenSSH certificate`);
  const keyType = type.slice(0, -CERT_SUFFIX.length);
  const fields = KEY_FIELDS[keyType];
  if (!fields) throw new Error(`certificates of type ${type} are not supported`);
  r.string(); // nonce
  const keyStart = r.mark();
  for (let i = 0; i < fields; i++) r.string();
  const publicKey = Buffer.concat([sshString(Buffer.from(keyType)), r.slice(keyStart, r.mark())]);
  const serial = r.uint64();
  const roleCode = r.uint32();
  if (roleCode !== 1 && roleCode !== 2) throw new Error(`unknown certificate type ${roleCode}`);
  const keyId = r.text();
  const principals = packedStrings(r.string(), false);
  const validAfter = r.uint64();
  const validBefore = r.uint64();
  const criticalOptions = packedStrings(r.string(), true);
  const extensions = packedStrings(r.string(), true);
  r.string(); // reserved
  const signatureKey = Buffer.from(r.string());
  r.string(); // the CA's signature over everything before it
  if (!r.done) throw new Error('trailing bytes after the certificate');
  return {
    type,
    keyType,
    publicKey,
    serial,
    role: roleCode === 1 ? 'user' : 'host',
    keyId,
    principals,
    validAfter,
    validBefore,
    criticalOptions,
    extensions,
    signatureKey,
    blob: Buffer.from(blob),
  };
}

/** A `type base64 [comment]` line, as in `id_ed25519-cert.pub`. */
export function parseCertificateLine(line: string): SshCertificate {
  const [type, base64] = line.trim().split(/\s+/);
  if (!type || !base64) throw new Error('not a public key line');
  const cert = parseCertificate(Buffer.from(base64, 'base64'));
  if (cert.type !== type) throw new Error(`the line says ${type} but holds ${cert.type}`);
  return cert;
}

/** A certificate file, or undefined when there is none at that path (as ssh skips it). */
export function readCertificateFile(path: string): SshCertificate | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return parseCertificateLine(text);
}

const when = (s: bigint): string => new Date(Number(s) * 1000).toISOString().replace('.000Z', 'Z');

/** Why a certificate cannot be used now (for the person), or undefined when its window is open. */
export function validityProblem(cert: SshCertificate, nowSeconds = BigInt(Math.floor(Date.now() / 1000))): string | undefined {
  if (nowSeconds < cert.validAfter) return `certificate "${cert.keyId}" is not valid before ${when(cert.validAfter)}`;
  if (cert.validBefore !== FOREVER && nowSeconds >= cert.validBefore) return `certificate "${cert.keyId}" expired at ${when(cert.validBefore)}`;
  return undefined;
}

/** The algorithm name to offer a certificate under, and its signature's own name and hash.
 *  RSA certificates are offered with SHA-2 signatures (ssh-rsa-cert with SHA-1 is refused by
 *  OpenSSH 8.8 and later); every other type signs under its plain key type. */
export function certificateAlgorithm(cert: Pick<SshCertificate, 'type' | 'keyType'>): { offer: string; signature: string; hash?: 'sha512' } {
  if (cert.keyType === 'ssh-rsa') return { offer: `rsa-sha2-512${CERT_SUFFIX}`, signature: 'rsa-sha2-512', hash: 'sha512' };
  return { offer: cert.type, signature: cert.keyType };
}

/** The certificates a connection will offer, for the person: CertificateFile, else each
 *  identity file's KEY-cert.pub that exists; with key id, principals and window. */
export function describeCertificates(identityFiles: string[], certificateFiles: string[]): string[] {
  const paths = certificateFiles.length ? certificateFiles : identityFiles.map((f) => `${f}-cert.pub`);
  const out: string[] = [];
  for (const path of paths) {
    try {
      const cert = readCertificateFile(path);
      if (!cert) continue;
      const until = cert.validBefore === FOREVER ? 'no end' : `until ${when(cert.validBefore)}`;
      const problem = cert.role === 'host' ? 'a host certificate, not offered' : validityProblem(cert);
      out.push(`${path}: "${cert.keyId}" for ${cert.principals.join(', ') || 'any principal'}, ${until}${problem ? ` (${problem})` : ''}`);
    } catch (err) {
      out.push(`${path}: unreadable (${(err as Error).message})`);
    }
  }
  return out;
}
