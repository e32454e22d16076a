import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SafeStorageKeychain } from './keychain';

// A stand-in for Electron's safeStorage (the runtime is absent here): reversible, not identity.
const fakeSafeStorage = (available = true) => ({
  isEncryptionAvailable: () => available,
  encryptString: (s: string) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
  decryptString: (b: Buffer) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
});

describe('SafeStorageKeychain', () => {
  it('stores only ciphertext and reads it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vd-keychain-'));
    const kc = new SafeStorageKeychain(fakeSafeStorage(), dir);
    expect(kc.handle({ keychain: 'set', reqId: 1, key: 'password:u@h:22', value: 's3cret' })).toEqual({ keychainReply: 1 });
    expect(readFileSync(join(dir, 'keychain.json'), 'utf8')).not.toContain('s3cret');
    expect(kc.handle({ keychain: 'get', reqId: 2, key: 'password:u@h:22' })).toEqual({ keychainReply: 2, value: 's3cret' });
    kc.handle({ keychain: 'delete', reqId: 3, key: 'password:u@h:22' });
    expect(kc.handle({ keychain: 'get', reqId: 4, key: 'password:u@h:22' })).toEqual({ keychainReply: 4, value: undefined });
  });

  it('refuses to store when the OS offers no encryption', () => {
    const kc = new SafeStorageKeychain(fakeSafeStorage(false), mkdtempSync(join(tmpdir(), 'vd-keychain-')));
    expect(kc.handle({ keychain: 'set', reqId: 1, key: 'k', value: 'v' }).error).toMatch(/not available/);
  });
});
