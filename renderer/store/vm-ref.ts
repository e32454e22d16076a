// One VM as the renderer names it everywhere — selection, stats, open consoles, navigation and
// backend calls: the host it is on and its libvirt name. That is how the backend contract addresses
// a VM (every vm.* request takes { hostId, name }; 'host.stats' reports figures by name), and a
// name is unique on its host. A VmRef spreads straight into a request's params.
import type { VmSummary } from '../../shared/contract';

export type VmRef = Pick<VmSummary, 'hostId' | 'name'>;

/** Just the identity of a VM (a VmSummary carries more, which requests must not). */
export const vmRef = (vm: VmRef): VmRef => ({ hostId: vm.hostId, name: vm.name });

/** The one string key of a VM. JSON, so any host id or VM name (slashes, spaces, quotes) stays
 *  apart from every other. */
export const vmKey = (vm: VmRef): string => JSON.stringify([vm.hostId, vm.name]);

/** What every vmKey() of a host's VMs starts with. */
export const hostKeyPrefix = (hostId: string): string => `${JSON.stringify([hostId]).slice(0, -1)},`;

/** The VM's summary as its host last listed it; undefined when the host no longer lists it. */
export const findVm = (vmsByHost: Record<string, VmSummary[]>, vm: VmRef): VmSummary | undefined => vmsByHost[vm.hostId]?.find((v) => v.name === vm.name);
