// One `virsh <object>-event --loop` stream per host while some window watches that host's networks
// or pools: each burst of event lines tells the windows to read them again. Opened on the first
// watcher and closed after the last, so a host nobody looks at holds no extra SSH channel; a
// stream the link or the host ended is opened again (and caught up) while still watched.
import type { StreamHandle } from '../exec/session.js';
import type { Virsh } from './virsh.js';

const REOPEN_MS = 1500;
/** Several events in a burst (net-update restarts dnsmasq: stopped + started) become one push. */
const BURST_MS = 150;

export class EventWatch {
  private watchers = 0;
  private stream?: StreamHandle;
  private opening = false;
  private reopenTimer?: NodeJS.Timeout;
  private burst?: NodeJS.Timeout;

  /** `virsh` is asked each time: a reconnected host has a new one (and none while offline). */
  constructor(
    private readonly virsh: () => Virsh,
    private readonly args: readonly string[],
    private readonly isEvent: RegExp,
    private readonly onChange: () => void,
  ) {}

  watch(on: boolean): void {
    this.watchers = Math.max(0, this.watchers + (on ? 1 : -1));
    if (this.watchers > 0) void this.open();
    else this.close();
  }

  /** Tell the windows now (after a change made through the app, the event may trail the answer). */
  changed(): void {
    clearTimeout(this.burst);
    this.burst = setTimeout(() => this.onChange(), BURST_MS);
  }

  close(): void {
    clearTimeout(this.reopenTimer);
    clearTimeout(this.burst);
    const s = this.stream;
    this.stream = undefined;
    s?.close();
  }

  private reopenLater(): void {
    if (this.watchers > 0) this.reopenTimer = setTimeout(() => void this.open().then((opened) => opened && this.changed()), REOPEN_MS);
  }

  /** True when this call opened the stream. */
  private async open(): Promise<boolean> {
    if (this.stream || this.opening || this.watchers === 0) return false;
    this.opening = true;
    try {
      const handle = await this.virsh().stream(
        [...this.args],
        (line) => {
          if (this.isEvent.test(line)) this.changed();
        },
        () => {
          if (this.stream !== handle) return;
          this.stream = undefined;
          this.reopenLater();
        },
      );
      if (this.watchers === 0) {
        handle.close();
        return false;
      }
      this.stream = handle;
      return true;
    } catch {
      // Offline or refused now: try again while watched (the view also watches again on reconnect).
      this.reopenLater();
      return false;
    } finally {
      this.opening = false;
    }
  }
}

/** Network lifecycle events (defined, started, stopped, undefined). */
export const networkEvents = (virsh: () => Virsh, onChange: () => void) => new EventWatch(virsh, ['net-event', '--all', '--loop'], /^event '/, onChange);

/** Pool lifecycle events (defined, undefined, started, stopped, created, deleted). */
export const poolEvents = (virsh: () => Virsh, onChange: () => void) => new EventWatch(virsh, ['pool-event', '--event', 'lifecycle', '--loop'], /\bevent\b/, onChange);
