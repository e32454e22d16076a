// Saved connections, one JSON file in the app's data folder. Secrets are never written here.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostConfig } from '../../../shared/contract/index.js';

export class ConnectionsStore {
  private readonly file: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, 'connections.json');
  }

  load(): HostConfig[] {
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as { hosts?: HostConfig[] };
      return Array.isArray(parsed.hosts) ? parsed.hosts : [];
    } catch {
      return [];
    }
  }

  save(hosts: HostConfig[]): void {
    // Write then rename, so a crash never leaves a half-written file.
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ hosts }, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
