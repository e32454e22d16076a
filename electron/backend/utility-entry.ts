// Entry of the Electron utility process that hosts the backend, so SSH, virsh output parsing and
// console streams never run on the window's main thread. main/main.ts only relays messages;
// the messages (ToBackend, FromBackend) are in shared/contract/wire.ts.
import type { MessageEvent } from 'electron';
import { isConsoleAttach, type FromBackend, type KeychainReply, type KeychainRequest } from '../../shared/contract/index.js';
import { Backend, type BackendOptions } from './backend.js';
import { attachConsolePort } from './consoles/port-bridge.js';
import type { SecretStore } from './ssh/secrets.js';

/** The OS keychain lives in the main process (safeStorage): ask it by message. */
function remoteKeychain(port: Electron.ParentPort): Omit<SecretStore, 'canPersist' | 'persistRefusal'> {
  const waiting = new Map<number, (reply: KeychainReply) => void>();
  let nextId = 1;
  port.on('message', (e: MessageEvent) => {
    const reply = e.data as Partial<KeychainReply>;
    if (typeof reply?.keychainReply === 'number') waiting.get(reply.keychainReply)?.(reply as KeychainReply);
  });
  const request = (op: KeychainRequest['keychain'], key: string, value?: string) =>
    new Promise<KeychainReply>((resolve) => {
      const reqId = nextId++;
      waiting.set(reqId, (reply) => {
        waiting.delete(reqId);
        resolve(reply);
      });
      port.postMessage({ keychain: op, reqId, key, value } satisfies KeychainRequest);
    });
  return {
    get: async (key) => (await request('get', key)).value,
    set: async (key, value) => {
      const reply = await request('set', key, value);
      if (reply.error) throw new Error(reply.error);
    },
    delete: async (key) => void (await request('delete', key)),
  };
}

/** `--data-dir=<dir>` / `--ssh-config=<file>` (or the two-argument forms), else the
 *  VIRTDECK_DATA_DIR / VIRTDECK_SSH_CONFIG environment variables. */
export function parseBackendOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): BackendOptions | { error: string } {
  const flag = (name: string): string | undefined => {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
      if (arg === `--${name}` && i + 1 < argv.length) return argv[i + 1];
    }
    return undefined;
  };
  const dataDir = flag('data-dir') || env.VIRTDECK_DATA_DIR;
  if (!dataDir) return { error: 'no data directory given (--data-dir=<dir> or VIRTDECK_DATA_DIR)' };
  const sshConfigPath = flag('ssh-config') || env.VIRTDECK_SSH_CONFIG || undefined;
  return sshConfigPath ? { dataDir, sshConfigPath } : { dataDir };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function main(): void {
  const port = process.parentPort;
  if (!port) {
    process.stderr.write('VirtDeck backend: must run in an Electron utility process (no parentPort).\n');
    process.exit(2);
  }
  const opts = parseBackendOptions(process.argv.slice(2), process.env);
  if ('error' in opts) {
    process.stderr.write(`VirtDeck backend: ${opts.error}\n`);
    process.exit(2);
  }

  const refused = process.argv.find((a) => a.startsWith('--keychain-refused='))?.slice('--keychain-refused='.length);
  // The app's own window picks local files in native dialogs, so transfers may take their paths.
  const withFiles = { ...opts, localFiles: true };
  const backend = new Backend(process.argv.includes('--keychain') ? { ...withFiles, keychain: remoteKeychain(port) } : { ...withFiles, keychainRefusal: refused });
  const send = (frame: FromBackend): void => port.postMessage(frame);
  backend.onEvent((event) => send({ event }));

  let closing = false;
  port.on('message', (e: MessageEvent) => {
    const msg: unknown = e.data;
    if (!isRecord(msg)) return;
    // A console's MessagePort from main (see consoles/port-bridge.ts).
    if (isConsoleAttach(msg)) return attachConsolePort(backend.consoles, msg, e.ports[0]);
    if (msg.shutdown === true) {
      if (closing) return;
      closing = true;
      void backend
        .close()
        .catch(() => undefined)
        .finally(() => process.exit(0));
      return;
    }
    const id = msg.id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return;
    if (closing) {
      send({ id, outcome: { ok: false, error: { code: 'internal', message: 'VirtDeck is shutting down.' } } });
      return;
    }
    // The dispatcher checks the method name and the parameters.
    void backend.call(msg.method, msg.params).then(
      (outcome) => send({ id, outcome }),
      // call() never throws by contract; this only guards against a broken promise.
      (err: unknown) =>
        send({ id, outcome: { ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } } }),
    );
  });
}

main();
