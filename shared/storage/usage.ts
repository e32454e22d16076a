// Which VM uses which volume, from the domains' disk sources: a file or block path, or a
// pool/volume pair (`<disk type='volume'>`). A volume no disk names, and that backs no other
// volume, is an orphan.

/** One disk source of a defined VM, as its (inactive) domain XML names it. */
export interface DiskRef {
  file?: string | null;
  dev?: string | null;
  pool?: string | null;
  volume?: string | null;
}

export interface DomainDisks {
  vm: string;
  disks: DiskRef[];
}

export interface VolumeRef {
  pool: string;
  name: string;
  path: string | null;
  backingPath?: string | null;
}

export interface VolumeUse {
  /** The VMs whose disks name it, each once, sorted. */
  usedBy: string[];
  /** Volumes (pool/name) that are overlays on it. */
  backingOf: string[];
  orphan: boolean;
}

/** A path as a comparable string: repeated and trailing slashes do not make another file. */
export const normalPath = (p: string): string => p.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');

export const volumeKey = (v: { pool: string; name: string }): string => `${v.pool}\u0000${v.name}`;

export function volumeUses(volumes: readonly VolumeRef[], domains: readonly DomainDisks[]): Map<string, VolumeUse> {
  const byPath = new Map<string, Set<string>>();
  const byPoolVol = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, k: string, vm: string) => (m.get(k) ?? m.set(k, new Set()).get(k)!).add(vm);
  for (const d of domains) {
    for (const disk of d.disks) {
      const path = disk.file ?? disk.dev;
      if (path) add(byPath, normalPath(path), d.vm);
      if (disk.pool && disk.volume) add(byPoolVol, volumeKey({ pool: disk.pool, name: disk.volume }), d.vm);
    }
  }
  const backs = new Map<string, string[]>();
  for (const v of volumes) {
    if (!v.backingPath) continue;
    const k = normalPath(v.backingPath);
    (backs.get(k) ?? backs.set(k, []).get(k)!).push(`${v.pool}/${v.name}`);
  }
  const out = new Map<string, VolumeUse>();
  for (const v of volumes) {
    const users = new Set<string>([...(byPoolVol.get(volumeKey(v)) ?? [])]);
    const path = v.path ? normalPath(v.path) : null;
    if (path) for (const vm of byPath.get(path) ?? []) users.add(vm);
    const backingOf = path ? (backs.get(path) ?? []) : [];
    const usedBy = [...users].sort((a, b) => a.localeCompare(b));
    out.set(volumeKey(v), { usedBy, backingOf, orphan: usedBy.length === 0 && backingOf.length === 0 });
  }
  return out;
}

/** The VMs using any of a pool's volumes (what deleting or stopping the pool would break). */
export function poolUsers(pool: string, volumes: ReadonlyArray<{ pool: string; usedBy: readonly string[] }>): string[] {
  return [...new Set(volumes.filter((v) => v.pool === pool).flatMap((v) => v.usedBy))].sort((a, b) => a.localeCompare(b));
}
