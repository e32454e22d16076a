// Hardware editing of one domain: its XML, named edits, a hand-edited XML, the host facts the
// editor offers, and read-only QMP queries (libvirt/domain-editor.ts, libvirt/hardware-facts.ts).
import { getContainerXml } from '../libvirt/containers.js';
import { applyDomainEdits, defineDomainXml, getXml, qmpQuery } from '../libvirt/domain-editor.js';
import { hardwareFacts } from '../libvirt/hardware-facts.js';
import type { Service } from '../dispatch.js';
import type { ServiceContext } from './context.js';

export type DomainXmlMethod = 'vm.getXml' | 'vm.applyEdits' | 'vm.hardwareFacts' | 'vm.defineXml' | 'vm.qmp';

export function domainXmlService({ registry }: ServiceContext): Service<DomainXmlMethod> {
  const virsh = (hostId: string) => registry.get(hostId).virsh();
  return {
    'vm.getXml': async ({ hostId, name, driver }) => (driver === 'lxc' ? getContainerXml(registry.get(hostId).virsh('lxc'), name) : getXml(virsh(hostId), name)),
    'vm.applyEdits': async ({ hostId, name, baseXml, edits, newVolumes }) =>
      applyDomainEdits(virsh(hostId), { name: name, baseXml: String(baseXml), edits, newVolumes }),
    'vm.hardwareFacts': async ({ hostId, name }) => {
      const host = registry.get(hostId);
      const session = host.session();
      return hardwareFacts(host.virsh(), async (argv) => (await session.exec(argv)).stdout, name);
    },
    'vm.defineXml': async ({ hostId, name, baseXml, xml }) =>
      defineDomainXml(virsh(hostId), { name: name, baseXml: String(baseXml), xml: String(xml) }),
    'vm.qmp': async ({ hostId, name, command }) => qmpQuery(virsh(hostId), name, String(command)),
  };
}
