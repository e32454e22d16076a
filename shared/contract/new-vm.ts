// Making a new VM on one host: what the host offers the wizard (newvm.offer), and the create
// itself (newvm.create: the new volume, `virsh define --validate`, autostart, start; on a failure
// what it created is removed again and the error says so).
import type { HostOffer, NewVmSpec, OsChoice } from '../new-vm';
import type { NicSourceChoice } from './domain';

export type { HostOffer, NewVmSpec, OsChoice };

export interface NewVmOffer {
  hostId: string;
  host: HostOffer;
  /** The host's libosinfo database (`osinfo-query os`), or the built-in list when it has none. */
  oses: OsChoice[];
  osinfo: boolean;
  /** Networks (with whether each can boot over PXE: a libvirt network with DHCP) and bridges. */
  nicSources: Array<NicSourceChoice & { pxe: boolean }>;
  /** Every NIC MAC of the host's VMs (lower case), so a typed one is checked and a generated one is new. */
  macs: string[];
  vmNames: string[];
}

export interface NewVmResult {
  name: string;
  xml: string;
  /** What was done, in order ("created volume default/x.qcow2", "defined", "started"). */
  steps: string[];
  /** Set when the VM is defined but did not start (libvirt's message). */
  startError?: string;
}

export interface NewVmMethods {
  'newvm.offer': { params: { hostId: string }; result: NewVmOffer };
  /** Create the disk volume (spec.disk kind 'new'), define the VM, set autostart and start it when
   *  asked. A failure before the VM is defined removes the volume it made; the error names the step. */
  'newvm.create': { params: { hostId: string; spec: NewVmSpec; start: boolean }; result: NewVmResult };
}
