// What the advisor reads besides the domain (facts about the host) and what it proposes.

import type { DomainEdit } from '../edits';

/** A storage volume the host has (from `virsh vol-list`). */
export interface HostVolume {
  pool: string;
  name: string;
  path: string;
}

/** A volume to create (`virsh vol-create-as`) before the edits that use it are defined. */
export interface NewVolume {
  pool: string;
  name: string;
  capacityMiB: number;
  format: 'qcow2' | 'raw';
}

export interface HostFacts {
  /** Whether the host can run KVM guests (the domain's own type 'kvm' implies it). */
  kvm?: boolean;
  /** The host's NUMA cells (`virsh capabilities`): CPUs and memory of each. */
  numaCells?: { id: number; cpus: number; memoryKiB: number }[];
  /** Every volume of the host's active storage pools; undefined while not known. */
  volumes?: HostVolume[];
  /** What the host's kernel says of each block device a disk sits on (by the disk's source dev). */
  blockDevices?: Record<string, BlockDeviceFacts>;
  /** What the running guest has shown QEMU it drives (shared/qmp); undefined while not known
   *  (the VM is not running, or its QEMU cannot tell): then the OS name is the only hint. */
  guestDrivers?: GuestDriverProof;
}

/** A guest's driver for one virtio device, from QEMU's status bits (x-query-virtio-status):
 *  ready = DRIVER_OK; found = the driver took it but has not started it (DRIVER without
 *  DRIVER_OK); none = no driver bound (at most ACKNOWLEDGE: the guest saw the device);
 *  failed = FAILED or NEEDS_RESET; unknown = QEMU could not say. */
export type GuestDriverState = 'ready' | 'found' | 'none' | 'failed' | 'unknown';

/** A device of the domain as the running VM names it: its element tag and an id stable across
 *  the running and the next-boot config (disk: target, interface: MAC, controller: "type:index",
 *  memballoon: "0", others: their position among devices of the same tag). */
export interface DeviceRef {
  tag: string;
  id: string;
}

export interface GuestDriverProof {
  devices: { ref: DeviceRef; state: GuestDriverState; statuses: string[] }[];
}

/** `lsblk` on the host: whether the device accepts discard (SSDs, thin LVs) and spins. */
export interface BlockDeviceFacts {
  discard: boolean;
  rotational: boolean;
}

export interface Finding {
  /** Stable id, e.g. "disk-bus:sda", "nic-model:0". */
  id: string;
  /** One line, e.g. "Disk sda is on SATA". */
  title: string;
  /** Why it matters, and what the fix does. */
  reason: string;
  /** 'warn' findings need the admin's attention before a fix (Windows guests). */
  severity: 'info' | 'warn';
  /** The edits that fix it; empty when there is no safe one-click fix. */
  edits: DomainEdit[];
  /** Where the fix is safe to include in "Apply all". */
  inApplyAll: boolean;
  /** The fix button's words when "Fix" would undersell it. */
  fixLabel?: string;
  /** Volumes the fix creates first (the backend creates them, and deletes them if the define fails). */
  newVolumes?: NewVolume[];
  /** A choice the fix depends on (e.g. which ISO): its options, the default, and the fix for each. */
  choice?: { label: string; options: string[]; initial: string; fix(option: string): { edits: DomainEdit[]; newVolumes: NewVolume[] } };
}
