// A typed password is remembered only once the host key was accepted and the server accepted
// that password: an in-process ssh2 server (the lab's sshd covers the real thing) that takes one
// password and no other.
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dial } from './dial';
import { knownHostLine } from './known-hosts';
import { defaultConfigEnv } from './openssh/resolve';
import type { PromptBroker } from './prompts';
import type { SecretStore } from './secrets';
import { parseTarget, resolveHost } from './target';
import { ed25519KeyPair } from './test-keys';

const { Server, utils } = ssh2;
const hostKey = ed25519KeyPair();
const dir = mkdtempSync(join(tmpdir(), 'vd-dial-secrets-'));
let server: InstanceType<typeof Server>;
let port = 0;

beforeAll(async () => {
  server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    client.on('authentication', (ctx) => (ctx.method === 'password' && ctx.password === 'right' ? ctx.accept() : ctx.reject(['password'])));
    client.on('ready', () => client.end());
    client.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

/** A keychain that records what it was asked to keep. */
function recordingSecrets(): SecretStore & { kept: Array<[string, string, boolean]> } {
  const kept: Array<[string, string, boolean]> = [];
  return { canPersist: true, kept, get: async () => undefined, set: async (k, v, p) => void kept.push([k, v, p]), delete: async () => undefined };
}

async function connectWith(passwords: string[], knownHosts: string, strict = 'ask'): Promise<{ kept: Array<[string, string, boolean]>; error?: string }> {
  const config = join(dir, `config-${Math.random()}`);
  writeFileSync(config, `Host t\n  HostName 127.0.0.1\n  Port ${port}\n  User u\n  IdentitiesOnly yes\n  IdentityFile ${join(dir, 'none')}\n  UserKnownHostsFile ${knownHosts}\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking ${strict}\n`);
  const answers = [...passwords];
  const prompts = {
    ask: async (q: { kind: string }) => (q.kind === 'password' && answers.length ? { answers: [answers.shift()!], remember: true } : null),
  } as unknown as PromptBroker;
  const secrets = recordingSecrets();
  const host = resolveHost(parseTarget('t'), { userConfig: config }, defaultConfigEnv());
  try {
    for (const c of await dial(host, { hostId: 't', prompts, secrets })) c.end();
    return { kept: secrets.kept };
  } catch (err) {
    return { kept: secrets.kept, error: (err as Error).message };
  }
}

describe('dial: passwords kept only after the server accepted them', () => {
  const known = () => {
    const file = join(dir, `kh-${Math.random()}`);
    const blob = (utils.parseKey(hostKey.public) as ssh2.ParsedKey).getPublicSSH();
    writeFileSync(file, `${knownHostLine(`[127.0.0.1]:${port}`, blob, false)}\n`);
    return file;
  };

  it('a wrong password then the right one: only the right one is kept, once', async () => {
    const r = await connectWith(['wrong', 'right'], known());
    expect(r.error).toBeUndefined();
    expect(r.kept).toEqual([['password:u@127.0.0.1:' + port, 'right', true]]);
  });

  it('only wrong passwords: nothing is kept', async () => {
    const r = await connectWith(['wrong', 'also wrong', 'no'], known());
    expect(r.error).toMatch(/Authentication (failed|cancelled)/);
    expect(r.kept).toEqual([]);
  });

  it('a host key refused (StrictHostKeyChecking yes, host unknown): no password is even asked', async () => {
    const r = await connectWith(['right'], join(dir, 'empty-known-hosts'), 'yes');
    expect(r.error).toMatch(/No ED25519 host key is known .*StrictHostKeyChecking is yes/);
    expect(r.kept).toEqual([]);
  });
});
