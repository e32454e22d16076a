// Logging in with an OpenSSH user certificate through ssh2, which has no certificate support of
// its own (its issue #551). A certificate is offered as a public key whose algorithm is the
// certificate type (ssh-ed25519-cert-v01@openssh.com) and whose blob is the certificate, but the
// signature inside the request is named after the plain key (ssh-ed25519, rsa-sha2-512):
// ssh2's Protocol.authPK writes one name in both places. So a certified key is ssh2's parsed
// private (or agent) key wearing the certificate, and authPK is extended for such keys only:
// every other key still goes through ssh2's own code unchanged.
import { createRequire } from 'node:module';
import type { ParsedKey } from 'ssh2';
import { certificateAlgorithm, type SshCertificate } from './certificates.js';

const CERT = Symbol('virtdeck.certificate');

interface CertInfo {
  cert: SshCertificate;
  offer: string;
  signature: string;
  hash?: string;
}

type CertifiedKey = ParsedKey & { [CERT]: CertInfo };

/** `key` (ssh2's parsed key: private, or an agent's public one) presented with `cert`. */
export function certifiedKey(key: ParsedKey, cert: SshCertificate): ParsedKey {
  const algorithm = certificateAlgorithm(cert);
  const wrapped = Object.create(key) as CertifiedKey;
  Object.defineProperty(wrapped, 'type', { value: algorithm.offer, enumerable: true });
  Object.defineProperty(wrapped, 'comment', { value: cert.keyId, enumerable: true });
  wrapped.getPublicSSH = () => cert.blob;
  wrapped.sign = (data: Buffer, hash?: string) => key.sign(data, hash ?? algorithm.hash);
  wrapped[CERT] = { cert, ...algorithm };
  return wrapped;
}

export const certificateOf = (key: unknown): CertInfo | undefined => (key as Partial<CertifiedKey> | null)?.[CERT];

// ssh2's internals, loaded from the installed package at run time (never bundled).
const load = createRequire(import.meta.url);

interface PacketWriter {
  allocStart: number;
  alloc(len: number): Buffer;
  finalize(packet: Buffer): Buffer;
}
interface ProtocolThis {
  _server: boolean;
  _kex: { sessionID: Buffer };
  _packetRW: { write: PacketWriter };
  _authsQueue: string[];
  _debug?: (msg: string) => void;
}
type Sign = (data: Buffer, done: (signature: Buffer) => void) => void;
type AuthPK = (this: ProtocolThis, username: string, pubKey: unknown, keyAlgo?: string | Sign, cbSign?: Sign) => void;

const USERAUTH_REQUEST = 50;
let installed = false;

/** Teach ssh2 to send certificate logins. Idempotent; call before the first connection. */
export function installCertificateAuth(): void {
  if (installed) return;
  installed = true;
  const { prototype } = load('ssh2/lib/protocol/Protocol.js') as { prototype: { authPK: AuthPK } };
  const { sendPacket, convertSignature } = load('ssh2/lib/protocol/utils.js') as {
    sendPacket(proto: ProtocolThis, packet: Buffer): void;
    convertSignature(signature: Buffer, keyType: string): Buffer | false;
  };
  const original = prototype.authPK;
  prototype.authPK = function (username, pubKey, keyAlgo, cbSign) {
    const info = certificateOf(pubKey);
    if (!info) return original.call(this, username, pubKey, keyAlgo, cbSign);
    if (typeof keyAlgo === 'function') cbSign = keyAlgo;
    // The request: "publickey", has-signature flag, algorithm, key blob [, signature].
    const body = (signed: boolean, signature?: Buffer) =>
      Buffer.concat([
        Buffer.from([USERAUTH_REQUEST]),
        str(username),
        str('ssh-connection'),
        str('publickey'),
        Buffer.from([signed ? 1 : 0]),
        str(info.offer),
        str(info.cert.blob),
        ...(signature ? [str(Buffer.concat([str(info.signature), str(signature)]))] : []),
      ]);
    const send = (payload: Buffer, what: string) => {
      const w = this._packetRW.write;
      const packet = w.alloc(payload.length);
      payload.copy(packet, w.allocStart);
      this._authsQueue.push('publickey');
      this._debug?.(`Outbound: Sending USERAUTH_REQUEST (publickey${what}, ${info.offer})`);
      sendPacket(this, w.finalize(packet));
    };
    if (!cbSign) return send(body(false), ' -- check');
    const toSign = Buffer.concat([str(this._kex.sessionID), body(true)]);
    cbSign(toSign, (raw) => {
      const signature = convertSignature(raw, info.cert.keyType);
      if (signature === false) throw new Error('Error while converting the certificate login signature');
      send(body(true, signature), '');
    });
  };
}

function str(v: string | Buffer): Buffer {
  const b = typeof v === 'string' ? Buffer.from(v) : v;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}
