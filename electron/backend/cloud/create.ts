// A new VM from a cloud image on one host: everything checked first (the fields, the admin's
// #cloud-config as YAML with its line, the spec against the host, the image), then the disk — a
// qcow2 overlay whose backing file is the image, or a copy (vol-clone) — grown to the size asked,
// the seed volume, and the domain (shared/new-vm's XML with the seed added) through
// `define --validate`. A failed step removes what this request made, in reverse, and says which
// step failed. The password is hashed here (sha512-crypt) before any of it reaches the host.
import { randomUUID } from 'node:crypto';
import { addSeed, buildSeedFiles, CloudInitError, type CloudInitFields, type SeedFiles } from '../../../shared/cloud-init/index.js';
import type { CloudCreateParams, CloudInitInput, CloudVmResult, HostStorage } from '../../../shared/contract/index.js';
import { buildDomainXml, macProblem, specProblems } from '../../../shared/new-vm/index.js';
import { buildVolumeXml } from '../../../shared/storage/index.js';
import { UserError } from '../errors.js';
import { readNewVmOffer } from '../libvirt/new-vm.js';
import { readHostStorage } from '../libvirt/storage-read.js';
import type { VolumeHost } from '../transfers/volume-io.js';
import { makeSeedVolume, type SeedVolume } from './seed.js';
import { hashPassword } from './sha512-crypt.js';

export interface CloudHost extends VolumeHost {
  hostId: string;
  vmNames: string[];
  exec: (argv: readonly string[]) => Promise<string>;
}

/** The seed's files from what the wizard sent; every problem is an invalid-input error. */
export function seedFilesOf(input: CloudInitInput, mac: string | undefined): SeedFiles {
  const { password, ...rest } = input;
  const fields: CloudInitFields = { ...rest, ...(password ? { passwordHash: hashPassword(password) } : {}), ...(rest.network ? { network: { ...rest.network, ...(mac ? { mac } : {}) } } : {}) };
  try {
    return buildSeedFiles(fields, `iid-${randomUUID()}`);
  } catch (err) {
    if (err instanceof CloudInitError) throw new UserError('invalid-input', err.message);
    throw err;
  }
}

/** Commands that undo what a request made, newest first. */
export class Undo {
  private readonly steps: Array<() => Promise<unknown>> = [];
  push(step: () => Promise<unknown>): void {
    this.steps.unshift(step);
  }
  async run(): Promise<boolean> {
    let clean = true;
    for (const s of this.steps) await s().catch(() => (clean = false));
    return clean;
  }
}

export async function failed(undo: Undo, step: string, err: unknown): Promise<never> {
  const clean = await undo.run();
  const why = err instanceof Error ? err.message : String(err);
  throw new UserError(err instanceof UserError ? err.code : 'libvirt', `${step} failed: ${why.replace(/\.$/, '')}. ${clean ? 'Nothing of it was left behind.' : 'Some of what it made could not be removed: see the Storage page.'}`);
}

const poolOf = (storage: HostStorage, name: string) => {
  const p = storage.pools.find((x) => x.name === name);
  if (!p || !p.active) throw new UserError('invalid-input', `Pool "${name}" is not a started pool of this host`);
  return p;
};

export async function createFromImage(host: CloudHost, p: CloudCreateParams): Promise<CloudVmResult & { seedTarget: string }> {
  const offer = await readNewVmOffer(host.virsh, host.exec, host.hostId, host.vmNames);
  const spec = { ...p.spec, media: { kind: 'import' as const }, disk: { kind: 'existing' as const, path: '/pending', format: 'qcow2' } };
  const problems = specProblems(spec, offer.host, offer.vmNames);
  const mac = spec.nic ? macProblem(spec.nic.mac, offer.macs) : undefined;
  if (mac) problems.push(mac);
  if (problems.length) throw new UserError('invalid-input', problems.join('; '));
  const files = seedFilesOf(p.cloud, spec.nic?.mac);
  const storage = await readHostStorage(host.virsh, host.hostId, host.vmNames);
  const image = storage.volumes.find((v) => v.pool === p.image.pool && v.name === p.image.volume);
  if (!image?.path) throw new UserError('not-found', `No cloud image "${p.image.volume}" in pool "${p.image.pool}"`);
  const pool = poolOf(storage, p.disk.pool);
  if (storage.volumes.some((v) => v.pool === p.disk.pool && v.name === p.disk.volume)) throw new UserError('invalid-input', `Pool "${p.disk.pool}" already has a volume "${p.disk.volume}"`);
  const size = Math.max(Math.round(p.disk.sizeGiB * 2 ** 30), image.capacity ?? 0);
  if (!(size > 0)) throw new UserError('invalid-input', 'The disk needs a size above 0');

  const undo = new Undo();
  const steps: string[] = [];
  const vol = ['--pool', p.disk.pool, '--vol', p.disk.volume];
  try {
    if (p.disk.linked) {
      const xml = buildVolumeXml({ name: p.disk.volume, format: 'qcow2', capacityBytes: size, preallocate: false, backing: { path: image.path, format: image.format ?? 'raw' } }, pool.type);
      await host.virsh.run(['vol-create', '--pool', p.disk.pool, '--file', '/dev/stdin'], { stdin: xml });
    } else {
      await host.virsh.run(['vol-clone', '--pool', p.image.pool, '--vol', p.image.volume, '--newname', p.disk.volume]);
    }
    undo.push(() => host.virsh.run(['vol-delete', ...vol]));
    if (!p.disk.linked && size > (image.capacity ?? 0)) await host.virsh.run(['vol-resize', ...vol, '--capacity', String(size)]);
  } catch (err) {
    return failed(undo, `Creating the disk ${p.disk.pool}/${p.disk.volume}`, err);
  }
  steps.push(`${p.disk.linked ? 'overlay' : 'copy'} ${p.disk.pool}/${p.disk.volume} of ${p.image.pool}/${p.image.volume}, ${(size / 2 ** 30).toFixed(1)} GiB`);
  let seed: SeedVolume;
  try {
    seed = await makeSeedVolume(host, p.disk.pool, pool.type, spec.name, files, p.seedBuilder);
    undo.push(() => host.virsh.run(['vol-delete', '--pool', seed.pool, '--vol', seed.volume]));
  } catch (err) {
    return failed(undo, 'Building the cloud-init seed', err);
  }
  steps.push(`seed ${seed.pool}/${seed.volume} (built by ${seed.builder})`);
  let xml: string;
  let target: string;
  try {
    const diskPath = (await host.virsh.run(['vol-path', ...vol])).trim();
    ({ xml, target } = addSeed(buildDomainXml({ ...spec, disk: { kind: 'existing', path: diskPath, format: p.disk.linked ? 'qcow2' : image.format ?? 'qcow2' } }), seed.path));
    await host.virsh.run(['define', '--validate', '/dev/stdin'], { stdin: xml });
  } catch (err) {
    return failed(undo, `Defining "${spec.name}"`, err);
  }
  steps.push('defined (virsh define --validate)');
  if (spec.autostart) await host.virsh.run(['autostart', '--domain', spec.name]).then(() => steps.push('autostart on'), () => undefined);
  let startError: string | undefined;
  if (p.start) {
    try {
      await host.virsh.run(['start', '--domain', spec.name]);
      steps.push('started');
    } catch (err) {
      startError = err instanceof Error ? err.message : String(err);
    }
  }
  return {
    hostId: host.hostId, name: spec.name, hostname: p.cloud.hostname, macs: spec.nic ? [spec.nic.mac] : [], volumes: [`${p.disk.pool}/${p.disk.volume}`],
    seed: { pool: seed.pool, volume: seed.volume, builder: seed.builder }, steps, seedTarget: target, ...(startError ? { startError } : {}),
  };
}
