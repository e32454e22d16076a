import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keychainRefusal, SafeStorageKeychain } from './keychain';

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

describe('keychain names and the plain-text backend', () => {
  const withBackend = (backend: 'basic_text' | 'gnome_libsecret' | 'kwallet5' | 'unknown') => ({ ...fakeSafeStorage(), getSelectedStorageBackend: () => backend });

  it('entry names are encrypted too: no user, host or port in the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vd-keychain-'));
    const kc = new SafeStorageKeychain(fakeSafeStorage(), dir);
    kc.handle({ keychain: 'set', reqId: 1, key: 'password:alice@db.example:2222', value: 'x' });
    kc.handle({ keychain: 'set', reqId: 2, key: 'passphrase:/home/alice/.ssh/id_ed25519', value: 'y' });
    const file = readFileSync(join(dir, 'keychain.json'), 'utf8');
    for (const clear of ['alice', 'db.example', '2222', 'password:', 'id_ed25519']) expect(file).not.toContain(clear);
    expect(kc.handle({ keychain: 'get', reqId: 3, key: 'password:alice@db.example:2222' }).value).toBe('x');
    expect(kc.handle({ keychain: 'get', reqId: 4, key: 'passphrase:/home/alice/.ssh/id_ed25519' }).value).toBe('y');
  });

  it('a file of the first format (names in clear) is read, and rewritten encrypted at the next change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vd-keychain-'));
    const old = { 'password:bob@h:22': fakeSafeStorage().encryptString('pw').toString('base64') };
    writeFileSync(join(dir, 'keychain.json'), JSON.stringify(old));
    const kc = new SafeStorageKeychain(fakeSafeStorage(), dir);
    expect(kc.handle({ keychain: 'get', reqId: 1, key: 'password:bob@h:22' }).value).toBe('pw');
    kc.handle({ keychain: 'set', reqId: 2, key: 'other', value: 'v' });
    expect(readFileSync(join(dir, 'keychain.json'), 'utf8')).not.toContain('bob@h');
    expect(kc.handle({ keychain: 'get', reqId: 3, key: 'password:bob@h:22' }).value).toBe('pw');
  });

  it("Linux's basic_text (and an unknown) backend is refused, saying why; a real keyring is used", () => {
    expect(keychainRefusal(withBackend('basic_text'), 'linux')).toMatch(/plain text/);
    expect(keychainRefusal(withBackend('unknown'), 'linux')).toMatch(/could not be identified/);
    expect(keychainRefusal(withBackend('gnome_libsecret'), 'linux')).toBeUndefined();
    expect(keychainRefusal(withBackend('kwallet5'), 'linux')).toBeUndefined();
    // The backend question exists on Linux only (macOS Keychain, Windows DPAPI always encrypt).
    expect(keychainRefusal(withBackend('unknown'), 'darwin')).toBeUndefined();
    expect(keychainRefusal(fakeSafeStorage(false), 'darwin')).toMatch(/not available/);
    const dir = mkdtempSync(join(tmpdir(), 'vd-keychain-'));
    const kc = new SafeStorageKeychain(withBackend('basic_text'), dir, 'linux');
    expect(kc.handle({ keychain: 'set', reqId: 1, key: 'k', value: 'v' }).error).toMatch(/plain text/);
    expect(existsSync(join(dir, 'keychain.json'))).toBe(false);
  });
});
