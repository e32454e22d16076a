// `virsh net-event --all --loop` on the host's connection while some view watches its networks:
// each event (defined, started, stopped, undefined) tells the windows to read the networks again.
// One stream per host, opened on the first watcher and closed after the last, so a host whose
// networks nobody looks at holds no extra SSH channel.
import type { StreamHandle } from '../exec/session.js';
import type { Virsh } from './virsh.js';

const RESTART_MS = 2000;
/** Several events in a burst (net-update restarts dnsmasq: stopped + started) become one push. */
const BURST_MS = 150;

export class NetworkEvents {
  private watchers = 0;
  private stream?: StreamHandle;
  private opening = false;
  private timer?: NodeJS.Timeout;
  private burst?: NodeJS.Timeout;

  constructor(
    private readonly virsh: () => Virsh,
    private readonly onChange: () => void,
  ) {}

  watch(on: boolean): void {
    this.watchers = Math.max(0, this.watchers + (on ? 1 : -1));
    if (this.watchers > 0) void this.open();
    else this.stop();
  }

  /** Tell the windows now (after a change made through the app, the event may trail the answer). */
  changed(): void {
    clearTimeout(this.burst);
    this.burst = setTimeout(() => this.onChange(), BURST_MS);
  }

  stop(): void {
    this.watchers = 0;
    clearTimeout(this.timer);
    clearTimeout(this.burst);
    const s = this.stream;
    this.stream = undefined;
    s?.close();
  }

  private async open(): Promise<void> {
    if (this.stream || this.opening || this.watchers === 0) return;
    this.opening = true;
    try {
      const handle = await this.virsh().stream(
        ['net-event', '--all', '--loop'],
        (line) => {
          if (/^event '/.test(line)) this.changed();
        },
        () => {
          if (this.stream !== handle) return;
          this.stream = undefined;
          // Events may have been missed while it was down: read again once it is back.
          if (this.watchers > 0) this.timer = setTimeout(() => void this.open().then(() => this.changed()), RESTART_MS);
        },
      );
      if (this.watchers === 0) handle.close();
      else this.stream = handle;
    } catch {
      if (this.watchers > 0) this.timer = setTimeout(() => void this.open(), RESTART_MS);
    } finally {
      this.opening = false;
    }
  }
}
