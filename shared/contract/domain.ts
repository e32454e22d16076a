// One domain's configuration: its XML, the hardware editor's named edits, and the host facts the
// editor and its advisor use.

import type { DiffLine, DomainEdit, QmpQuery } from '../domain-xml';
// The storage shapes on the wire are the advisor's (it reads them in HardwareFacts and proposes
// NewVolumes); type-only, so nothing of the advisor is bundled with the contract. They are
// re-exported so that the backend can take them from the contract.
import type { BlockDeviceFacts, HostVolume, NewVolume } from '../domain-xml/advisor';
import type { VmDriver } from './vms';

export type { BlockDeviceFacts, HostVolume, NewVolume };

/** A VM's domain XML: the next-boot (persistent) config and, while it runs, the live one. */
export interface VmXml {
  /** `virsh dumpxml --inactive --security-info`: what edits start from and are checked against. */
  persistent: string;
  /** `virsh dumpxml --security-info` while the VM runs, else null. */
  live: string | null;
  running: boolean;
}

/** One thing a VM's NIC can be plugged into on its host. */
export interface NicSourceChoice {
  type: 'network' | 'bridge' | 'direct';
  name: string;
  /** In a few words: "NAT 198.51.100.1/24, DHCP on virbr1", "Linux bridge on eno1". */
  what: string;
}

/** The host facts the hardware editor and its advisor use (vm.hardwareFacts). */
export interface HardwareFacts {
  /** `virsh domcapabilities` custom-mode CPU models for the VM's virt type, arch and machine. */
  cpuModels: Array<{ name: string; usable: boolean }>;
  /** The model host-model gives on this host, if libvirt says. */
  hostModel: string | null;
  numaCells: Array<{ id: number; cpus: number; memoryKiB: number }>;
  kvm: boolean;
  /** The active storage pools, and every volume in them. */
  pools: string[];
  volumes: HostVolume[];
  /** libvirt networks (active or not). */
  networks: string[];
  /** What a NIC can connect to here: networks, Linux bridges, NICs for macvtap, each with what it is. */
  nicSources: NicSourceChoice[];
  /** lsblk's word on each block device the VM's disks sit on, by the disk's source dev. */
  blockDevices: Record<string, BlockDeviceFacts>;
}

/** The result of writing a domain config (vm.applyEdits / vm.defineXml). */
export type ApplyResult =
  /** Written with `virsh define --validate`; `appliedLive` says what also changed in the running VM,
   *  `liveErrors` what libvirt refused to change live (it still waits for the next boot). */
  | { status: 'applied'; xml: VmXml; appliedLive: string[]; liveErrors: string[] }
  /** The persistent XML changed since `baseXml` was read: nothing was written. */
  | { status: 'conflict'; xml: VmXml; diff: DiffLine[] }
  /** Checks against the host warn (memory above its free memory, more vCPUs than its CPUs, a MAC
   *  used on another host): nothing was written; send again with acceptWarnings to go ahead. */
  | { status: 'confirm'; warnings: string[] };

/** A snapshot taken before a risky change, named after it. */
export interface SnapshotFirst {
  name: string;
  description?: string;
}

export interface DomainMethods {
  /** The VM's persistent and live domain XML; a container's too (driver 'lxc'). */
  'vm.getXml': { params: { hostId: string; name: string; driver?: VmDriver }; result: VmXml };
  /** Apply named edits to `baseXml` and define the result — refused (status 'conflict') when the
   *  persistent XML is no longer `baseXml`. Applied live too where libvirt can.
   *  `snapshotFirst`: take a snapshot (internal or external as the VM allows, with memory while it
   *  runs) after the conflict check and before anything is written; its failure writes nothing. `acceptWarnings`: write despite the host-limit warnings (memory
   *  above free, vCPUs above the host's, a MAC used on another host) the first try returned. */
  'vm.applyEdits': {
    params: { hostId: string; name: string; baseXml: string; edits: DomainEdit[]; newVolumes?: NewVolume[]; snapshotFirst?: SnapshotFirst; acceptWarnings?: boolean };
    result: ApplyResult;
  };
  /** What the hardware editor offers for this VM on its host: CPU models, NUMA cells, volumes, networks. */
  'vm.hardwareFacts': { params: { hostId: string; name: string }; result: HardwareFacts };
  /** Define a whole domain XML edited by hand, with the same conflict check; a container's too
   *  (driver 'lxc': on the host's LXC driver). */
  'vm.defineXml': { params: { hostId: string; name: string; driver?: VmDriver; baseXml: string; xml: string; acceptWarnings?: boolean }; result: ApplyResult };
  /** Read-only QMP query through `virsh qemu-monitor-command` (libvirt marks the domain tainted). */
  'vm.qmp': { params: { hostId: string; name: string; command: QmpQuery }; result: string };
}
