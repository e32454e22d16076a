// Cloning VMs (virt-clone's semantics, N copies from a name pattern) and templates: a shut-off VM
// marked as one is never started, and deploys full copies or linked clones (qcow2 overlays on
// its disks), while it stays protected from what would break them.

export interface CloneParams {
  hostId: string;
  /** The source VM (or template). */
  name: string;
  /** e.g. "web-{n}"; `{n}` is each copy's number. */
  pattern: string;
  count: number;
  /** The first copy's number (default 1). */
  first?: number;
  /** Zero padding of the number, in digits (default none). */
  pad?: number;
  /** Each writable disk a qcow2 overlay on the source's (a template's only) instead of a copy. */
  linked?: boolean;
  /** A running source is paused for the copy and resumed after it (else it is refused). */
  pause?: boolean;
  /** Names the 'clone.progress' events of this request. */
  progressId?: string;
}

export interface CloneMade {
  name: string;
  uuid: string;
  macs: string[];
  /** The new volumes (pool/name), copies or overlays. */
  volumes: string[];
}

export interface CloneResult {
  made: CloneMade[];
  /** Copies that failed, each with why; what a failed copy had created was removed again. */
  failed: Array<{ name: string; error: string }>;
}

/** One step of a clone request, for its task's bar. */
export interface CloneProgress {
  progressId: string;
  /** The copy being made and what it is doing ("copying vda", "defining"). */
  clone: string;
  step: string;
  /** Bytes copied so far of all the request's disks, and their total (allocated bytes). */
  bytes: number;
  total: number;
}

export interface CloneMethods {
  'vm.clone': { params: CloneParams; result: CloneResult };
  /** Mark a shut-off VM as a template, or unmark it (refused while linked clones use its disks). */
  'vm.setTemplate': { params: { hostId: string; name: string; template: boolean }; result: null };
}
