// Compact figures for dense table cells.
import type { VmStats } from '../../shared/contract';

export const formatKiB = (kib?: number): string => {
  if (kib === undefined) return '';
  if (kib >= 1048576) return `${(kib / 1048576).toFixed(1)} GiB`;
  // Small figures (a container's cgroup, a tmpfs) keep their digits rather than read "0 MiB".
  if (kib < 1024) return `${Math.round(kib)} KiB`;
  return kib < 10240 ? `${(kib / 1024).toFixed(1)} MiB` : `${Math.round(kib / 1024)} MiB`;
};

/** Bytes per second, in the unit that keeps 1–3 digits. */
export function formatRate(bps?: number): string {
  if (bps === undefined) return '';
  if (bps < 1024) return `${Math.round(bps)} B/s`;
  if (bps < 1048576) return `${(bps / 1024).toFixed(bps < 10240 ? 1 : 0)} KiB/s`;
  if (bps < 1073741824) return `${(bps / 1048576).toFixed(bps < 10485760 ? 1 : 0)} MiB/s`;
  return `${(bps / 1073741824).toFixed(1)} GiB/s`;
}

export const formatPct = (pct?: number): string => (pct === undefined ? '' : `${pct < 10 ? pct.toFixed(1) : Math.round(pct)} %`);

export function formatDuration(seconds?: number): string {
  if (seconds === undefined) return '';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : `${m} min`;
}

/** Why a memory figure is QEMU's process size rather than the guest's own. */
export const NO_GUEST_MEMORY_STATS = "the guest reports no memory statistics (the VM's tuning advisor can turn them on)";

/** Why a figure says "not reported": the host's driver gives none for this domain. */
export const NOT_REPORTED_HINT = "libvirt's driver for it gives no such figure (never shown as zero)";

/** Memory in use, marked ≈ when it is QEMU's process size (which also counts QEMU itself). */
export const formatMemUsed = (s?: VmStats): string => (s?.memSource === 'qemu' ? `≈${formatKiB(s.memUsedKiB)}` : formatKiB(s?.memUsedKiB));
