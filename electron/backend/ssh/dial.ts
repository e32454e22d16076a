// Opening one authenticated SSH connection, through ProxyJump hops when the config says so.
// Host keys are checked against known_hosts before anything else; an unknown key is shown to the
// person with its fingerprint (or refused, or added, as StrictHostKeyChecking says: see
// host-key-check.ts), a changed one is refused. Authentication follows OpenSSH's order.
import type { Duplex } from 'node:stream';
import ssh2, { type AnyAuthMethod, type Client as SshClient, type ParsedKey } from 'ssh2';
import { CertificateAwareAgent } from './cert-agent.js';
import { certificateOf } from './cert-auth.js';
import { ForwardAgent, type LoginKey } from './forward-agent.js';
import { decideHostKey, hostKeyPlan } from './host-key-check.js';
import { appendKnownHost, knownHostLine } from './known-hosts.js';
import { authSteps, type HeldSecret } from './auth-steps.js';
import { startProxyCommand } from './proxy-command.js';
import type { PromptBroker } from './prompts.js';
import type { SecretStore } from './secrets.js';
import type { ResolvedHost } from './target.js';

export { decideHostKey, hostKeyPlan } from './host-key-check.js';

// ssh2 is CommonJS; Node's ESM loader cannot see its named exports, the default export has them all.
const { Client, utils } = ssh2;

/** Time for TCP + SSH handshake + authentication, not counting time a prompt waits for a person. */
const HANDSHAKE_TIMEOUT_MS = 15_000;

export interface DialContext {
  hostId: string;
  prompts: PromptBroker;
  secrets: SecretStore;
  /** Something the person should know although the connection goes ahead (a host key added
   *  under accept-new, a changed key let through by StrictHostKeyChecking no). */
  warn?: (message: string) => void;
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

/** What a connected client learnt while connecting: the host key it verified (public) and the
 *  agent that can lend the key it logged in with to one command (forward-agent.ts). */
export interface ClientFacts {
  hostKey: Buffer;
  agent: ForwardAgent;
}
const clientFacts = new WeakMap<SshClient, ClientFacts>();
export const factsOf = (client: SshClient): ClientFacts | undefined => clientFacts.get(client);

function loginKeyOf(method: AnyAuthMethod | undefined): LoginKey | undefined {
  if (method?.type === 'agent' && typeof method.agent === 'string') return { kind: 'agent', socket: method.agent };
  if (method?.type === 'agent' && method.agent instanceof CertificateAwareAgent) return { kind: 'agent', socket: method.agent.socketPath };
  if (method?.type !== 'publickey') return undefined;
  const key = utils.parseKey(method.key, method.passphrase);
  if (key instanceof Error) return undefined;
  // A key logged in with its certificate is lent as the plain key (the certified key wears it).
  return { kind: 'key', key: certificateOf(key) ? (Object.getPrototypeOf(key) as ParsedKey) : key };
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
      const client = await connectOne(hop, sock, ctx, i < host.jumps.length ? host.alias : undefined);
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

/** `jumpFor`: this host is a ProxyJump hop on the way to that one (the prompt says so). */
function connectOne(h: ResolvedHost, sock: Duplex | undefined, ctx: DialContext, jumpFor?: string): Promise<SshClient> {
  const client = new Client();
  const where = `${h.hostName}:${h.port}`;
  const tried: string[] = [];
  let refusal: string | undefined; // a host key problem or a declined prompt: says why, wins
  /** The last method handed to ssh2, and the secrets typed for methods. */
  let lastMethod: AnyAuthMethod | undefined;
  const held: HeldSecret[] = [];
  /** A changed key let through (StrictHostKeyChecking no): no password may be sent to it. */
  let unsafe = false;
  let hostKey: Buffer | undefined;
  const agent = new ForwardAgent();

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

    const steps = authSteps(h, ask, ctx, tried, (why) => (refusal ??= why), (secret) => held.push(secret));
    client.on('ready', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      agent.setLoginKey(loginKeyOf(lastMethod));
      if (hostKey) clientFacts.set(client, { hostKey, agent });
      // The server accepted `lastMethod`: its secret is good; the others were not used or failed.
      void Promise.all(held.filter((s) => s.method === lastMethod).map((s) => ctx.secrets.set(s.key, s.value, s.remember).catch(() => undefined))).then(() => resolve(client));
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
      // Served only to a command opened with agentForward (SshSession.execLendingKey), and armed
      // only while it runs: no channel gets an agent by default.
      agent,
      algorithms: { serverHostKey: plan.algorithms as never },
      authHandler: (methodsLeft, _partial, next) => {
        void (async () => {
          while (steps.length) {
            const step = steps.shift()!;
            if (methodsLeft && !methodsLeft.includes(step.type)) continue;
            if (unsafe && (step.type === 'password' || step.type === 'keyboard-interactive')) continue;
            const method = await step.make();
            if (method) return (lastMethod = method), next(method);
          }
          (next as unknown as (m: false) => void)(false); // ssh2: false = no more methods
        })();
      },
      // ssh2 accepts any key when no verifier is set: this one is always set.
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        hostKey = key;
        const decision = decideHostKey(plan, key, h.strictHostKeyChecking);
        if (decision.ok === true) {
          if (decision.warning) (unsafe = true), ctx.warn?.(decision.warning);
          return verify(true);
        }
        if (decision.ok === false) {
          refusal = decision.refusal;
          return verify(false);
        }
        const file = h.knownHostsFiles[0]!;
        const save = () => {
          try {
            appendKnownHost(file, knownHostLine(names[0]!, key, h.hashKnownHosts));
            return true;
          } catch (err) {
            refusal = `Could not save the host key to ${file}: ${(err as Error).message}`;
            return false;
          }
        };
        if (decision.ok === 'add') {
          // OpenSSH: "Warning: Permanently added … to the list of known hosts."
          if (!save()) return verify(false);
          ctx.warn?.(`Permanently added ${names[0]} (${decision.keyType} ${decision.fingerprint}) to ${file} (StrictHostKeyChecking ${h.strictHostKeyChecking}).`);
          return verify(true);
        }
        const verdict = decision;
        const role = jumpFor ? ` It is the jump host (ProxyJump) on the way to ${jumpFor}.` : '';
        void ask({
          hostId: ctx.hostId,
          kind: 'host-key',
          title: `Unknown host ${h.alias}`,
          message: `The authenticity of host ${names[0]} can't be established.${role} Its ${verdict.keyType} key fingerprint is ${verdict.fingerprint}.${verdict.otherTypes.length ? ` Keys of other types are already known for this host (${verdict.otherTypes.join(', ')}).` : ''} Accepting adds it to ${file}.`,
          fields: [],
          canRemember: false,
        }).then((answer) => {
          if (!answer) {
            refusal = `The ${verdict.keyType} host key of ${names[0]} (${verdict.fingerprint}) was not accepted`;
            return verify(false);
          }
          verify(save());
        });
      },
    });
  });
}
