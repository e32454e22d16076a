// Hardware editing of one domain: its XML, named edits, a hand-edited XML, the host facts the
// editor offers, and read-only QMP queries (libvirt/domain-editor.ts, libvirt/hardware-facts.ts).
import { getContainerXml } from '../libvirt/containers.js';
import type { HostConnection } from '../hosts/host-connection.js';
import { applyDomainEdits, defineDomainXml, getXml, qmpQuery, type InputGuard } from '../libvirt/domain-editor.js';
import { checkInput, type CheckedHost } from '../libvirt/input-checks.js';
import { hardwareFacts } from '../libvirt/hardware-facts.js';
import { refuseTemplateDiskEdit } from '../libvirt/templates.js';
import { UserError } from '../errors.js';
import { readDomain } from '../../../shared/domain-xml/index.js';
import type { Service } from '../dispatch.js';
import type { ServiceContext } from './context.js';
import type { VmDriver } from '../../../shared/contract/index.js';

/** The <domain type> of a text, or undefined when it is not XML (defineDomainXml says why). */
function domainTypeOf(xml: string): string | null | undefined {
  try {
    return readDomain(xml).domainType;
  } catch {
    return undefined;
  }
}

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
  /** A container's edit is checked on its LXC driver (its memory against the host, its MACs
   *  against every VM and container here and on the other hosts). */
  const containerGuard =
    (hostId: string, name: string): InputGuard =>
    async (before, after) => {
      const h = registry.get(hostId);
      const containers: CheckedHost = { label: h.label, virsh: h.virsh('lxc'), vmNames: h.vms.filter((v) => v.driver === 'lxc').map((v) => v.name) };
      const vms = { ...checked(h), vmNames: h.vms.filter((v) => (v.driver ?? 'qemu') === 'qemu').map((v) => v.name) };
      const others = registry.all().filter((o) => o.id !== hostId && o.status().state === 'online');
      return checkInput(containers, [vms, ...others.map(checked)], name, before, after);
    };
  const noToolsXml = (driver: VmDriver | undefined) => {
    if (driver === 'lxc-tools') throw new UserError('unsupported', 'A container of the LXC tools has a config file, not a domain XML (its Config tab)');
  };
  return {
    'vm.getXml': async ({ hostId, name, driver }) => {
      noToolsXml(driver);
      return driver === 'lxc' ? getContainerXml(registry.get(hostId).virsh('lxc'), name) : getXml(virsh(hostId), name);
    },
    'vm.applyEdits': async ({ hostId, name, baseXml, edits, newVolumes, snapshotFirst, acceptWarnings }) =>
      applyDomainEdits(virsh(hostId), { name: name, baseXml: String(baseXml), edits, newVolumes, snapshotFirst, acceptWarnings }, guard(hostId, name)),
    'vm.hardwareFacts': async ({ hostId, name }) => {
      const host = registry.get(hostId);
      const session = host.session();
      return hardwareFacts(host.virsh(), async (argv) => (await session.exec(argv)).stdout, name);
    },
    'vm.defineXml': async ({ hostId, name, driver, baseXml, xml, acceptWarnings }) => {
      noToolsXml(driver);
      const p = { name, baseXml: String(baseXml), xml: String(xml), acceptWarnings };
      if (driver !== 'lxc') return defineDomainXml(virsh(hostId), p, guard(hostId, name));
      const host = registry.get(hostId);
      host.requireVm(name, 'lxc');
      // A container stays one: the same XML editor must not turn it into a QEMU domain.
      const type = domainTypeOf(p.xml);
      if (type !== undefined && type !== 'lxc') throw new UserError('invalid-input', `${name} is a container: its XML must stay <domain type='lxc'>`);
      const result = await defineDomainXml(host.virsh('lxc'), p, containerGuard(hostId, name), getContainerXml);
      if (result.status === 'applied') await host.refresh();
      return result;
    },
    'vm.qmp': async ({ hostId, name, command }) => qmpQuery(virsh(hostId), name, String(command)),
  };
}
