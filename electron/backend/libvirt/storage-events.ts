// A host's pool events while some window shows its storage: one `virsh pool-event --event
// lifecycle --loop` stream (defined, undefined, started, stopped, created, deleted) on the host's
// connection, as the domain event stream is done; each burst of lines reads the storage again.
import type { StreamHandle } from '../exec/session.js';
import type { Virsh } from './virsh.js';

const DEBOUNCE_MS = 100;
const REOPEN_MS = 1000;

export class PoolEventWatcher {
  private watchers = 0;
  private stream?: StreamHandle;
  private opening = false;
  private timer?: NodeJS.Timeout;
  private reopenTimer?: NodeJS.Timeout;

  /** `virsh` is asked each time: a reconnected host has a new one (and none while offline). */
  constructor(
    private readonly virsh: () => Virsh | undefined,
    private readonly changed: () => void,
  ) {}

  watch(on: boolean): void {
    this.watchers = Math.max(0, this.watchers + (on ? 1 : -1));
    if (this.watchers > 0) void this.open();
    else this.close();
  }

  close(): void {
    clearTimeout(this.timer);
    clearTimeout(this.reopenTimer);
    const s = this.stream;
    this.stream = undefined;
    s?.close();
  }

  private async open(): Promise<void> {
    const virsh = this.virsh();
    if (this.stream || this.opening || !virsh) return;
    this.opening = true;
    try {
      const handle: StreamHandle = await virsh.stream(
        ['pool-event', '--event', 'lifecycle', '--loop'],
        (line) => {
          if (!/\bevent\b/.test(line)) return;
          clearTimeout(this.timer);
          this.timer = setTimeout(this.changed, DEBOUNCE_MS);
        },
        () => {
          if (this.stream !== handle) return;
          this.stream = undefined;
          // Ended by the link or the host: look again (and catch up) while still watched.
          if (this.watchers > 0) this.reopenTimer = setTimeout(() => void this.open().then(this.changed), REOPEN_MS);
        },
      );
      if (this.watchers === 0) handle.close();
      else this.stream = handle;
    } catch {
      // Not connected now: the next watch (the view follows the host's state) opens it.
    } finally {
      this.opening = false;
    }
  }
}
