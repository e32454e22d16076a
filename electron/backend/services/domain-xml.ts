// Hardware editing of one domain: its XML, named edits, a hand-edited XML, the host facts the
// editor offers, and read-only QMP queries (libvirt/domain-editor.ts, libvirt/hardware-facts.ts).
import { getContainerXml } from '../libvirt/containers.js';
import type { HostConnection } from '../hosts/host-connection.js';
import { applyDomainEdits, defineDomainXml, getXml, qmpQuery, type InputGuard } from '../libvirt/domain-editor.js';
import { checkInput, type CheckedHost } from '../libvirt/input-checks.js';
import { hardwareFacts } from '../libvirt/hardware-facts.js';
import { refuseTemplateDiskEdit } from '../libvirt/templates.js';
import { UserError } from '../errors.js';
import type { Service } from '../dispatch.js';
import type { ServiceContext } from './context.js';

export type DomainXmlMethod = 'vm.getXml' | 'vm.applyEdits' | 'vm.hardwareFacts' | 'vm.defineXml' | 'vm.qmp';

export function domainXmlService({ registry }: ServiceContext): Service<DomainXmlMethod> {
  const virsh = (hostId: string) => registry.get(hostId).virsh();
  const checked = (h: HostConnection): CheckedHost => ({ label: h.label, virsh: h.virsh(), vmNames: h.vms.map((v) => v.name) });
  /** The input checks against this host and every other online one. */
  const guard =
    (hostId: string, name: string): InputGuard =>
    async (before, after) => {
      const host = checked(registry.get(hostId));
      const others = registry.all().filter((h) => h.id !== hostId && h.status().state === 'online');
      const verdict = await checkInput(host, others.map(checked), name, before, after);
      // A template's disks are what its linked clones read: not changed while one exists.
      const refusal = await refuseTemplateDiskEdit(host.virsh, hostId, host.vmNames, name, before, after).then(
        () => undefined,
        (err: unknown) => (err instanceof UserError ? err.message : undefined),
      );
      return refusal ? { ...verdict, refusals: [...verdict.refusals, refusal] } : verdict;
    };
  return {
    'vm.getXml': async ({ hostId, name, driver }) => (driver === 'lxc' ? getContainerXml(registry.get(hostId).virsh('lxc'), name) : getXml(virsh(hostId), name)),
    'vm.applyEdits': async ({ hostId, name, baseXml, edits, newVolumes, snapshotFirst, acceptWarnings }) =>
      applyDomainEdits(virsh(hostId), { name: name, baseXml: String(baseXml), edits, newVolumes, snapshotFirst, acceptWarnings }, guard(hostId, name)),
    'vm.hardwareFacts': async ({ hostId, name }) => {
      const host = registry.get(hostId);
      const session = host.session();
      return hardwareFacts(host.virsh(), async (argv) => (await session.exec(argv)).stdout, name);
    },
    'vm.defineXml': async ({ hostId, name, baseXml, xml, acceptWarnings }) =>
      defineDomainXml(virsh(hostId), { name: name, baseXml: String(baseXml), xml: String(xml), acceptWarnings }, guard(hostId, name)),
    'vm.qmp': async ({ hostId, name, command }) => qmpQuery(virsh(hostId), name, String(command)),
  };
}
