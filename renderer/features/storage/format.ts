// Sizes as storage shows them.
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ${UNITS[u]}`;
}

/** Used share of a capacity, 0–100. */
export const usedPct = (allocation: number | null, capacity: number | null): number =>
  capacity && allocation !== null ? Math.min(100, Math.max(0, (allocation / capacity) * 100)) : 0;
