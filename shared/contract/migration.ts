// Moving a VM to another host: the pre-flight first (nothing changes), then the move, whose
// progress comes as 'migration.progress' events to every window (the fleet shows it on both
// hosts' rows). See shared/migration for the checks and electron/backend/migration for the runs.
import type { MigrationProgress, MoveMode, MovePlan } from '../migration';

export type MigrationState = 'running' | 'done' | 'failed' | 'cancelled';

export interface MigrationStatus {
  migrationId: string;
  mode: MoveMode;
  vm: string;
  fromHostId: string;
  toHostId: string;
  /** "mig-1: hv2 → hv3 (live)". */
  title: string;
  state: MigrationState;
  /** What it is doing now, in words: "Copying memory and disks", "Undefining on hv2" … */
  phase: string;
  progress: MigrationProgress | null;
  error?: string;
  /** The commands it ran, host by host ("hv2: virsh migrate …"), for the task pane. */
  commands: string[];
}

export interface MoveRequest {
  hostId: string;
  name: string;
  toHostId: string;
  mode: MoveMode;
}

export interface MigrationMethods {
  /** Check a move against both hosts' facts; changes nothing. */
  'migration.preflight': { params: MoveRequest; result: MovePlan };
  /** Check again and start the move when nothing blocks it (a blocking finding is the error). */
  /** Live: autoConverge, compressed, bandwidthMiBs (a cap, MiB/s). Cold: startAfter (start it on the destination) and
   *  keepSource (leave the source's definition and disks: a copy, not a move). */
  'migration.start': { params: MoveRequest & { autoConverge?: boolean; compressed?: boolean; bandwidthMiBs?: number; startAfter?: boolean; keepSource?: boolean }; result: { migrationId: string } };
  /** Abort a live migration (`domjobabort`): the VM keeps running on its source. */
  'migration.cancel': { params: { migrationId: string }; result: null };
  /** Move every running VM of a host to the others, live: each to the host with the most free
   *  memory left among those whose pre-flight passes, two at a time. VMs no host can take stay,
   *  with the reason. The moves then report as 'migration.progress' like single ones. `vms` names
   *  the running VMs to move when the admin left some out (all of them when absent). */
  'migration.evacuate': { params: { hostId: string; vms?: string[] }; result: { placed: Array<{ vm: string; toHostId: string }>; left: Array<{ vm: string; reason: string }> } };
  /** The moves running now and those that ended lately (a window opened mid-move sees them). */
  'migration.list': { params: Record<string, never>; result: MigrationStatus[] };
}
