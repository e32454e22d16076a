// The checks before a VM moves, over what both hosts said (types.ts). Nothing here talks to a
// host: the same facts always give the same verdict. A "block" finding stops the move with its
// reason; a "warn" lets the admin go on; "ok" says what was checked and passed.
import { migrationAddress } from './route';
import type { DestFacts, DiskPlan, Finding, ForwardableCredential, MoveMode, MovePlan, PoolFact, SourceFacts } from './types';

const MiB = 1024;
const dirOf = (path: string) => path.replace(/\/[^/]*$/, '') || '/';
const baseOf = (path: string) => path.replace(/^.*\//, '');

/** Network storage that two hosts can mount alike: the same type and source is the same data. */
const SHARED_POOL_TYPES = new Set(['netfs', 'iscsi', 'iscsi-direct', 'rbd', 'gluster', 'sheepdog']);

function poolAt(pools: readonly PoolFact[], dir: string): PoolFact | undefined {
  return pools.find((p) => p.path !== null && p.path.replace(/\/+$/, '') === dir);
}

function planDisk(src: SourceFacts, dst: DestFacts, disk: SourceFacts['disks'][number], mode: MoveMode, out: Finding[]): DiskPlan | null {
  const id = `disk:${disk.target}`;
  if (disk.type === 'network') {
    out.push({ id, level: 'warn', text: `Disk ${disk.target} is network storage: it is not copied, and the destination must reach it itself` });
    return null;
  }
  if (!disk.path) return null; // an empty CD-ROM or floppy: nothing to move
  const path = disk.path;
  const dir = dirOf(path);
  const here = poolAt(src.pools, dir);
  const there = poolAt(dst.pools, dir);
  const exists = dst.existingPaths.includes(path);
  const shared = !!here && !!there && SHARED_POOL_TYPES.has(here.type) && here.type === there.type && here.source !== null && here.source === there.source;
  if (shared) {
    out.push({ id, level: exists ? 'ok' : 'block', text: exists ? `Disk ${disk.target} is on shared storage (${here.type} ${here.source}): nothing to copy` : `Disk ${disk.target} should be on shared storage, but ${path} is not there on ${dst.host}` });
    return { target: disk.target, path, storage: 'shared', destPool: there.name, capacity: disk.capacity, format: disk.format };
  }
  if (disk.readonly || disk.device === 'cdrom' || disk.device === 'floppy') {
    // Read-only media are not copied by libvirt: the same file must be there already.
    out.push({
      id,
      level: exists ? 'ok' : 'block',
      text: exists ? `${disk.target} (${disk.device}, read-only) is present on ${dst.host} as ${path}` : `${disk.target} uses ${path}, which ${dst.host} does not have (read-only media are not copied): eject it or put the file there`,
    });
    return null;
  }
  if (disk.shareable) {
    out.push({ id, level: 'block', text: `Disk ${disk.target} is shareable (used by several VMs at once): it cannot be copied` });
    return null;
  }
  if (!there) {
    out.push({ id, level: 'block', text: `${dst.host} has no storage pool for ${dir}: the copy of ${baseOf(path)} needs one there (same folder)` });
    return null;
  }
  if (!there.active) {
    out.push({ id, level: 'block', text: `Storage pool ${there.name} on ${dst.host} (${dir}) is not running` });
    return null;
  }
  if (exists) {
    out.push({ id, level: 'block', text: `${path} already exists on ${dst.host}: it would be overwritten` });
    return null;
  }
  out.push({ id, level: 'ok', text: `Disk ${disk.target} (${baseOf(path)}) is copied into pool ${there.name} on ${dst.host}${mode === 'live' ? ' while the VM runs' : ''}` });
  return { target: disk.target, path, storage: 'copy', destPool: there.name, capacity: disk.capacity, format: disk.format };
}

export interface PreflightInput {
  mode: MoveMode;
  source: SourceFacts;
  dest: DestFacts;
  /** What VirtDeck can lend the source host to log in to the destination (live only). */
  credential: ForwardableCredential;
}

export function preflight({ mode, source: src, dest: dst, credential }: PreflightInput): MovePlan {
  const out: Finding[] = [];
  const running = src.state === 'running' || src.state === 'paused';
  // Findings only a live migration has; kept apart to say whether a cold move would get past them.
  const liveOnly: Finding[] = [];

  if (src.host === dst.host) out.push({ id: 'same-host', level: 'block', text: 'The VM is already on this host' });

  if (mode === 'live') {
    if (!running) liveOnly.push({ id: 'state', level: 'block', text: `${src.vm} is ${src.state}: only a running VM migrates live (move it cold instead)` });
    const address = migrationAddress(src.addresses, dst.addresses);
    if (!address) liveOnly.push({ id: 'route', level: 'block', text: `${src.host} and ${dst.host} share no network: ${src.host} cannot reach ${dst.host} for a live migration (move it cold: VirtDeck carries the disks)` });
    else out.push({ id: 'route', level: 'ok', text: `${src.host} reaches ${dst.host} at ${address}` });
    if (credential === 'none') liveOnly.push({ id: 'credential', level: 'block', text: `VirtDeck logged in to ${src.host} with a password: it has no key to lend ${src.host} for logging in to ${dst.host} (use a key or an SSH agent)` });
    if (src.hostdevs > 0) liveOnly.push({ id: 'hostdev', level: 'block', text: `${src.vm} has ${src.hostdevs} host device(s) passed through: they cannot move while it runs` });
  }

  if (mode === 'cold' && running) {
    out.push({ id: 'state', level: 'block', text: `${src.vm} is ${src.state}: shut it down for a cold move (its disks must not change while they are copied), or migrate it live` });
  }

  if (dst.nameTaken) out.push({ id: 'name', level: 'block', text: `${dst.host} already has a VM named ${src.vm}` });
  else if (dst.uuidTakenBy) out.push({ id: 'uuid', level: 'block', text: `${dst.host} already has a VM with this VM's UUID (${dst.uuidTakenBy})` });
  else out.push({ id: 'name', level: 'ok', text: `The name ${src.vm} and its UUID are free on ${dst.host}` });

  if (!dst.machine.ok) {
    out.push({ id: 'machine', level: 'block', text: `${dst.host} cannot run a ${src.domainType ?? 'qemu'} ${src.arch ?? ''} ${src.machine ?? ''} guest: ${dst.machine.message}`.replace(/\s+/g, ' ') });
  } else {
    out.push({ id: 'machine', level: 'ok', text: `${dst.host} runs ${src.arch ?? 'its'} machine ${src.machine ?? '(default)'} (${src.domainType ?? 'qemu'})` });
    if (src.loader && !dst.machine.firmware.includes(src.loader) && !dst.existingPaths.includes(src.loader)) {
      out.push({ id: 'firmware', level: 'block', text: `${dst.host} does not have the firmware ${src.loader}` });
    } else if (src.loader) out.push({ id: 'firmware', level: 'ok', text: `Firmware ${src.loader} is present on ${dst.host}` });
  }

  const cpu = dst.cpu;
  if (cpu.result === 'incompatible') {
    const f: Finding = { id: 'cpu', level: mode === 'live' ? 'block' : 'warn', text: `${dst.host}'s CPU cannot run the guest's CPU${cpu.message ? `: ${cpu.message}` : ''}${mode === 'cold' ? ' (it may not start there)' : ''}` };
    (mode === 'live' ? liveOnly : out).push(f);
  } else if (cpu.result === 'not-checked' && cpu.message) {
    out.push({ id: 'cpu', level: 'warn', text: `${dst.host} could not compare the guest's CPU (${cpu.message}): it may not run there` });
  } else if (cpu.result === 'not-checked') {
    out.push({ id: 'cpu', level: 'ok', text: `The guest uses QEMU's default CPU model${src.cpuMode ? ` (${src.cpuMode})` : ''}, which ${dst.host} has` });
  } else out.push({ id: 'cpu', level: 'ok', text: `${dst.host}'s CPU can run the guest's CPU (${cpu.result})` });

  if (running) {
    const need = src.memoryKiB;
    const free = dst.memAvailableKiB;
    const mib = (k: number) => `${Math.round(k / MiB)} MiB`;
    if (need > free) out.push({ id: 'memory', level: 'block', text: `${dst.host} has ${mib(free)} free, the VM needs ${mib(need)}` });
    else if (need > free * 0.8) out.push({ id: 'memory', level: 'warn', text: `${dst.host} has ${mib(free)} free and the VM takes ${mib(need)} of it` });
    else out.push({ id: 'memory', level: 'ok', text: `${dst.host} has ${mib(free)} free for the VM's ${mib(need)}` });
  }

  for (const name of new Set(src.networks)) {
    const net = dst.networks.find((n) => n.name === name);
    const id = `network:${name}`;
    if (!net) out.push({ id, level: 'block', text: `Network ${name} does not exist on ${dst.host}` });
    else if (!net.active) out.push({ id, level: running ? 'block' : 'warn', text: `Network ${name} on ${dst.host} is not running${running ? '' : ': start it before starting the VM there'}` });
    else out.push({ id, level: 'ok', text: `Network ${name} is running on ${dst.host}` });
  }
  for (const name of new Set(src.bridges)) {
    const id = `bridge:${name}`;
    if (!dst.bridges.includes(name)) out.push({ id, level: 'block', text: `Bridge ${name} does not exist on ${dst.host}` });
    else out.push({ id, level: 'ok', text: `Bridge ${name} exists on ${dst.host}` });
  }

  const disks = src.disks.map((d) => planDisk(src, dst, d, mode, out)).filter((d) => d !== null);
  const all = [...liveOnly, ...out];
  const blocked = all.some((f) => f.level === 'block');
  return {
    mode,
    findings: all.sort((a, b) => rank(a) - rank(b)),
    blocked,
    disks,
    copyStorage: disks.some((d) => d.storage === 'copy'),
    migrationAddress: mode === 'live' ? migrationAddress(src.addresses, dst.addresses) : null,
    destMemAvailableKiB: dst.memAvailableKiB,
    memoryKiB: src.memoryKiB,
    coldAdvised: mode === 'live' && liveOnly.some((f) => f.level === 'block') && !out.some((f) => f.level === 'block'),
  };
}

const RANK = { block: 0, warn: 1, ok: 2 } as const;
const rank = (f: Finding) => RANK[f.level];
