// Whether a pool has room for an upload, decided before a byte is sent: a volume is created thin,
// so a full pool would otherwise show only as a write failing part-way with libvirt's words.
import { formatBytes } from './progress';

/** The reason an upload of `size` bytes does not fit into a pool with `available` bytes free, or
 *  null when it fits (or the pool does not say what it has free: then the upload is tried). */
export function poolRoomProblem(pool: { name: string; where: string; available: number | null }, size: number): string | null {
  if (pool.available === null || size <= pool.available) return null;
  return `Pool "${pool.name}" on ${pool.where} is full for this file: ${formatBytes(pool.available)} free, the file needs ${formatBytes(size)}. Free space in the pool or pick another pool.`;
}
