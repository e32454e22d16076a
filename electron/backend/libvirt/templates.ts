// Templates on a host: the mark (VirtDeck's metadata, `virsh metadata`), and what it protects. A
// template's linked clones are qcow2 overlays whose backing file is one of its disks, so starting
// it, deleting it or changing its disks would break them: those are refused while one exists,
// naming the clones.
import type { HostStorage } from '../../../shared/contract/index.js';
import { TEMPLATE_ELEMENT, TEMPLATE_XPATH, VIRTDECK_TEMPLATE_KEY, VIRTDECK_TEMPLATE_NS, xpathFoundTemplate } from '../../../shared/clone/index.js';
import { readDomain } from '../../../shared/domain-xml/index.js';
import { normalPath } from '../../../shared/storage/index.js';
import { UserError } from '../errors.js';
import { domainStateArgs, parseDomainState } from './parse.js';
import { readHostStorage, type VirshRunner } from './storage-read.js';

export async function isTemplate(virsh: VirshRunner, name: string): Promise<boolean> {
  return xpathFoundTemplate(await virsh.run(['dumpxml', '--inactive', '--xpath', TEMPLATE_XPATH, '--domain', name]));
}

/** The volumes of the template's disks, as the host's storage lists them. */
function templateVolumes(xml: string, storage: HostStorage) {
  const disks = readDomain(xml).disks.filter((d) => d.device === 'disk' && d.source);
  return storage.volumes.filter((v) =>
    disks.some((d) => (d.source!.volume && d.source!.volume === v.name && d.source!.pool === v.pool) || (v.path && [d.source!.file, d.source!.dev].some((p) => p && normalPath(p) === normalPath(v.path!)))),
  );
}

/** The linked clones of a template: the VMs whose disks are overlays on its disks, and overlays
 *  no VM uses (pool/name), each once. */
export async function linkedChildren(virsh: VirshRunner, hostId: string, vmNames: string[], name: string, xml?: string): Promise<string[]> {
  const [def, storage] = await Promise.all([xml ?? virsh.run(['dumpxml', '--inactive', '--domain', name]), readHostStorage(virsh, hostId, vmNames)]);
  const overlays = new Set(templateVolumes(def, storage).flatMap((v) => v.backingOf));
  const children = new Set<string>();
  for (const v of storage.volumes) {
    if (!overlays.has(`${v.pool}/${v.name}`)) continue;
    if (v.usedBy.length) v.usedBy.forEach((vm) => children.add(vm));
    else children.add(`volume ${v.pool}/${v.name}`);
  }
  return [...children].sort();
}

const named = (children: string[]) => children.map((c) => (c.startsWith('volume ') ? c : `"${c}"`)).join(', ');

/** Refuse what would break a template's linked clones. */
export async function refuseWhileChildren(virsh: VirshRunner, hostId: string, vmNames: string[], name: string, what: string): Promise<void> {
  if (!(await isTemplate(virsh, name))) return;
  const children = await linkedChildren(virsh, hostId, vmNames, name);
  if (children.length) {
    throw new UserError('in-use', `"${name}" is a template with ${children.length} linked clone${children.length === 1 ? '' : 's'} (${named(children)}) reading its disks: ${what} would break them. Delete the clones first.`);
  }
}

/** A template is never started: its guest would write the disks its linked clones read. */
export async function refuseTemplateStart(virsh: VirshRunner, name: string): Promise<void> {
  if (await isTemplate(virsh, name)) {
    throw new UserError('invalid-input', `"${name}" is a template: it is deployed from, never started (its guest would change the disks its clones start from). Unmark it as a template to start it.`);
  }
}

/** Mark a shut-off VM as a template, or unmark it (refused while linked clones exist). */
export async function setTemplate(virsh: VirshRunner, hostId: string, vmNames: string[], name: string, template: boolean): Promise<void> {
  const ns = ['--domain', name, '--uri', VIRTDECK_TEMPLATE_NS, '--config'];
  if (!template) {
    await refuseWhileChildren(virsh, hostId, vmNames, name, 'unmarking it (it could then be started)');
    await virsh.run(['metadata', ...ns, '--remove']);
    return;
  }
  const state = parseDomainState(await virsh.run(domainStateArgs(name)));
  if (state !== 'shutoff') throw new UserError('invalid-input', `"${name}" is ${state}: only a shut-off VM can become a template. Shut it down first.`);
  await virsh.run(['metadata', ...ns, '--key', VIRTDECK_TEMPLATE_KEY, '--set', TEMPLATE_ELEMENT]);
}

/** A template's definition may change, except its disks while linked clones read them. */
export async function refuseTemplateDiskEdit(virsh: VirshRunner, hostId: string, vmNames: string[], name: string, beforeXml: string, afterXml: string): Promise<void> {
  const disks = (xml: string) => JSON.stringify(readDomain(xml).disks.filter((d) => d.device === 'disk').map((d) => [d.target, d.source, d.driver.type, d.readonly]));
  if (disks(beforeXml) === disks(afterXml)) return;
  await refuseWhileChildren(virsh, hostId, vmNames, name, 'changing its disks');
}
