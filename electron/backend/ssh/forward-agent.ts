// The SSH agent VirtDeck forwards to a host for one command (a live migration's virsh, which
// logs in to the destination host from there). It is an agent inside VirtDeck, not a socket of
// the person's: when VirtDeck logged in with a key file, it offers only that key; when it logged
// in through the person's agent, it passes identities and signatures on to that agent. Either
// way only while a command that needs it runs (armed): outside that window it lists no keys and
// signs nothing. A private key never leaves this process; the host only gets signatures.
import ssh2, { type ParsedKey, type SigningRequestOptions } from 'ssh2';
import type { Duplex } from 'node:stream';

const { AgentProtocol, BaseAgent, OpenSSHAgent, utils } = ssh2;

/** The key VirtDeck logged in with: a private key it holds, or the person's agent at `socket`. */
export type LoginKey = { kind: 'key'; key: ParsedKey } | { kind: 'agent'; socket: string };

type SignCallback = (err?: Error | null, signature?: Buffer) => void;

export class ForwardAgent extends BaseAgent {
  private login?: LoginKey;
  private armed = 0;

  /** Set once the server accepted a key (dial.ts). */
  setLoginKey(login: LoginKey | undefined): void {
    this.login = login;
  }

  /** What can be lent: 'key' (VirtDeck's own file), 'agent' (the person's agent), or 'none'
   *  (logged in by password or keyboard-interactive). */
  get credential(): 'key' | 'agent' | 'none' {
    return this.login?.kind ?? 'none';
  }

  /** Offer the key until the returned function is called. */
  arm(): () => void {
    this.armed++;
    let done = false;
    return () => {
      if (!done) (done = true), this.armed--;
    };
  }

  getIdentities(cb: (err: Error | undefined, keys?: ParsedKey[]) => void): void {
    const login = this.login;
    if (!this.armed || !login) return cb(undefined, []);
    if (login.kind === 'key') return cb(undefined, [login.key]);
    new OpenSSHAgent(login.socket).getIdentities((err, keys) => cb(undefined, err || !keys ? [] : (keys as ParsedKey[])));
  }

  sign(pubKey: unknown, data: Buffer, options: unknown, cb?: SignCallback): void {
    const done = (typeof options === 'function' ? options : cb) as SignCallback;
    const opts = ((typeof options === 'object' && options) || {}) as SigningRequestOptions;
    const login = this.login;
    if (!this.armed || !login) return done(new Error('No key is offered now'));
    if (login.kind === 'agent') return void new OpenSSHAgent(login.socket).sign(pubKey as ParsedKey, data, opts, done);
    if (!samePublicKey(login.key, pubKey)) return done(new Error('This key is not offered'));
    try {
      done(undefined, login.key.sign(data, opts.hash));
    } catch (err) {
      done(err as Error);
    }
  }

  /** The agent side of a forwarded channel: identities and signatures as above. */
  override getStream(cb: (err: Error | undefined, stream?: Duplex) => void): void {
    const server = new AgentProtocol(false);
    server.on('identities', (req) => this.getIdentities((_err, keys) => server.getIdentitiesReply(req, keys ?? [])));
    server.on('sign', (req, pubKey, data, options) => {
      this.sign(pubKey, data, options, (err, sig) => (err || !sig ? server.failureReply(req) : server.signReply(req, sig)));
    });
    cb(undefined, server);
  }
}

function samePublicKey(ours: ParsedKey, theirs: unknown): boolean {
  const parsed = Buffer.isBuffer(theirs) || typeof theirs === 'string' ? utils.parseKey(theirs) : (theirs as ParsedKey);
  return !(parsed instanceof Error) && !!parsed && ours.getPublicSSH().equals(parsed.getPublicSSH());
}
