// Cloning a VM on its host, as virt-clone does: each writable disk copied with `vol-clone` into a
// new volume of the same pool (libvirt keeps a raw file sparse and a qcow2 thin), or — for a
// template's linked clone — a qcow2 overlay created with `vol-create` and a backingStore on the
// template's disk; read-only and shareable disks shared, CD-ROMs kept, the NVRAM copied, then the
// clone's XML (shared/clone) defined with `define --validate`. Offline only: a running source is
// refused, or paused for the copy when asked. Every name is checked before anything is made, and
// a copy that fails removes what it had made, in reverse; the others stand.
import { randomUUID } from 'node:crypto';
import type { CloneMade, CloneParams, CloneResult, HostStorage, StorageVolume } from '../../../shared/contract/index.js';
import { CloneInputError, cloneDomainXml, cloneVolumeName, expandNamePattern, isTemplateXml, newMac, nvramOf, planDisks, type NewDiskSource } from '../../../shared/clone/index.js';
import { readDomain } from '../../../shared/domain-xml/index.js';
import { buildVolumeXml, normalPath, parseVolumeXml, volumeRules } from '../../../shared/storage/index.js';
import { UserError, checkedInput } from '../errors.js';
import { vmMacs } from './input-checks.js';
import { domainStateArgs, parseDomainState } from './parse.js';
import { readHostStorage, type VirshRunner } from './storage-read.js';

export interface CloneHost {
  hostId: string;
  label: string;
  virsh: VirshRunner;
  /** Every VM the host has now. */
  vmNames: string[];
  /** MACs in use elsewhere (other connected hosts) that a copy must not get either. */
  otherMacs?: readonly string[];
}

/** A last change to each copy's XML before its define (a deployment's cloud-init seed), with
 *  the virsh commands that undo what it made should the copy fail. `storage` is the host's
 *  storage as the clone read it. */
export type CloneFinish = (c: { name: string; macs: string[]; volumes: string[]; xml: string; storage: HostStorage }) => Promise<{ xml: string; undo: string[][] }>;

export type CloneProgressFn = (clone: string, step: string, bytes: number, total: number) => void;

/** A disk that each copy gets its own volume for. */
interface CopiedDisk {
  index: number;
  target: string;
  volume: StorageVolume;
  poolType: string;
  /** The disk named its volume by pool and name (type='volume'), not by path. */
  byVolume: boolean;
}

const POLL_MS = 400;

function findVolume(storage: HostStorage, src: { file: string | null; dev: string | null; pool: string | null; volume: string | null }): StorageVolume | undefined {
  if (src.pool && src.volume) return storage.volumes.find((v) => v.pool === src.pool && v.name === src.volume);
  const path = src.file ?? src.dev;
  return path ? storage.volumes.find((v) => v.path && normalPath(v.path) === normalPath(path)) : undefined;
}

/** Everything checked before anything is made: names, state, disks and their volumes. */
async function prepare(host: CloneHost, p: CloneParams) {
  const names = checkedInput(CloneInputError, () => expandNamePattern({ pattern: p.pattern, count: p.count, first: p.first, pad: p.pad }));
  const clash = names.filter((n) => host.vmNames.includes(n));
  if (clash.length) throw new UserError('invalid-input', `${host.label} already has a VM named ${clash.map((n) => `"${n}"`).join(', ')}: nothing was cloned`);
  const xml = await host.virsh.run(['dumpxml', '--inactive', '--security-info', '--domain', p.name]);
  const state = parseDomainState(await host.virsh.run(domainStateArgs(p.name)));
  const template = isTemplateXml(xml);
  if (p.linked && !template) throw new UserError('invalid-input', `A linked clone reads its source's disks for ever: mark "${p.name}" as a template first (then it is never started), or make full copies`);
  if ((state === 'running' || state === 'blocked') && !p.pause) {
    throw new UserError('invalid-input', `"${p.name}" is running: a clone copies its disks, which the running guest keeps writing. Shut it down first, or pause it for the copy.`);
  }
  if (!['shutoff', 'paused', 'running', 'blocked'].includes(state)) throw new UserError('invalid-input', `"${p.name}" is ${state}: it can be cloned shut off (or paused)`);
  const plan = checkedInput(CloneInputError, () => planDisks(xml));
  const storage = await readHostStorage(host.virsh, host.hostId, host.vmNames);
  const disks: CopiedDisk[] = [];
  for (const d of plan) {
    if (d.action !== 'copy') continue;
    const volume = findVolume(storage, d.source);
    const where = d.source.file ?? d.source.dev ?? `${d.source.pool}/${d.source.volume}`;
    if (!volume) throw new UserError('invalid-input', `Disk ${d.target} (${where}) is not a volume of a started storage pool on ${host.label}: VirtDeck copies disks with vol-clone. Start or define its pool first.`);
    const poolType = storage.pools.find((x) => x.name === volume.pool)?.type ?? 'dir';
    if (p.linked && !volumeRules(poolType).backing) throw new UserError('invalid-input', `Disk ${d.target} is in the ${poolType} pool "${volume.pool}", which cannot hold qcow2 overlays: make full copies instead`);
    disks.push({ index: d.index, target: d.target, volume, poolType, byVolume: !!(d.source.pool && d.source.volume) });
  }
  const nvramPath = nvramOf(xml);
  const nics = readDomain(xml).interfaces.length;
  return { names, xml, state, disks, storage, nvramPath, nics };
}

/** Run `work`, calling `poll` every POLL_MS until it ends. */
async function whilePolling<T>(work: Promise<T>, poll: () => Promise<void>): Promise<T> {
  let done = false;
  void work.then(() => (done = true), () => (done = true));
  void (async () => {
    while (!done) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (!done) await poll().catch(() => undefined);
    }
  })();
  return work;
}

/** The NVRAM file as a pool volume: in the pool over its folder, else in a transient pool made
 *  over it for this request (pool-destroy leaves the files of a dir pool alone). */
async function nvramPool(virsh: VirshRunner, storage: HostStorage, path: string): Promise<{ pool: string; volume: string; transient: boolean }> {
  const dir = path.slice(0, path.lastIndexOf('/')) || '/';
  const volume = path.slice(path.lastIndexOf('/') + 1);
  const known = storage.pools.find((x) => x.active && x.targetPath && normalPath(x.targetPath) === normalPath(dir));
  if (known) {
    await virsh.run(['pool-refresh', '--pool', known.name]);
    return { pool: known.name, volume, transient: false };
  }
  const pool = `virtdeck-nvram-${randomUUID().slice(0, 8)}`;
  await virsh.run(['pool-create-as', '--name', pool, '--type', 'dir', '--target', dir]);
  return { pool, volume, transient: true };
}

export async function cloneVm(host: CloneHost, p: CloneParams, progress: CloneProgressFn, finish?: CloneFinish): Promise<CloneResult> {
  const { virsh } = host;
  const prep = await prepare(host, p);
  const perCopy = p.linked ? prep.disks.length : prep.disks.reduce((n, d) => n + (d.volume.allocation ?? d.volume.capacity ?? 0), 0);
  const total = perCopy * prep.names.length;
  let doneBytes = 0;
  const takenMacs = new Set<string>([...(await Promise.all(host.vmNames.map((vm) => vmMacs(virsh, vm)))).flat(), ...(host.otherMacs ?? [])]);
  const takenVols = new Map<string, Set<string>>();
  const volsOf = (pool: string) => takenVols.get(pool) ?? takenVols.set(pool, new Set(prep.storage.volumes.filter((v) => v.pool === pool).map((v) => v.name))).get(pool)!;
  const paused = prep.state === 'running' || prep.state === 'blocked';
  if (paused) await virsh.run(['suspend', '--domain', p.name]);
  const nvram = prep.nvramPath ? await nvramPool(virsh, prep.storage, prep.nvramPath) : undefined;
  const result: CloneResult = { made: [], failed: [] };
  try {
    for (const name of prep.names) {
      const undo: string[][] = [];
      try {
        const disks = new Map<number, { source: NewDiskSource; format?: string }>();
        const volumes: string[] = [];
        for (const d of prep.disks) {
          const newName = cloneVolumeName(d.volume.name, p.name, name, d.target, volsOf(d.volume.pool));
          const vol = ['--pool', d.volume.pool, '--vol', newName];
          progress(name, `${p.linked ? 'overlay for' : 'copying'} ${d.target}`, doneBytes, total);
          if (p.linked) {
            if (!d.volume.path) throw new Error(`Disk ${d.target}'s volume has no path to back an overlay`);
            const xml = buildVolumeXml({ name: newName, format: 'qcow2', capacityBytes: d.volume.capacity ?? 0, preallocate: false, backing: { path: d.volume.path, format: d.volume.format ?? 'raw' } }, d.poolType);
            await virsh.run(['vol-create', '--pool', d.volume.pool, '--file', '/dev/stdin'], { stdin: xml });
            undo.unshift(['vol-delete', ...vol]);
            doneBytes += 1;
          } else {
            const base = doneBytes;
            const copying = virsh.run(['vol-clone', '--pool', d.volume.pool, '--vol', d.volume.name, '--newname', newName]);
            await whilePolling(copying, async () => {
              const now = parseVolumeXml(await virsh.run(['vol-dumpxml', ...vol])).allocation ?? 0;
              progress(name, `copying ${d.target}`, base + Math.min(now, d.volume.allocation ?? now), total);
            });
            undo.unshift(['vol-delete', ...vol]);
            doneBytes = base + (d.volume.allocation ?? d.volume.capacity ?? 0);
          }
          volumes.push(`${d.volume.pool}/${newName}`);
          const path = (await virsh.run(['vol-path', ...vol])).trim();
          disks.set(d.index, { source: d.byVolume ? { pool: d.volume.pool, volume: newName } : { path }, ...(p.linked ? { format: 'qcow2' } : {}) });
        }
        let nvramCopy: string | undefined;
        if (nvram) {
          const copy = `${name}_VARS.fd`;
          await virsh.run(['vol-clone', '--pool', nvram.pool, '--vol', nvram.volume, '--newname', copy]);
          undo.unshift(['vol-delete', '--pool', nvram.pool, '--vol', copy]);
          nvramCopy = (await virsh.run(['vol-path', '--pool', nvram.pool, '--vol', copy])).trim();
        }
        const uuid = randomUUID();
        const macs = Array.from({ length: prep.nics }, () => newMac(takenMacs));
        progress(name, 'defining', doneBytes, total);
        let xml = cloneDomainXml(prep.xml, { name, uuid, macs, disks, nvram: nvramCopy, sourceName: p.name });
        if (finish) {
          const last = await finish({ name, macs, volumes, xml, storage: prep.storage });
          undo.unshift(...last.undo);
          xml = last.xml;
        }
        await virsh.run(['define', '--file', '/dev/stdin', '--validate'], { stdin: xml });
        const made: CloneMade = { name, uuid, macs, volumes };
        result.made.push(made);
      } catch (err) {
        for (const args of undo) await virsh.run(args).catch(() => undefined);
        result.failed.push({ name, error: (err as Error).message });
      }
    }
  } finally {
    if (nvram?.transient) await virsh.run(['pool-destroy', '--pool', nvram.pool]).catch(() => undefined);
    if (paused) await virsh.run(['resume', '--domain', p.name]).catch(() => undefined);
  }
  progress(prep.names.at(-1)!, 'done', total, total);
  return result;
}
