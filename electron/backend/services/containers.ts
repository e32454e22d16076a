// Containers on a host's LXC driver: creating one (libvirt/containers.ts). Listing, lifecycle,
// console and deletion go through the vms and consoles areas with driver 'lxc'.
import { containerSpecProblem } from '../../../shared/containers/xml.js';
import { UserError } from '../errors.js';
import { defineContainer } from '../libvirt/containers.js';
import type { Service } from '../dispatch.js';
import type { ServiceContext } from './context.js';

export function containersService({ registry }: ServiceContext): Service<'container.create'> {
  return {
    'container.create': async ({ hostId, ...spec }) => {
      const problem = containerSpecProblem(spec);
      if (problem) throw new UserError('invalid-input', problem);
      const host = registry.get(hostId);
      if (host.vms.some((vm) => vm.driver === 'lxc' && vm.name === spec.name)) throw new UserError('invalid-input', `${host.label} already has a container named "${spec.name}"`);
      await defineContainer(host.virsh('lxc'), spec);
      await host.refresh();
      return null;
    },
  };
}
