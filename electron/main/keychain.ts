// "Remember" for secrets in the Electron app: Electron's safeStorage (macOS Keychain, Windows
// DPAPI, libsecret/kwallet on Linux) encrypts them; only ciphertext is written, to one file in
// the app's data folder. safeStorage exists only in the main process, so the backend (a utility
// process) reaches it through small request/reply messages (shared/contract/wire.ts).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import type { KeychainReply, KeychainRequest } from '../../shared/contract/index.js';

export class SafeStorageKeychain {
  private readonly file: string;

  constructor(private readonly safeStorage: Pick<SafeStorage, 'encryptString' | 'decryptString' | 'isEncryptionAvailable'>, dataDir: string) {
    this.file = join(dataDir, 'keychain.json');
  }

  get available(): boolean {
    return this.safeStorage.isEncryptionAvailable();
  }

  private load(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private save(entries: Record<string, string>): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(entries), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  handle(req: KeychainRequest): KeychainReply {
    try {
      const entries = this.load();
      switch (req.keychain) {
        case 'get': {
          const stored = entries[req.key];
          return { keychainReply: req.reqId, value: stored === undefined ? undefined : this.safeStorage.decryptString(Buffer.from(stored, 'base64')) };
        }
        case 'set':
          if (!this.available) return { keychainReply: req.reqId, error: 'The system keychain is not available' };
          entries[req.key] = this.safeStorage.encryptString(req.value ?? '').toString('base64');
          this.save(entries);
          return { keychainReply: req.reqId };
        case 'delete':
          delete entries[req.key];
          this.save(entries);
          return { keychainReply: req.reqId };
      }
    } catch (err) {
      return { keychainReply: req.reqId, error: (err as Error).message };
    }
  }
}
