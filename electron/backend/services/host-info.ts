// The host page: versions, resources and health checks, and the host-load push while it is open
// (libvirt/host-info.ts).
import { hostCommandLog } from '../exec/command-log.js';
import { gatherHostInfo } from '../libvirt/host-info.js';
import type { Service } from '../dispatch.js';
import type { ServiceContext } from './context.js';

export function hostInfoService({ registry }: ServiceContext): Service<'host.info' | 'host.watch' | 'host.commandLog'> {
  return {
    'host.info': async ({ hostId }) => {
      const host = registry.get(hostId);
      return gatherHostInfo(host.virsh(), host.session(), host.lxcPresent);
    },
    'host.watch': async ({ hostId, watch }) => {
      registry.get(hostId).watchLoad(watch === true);
      return null;
    },
    'host.commandLog': async ({ hostId }) => {
      registry.get(hostId); // an unknown host is an error, not an empty log
      return hostCommandLog(hostId);
    },
  };
}
