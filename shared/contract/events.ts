// Events the backend pushes to every window; the renderer's store applies them.
import type { CloneProgress } from './clone';
import type { HostStatus, Prompt } from './hosts';
import type { HostStorage } from './storage';
import type { VmSnapshots } from './snapshots';
import type { TransferProgress } from './transfers';
import type { MigrationStatus } from './migration';
import type { VmDriver, VmStats, VmSummary } from './vms';
import type { VirtioReport } from './qmp';
import type { TuningRun } from './tuning';
import type { PrepareOutputEvent } from './prepare';

export type BackendEvent =
  | { type: 'host.status'; status: HostStatus }
  | { type: 'host.removed'; hostId: string }
  /** The full VM list of one host, sent after connect and after each change on that host. */
  | { type: 'host.vms'; hostId: string; vms: VmSummary[] }
  | { type: 'prompt'; prompt: Prompt }
  /** The prompt was answered (possibly in another window) or its connection attempt ended. */
  | { type: 'prompt.closed'; promptId: string }
  /** One stats sample of a host's driver: VM (or container) name -> figures, every interval while
   *  connected. `driver` 'lxc': the host's LXC containers (absent: its QEMU VMs). */
  | { type: 'host.stats'; hostId: string; at: number; stats: Record<string, VmStats>; driver?: VmDriver }
  /** Host CPU and memory, every stats interval while some window watches the host ('host.watch'). */
  | { type: 'host.load'; hostId: string; at: number; cpuPct?: number; memUsedKiB: number; memTotalKiB: number }
  /** A host's pools and volumes, after a pool event or a storage action there (while watched). */
  | { type: 'host.storage'; storage: HostStorage }
  /** A watched VM's snapshots changed (made, reverted or deleted here or on the host). */
  | { type: 'vm.snapshots'; hostId: string; name: string; snapshots: VmSnapshots }
  /** A merge back's progress, per disk. */
  | { type: 'snapshot.progress'; hostId: string; name: string; snapshot: string; disk: string; pct: number }
  /** A transfer's progress (a few times a second while it runs) and its end. */
  | { type: 'transfer.progress'; progress: TransferProgress }
  /** A libvirt network on the host was defined, started, stopped, changed or removed (`net-event`). */
  | { type: 'host.networks'; hostId: string }
  /** A clone request's progress: which copy, which step, bytes copied of all its disks. */
  | { type: 'clone.progress'; progress: CloneProgress }
  /** A watched VM's guest-driver report changed ('qmp.watchVirtio'). */
  | { type: 'vm.virtio'; hostId: string; name: string; report: VirtioReport }
  /** A move of a VM between hosts: its phase and progress while it runs, and its end. */
  | { type: 'migration.progress'; migration: MigrationStatus }
  /** A tuning run (apply or undo): each VM's status as it changes, and its end. */
  | { type: 'tuning.progress'; run: TuningRun }

  /** A Prepare step's output as it runs (apt's progress). */
  | PrepareOutputEvent;
