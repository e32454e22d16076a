// One VM (or container) as the renderer names it everywhere — selection, stats, open consoles,
// navigation and backend calls: the host it is on, its libvirt name and, for a container, its
// driver ('lxc' for libvirt's, 'lxc-tools' for the LXC tools' own). That is how the backend contract addresses a domain (vm.* requests take
// { hostId, name, driver? }; 'host.stats' reports VM figures by name): a name is unique within one
// driver of a host, and a container may share a VM's name. A VmRef spreads straight into a
// request's params; a VM's ref has no driver field at all, as before containers.
import type { VmSummary } from '../../shared/contract';

export type VmRef = Pick<VmSummary, 'hostId' | 'name' | 'driver'>;

/** Just the identity of a VM (a VmSummary carries more, which requests must not). */
export const vmRef = (vm: VmRef): VmRef => (isContainer(vm) ? { hostId: vm.hostId, name: vm.name, driver: vm.driver } : { hostId: vm.hostId, name: vm.name });

/** Whether it is a container, libvirt's or the LXC tools' (else a QEMU VM). */
export const isContainer = (vm: Pick<VmSummary, 'driver'>): boolean => vm.driver === 'lxc' || vm.driver === 'lxc-tools';

/** Whether it is a container of the LXC tools themselves (lxc-create …), not libvirt's. */
export const isLxcTools = (vm: Pick<VmSummary, 'driver'>): boolean => vm.driver === 'lxc-tools';

/** The one string key of a VM. JSON, so any host id or VM name (slashes, spaces, quotes) stays
 *  apart from every other. */
export const vmKey = (vm: VmRef): string => JSON.stringify(isContainer(vm) ? [vm.hostId, vm.name, vm.driver] : [vm.hostId, vm.name]);

/** What every vmKey() of a host's VMs starts with. */
export const hostKeyPrefix = (hostId: string): string => `${JSON.stringify([hostId]).slice(0, -1)},`;

/** The VM's summary as its host last listed it; undefined when the host no longer lists it. */
export const findVm = (vmsByHost: Record<string, VmSummary[]>, vm: VmRef): VmSummary | undefined =>
  vmsByHost[vm.hostId]?.find((v) => v.name === vm.name && (v.driver ?? 'qemu') === (vm.driver ?? 'qemu'));
