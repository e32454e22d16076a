// The fleet as each host last listed it, kept in the app's data folder so the next start shows
// it at once — marked as not yet confirmed — instead of an empty list while the hosts connect.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VmSummary } from '../../../shared/contract/index.js';

/** Listings come in bursts (every lifecycle event lists again): written at most this often. */
const WRITE_EVERY_MS = 2000;

export class LastFleetStore {
  private readonly file: string;
  private fleet: Record<string, VmSummary[]>;
  private timer?: NodeJS.Timeout;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'last-fleet.json');
    this.fleet = this.read();
  }

  /** What `hostId` listed last time, if anything. */
  of(hostId: string): VmSummary[] | undefined {
    const vms = this.fleet[hostId];
    return Array.isArray(vms) && vms.length ? vms : undefined;
  }

  remember(hostId: string, vms: VmSummary[]): void {
    this.fleet[hostId] = vms;
    this.timer ??= setTimeout(() => this.flush(), WRITE_EVERY_MS);
  }

  forget(hostId: string): void {
    delete this.fleet[hostId];
    this.flush();
  }

  /** Write now (the backend closes, or a host was removed). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      // Write then rename, so a crash never leaves a half-written file.
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.fleet), { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch {
      /* a read-only data folder costs only the instant list of the next start */
    }
  }

  private read(): Record<string, VmSummary[]> {
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, VmSummary[]>) : {};
    } catch {
      return {};
    }
  }
}
