// Where a new VM fits best when several hosts are connected: each host's free memory, its vCPU
// load, the room in its pools of the kind the admin chose and whether KVM is usable, weighed into
// one score. A host the VM does not fit on (too little free memory, no pool of that kind with room
// for the new disk) is never suggested, and says why; the admin may still pick any host.

export interface PlacementHost {
  hostId: string;
  label: string;
  memoryKiB: number;
  memoryFreeKiB: number;
  /** The host's logical CPUs. */
  cpus: number;
  /** vCPUs of the VMs running there now. */
  vcpusRunning: number;
  /** Bytes free in the host's largest active pool of the chosen kind; null: no such pool. */
  storageFreeBytes: number | null;
  kvm: boolean;
}

export interface PlacementNeed {
  memoryMiB: number;
  vcpus: number;
  /** Bytes the new disk may grow to (0: no new disk, storage does not count). */
  diskBytes: number;
  /** The chosen pool's kind (dir, logical …), named in the reasons. */
  poolKind: string;
}

export interface PlacementFit {
  hostId: string;
  label: string;
  /** 0–1, higher is better; 0 when it does not fit. */
  score: number;
  fits: boolean;
  /** Why it does not fit, or what weighs against it ("no KVM: TCG emulation"). */
  notes: string[];
  /** vCPUs per host CPU once the new VM runs there. */
  loadAfter: number;
}

/** KVM weighs most (a TCG guest runs many times slower), then memory left, CPU load, storage left. */
const WEIGHTS = { kvm: 0.4, memory: 0.3, cpu: 0.2, storage: 0.1 } as const;
/** vCPUs per CPU counted as fully loaded: overcommit beyond it scores nothing more. */
const FULL_LOAD = 4;

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

export function scoreHost(h: PlacementHost, need: PlacementNeed): PlacementFit {
  const needKiB = need.memoryMiB * 1024;
  const notes: string[] = [];
  let fits = true;
  if (h.memoryFreeKiB < needKiB) {
    fits = false;
    notes.push(`only ${Math.floor(h.memoryFreeKiB / 1024)} MiB free of the ${need.memoryMiB} MiB it needs`);
  }
  if (need.diskBytes > 0 && h.storageFreeBytes === null) {
    fits = false;
    notes.push(`no active ${need.poolKind} pool`);
  } else if (need.diskBytes > 0 && h.storageFreeBytes !== null && h.storageFreeBytes < need.diskBytes) {
    fits = false;
    notes.push(`its ${need.poolKind} pools have ${(h.storageFreeBytes / 2 ** 30).toFixed(1)} GiB free, the disk needs ${(need.diskBytes / 2 ** 30).toFixed(1)} GiB`);
  }
  if (!h.kvm) notes.push('no KVM: TCG emulation');
  const cpus = Math.max(1, h.cpus);
  const loadAfter = (h.vcpusRunning + need.vcpus) / cpus;
  if (loadAfter > 1) notes.push(`${loadAfter.toFixed(1)} vCPUs per CPU with it`);
  const memory = h.memoryKiB > 0 ? clamp01((h.memoryFreeKiB - needKiB) / h.memoryKiB) : 0;
  const cpu = 1 - clamp01(loadAfter / FULL_LOAD);
  const storage = need.diskBytes > 0 && h.storageFreeBytes !== null && h.storageFreeBytes > 0 ? clamp01((h.storageFreeBytes - need.diskBytes) / h.storageFreeBytes) : 1;
  const score = fits ? WEIGHTS.kvm * (h.kvm ? 1 : 0) + WEIGHTS.memory * memory + WEIGHTS.cpu * cpu + WEIGHTS.storage * storage : 0;
  return { hostId: h.hostId, label: h.label, score, fits, notes, loadAfter };
}

/** Every host scored, best first (ties by label, so the order is stable); `best` is the first
 *  host the VM fits on, or undefined when it fits on none. */
export function rankPlacement(hosts: readonly PlacementHost[], need: PlacementNeed): { ranked: PlacementFit[]; best?: string } {
  const ranked = hosts.map((h) => scoreHost(h, need)).sort((a, b) => Number(b.fits) - Number(a.fits) || b.score - a.score || a.label.localeCompare(b.label));
  return { ranked, best: ranked.find((r) => r.fits)?.hostId };
}
