// VMs across the fleet: the inventory, lifecycle actions, live figures and deletion.
import type { LxcFacts } from './lxc';

/** libvirt's domain states (virDomainState), as words. */
export type VmState =
  | 'nostate'
  | 'running'
  | 'blocked'
  | 'paused'
  | 'shutdown'
  | 'shutoff'
  | 'crashed'
  | 'pmsuspended';

/** The libvirt driver a domain lives in: QEMU/KVM VMs, or LXC containers (`lxc:///system`). A
 *  container and a VM may share a name on one host, so the driver is part of a domain's identity.
 *  'lxc-tools': a container of the LXC tools themselves (lxc-create …), which libvirt does not see. */
export type VmDriver = 'qemu' | 'lxc' | 'lxc-tools';

export interface VmSummary {
  hostId: string;
  uuid: string;
  name: string;
  /** Absent for a QEMU VM (every VM before containers), 'lxc' for a container. */
  driver?: VmDriver;
  /** The guest's architecture (`<os><type arch>`), e.g. x86_64, aarch64; absent until read. */
  arch?: string;
  state: VmState;
  /** libvirt's reason code for the state, as virsh names it (e.g. "booted", "destroyed"). */
  reason?: string;
  vcpus?: number;
  memoryKiB?: number;
  /** Starts with the host (`virsh autostart`). */
  autostart?: boolean;
  /** The domain's <title>, when it has one. */
  title?: string;
  /** Marked as a template (VirtDeck's metadata): deployed from, never started. Absent until read. */
  template?: boolean;
  /** An LXC-tools container's own figures (driver 'lxc-tools'). */
  lxc?: LxcFacts;
}

export type VmAction =
  | 'start'
  | 'shutdown'
  | 'destroy'
  | 'reboot'
  | 'suspend'
  | 'resume'
  /** Hard reset, as pressing the reset button. */
  | 'reset'
  /** Shut down through the QEMU guest agent instead of ACPI. */
  | 'shutdown-agent'
  /** `virsh managedsave`: memory to disk, VM off; the next start resumes it. */
  | 'managedsave'
  | 'autostart-on'
  | 'autostart-off';

/** Live figures of one VM from the host's bulk `virsh domstats`; rates are per second over the
 *  last interval (absent on the first sample or when the VM is off). */
export interface VmStats {
  cpuPct?: number;
  /** Guest memory in use (balloon current − unused), else QEMU's RSS. */
  memUsedKiB?: number;
  /** Where memUsedKiB comes from: the guest's balloon statistics, QEMU's process size when the
   *  guest reports none (no balloon, or no statistics period), or a container's memory cgroup. */
  memSource?: 'guest' | 'qemu' | 'cgroup';
  diskReadBps?: number;
  diskWriteBps?: number;
  netRxBps?: number;
  netTxBps?: number;
  /** Figures the host's driver does not give for this domain at all (libvirt's LXC driver has no
   *  disk or network counters in bulk): shown as "not reported", never as zero. */
  unreported?: StatFigure[];
}

/** One of the live figures a row and the VM page show. */
export type StatFigure = 'cpu' | 'memory' | 'disk' | 'net';

/** A disk of a VM, as `virsh domblklist --details` lists it. */
export interface VmDisk {
  target: string;
  device: string;
  type: string;
  source?: string;
  /** The files under the source, top first (external snapshots' images down to the base): deleted
   *  with the disk's storage. */
  backing?: string[];
}

export interface VmMethods {
  /** Every VM of every connected host; `fresh` lists the hosts again instead of answering from
   *  the live inventory. */
  'vms.list': { params: { fresh?: boolean }; result: VmSummary[] };
  'vm.action': { params: { hostId: string; name: string; driver?: VmDriver; action: VmAction }; result: null };
  /** The VM's disks, for the delete dialog. */
  'vm.disks': { params: { hostId: string; name: string }; result: VmDisk[] };
  /** Undefine the VM (forced off first when it runs) with its managed save, snapshot metadata and
   *  NVRAM; `storage` lists the disk targets (e.g. "vda") whose volumes are deleted too, each with
   *  the images below it (what external snapshots left). */
  'vm.delete': { params: { hostId: string; name: string; driver?: VmDriver; storage: string[] }; result: null };
  /** `virsh dominfo`, as its field/value pairs. */
  'vm.dominfo': { params: { hostId: string; name: string; driver?: VmDriver }; result: Record<string, string> };
}
