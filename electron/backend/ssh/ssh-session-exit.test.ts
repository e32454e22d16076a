// A quick command's exit status must reach exec() even when the server's confirmation of the
// channel, the output, the exit-status and the close arrive in one read: ssh2 then emits 'exit'
// before exec() could have added a listener after an await. Seen against the lab's sshd under load
// as `code: null` for commands that had succeeded (sudo -n -l, test -e): a bridge change refused
// for want of a sudo rule that was there. An in-process ssh2 server answers every exec at once.
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { knownHostLine } from './known-hosts';
import { defaultConfigEnv } from './openssh/resolve';
import type { PromptBroker } from './prompts';
import type { SecretStore } from './secrets';
import { SshSession } from './ssh-session';
import { parseTarget, resolveHost } from './target';
import { ed25519KeyPair } from './test-keys';

const { Server, utils } = ssh2;
const hostKey = ed25519KeyPair();
const dir = mkdtempSync(join(tmpdir(), 'vd-exit-'));
let server: InstanceType<typeof Server>;
let port = 0;

beforeAll(async () => {
  server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    client.on('authentication', (ctx) => (ctx.method === 'password' && ctx.password === 'pw' ? ctx.accept() : ctx.reject(['password'])));
    client.on('ready', () =>
      client.on('session', (accept) =>
        accept().on('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec();
          // All in the same tick as the confirmation: one write on the wire.
          const code = info.command.length % 7;
          stream.write(`ran ${code}\n`);
          stream.exit(code);
          stream.end();
        }),
      ),
    );
    client.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

it('exec() reports each command’s own exit status, however quickly the server answers', async () => {
  const config = join(dir, 'config');
  const known = join(dir, 'known_hosts');
  writeFileSync(known, `${knownHostLine(`[127.0.0.1]:${port}`, (utils.parseKey(hostKey.public) as ssh2.ParsedKey).getPublicSSH(), false)}\n`);
  writeFileSync(config, `Host t\n  HostName 127.0.0.1\n  Port ${port}\n  User u\n  IdentitiesOnly yes\n  IdentityFile ${join(dir, 'none')}\n  UserKnownHostsFile ${known}\n  GlobalKnownHostsFile /dev/null\n`);
  const prompts = { ask: async () => ({ answers: ['pw'], remember: false }) } as unknown as PromptBroker;
  const secrets: SecretStore = { canPersist: false, get: async () => undefined, set: async () => undefined, delete: async () => undefined };
  const session = new SshSession(resolveHost(parseTarget('t'), { userConfig: config }, defaultConfigEnv()), { hostId: 't', prompts, secrets });
  await session.connect();
  try {
    const argvs = Array.from({ length: 60 }, (_, i) => ['true', 'x'.repeat(i)]);
    const results = await Promise.all(argvs.map((argv) => session.exec(argv)));
    // The server's code is the built command's length mod 7, printed too: both must agree.
    for (const r of results) expect(r.code, r.stdout).toBe(Number(/^ran (\d)$/m.exec(r.stdout)![1]));
  } finally {
    session.disconnect();
  }
});
