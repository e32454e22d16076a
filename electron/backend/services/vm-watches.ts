// Following a VM while some window shows it: the first watcher starts a timer that ticks every
// interval (and once at once), the last one to leave stops it. One per (host, VM) and purpose.

export interface VmWatch {
  count: number;
  timer?: NodeJS.Timeout;
  /** A tick is running: the next one is skipped rather than stacked. */
  busy?: boolean;
}

export class VmWatches<W extends VmWatch> {
  private readonly watches = new Map<string, W>();

  constructor(
    private readonly intervalMs: number,
    private readonly make: () => W,
    private readonly tick: (hostId: string, name: string, w: W) => Promise<void>,
  ) {}

  get(hostId: string, name: string): W | undefined {
    return this.watches.get(JSON.stringify([hostId, name]));
  }

  /** `watch` true adds a watcher, false removes one. */
  set(hostId: string, name: string, watch: boolean): void {
    const k = JSON.stringify([hostId, name]);
    let w = this.watches.get(k);
    if (watch) {
      if (!w) {
        const me = this.make();
        this.watches.set(k, me);
        const run = () => {
          if (me.busy) return;
          me.busy = true;
          void this.tick(hostId, name, me).finally(() => (me.busy = false));
        };
        me.timer = setInterval(run, this.intervalMs);
        run();
        w = me;
      }
      w.count++;
    } else if (w && --w.count <= 0) {
      clearInterval(w.timer);
      this.watches.delete(k);
    }
  }
}
