// The login methods of one connection, in OpenSSH's order: the agent's keys (certificates
// included), then certificates named by CertificateFile, then each identity file's key followed
// by the certificate beside it (KEY-cert.pub, when no CertificateFile is set), then the
// password and keyboard-interactive. This is what `ssh -v` shows as "Will attempt key".
import { readFileSync } from 'node:fs';
import ssh2, { type AnyAuthMethod, type AuthenticationType, type ParsedKey } from 'ssh2';
import { CertificateAwareAgent } from './cert-agent.js';
import { certifiedKey, installCertificateAuth } from './cert-auth.js';
import { readCertificateFile, validityProblem, type SshCertificate } from './certificates.js';
import type { DialContext } from './dial.js';
import type { PromptBroker } from './prompts.js';
import type { ResolvedHost } from './target.js';

const { utils } = ssh2;

/** OpenSSH's NumberOfPasswordPrompts. */
const SECRET_ATTEMPTS = 3;

export interface AuthStep {
  type: AuthenticationType;
  /** Builds the method, asking the person when needed; undefined skips the step. */
  make(): Promise<AnyAuthMethod | undefined>;
}

/** A secret typed during the handshake: kept (and, with "remember", persisted) only once the
 *  host key was accepted and the server accepted the method it was given for. */
export interface HeldSecret {
  key: string;
  value: string;
  remember: boolean;
  method: AnyAuthMethod;
}

/** OpenSSH's order: agent, identity files (asking for passphrases), password, keyboard-interactive. */
export function authSteps(
  h: ResolvedHost,
  ask: PromptBroker['ask'],
  ctx: DialContext,
  tried: string[],
  declined: (why: string) => void,
  hold: (secret: HeldSecret) => void,
): AuthStep[] {
  const username = h.user;
  const login = `${h.user}@${h.hostName}:${h.port}`;
  const steps: AuthStep[] = [{ type: 'none', make: async () => ({ type: 'none', username }) }];

  const agent = process.env.SSH_AUTH_SOCK ?? (process.platform === 'win32' ? '\\\\.\\pipe\\openssh-ssh-agent' : undefined);
  if (agent && !h.identitiesOnly) {
    installCertificateAuth();
    steps.push({ type: 'publickey', make: async () => (tried.push('agent'), { type: 'agent', username, agent: new CertificateAwareAgent(agent) }) });
  }

  const identity = identityLoader(h, ask, ctx, login, tried);
  const offer = (file: string, label: string, loaded: LoadedIdentity, key: ParsedKey): AnyAuthMethod => {
    tried.push(label);
    const method: AnyAuthMethod = { type: 'publickey', username, key };
    if (loaded.secret) hold({ ...loaded.secret, method });
    return method;
  };
  const offerCertificate = (file: string, cert: SshCertificate, certFile: string): AuthStep => ({
    type: 'publickey',
    make: async () => {
      const problem = cert.role !== 'user' ? `it is a ${cert.role} certificate` : validityProblem(cert);
      if (problem) return tried.push(`certificate ${certFile} (not offered: ${problem})`), undefined;
      const loaded = await identity(file);
      if (!loaded || !loaded.key.getPublicSSH().equals(cert.publicKey)) return undefined;
      installCertificateAuth();
      return offer(file, `certificate ${certFile}`, loaded, certifiedKey(loaded.key, cert));
    },
  });

  // CertificateFile: each paired with the identity file holding its key.
  for (const certFile of h.certificateFiles) {
    const cert = readCertificateQuietly(certFile, tried);
    const file = cert && h.identityFiles.find((f) => publicKeyOf(f)?.equals(cert.publicKey)) ;
    if (cert && file) steps.push(offerCertificate(file, cert, certFile));
    else if (cert) tried.push(`certificate ${certFile} (no IdentityFile holds its key)`);
  }
  for (const file of h.identityFiles) {
    steps.push({
      type: 'publickey',
      make: async () => {
        const loaded = await identity(file);
        return loaded && offer(file, `publickey ${file}`, loaded, loaded.key);
      },
    });
    if (h.certificateFiles.length) continue; // as ssh: KEY-cert.pub is read only without CertificateFile
    const cert = readCertificateQuietly(`${file}-cert.pub`, tried);
    if (cert) steps.push(offerCertificate(file, cert, `${file}-cert.pub`));
  }

  const secretKey = `password:${login}`;
  for (let attempt = 1; attempt <= SECRET_ATTEMPTS; attempt++) {
    steps.push({
      type: 'password',
      make: async () => {
        const stored = await ctx.secrets.get(secretKey);
        if (stored !== undefined && attempt === 1) {
          tried.push('password (remembered)');
          return { type: 'password', username, password: stored };
        }
        if (stored !== undefined) await ctx.secrets.delete(secretKey); // it did not work
        const answer = await ask({
          hostId: ctx.hostId,
          kind: 'password',
          title: `Password for ${login}`,
          message: attempt === 1 ? `Enter the password of ${login}.` : 'Permission denied. Try again.',
          fields: [{ label: 'Password', secret: true }],
          canRemember: ctx.secrets.canPersist,
          rememberRefusal: ctx.secrets.persistRefusal,
        });
        if (!answer) {
          declined(`Authentication cancelled for ${login} (tried: ${[...tried, 'password (cancelled)'].join(', ')})`);
          steps.length = 0; // a person who cancels is not asked again
          return undefined;
        }
        const password = answer.answers[0] ?? '';
        tried.push('password');
        const method: AnyAuthMethod = { type: 'password', username, password };
        hold({ key: secretKey, value: password, remember: answer.remember, method });
        return method;
      },
    });
  }
  steps.push({
    type: 'keyboard-interactive',
    make: async () => {
      tried.push('keyboard-interactive');
      return {
        type: 'keyboard-interactive',
        username,
        prompt: (_name, instructions, _lang, questions, finish) => {
          if (questions.length === 0) return finish([]);
          void ask({
            hostId: ctx.hostId,
            kind: 'keyboard-interactive',
            title: login,
            message: instructions || `The server ${h.alias} asks:`,
            fields: questions.map((q) => ({ label: q.prompt.trim(), secret: !q.echo })),
            canRemember: false,
          }).then((answer) => finish(answer?.answers ?? questions.map(() => '')));
        },
      };
    },
  });
  return steps;
}

interface LoadedIdentity {
  key: ParsedKey;
  /** The passphrase typed for it, kept once the server accepts a method that used it. */
  secret?: Omit<HeldSecret, 'method'>;
}

/** Loads each identity file once (asking for its passphrase at most once per connection). */
function identityLoader(h: ResolvedHost, ask: PromptBroker['ask'], ctx: DialContext, login: string, tried: string[]) {
  const cache = new Map<string, Promise<LoadedIdentity | undefined>>();
  const load = async (file: string): Promise<LoadedIdentity | undefined> => {
    let raw: Buffer;
    try {
      raw = readFileSync(file);
    } catch {
      return undefined; // default key names that do not exist are skipped silently, as by ssh
    }
    const parse = (passphrase?: string) => {
      const k = utils.parseKey(raw, passphrase);
      return k instanceof Error ? undefined : k;
    };
    const plain = parse();
    if (plain) return { key: plain };
    const secretKey = `passphrase:${file}`;
    const stored = await ctx.secrets.get(secretKey);
    const unlocked = stored !== undefined ? parse(stored) : undefined;
    if (unlocked) return { key: unlocked };
    for (let attempt = 1; attempt <= SECRET_ATTEMPTS; attempt++) {
      const answer = await ask({
        hostId: ctx.hostId,
        kind: 'passphrase',
        title: `Passphrase for ${file}`,
        message: attempt === 1 ? `Enter the passphrase of the key ${file} to log in to ${login}.` : 'That passphrase did not unlock the key. Try again.',
        fields: [{ label: 'Passphrase', secret: true }],
        canRemember: ctx.secrets.canPersist,
        rememberRefusal: ctx.secrets.persistRefusal,
      });
      if (!answer) {
        tried.push(`publickey ${file} (passphrase not given)`);
        return undefined;
      }
      const passphrase = answer.answers[0] ?? '';
      const key = parse(passphrase);
      if (key) return { key, secret: { key: secretKey, value: passphrase, remember: answer.remember } };
    }
    tried.push(`publickey ${file} (wrong passphrase)`);
    return undefined;
  };
  return (file: string) => {
    if (!cache.has(file)) cache.set(file, load(file));
    return cache.get(file)!;
  };
}

/** The public key of an identity file, from FILE.pub (as ssh reads it, without a passphrase). */
function publicKeyOf(file: string): Buffer | undefined {
  try {
    const k = utils.parseKey(readFileSync(`${file}.pub`));
    return k instanceof Error ? undefined : k.getPublicSSH();
  } catch {
    return undefined;
  }
}

function readCertificateQuietly(path: string, tried: string[]): SshCertificate | undefined {
  try {
    return readCertificateFile(path);
  } catch (err) {
    tried.push(`certificate ${path} (unreadable: ${(err as Error).message})`);
    return undefined;
  }
}
