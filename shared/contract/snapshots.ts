// A VM's snapshots: the tree, taking, reverting, deleting and merging back (libvirt/snapshots.ts).

/** Where a snapshot's data lives: inside the qcow2 images (internal) or in overlay files (external). */
export type SnapshotLocation = 'internal' | 'external';

export interface SnapshotDisk {
  /** The disk's target (vda, sda …). */
  name: string;
  /** internal | external | no (the disk is not part of the snapshot, e.g. an empty CD-ROM). */
  snapshot: 'internal' | 'external' | 'no' | 'manual';
  /** The overlay an external snapshot writes to from then on. */
  file?: string;
}

export interface SnapshotInfo {
  name: string;
  description: string;
  parent: string | null;
  /** Seconds since the epoch, as libvirt records it. */
  creationTime: number;
  /** The VM state it holds: running/paused (with memory), shutoff, or disk-snapshot (disks only, VM was running). */
  state: string;
  /** Whether the VM's memory is in it, and where. */
  memory: 'internal' | 'external' | 'no';
  memoryFile?: string;
  location: SnapshotLocation;
  disks: SnapshotDisk[];
  current: boolean;
}

/** What a new snapshot of this VM would be, decided from its disks and firmware. */
export interface SnapshotPlan {
  location: SnapshotLocation;
  /** Why external, in words (empty for internal). */
  reasons: string[];
  /** Set when this host's libvirt cannot take one at all. */
  refusal?: string;
}

export interface VmSnapshots {
  snapshots: SnapshotInfo[];
  current: string | null;
  running: boolean;
  /** The host's libvirt version, e.g. "9.0.0". */
  libvirtVersion: string | null;
  /** Reverting to an external snapshot needs libvirt 9.9; null when this host can. */
  externalRevertRefusal: string | null;
  /** A new snapshot while running with memory, and without (disk-only). */
  planWithMemory: SnapshotPlan;
  planDiskOnly: SnapshotPlan;
  /** The guest agent answered a ping: disks can be quiesced. */
  agent: boolean;
}

export interface TakeSnapshot {
  name: string;
  description?: string;
  /** With the memory of a running VM (revert returns to it running); false: disks only. */
  memory: boolean;
  /** Freeze the guest's file systems through its agent while the disks are snapshotted. */
  quiesce?: boolean;
}

/** libvirt's revert choice: the state the snapshot holds, or forced running / paused; stopped
 *  reverts paused and then powers off (the disks as in the snapshot, the memory dropped). */
export type RevertState = 'snapshot' | 'running' | 'paused' | 'stopped';

export interface SnapshotMethods {
  'snapshots.list': { params: { hostId: string; name: string }; result: VmSnapshots };
  /** Follow a VM's snapshots while its tab is open: 'vm.snapshots' events when they change. */
  'snapshots.watch': { params: { hostId: string; name: string; watch: boolean }; result: null };
  'snapshot.create': { params: { hostId: string; name: string; snapshot: TakeSnapshot }; result: VmSnapshots };
  'snapshot.revert': { params: { hostId: string; name: string; snapshot: string; state: RevertState }; result: VmSnapshots };
  /** Delete one snapshot (its children move up to its parent), or it with all its children. */
  'snapshot.delete': { params: { hostId: string; name: string; snapshot: string; children: boolean }; result: VmSnapshots };
  /** Commit a running VM's disk-only external snapshot back into its base images (blockcommit
   *  --active, pivot) and drop the snapshot and its overlays; 'snapshot.progress' events meanwhile. */
  'snapshot.mergeBack': { params: { hostId: string; name: string; snapshot: string }; result: VmSnapshots };
}
