// One VM deployed from a template on its host, with cloud-init values of its own: a linked clone
// (qcow2 overlays on the template's disks, libvirt/clone.ts) or a full copy, the template's own
// seed CD-ROM (a template made from a cloud image keeps one) swapped for a new seed built for this
// VM's name, hostname and MAC. The fields are checked before anything is made; a copy that fails
// removes its overlays and its seed (clone.ts's undo), so a failed deployment leaves nothing.
import { addSeed, removeSeed } from '../../../shared/cloud-init/index.js';
import type { CloudDeployParams, CloudVmResult } from '../../../shared/contract/index.js';
import { UserError } from '../errors.js';
import { cloneVm } from '../libvirt/clone.js';
import { isTemplate } from '../libvirt/templates.js';
import type { CloudHost } from './create.js';
import { seedFilesOf } from './create.js';
import { makeSeedVolume, type SeedVolume } from './seed.js';

export async function deployFromTemplate(host: CloudHost & { otherMacs: string[] }, p: CloudDeployParams): Promise<CloudVmResult & { seedTarget: string }> {
  seedFilesOf(p.cloud, undefined); // every field problem, before anything is made
  if (!host.vmNames.includes(p.template)) throw new UserError('not-found', `${host.label} has no VM "${p.template}" to deploy from`);
  if (!(await isTemplate(host.virsh, p.template))) throw new UserError('invalid-input', `"${p.template}" on ${host.label} is not a template: mark it as one first`);
  let seed: SeedVolume | undefined;
  let target = '';
  const steps: string[] = [];
  const result = await cloneVm(
    { hostId: host.hostId, label: host.label, virsh: host.virsh, vmNames: host.vmNames, otherMacs: host.otherMacs },
    { hostId: host.hostId, name: p.template, pattern: p.name, count: 1, linked: p.linked },
    (clone, step) => void steps.push(`${clone}: ${step}`),
    async ({ name, macs, volumes, xml, storage }) => {
      const pool = volumes[0]?.split('/')[0];
      if (!pool) throw new Error(`"${p.template}" has no disk of its own in a pool to put the seed beside`);
      const poolType = storage.pools.find((x) => x.name === pool)?.type ?? 'dir';
      seed = await makeSeedVolume(host, pool, poolType, name, seedFilesOf(p.cloud, macs[0]), p.seedBuilder);
      const added = addSeed(removeSeed(xml), seed.path);
      target = added.target;
      return { xml: added.xml, undo: [['vol-delete', '--pool', seed.pool, '--vol', seed.volume]] };
    },
  );
  const made = result.made[0];
  if (!made || !seed) {
    const why = result.failed[0]?.error ?? 'it was not made';
    throw new UserError('libvirt', `Deploying "${p.name}" from "${p.template}" on ${host.label} failed: ${why.replace(/\.$/, '')}. Nothing of it was left behind.`);
  }
  let startError: string | undefined;
  if (p.start) {
    await host.virsh.run(['start', '--domain', made.name]).then(() => steps.push('started'), (err: Error) => (startError = err.message));
  }
  return {
    hostId: host.hostId, name: made.name, hostname: p.cloud.hostname, macs: made.macs, volumes: made.volumes,
    seed: { pool: seed.pool, volume: seed.volume, builder: seed.builder }, steps, seedTarget: target, ...(startError ? { startError } : {}),
  };
}
