// What a move of a VM from one host to another is checked against: facts read from both hosts
// (electron/backend/libvirt/migration-facts.ts gathers them), and what the check finds.

export type MoveMode = 'live' | 'cold';

/** An IPv4 address of a host with its prefix, as `ip -j addr` gives it: "198.51.100.12/24". */
export interface HostAddress {
  ifname: string;
  cidr: string;
}

export interface PoolFact {
  name: string;
  /** dir, fs, netfs, logical, iscsi … */
  type: string;
  /** The pool's target path (a folder for dir/fs/netfs). */
  path: string | null;
  active: boolean;
  /** Where a network pool's data lives ("nfs-server:/export"), the same string on every host that
   *  mounts it: two pools with the same type and source are the same storage. */
  source: string | null;
}

export interface DiskFact {
  /** <target dev>. */
  target: string;
  /** disk | cdrom | floppy | lun. */
  device: string;
  /** The file or block device; null for an empty drive or a network disk. */
  path: string | null;
  /** file | block | network | volume … */
  type: string | null;
  readonly: boolean;
  shareable: boolean;
  /** Bytes the volume holds (capacity), when it is a volume of a pool. */
  capacity: number | null;
  format: string | null;
}

export interface SourceFacts {
  host: string;
  vm: string;
  uuid: string;
  state: 'running' | 'paused' | 'shut off' | string;
  /** The guest's memory (<currentMemory>), KiB. */
  memoryKiB: number;
  domainType: string | null;
  arch: string | null;
  machine: string | null;
  /** The <cpu> element as written, for hypervisor-cpu-compare; null when the VM has none. */
  cpuXml: string | null;
  cpuMode: string | null;
  /** <os><loader> (UEFI firmware file), if any. */
  loader: string | null;
  networks: string[];
  bridges: string[];
  disks: DiskFact[];
  /** Host devices passed through: a live move cannot take them. */
  hostdevs: number;
  pools: PoolFact[];
  addresses: HostAddress[];
}

export interface DestFacts {
  host: string;
  /** hypervisor-cpu-compare of the VM's CPU on this host; not-checked when the VM names none
   *  (QEMU's default model, which every QEMU offers). */
  cpu: { result: 'identical' | 'superset' | 'incompatible' | 'not-checked'; message?: string };
  /** domcapabilities for the VM's arch, machine and domain type: an error says why not. */
  machine: { ok: true; firmware: string[] } | { ok: false; message: string };
  memAvailableKiB: number;
  networks: { name: string; active: boolean }[];
  bridges: string[];
  pools: PoolFact[];
  /** A VM of the same name, and whatever VM has the same UUID (its name). */
  nameTaken: boolean;
  uuidTakenBy: string | null;
  /** Which of the VM's disk paths already exist on this host. */
  existingPaths: string[];
  addresses: HostAddress[];
}

/** How VirtDeck can log the source host in to the destination for this one command: the key it
 *  logged in with (its own file, or a key of the person's SSH agent), or nothing it can forward. */
export type ForwardableCredential = 'key' | 'agent' | 'none';

export type FindingLevel = 'block' | 'warn' | 'ok';

export interface Finding {
  /** A stable id per rule (and per object: "network:default"), for tests and keys. */
  id: string;
  level: FindingLevel;
  /** One sentence, the reason in the admin's words. */
  text: string;
}

export interface DiskPlan {
  target: string;
  path: string;
  /** shared: the same storage on both hosts; copy: its bytes move (--copy-storage-all or the
   *  cold move's stream); none: nothing to move (an empty drive). */
  storage: 'shared' | 'copy';
  /** The destination pool that will hold the copy. */
  destPool: string | null;
  capacity: number | null;
  format: string | null;
}

export interface MovePlan {
  mode: MoveMode;
  findings: Finding[];
  blocked: boolean;
  disks: DiskPlan[];
  /** Whether any disk's bytes must be copied (live: --copy-storage-all). */
  copyStorage: boolean;
  /** Live: the destination's address the source reaches it by (a directly connected subnet). */
  migrationAddress: string | null;
  /** What live migration would have blocked on, when a cold move is the way out. */
  coldAdvised: boolean;
  /** The destination's free memory and what the VM takes (KiB): an evacuation places by them. */
  destMemAvailableKiB: number;
  memoryKiB: number;
}
