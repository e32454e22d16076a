// The host's own devices a VM can be given (libvirt/nodedev.ts).
import { listNodeDevices } from '../libvirt/nodedev.js';
import type { Service } from '../dispatch.js';
import type { ServiceContext } from './context.js';

export function nodedevService({ registry }: ServiceContext): Service<'host.nodeDevices'> {
  return {
    'host.nodeDevices': async ({ hostId }) => listNodeDevices(registry.get(hostId).virsh()),
  };
}
