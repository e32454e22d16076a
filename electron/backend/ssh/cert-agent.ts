// The person's ssh-agent, including the certificates it holds. ssh2's OpenSSHAgent drops every
// identity it cannot parse, and it cannot parse certificates; this agent lists the identities
// itself (one REQUEST_IDENTITIES on the agent's socket) and hands certificates on as certified
// keys (cert-auth.ts), in the agent's own order, as OpenSSH does. Signing stays ssh2's.
import { createConnection } from 'node:net';
import ssh2, { type BaseAgent as BaseAgentType, type ParsedKey } from 'ssh2';
import { certificateOf, certifiedKey } from './cert-auth.js';
import { isCertificateType, parseCertificate } from './certificates.js';

const { BaseAgent, OpenSSHAgent, utils } = ssh2;

const REQUEST_IDENTITIES = 11;
const IDENTITIES_ANSWER = 12;
const ANSWER_TIMEOUT_MS = 5_000;

type IdentitiesCallback = (err: Error | undefined, keys?: ParsedKey[]) => void;
type SignCallback = (err: Error | null | undefined, signature?: Buffer) => void;
interface SignOptions {
  hash?: 'sha1' | 'sha256' | 'sha512';
}

export interface AgentIdentity {
  blob: Buffer;
  comment: string;
}

/** The identities an SSH agent answers with (the raw blobs and comments). */
export function requestIdentities(socketPath: string): Promise<AgentIdentity[]> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(socketPath);
    let buf = Buffer.alloc(0);
    const fail = (err: Error) => (sock.destroy(), reject(err));
    const timer = setTimeout(() => fail(new Error('the SSH agent did not answer')), ANSWER_TIMEOUT_MS);
    sock.on('error', (err) => (clearTimeout(timer), fail(err)));
    sock.on('connect', () => sock.write(Buffer.from([0, 0, 0, 1, REQUEST_IDENTITIES])));
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 4 || buf.length < 4 + buf.readUInt32BE(0)) return;
      clearTimeout(timer);
      sock.end();
      try {
        resolve(parseIdentitiesAnswer(buf.subarray(4, 4 + buf.readUInt32BE(0))));
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}

export function parseIdentitiesAnswer(msg: Buffer): AgentIdentity[] {
  if (msg[0] !== IDENTITIES_ANSWER) throw new Error('the SSH agent refused to list its keys');
  let p = 1;
  const take = () => {
    if (p + 4 > msg.length) throw new Error('malformed SSH agent answer');
    const len = msg.readUInt32BE(p);
    if (p + 4 + len > msg.length) throw new Error('malformed SSH agent answer');
    const v = msg.subarray(p + 4, p + 4 + len);
    p += 4 + len;
    return v;
  };
  if (p + 4 > msg.length) throw new Error('malformed SSH agent answer');
  const count = msg.readUInt32BE(p);
  p += 4;
  const out: AgentIdentity[] = [];
  for (let i = 0; i < count; i++) out.push({ blob: Buffer.from(take()), comment: take().toString('utf8') });
  return out;
}

/** An agent identity as ssh2 can use it, or undefined for a type ssh2 cannot handle. */
function usable({ blob, comment }: AgentIdentity): ParsedKey | undefined {
  const type = blob.subarray(4, 4 + blob.readUInt32BE(0)).toString();
  if (!isCertificateType(type)) {
    const key = utils.parseKey(blob);
    if (key instanceof Error) return undefined;
    key.comment ||= comment;
    return key;
  }
  try {
    const cert = parseCertificate(blob);
    const plain = utils.parseKey(cert.publicKey);
    return plain instanceof Error || cert.role !== 'user' ? undefined : certifiedKey(plain, cert);
  } catch {
    return undefined;
  }
}

export class CertificateAwareAgent extends BaseAgent<ParsedKey> {
  private readonly signer: BaseAgentType<ParsedKey>;
  constructor(readonly socketPath: string) {
    super();
    this.signer = new OpenSSHAgent(socketPath);
  }

  override getIdentities(cb: IdentitiesCallback): void {
    requestIdentities(this.socketPath).then(
      (ids) => cb(undefined, ids.map(usable).filter((k): k is ParsedKey => k !== undefined)),
      (err: Error) => cb(err),
    );
  }

  override sign(pubKey: ParsedKey, data: Buffer, options: SignOptions | SignCallback, cb?: SignCallback): void {
    if (typeof options === 'function') (cb = options), (options = {});
    const info = certificateOf(pubKey);
    // ssh2 asks the agent for an RSA SHA-2 signature only for keys typed ssh-rsa: an RSA
    // certificate is shown to it as one, with the hash its offer names.
    const key = info?.hash ? (Object.create(pubKey, { type: { value: 'ssh-rsa' } }) as ParsedKey) : pubKey;
    this.signer.sign(key, data, info?.hash ? { ...options, hash: info.hash as SignOptions['hash'] } : options, cb!);
  }
}
