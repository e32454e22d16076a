import ssh2, { type ParsedKey } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { ForwardAgent } from './forward-agent';
import { ed25519Key } from './test-keys';

const { AgentProtocol } = ssh2;

const loginKey = (): ParsedKey => ed25519Key();

/** A host's side of the forwarded channel: an agent client speaking the protocol to our stream. */
function overChannel(agent: ForwardAgent) {
  return new Promise<InstanceType<typeof AgentProtocol>>((resolve, reject) =>
    agent.getStream((err, stream) => {
      if (err || !stream) return reject(err);
      const client = new AgentProtocol(true);
      client.pipe(stream).pipe(client);
      resolve(client);
    }),
  );
}
const identities = (c: InstanceType<typeof AgentProtocol>) => new Promise<ParsedKey[]>((resolve, reject) => c.getIdentities((err, keys) => (err ? reject(err) : resolve(keys ?? []))));
const sign = (c: InstanceType<typeof AgentProtocol>, key: ParsedKey, data: Buffer) =>
  new Promise<Buffer>((resolve, reject) => c.sign(key, data, (err, sig) => (err || !sig ? reject(err ?? new Error('no signature')) : resolve(sig))));

describe('the agent VirtDeck forwards for one command', () => {
  it('offers the login key only while armed, and signs with it over the agent protocol', async () => {
    const key = loginKey();
    const agent = new ForwardAgent();
    expect(agent.credential).toBe('none');
    agent.setLoginKey({ kind: 'key', key });
    expect(agent.credential).toBe('key');
    const host = await overChannel(agent);

    expect(await identities(host)).toEqual([]);
    const disarm = agent.arm();
    const offered = await identities(host);
    expect(offered.map((k) => k.getPublicSSH().toString('base64'))).toEqual([key.getPublicSSH().toString('base64')]);
    expect(offered[0]!.isPrivateKey()).toBe(false);
    const data = Buffer.from('session id and userauth request');
    const sig = await sign(host, offered[0]!, data);
    expect(key.verify(data, sig)).toBe(true);

    disarm();
    disarm(); // twice is once
    expect(await identities(host)).toEqual([]);
    await expect(sign(host, offered[0]!, data)).rejects.toThrow();
  });

  it('refuses to sign for any other key', async () => {
    const agent = new ForwardAgent();
    agent.setLoginKey({ kind: 'key', key: loginKey() });
    agent.arm();
    const host = await overChannel(agent);
    await expect(sign(host, loginKey(), Buffer.from('x'))).rejects.toThrow();
  });
});
