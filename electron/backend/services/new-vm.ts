// New VMs (libvirt/new-vm.ts): what a host offers the wizard, and the create. After a create the
// host's inventory and storage are read again, so the fleet shows the VM and every window the volume.
import type { Service } from '../dispatch.js';
import { createVm, readNewVmOffer } from '../libvirt/new-vm.js';
import { readHostStorage } from '../libvirt/storage-read.js';
import type { ServiceContext } from './context.js';

export function newVmService({ registry, emit }: ServiceContext): Service<'newvm.offer' | 'newvm.create'> {
  const offer = (hostId: string) => {
    const host = registry.get(hostId);
    const session = host.session();
    const names = host.vms.filter((vm) => vm.driver !== 'lxc').map((vm) => vm.name);
    return readNewVmOffer(host.virsh(), async (argv) => (await session.exec(argv)).stdout, hostId, names);
  };
  return {
    'newvm.offer': ({ hostId }) => offer(hostId),
    'newvm.create': async ({ hostId, spec, start }) => {
      const host = registry.get(hostId);
      const virsh = host.virsh();
      const pushStorage = () =>
        readHostStorage(virsh, hostId, host.vms.map((vm) => vm.name))
          .then((storage) => emit({ type: 'host.storage', storage }))
          .catch(() => undefined);
      try {
        return await createVm(virsh, await offer(hostId), spec, start);
      } finally {
        await host.refresh().catch(() => undefined);
        void pushStorage();
      }
    },
  };
}
