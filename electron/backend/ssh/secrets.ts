// Secrets a person typed (passphrases, passwords). They stay in this process's memory; only when
// the person ticks "remember" and the OS keychain is available (Electron's safeStorage, reached
// through the main process) are they stored, encrypted, on disk. Browser mode never persists one.

export interface SecretStore {
  /** Whether `remember` can persist anything. */
  readonly canPersist: boolean;
  /** Why `remember` cannot persist (shown beside the prompt), when it cannot. */
  readonly persistRefusal?: string;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, persist: boolean): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Keeps secrets for this run only, and asks a persistent backing store when there is one. */
export class SessionSecrets implements SecretStore {
  private readonly memory = new Map<string, string>();

  constructor(
    private readonly keychain?: Omit<SecretStore, 'canPersist' | 'persistRefusal'>,
    readonly persistRefusal?: string,
  ) {}

  get canPersist(): boolean {
    return this.keychain !== undefined;
  }

  async get(key: string): Promise<string | undefined> {
    return this.memory.get(key) ?? (await this.keychain?.get(key));
  }

  async set(key: string, value: string, persist: boolean): Promise<void> {
    this.memory.set(key, value);
    if (persist) await this.keychain?.set(key, value, true);
  }

  async delete(key: string): Promise<void> {
    this.memory.delete(key);
    await this.keychain?.delete(key);
  }
}
