// Progress of a byte transfer: the rate over the last few seconds (so a stall shows at once, and
// the start-up of a channel does not drag the figure down for the whole transfer) and the time
// left at that rate.

export interface ProgressSnapshot {
  bytes: number;
  total: number;
  /** 0–100, one decimal; 100 only when every byte is through. */
  percent: number;
  /** Bytes per second over the recent window; 0 before there is a second sample. */
  rateBps: number;
  /** Seconds left at the recent rate; undefined while the rate is unknown or zero. */
  etaSeconds?: number;
}

const WINDOW_MS = 3000;

export class ProgressMeter {
  private bytes = 0;
  /** (time, bytes) samples in the window, oldest first. */
  private samples: Array<[number, number]> = [];

  constructor(
    readonly total: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.samples.push([this.now(), 0]);
  }

  add(n: number): void {
    this.bytes += n;
    const t = this.now();
    this.samples.push([t, this.bytes]);
    while (this.samples.length > 2 && t - this.samples[1]![0] >= WINDOW_MS) this.samples.shift();
  }

  get transferred(): number {
    return this.bytes;
  }

  snapshot(): ProgressSnapshot {
    const [t0, b0] = this.samples[0]!;
    const dt = (this.now() - t0) / 1000;
    const rateBps = dt > 0 ? (this.bytes - b0) / dt : 0;
    const left = Math.max(this.total - this.bytes, 0);
    const percent = this.total > 0 ? Math.min(Math.floor((this.bytes / this.total) * 1000) / 10, 100) : this.bytes > 0 ? 100 : 0;
    return { bytes: this.bytes, total: this.total, percent, rateBps, ...(rateBps > 0 ? { etaSeconds: left / rateBps } : {}) };
  }
}

/** "12.3 MiB/s", "850 KiB/s". */
export function formatRate(bps: number): string {
  return `${formatBytes(bps)}/s`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** "1 h 02 min", "3 min 05 s", "42 s"; "—" when unknown. */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.ceil(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}
