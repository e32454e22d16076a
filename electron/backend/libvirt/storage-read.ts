// One host's pools and volumes, read from virsh's XML (pool-dumpxml, vol-dumpxml) and its name
// lists, never its translated tables' words; joined with the defined VMs' disk sources to say
// which VM uses which volume.
import type { HostStorage, StoragePool, StorageVolume } from '../../../shared/contract/index.js';
import { readDomain } from '../../../shared/domain-xml/index.js';
import { describePoolSource, isIsoVolume, parsePoolXml, parseVolumeXml, poolUsers, volumeKey, volumeUses, type DomainDisks } from '../../../shared/storage/index.js';

export interface VirshRunner {
  run(args: readonly string[], options?: { stdin?: string }): Promise<string>;
}

const names = (out: string): string[] => out.split('\n').map((l) => l.trim()).filter(Boolean);

/** The volume paths of `virsh vol-list --pool P` (columns Name, Path; LC_ALL=C). The path is
 *  the text after the column gap: a volume of a pool with a target folder sits under it, which
 *  finds the path even when the name holds spaces; else the last gap before a "/" counts. */
export function parseVolListPaths(out: string, targetPath: string | null): string[] {
  const paths: string[] = [];
  for (const line of out.split('\n')) {
    if (!line.trim() || /^\s*Name\s+Path\s*$/.test(line) || /^-+$/.test(line.trim())) continue;
    const under = targetPath ? line.lastIndexOf(`   ${targetPath.replace(/\/$/, '')}/`) : -1;
    if (under >= 0) {
      paths.push(line.slice(under + 3).trimEnd());
      continue;
    }
    const m = /^.*?\S\s{3,}(\/.*?)\s*$/.exec(line) ?? /^\s*\S.*?\s+(\/\S.*?)\s*$/.exec(line);
    if (m) paths.push(m[1]!);
  }
  return paths;
}

/** Each defined VM's disk sources, from its inactive (next-boot) XML: what "in use" means for
 *  deleting a volume. A VM whose XML cannot be read counts as using nothing, and is named. */
async function domainDisks(virsh: VirshRunner, vms: readonly string[]): Promise<DomainDisks[]> {
  return Promise.all(
    vms.map(async (vm) => {
      const xml = await virsh.run(['dumpxml', '--inactive', '--domain', vm]).catch(() => null);
      if (xml === null) return { vm, disks: [] };
      return { vm, disks: readDomain(xml).disks.map((d) => d.source ?? {}) };
    }),
  );
}

async function poolVolumes(virsh: VirshRunner, pool: string, targetPath: string | null): Promise<Omit<StorageVolume, 'usedBy' | 'backingOf' | 'orphan'>[]> {
  const paths = parseVolListPaths(await virsh.run(['vol-list', '--pool', pool]), targetPath);
  const vols = await Promise.all(
    paths.map(async (path) => {
      // A volume deleted between the listing and its read is simply gone.
      const xml = await virsh.run(['vol-dumpxml', '--pool', pool, '--vol', path]).catch(() => null);
      if (xml === null) return null;
      const v = parseVolumeXml(xml);
      return { pool, name: v.name, path: v.path ?? path, type: v.type, format: v.format, capacity: v.capacity, allocation: v.allocation, backingPath: v.backingPath, iso: isIsoVolume(v) };
    }),
  );
  return vols.filter((v) => v !== null).sort((a, b) => a.name.localeCompare(b.name));
}

/** Every pool of the host (active or not) and the volumes of the active ones, with their users. */
export async function readHostStorage(virsh: VirshRunner, hostId: string, vmNames: readonly string[]): Promise<HostStorage> {
  const [all, active, autostart, persistent, disks] = await Promise.all([
    virsh.run(['pool-list', '--all', '--name']),
    virsh.run(['pool-list', '--name']),
    virsh.run(['pool-list', '--all', '--autostart', '--name']),
    virsh.run(['pool-list', '--all', '--persistent', '--name']),
    domainDisks(virsh, vmNames),
  ]);
  const isActive = new Set(names(active));
  const isAuto = new Set(names(autostart));
  const isPersistent = new Set(names(persistent));
  const read = await Promise.all(
    names(all).map(async (name) => {
      const view = parsePoolXml(await virsh.run(['pool-dumpxml', '--pool', name]));
      const volumes = isActive.has(name) ? await poolVolumes(virsh, name, view.targetPath).catch(() => []) : [];
      return { name, view, volumes };
    }),
  );
  const bare = read.flatMap((r) => r.volumes);
  const uses = volumeUses(bare, disks);
  const volumes: StorageVolume[] = bare.map((v) => ({ ...v, ...uses.get(volumeKey(v))! }));
  const pools: StoragePool[] = read
    .map(({ name, view }) => ({
      name,
      uuid: view.uuid,
      type: view.type,
      active: isActive.has(name),
      autostart: isAuto.has(name),
      persistent: isPersistent.has(name),
      capacity: view.capacity,
      allocation: view.allocation,
      available: view.available,
      targetPath: view.targetPath,
      source: describePoolSource(view),
      usedBy: poolUsers(name, volumes),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { hostId, pools, volumes, at: Date.now() };
}
