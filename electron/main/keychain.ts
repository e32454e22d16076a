// "Remember" for secrets in the Electron app: Electron's safeStorage (macOS Keychain, Windows
// DPAPI, libsecret/kwallet on Linux) encrypts them; only ciphertext is written, to one file in
// the app's data folder — the entry names too (they say which user logs in where), so each entry
// is a pair of ciphertexts and a lookup decrypts the names (a handful of entries). safeStorage
// exists only in the main process, so the backend (a utility process) reaches it through small
// request/reply messages (shared/contract/wire.ts).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import type { KeychainReply, KeychainRequest } from '../../shared/contract/index.js';

type Storage = Pick<SafeStorage, 'encryptString' | 'decryptString' | 'isEncryptionAvailable'> & Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

/** Why "remember" must not be offered, or undefined when safeStorage really encrypts. On Linux
 *  without a Secret Service or KWallet, Chromium falls back to 'basic_text': a fixed key in the
 *  binary, i.e. plain text to anyone who reads the file; 'unknown' means it could not tell. */
export function keychainRefusal(storage: Storage, platform: NodeJS.Platform = process.platform): string | undefined {
  if (!storage.isEncryptionAvailable()) return 'The system keychain is not available, so secrets are kept for this session only.';
  if (platform !== 'linux' || !storage.getSelectedStorageBackend) return undefined;
  const backend = storage.getSelectedStorageBackend();
  if (backend === 'basic_text') return 'No system keyring (Secret Service or KWallet) is running: secrets would be stored in plain text, so they are kept for this session only.';
  if (backend === 'unknown') return 'The system keyring could not be identified, so secrets are kept for this session only.';
  return undefined;
}

/** keychain.json: [encrypted name, encrypted value] pairs, base64. */
interface KeychainFile {
  version: 2;
  entries: Array<[string, string]>;
}

export class SafeStorageKeychain {
  private readonly file: string;

  constructor(private readonly safeStorage: Storage, dataDir: string, private readonly platform: NodeJS.Platform = process.platform) {
    this.file = join(dataDir, 'keychain.json');
  }

  /** Why nothing may be stored, or undefined when it may. */
  get refusal(): string | undefined {
    return keychainRefusal(this.safeStorage, this.platform);
  }

  private encrypt = (s: string) => this.safeStorage.encryptString(s).toString('base64');
  private decrypt = (s: string) => this.safeStorage.decryptString(Buffer.from(s, 'base64'));

  /** Name → value, decrypted. A file of the first format (names in clear) is read too, and is
   *  rewritten in this one at the next change. */
  private load(): Map<string, string> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      return new Map();
    }
    const map = new Map<string, string>();
    if (parsed && typeof parsed === 'object' && (parsed as KeychainFile).version === 2) {
      for (const [name, value] of (parsed as KeychainFile).entries) map.set(this.decrypt(name), value);
    } else if (parsed && typeof parsed === 'object') {
      for (const [name, value] of Object.entries(parsed as Record<string, string>)) map.set(name, value);
    }
    return map;
  }

  private save(entries: Map<string, string>): void {
    const file: KeychainFile = { version: 2, entries: [...entries].map(([name, value]) => [this.encrypt(name), value]) };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(file), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  handle(req: KeychainRequest): KeychainReply {
    try {
      const entries = this.load();
      switch (req.keychain) {
        case 'get': {
          const stored = entries.get(req.key);
          return { keychainReply: req.reqId, value: stored === undefined ? undefined : this.decrypt(stored) };
        }
        case 'set': {
          const refusal = this.refusal;
          if (refusal) return { keychainReply: req.reqId, error: refusal };
          entries.set(req.key, this.encrypt(req.value ?? ''));
          this.save(entries);
          return { keychainReply: req.reqId };
        }
        case 'delete':
          entries.delete(req.key);
          this.save(entries);
          return { keychainReply: req.reqId };
      }
    } catch (err) {
      return { keychainReply: req.reqId, error: (err as Error).message };
    }
  }
}
