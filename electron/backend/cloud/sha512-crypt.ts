// sha512-crypt ("$6$", Ulrich Drepper's SHA-crypt, what glibc's crypt(3) and cloud-init's `passwd:`
// take), so a VM's password is hashed here on the laptop and only the hash goes into the seed.
// Node has SHA-512 but no crypt(3); the algorithm is short, and its test vectors are in the spec
// (https://www.akkadia.org/drepper/SHA-crypt.txt), checked in sha512-crypt.test.ts.
import { createHash, randomBytes } from 'node:crypto';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** The spec's byte order of the final digest in the encoding, three bytes at a time. */
const ORDER = [[0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41]] as const;
const DEFAULT_ROUNDS = 5000;

const sha512 = (...parts: Buffer[]) => {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest();
};
/** `src` repeated to `len` bytes. */
const stretch = (src: Buffer, len: number) => Buffer.concat(Array.from({ length: Math.ceil(len / src.length) || 0 }, () => src)).subarray(0, len);

function b64(w: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++, w >>>= 6) s += ITOA64[w & 0x3f];
  return s;
}

/** crypt(3) with a "$6$[rounds=N$]salt" setting; the salt is cut to 16 characters as glibc does. */
export function sha512Crypt(password: string, setting: string): string {
  const m = /^\$6\$(?:rounds=(\d+)\$)?([^$]*)/.exec(setting);
  if (!m) throw new Error('Not a sha512-crypt setting ($6$…)');
  const custom = m[1] !== undefined;
  const rounds = custom ? Math.min(999_999_999, Math.max(1000, Number(m[1]))) : DEFAULT_ROUNDS;
  const salt = Buffer.from(m[2]!.slice(0, 16), 'utf8');
  const p = Buffer.from(password, 'utf8');
  const b = sha512(p, salt, p);
  const a = createHash('sha512').update(p).update(salt).update(stretch(b, p.length));
  for (let n = p.length; n > 0; n >>= 1) a.update(n & 1 ? b : p);
  let c = a.digest();
  const pSeq = stretch(sha512(...Array.from({ length: p.length }, () => p)), p.length);
  const sSeq = stretch(sha512(...Array.from({ length: 16 + c[0]! }, () => salt)), salt.length);
  for (let i = 0; i < rounds; i++) {
    const h = createHash('sha512');
    h.update(i & 1 ? pSeq : c);
    if (i % 3) h.update(sSeq);
    if (i % 7) h.update(pSeq);
    h.update(i & 1 ? c : pSeq);
    c = h.digest();
  }
  const body = ORDER.map(([x, y, z]) => b64((c[x]! << 16) | (c[y]! << 8) | c[z]!, 4)).join('') + b64(c[63]!, 2);
  return `$6$${custom ? `rounds=${rounds}$` : ''}${salt.toString('utf8')}$${body}`;
}

/** A new hash with a random 16-character salt. */
export function hashPassword(password: string): string {
  const salt = [...randomBytes(16)].map((x) => ITOA64[x & 0x3f]).join('');
  return sha512Crypt(password, `$6$${salt}`);
}
