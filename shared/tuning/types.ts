// Fleet-wide tuning: the advisor's findings over every VM of every host, a reviewed plan built
// from a selection of them, and the runs that apply or undo a plan. Plain data: it crosses the
// contract as it is (no functions, unlike the advisor's Finding with its choice).
import type { DomainEdit } from '../domain-xml/edits';
import type { NewVolume } from '../domain-xml/advisor/types';

/** A finding's kind: its id up to the first ':' ("disk-bus:sda" → "disk-bus"). */
export type FindingKind = string;

export interface TuningFinding {
  id: string;
  kind: FindingKind;
  title: string;
  reason: string;
  severity: 'info' | 'warn';
  edits: DomainEdit[];
  newVolumes: NewVolume[];
  /** Taken by "select all of a kind / of a host": the advisor puts it in its "Apply all". */
  inBulk: boolean;
}

/** One VM as the scan saw it: its persistent XML (the plan's base) and its findings. */
export interface VmFindings {
  hostId: string;
  hostLabel: string;
  name: string;
  running: boolean;
  windows: boolean;
  /** The OS as libosinfo names it in the domain's metadata, when it does. */
  os: string | null;
  /** `virsh dumpxml --inactive --security-info` when scanned. */
  xml: string;
  findings: TuningFinding[];
}

/** The findings of one kind across the fleet, with counts per host. */
export interface FindingGroup {
  kind: FindingKind;
  label: string;
  findings: number;
  vms: number;
  byHost: Record<string, { findings: number; vms: number }>;
}

export interface TuningScan {
  vms: VmFindings[];
  groups: FindingGroup[];
  /** Hosts that could not be read, with why. */
  hostErrors: { hostId: string; hostLabel: string; error: string }[];
  /** VMs left out (templates, containers), with why. */
  skipped: { hostId: string; name: string; reason: string }[];
  scannedAt: number;
}

/** Which findings of which VM to fix. */
export interface TuningPick {
  hostId: string;
  name: string;
  findingIds: string[];
}

/** When a plan's changes reach the VM: now (live / hot-plug), at its next start (it is off), or
 *  only after a restart (it runs). */
export type PlanTiming = 'live' | 'next-start' | 'restart';

export interface PlanItem {
  hostId: string;
  hostLabel: string;
  name: string;
  running: boolean;
  /** The persistent XML the plan started from: the lost-update guard's base and the undo data. */
  baseXml: string;
  /** The persistent XML after the edits (as computed; libvirt may add addresses when it defines). */
  afterXml: string;
  /** Changed lines with context (formatDiff). */
  diff: string;
  findings: { id: string; kind: FindingKind; title: string }[];
  edits: DomainEdit[];
  newVolumes: NewVolume[];
  timing: PlanTiming;
  risks: string[];
  /** Disk or controller changes: a snapshot first is offered ticked. */
  snapshotAdvised: boolean;
}

export interface TuningPlan {
  items: PlanItem[];
  /** Picks that make no plan item, with why (VM not found, findings gone, edits failed). */
  dropped: { hostId: string; name: string; reason: string }[];
  createdAt: number;
}

export type RestartPolicy = 'leave-pending' | 'restart-now';

export interface ApplyOptions {
  /** Snapshot each VM whose item advises it before its change. */
  snapshotFirst: boolean;
  restart: RestartPolicy;
  /** VMs changed at the same time on one host (hosts run side by side). */
  perHost: number;
}

export type RunItemStatus =
  | 'waiting'
  | 'running'
  /** Written; live where possible, nothing left for later. */
  | 'applied'
  /** Written; waits for the VM's next restart (policy leave-pending). */
  | 'pending-restart'
  /** Written and restarted onto the new config. */
  | 'restarted'
  /** Not touched: the VM changed since the plan (lost-update guard), or is gone. */
  | 'skipped'
  | 'failed'
  /** Not touched: the run was cancelled before it reached the VM. */
  | 'cancelled';

export interface RunItem {
  hostId: string;
  hostLabel: string;
  name: string;
  status: RunItemStatus;
  /** libvirt's message on failure, why it was skipped, or what is left pending. */
  message?: string;
  /** What changed, in words (the plan's finding titles; for an undo, "previous definition restored"). */
  changes: string[];
  snapshot?: string;
  startedAt?: number;
  endedAt?: number;
}

export type RunState = 'running' | 'cancelling' | 'done' | 'cancelled';

export interface TuningRun {
  runId: string;
  kind: 'apply' | 'undo';
  /** The apply run an undo reverses. */
  undoOf?: string;
  title: string;
  state: RunState;
  options: ApplyOptions;
  items: RunItem[];
  startedAt: number;
  endedAt?: number;
  /** Whether an undo of this run is possible (an apply run with written VMs). */
  undoable: boolean;
}

/** What an apply needs of a plan item: the base for the guard, the edits, and the words. */
export interface ApplyItem {
  hostId: string;
  name: string;
  baseXml: string;
  edits: DomainEdit[];
  newVolumes?: NewVolume[];
  /** Snapshot this VM first (when the run's snapshotFirst is on). */
  snapshot: boolean;
  /** The finding titles, for the task pane and the report. */
  changes: string[];
}

/** KSM as the host's /sys/kernel/mm/ksm shows it (figures from the files as they are). */
export interface KsmState {
  available: boolean;
  /** 0 stop, 1 run, 2 stop and unmerge every page. */
  run: number | null;
  pagesToScan: number | null;
  sleepMillisecs: number | null;
  pagesShared: number | null;
  pagesSharing: number | null;
  pagesUnshared: number | null;
  pagesVolatile: number | null;
  fullScans: number | null;
  /** Memory saved: pages_sharing × the page size. */
  savedKiB: number | null;
  pageSizeKiB: number;
  /** Whether this connection may write the files (root, or a sudo rule for them), and why not. */
  canWrite: boolean;
  writeRefusal?: string;
  /** Something on the host that rewrites KSM settings (ksmtuned), which a manual change fights. */
  tuner?: string;
  readAt: number;
}

export interface KsmChange {
  run?: 0 | 1;
  pagesToScan?: number;
  sleepMillisecs?: number;
}
