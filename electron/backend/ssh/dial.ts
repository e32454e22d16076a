// Opening one authenticated SSH connection, through ProxyJump hops when the config says so.
// Host keys are checked against known_hosts before anything else; an unknown key is shown to the
// person with its fingerprint, a changed one is refused. Authentication follows OpenSSH's order.
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import ssh2, { type AnyAuthMethod, type AuthenticationType, type Client as SshClient } from 'ssh2';
import { appendKnownHost, checkHostKey, hostKeyName, knownForHost, knownHostLine, parseKnownHosts, type KnownHostLine } from './known-hosts.js';
import { startProxyCommand } from './proxy-command.js';
import { orderHostKeyAlgorithms, SSH2_HOST_KEY_ALGORITHMS } from './openssh/host-key-algorithms.js';
import type { PromptBroker } from './prompts.js';
import type { SecretStore } from './secrets.js';
import type { ResolvedHost } from './target.js';

// ssh2 is CommonJS; Node's ESM loader cannot see its named exports, the default export has them all.
const { Client, utils } = ssh2;

/** Time for TCP + SSH handshake + authentication, not counting time a prompt waits for a person. */
const HANDSHAKE_TIMEOUT_MS = 15_000;
/** OpenSSH's NumberOfPasswordPrompts. */
const SECRET_ATTEMPTS = 3;

export interface DialContext {
  hostId: string;
  prompts: PromptBroker;
  secrets: SecretStore;
}

/** Say what went wrong in an admin's words, keeping the system's code for searching. */
export function describeNetworkError(err: Error & { code?: string }, where: string): string {
  switch (err.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot resolve ${where.replace(/:\d+$/, '')} (${err.code})`;
    case 'ECONNREFUSED':
      return `Connection refused by ${where}: is sshd running there? (${err.code})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `No route to ${where} (${err.code})`;
    case 'ETIMEDOUT':
      return `Connection to ${where} timed out (${err.code})`;
  }
  if (/Keepalive timeout/i.test(err.message)) return `Lost the link to ${where}: no answer to keepalives`;
  return err.message;
}

/** Connect to `host`, through its jump hosts. Returns the chain of clients, the target's last. */
export async function dial(host: ResolvedHost, ctx: DialContext): Promise<SshClient[]> {
  const hops = [...host.jumps, host];
  const chain: SshClient[] = [];
  // The first hop may be reached through a local command instead of TCP (ProxyCommand).
  const proxy = hops[0]!.proxyCommand ? startProxyCommand(hops[0]!.proxyCommand) : undefined;
  let sock: Duplex | undefined = proxy?.stream;
  try {
    for (const [i, hop] of hops.entries()) {
      const client = await connectOne(hop, sock, ctx);
      chain.push(client);
      const next = hops[i + 1];
      if (next) sock = await forward(client, hop, next);
    }
  } catch (err) {
    for (const c of chain) c.end();
    proxy?.stream.destroy();
    if (proxy && !chain.length) throw new Error(await proxy.explain((err as Error).message));
    throw err;
  }
  return chain;
}

function forward(client: SshClient, via: ResolvedHost, to: ResolvedHost): Promise<Duplex> {
  return new Promise((resolve, reject) =>
    client.forwardOut('127.0.0.1', 0, to.hostName, to.port, (err, channel) =>
      err ? reject(new Error(`Jump host ${via.alias} cannot reach ${to.hostName}:${to.port}: ${err.message}`)) : resolve(channel),
    ),
  );
}

type FiledLine = KnownHostLine & { file: string };

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
  const lines = readKnownHosts([...h.knownHostsFiles, ...h.globalKnownHostsFiles]);
  const ordered = orderHostKeyAlgorithms(h.hostKeyAlgorithms, knownForHost(lines, names));
  const algorithms = ordered.filter((a) => SSH2_HOST_KEY_ALGORITHMS.has(a));
  if (!algorithms.length) {
    throw new Error(`None of the host key algorithms for ${h.alias} (${ordered.join(',')}) can be verified by VirtDeck's SSH transport`);
  }
  return { names, lines, algorithms };
}

export type HostKeyDecision = { ok: true } | { ok: false; refusal: string } | { ok: 'ask'; fingerprint: string; otherTypes: string[] };

/** The verdict on a presented host key, in OpenSSH's words when it is refused. */
export function decideHostKey(plan: ReturnType<typeof hostKeyPlan>, key: Buffer): HostKeyDecision {
  const verdict = checkHostKey(plan.lines, plan.names, key);
  const name = plan.names[0]!;
  const lineRef = (l: KnownHostLine) => `${(l as FiledLine).file}:${l.lineNumber}`;
  switch (verdict.kind) {
    case 'trusted':
      return { ok: true };
    case 'changed':
      return {
        ok: false,
        refusal: `WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED for ${name}: it now offers ${verdict.fingerprint}, which does not match ${lineRef(verdict.line)}. Someone could be intercepting the connection (or the host was reinstalled). VirtDeck refuses to connect; if the change is expected, remove that line.`,
      };
    case 'revoked':
      return { ok: false, refusal: `The host key of ${name} (${verdict.fingerprint}) is revoked at ${lineRef(verdict.line)}. Refusing to connect.` };
    case 'unknown':
      return { ok: 'ask', fingerprint: verdict.fingerprint, otherTypes: verdict.otherTypes };
  }
}

interface AuthStep {
  type: AuthenticationType;
  /** Builds the method, asking the person when needed; undefined skips the step. */
  make(): Promise<AnyAuthMethod | undefined>;
}

function connectOne(h: ResolvedHost, sock: Duplex | undefined, ctx: DialContext): Promise<SshClient> {
  const client = new Client();
  const where = `${h.hostName}:${h.port}`;
  const tried: string[] = [];
  let refusal: string | undefined; // a host key problem or a declined prompt: says why, wins

  return new Promise<SshClient>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      reject(new Error(message));
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(`No SSH answer from ${where} within ${HANDSHAKE_TIMEOUT_MS / 1000} s`), HANDSHAKE_TIMEOUT_MS);
    };
    /** Ask the person; the handshake clock stops while they read and type. */
    const ask: PromptBroker['ask'] = async (question) => {
      clearTimeout(timer);
      try {
        return await ctx.prompts.ask(question);
      } finally {
        if (!settled) arm();
      }
    };

    const steps = authSteps(h, ask, ctx, tried, (why) => (refusal ??= why));
    client.on('ready', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(client);
    });
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (refusal) return fail(refusal);
      if (err.level === 'client-authentication') return fail(`Authentication failed for ${h.user}@${h.alias} (tried: ${tried.join(', ') || 'nothing'})`);
      fail(describeNetworkError(err, where));
    });
    client.on('close', () => fail(refusal ?? `Connection to ${where} closed during the handshake`));

    let plan: ReturnType<typeof hostKeyPlan>;
    try {
      plan = hostKeyPlan(h);
    } catch (err) {
      return fail((err as Error).message);
    }
    const names = plan.names;

    arm();
    client.connect({
      host: h.hostName,
      port: h.port,
      sock,
      username: h.user,
      readyTimeout: 24 * 3600_000, // our own handshake clock above knows about prompts
      keepaliveInterval: h.serverAliveIntervalMs,
      keepaliveCountMax: h.serverAliveCountMax,
      tryKeyboard: true,
      algorithms: { serverHostKey: plan.algorithms as never },
      authHandler: (methodsLeft, _partial, next) => {
        void (async () => {
          while (steps.length) {
            const step = steps.shift()!;
            if (methodsLeft && !methodsLeft.includes(step.type)) continue;
            const method = await step.make();
            if (method) return next(method);
          }
          (next as unknown as (m: false) => void)(false); // ssh2: false = no more methods
        })();
      },
      // ssh2 accepts any key when no verifier is set: this one is always set.
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        const decision = decideHostKey(plan, key);
        if (decision.ok === true) return verify(true);
        if (decision.ok === false) {
          refusal = decision.refusal;
          return verify(false);
        }
        const verdict = decision;
        const file = h.knownHostsFiles[0]!;
        void ask({
          hostId: ctx.hostId,
          kind: 'host-key',
          title: `Unknown host ${h.alias}`,
          message: `The authenticity of host ${names[0]} can't be established. Its key fingerprint is ${verdict.fingerprint}.${verdict.otherTypes.length ? ` Keys of other types are already known for this host (${verdict.otherTypes.join(', ')}).` : ''} Accepting adds it to ${file}.`,
          fields: [],
          canRemember: false,
        }).then((answer) => {
          if (!answer) {
            refusal = `The host key of ${names[0]} (${verdict.fingerprint}) was not accepted`;
            return verify(false);
          }
          try {
            appendKnownHost(file, knownHostLine(names[0]!, key, h.hashKnownHosts));
          } catch (err) {
            refusal = `Could not save the host key to ${file}: ${(err as Error).message}`;
            return verify(false);
          }
          verify(true);
        });
      },
    });
  });
}

/** OpenSSH's order: agent, identity files (asking for passphrases), password, keyboard-interactive. */
function authSteps(
  h: ResolvedHost,
  ask: PromptBroker['ask'],
  ctx: DialContext,
  tried: string[],
  declined: (why: string) => void,
): AuthStep[] {
  const username = h.user;
  const login = `${h.user}@${h.hostName}:${h.port}`;
  const steps: AuthStep[] = [{ type: 'none', make: async () => ({ type: 'none', username }) }];

  const agent = process.env.SSH_AUTH_SOCK ?? (process.platform === 'win32' ? '\\\\.\\pipe\\openssh-ssh-agent' : undefined);
  if (agent && !h.identitiesOnly) {
    steps.push({ type: 'publickey', make: async () => (tried.push('agent'), { type: 'agent', username, agent }) });
  }

  for (const file of h.identityFiles) {
    steps.push({
      type: 'publickey',
      make: async () => {
        let key: Buffer;
        try {
          key = readFileSync(file);
        } catch {
          return undefined; // default key names that do not exist are skipped silently, as by ssh
        }
        if (!(utils.parseKey(key) instanceof Error)) return tried.push(`publickey ${file}`), { type: 'publickey', username, key };
        const secretKey = `passphrase:${file}`;
        const stored = await ctx.secrets.get(secretKey);
        if (stored !== undefined && !(utils.parseKey(key, stored) instanceof Error)) {
          return tried.push(`publickey ${file}`), { type: 'publickey', username, key, passphrase: stored };
        }
        for (let attempt = 1; attempt <= SECRET_ATTEMPTS; attempt++) {
          const answer = await ask({
            hostId: ctx.hostId,
            kind: 'passphrase',
            title: `Passphrase for ${file}`,
            message: attempt === 1 ? `Enter the passphrase of the key ${file} to log in to ${login}.` : 'That passphrase did not unlock the key. Try again.',
            fields: [{ label: 'Passphrase', secret: true }],
            canRemember: ctx.secrets.canPersist,
          });
          if (!answer) {
            tried.push(`publickey ${file} (passphrase not given)`);
            return undefined;
          }
          const passphrase = answer.answers[0] ?? '';
          if (!(utils.parseKey(key, passphrase) instanceof Error)) {
            await ctx.secrets.set(secretKey, passphrase, answer.remember);
            tried.push(`publickey ${file}`);
            return { type: 'publickey', username, key, passphrase };
          }
        }
        tried.push(`publickey ${file} (wrong passphrase)`);
        return undefined;
      },
    });
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
        });
        if (!answer) {
          declined(`Authentication cancelled for ${login} (tried: ${[...tried, 'password (cancelled)'].join(', ')})`);
          steps.length = 0; // a person who cancels is not asked again
          return undefined;
        }
        const password = answer.answers[0] ?? '';
        // Stored only once the server accepted it would be nicer; ssh2 gives no per-method
        // success hook, so a wrong one is dropped on the next attempt above.
        await ctx.secrets.set(secretKey, password, answer.remember);
        tried.push('password');
        return { type: 'password', username, password };
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
