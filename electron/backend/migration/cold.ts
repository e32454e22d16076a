// A cold move: the VM is shut off (or the hosts cannot see each other), so VirtDeck carries it.
// Each disk's volume is copied through this app (transfers/: the host-to-host stream), its size
// and SHA-256 checked on both hosts, the definition written on the destination, the VM started
// there when asked — and only then is the source's definition (and its copied disks) removed, or
// kept, as the admin chose. A failure before that point removes what was made on the
// destination; the source is never touched until the destination is verified.
import type { TransferProgress, VolumeRef } from '../../../shared/contract/index.js';
import type { MovePlan, SourceFacts } from '../../../shared/migration/index.js';
import type { Launched } from '../transfers/transfers.js';
import { virshArgv } from '../libvirt/virsh.js';
import type { MoveHost, MoveRun } from './migrations.js';

export interface ColdOptions {
  /** Start the VM on the destination once it is there. */
  start: boolean;
  /** Keep the source's definition and disks (a copy rather than a move). */
  keepSource: boolean;
}

/** The host-to-host volume stream (transfers/), and its cancel. */
export interface VolumeCopier {
  copy(src: VolumeRef, dest: VolumeRef): Launched;
  cancel(transferId: string): void;
}

const dirOf = (path: string) => path.replace(/\/[^/]*$/, '') || '/';
const baseOf = (path: string) => path.replace(/^.*\//, '');

/** SHA-256 and size in bytes of a volume as libvirt reads it (vol-download: libvirtd reads the file,
 *  which the login user often may not; the script is fixed, URI, pool and volume its arguments). */
async function volumeDigest(host: MoveHost, pool: string, vol: string): Promise<{ sha256: string; bytes: number }> {
  // One pass: the stream goes to sha256sum and, through fd 3, to wc -c; both print on stdout (fd 4).
  const script = 'exec 4>&1; { virsh -q -c "$1" vol-download --pool "$2" --vol "$3" --file /dev/stdout || echo VIRSH-FAILED >&2; } | { tee /dev/fd/3 | sha256sum; } 3>&1 >&4 | wc -c';
  const r = await host.session.exec(['sh', '-c', script, 'sh', host.libvirtUri, pool, vol]);
  const lines = r.stdout.trim().split('\n');
  const sha256 = lines.find((l) => /^[0-9a-f]{64}\b/.test(l))?.slice(0, 64) ?? '';
  const bytes = Number(lines.find((l) => /^\s*\d+\s*$/.test(l)) ?? NaN);
  if (r.code !== 0 || !sha256 || !Number.isFinite(bytes) || r.stderr.includes('VIRSH-FAILED')) {
    throw new Error(`Could not read volume ${pool}/${vol} on ${host.label}: ${r.stderr.replace('VIRSH-FAILED', '').trim() || `exit ${r.code}`}`);
  }
  return { sha256, bytes };
}

export async function runCold(run: MoveRun, from: MoveHost, to: MoveHost, source: SourceFacts & { inactiveXml: string }, plan: MovePlan, copier: VolumeCopier, opts: ColdOptions): Promise<void> {
  const undo: Array<() => Promise<unknown>> = [];
  const vm = source.vm;
  const copies = plan.disks.filter((d) => d.storage === 'copy');
  const total = copies.reduce((n, d) => n + (d.capacity ?? 0), 0);
  let done = 0;
  let current: Launched | undefined;
  // The copy's own cancel removes its partial volume; the undo below removes the rest.
  run.cancel = async () => {
    if (current) copier.cancel(current.id);
  };
  try {
    for (const d of copies) {
      if (run.cancelled) throw new Error('Cancelled');
      const pool = source.pools.find((p) => p.path?.replace(/\/+$/, '') === dirOf(d.path));
      if (!pool || !d.destPool) throw new Error(`No pool holds ${d.path} on ${from.label}`);
      const name = baseOf(d.path);
      run.update({ phase: `Copying ${name} to ${to.label}` });
      run.ran(from, virshArgv(from.libvirtUri, ['vol-download', '--pool', pool.name, '--vol', name, '--file', '/dev/stdout']));
      run.ran(to, virshArgv(to.libvirtUri, ['vol-upload', '--pool', d.destPool, '--vol', name, '--file', '/dev/stdin']));
      current = copier.copy({ hostId: from.id, pool: pool.name, name }, { hostId: to.id, pool: d.destPool, name });
      const result: TransferProgress = await current.done;
      undo.push(() => to.virsh.run(['vol-delete', '--pool', d.destPool!, '--vol', name]));
      if (result.state !== 'done') throw new Error(result.error ?? `The copy of ${name} ${result.state}`);
      run.update({ phase: `Checking ${name} on both hosts` });
      const [a, b] = await Promise.all([volumeDigest(from, pool.name, name), volumeDigest(to, d.destPool, name)]);
      if (a.sha256 !== b.sha256 || a.bytes !== b.bytes) throw new Error(`${name} differs on ${to.label} after the copy (${b.bytes} bytes, SHA-256 ${b.sha256}; ${from.label}: ${a.bytes} bytes, ${a.sha256})`);
      done += d.capacity ?? 0;
      const percent = total ? (done / total) * 100 : 100;
      run.update({ progress: { percent, dataProcessed: done, dataRemaining: total - done, dataTotal: total, memoryRemaining: 0, diskRemaining: total - done, rateBps: result.rateBps, downtimeMs: null, elapsedMs: 0 } });
    }
    current = undefined;
    run.cancel = undefined;
    run.update({ phase: `Defining ${vm} on ${to.label}` });
    const define = ['define', '--validate', '/dev/stdin'];
    run.ran(to, virshArgv(to.libvirtUri, define));
    await to.virsh.run(define, { stdin: source.inactiveXml });
    undo.push(() => to.virsh.run(['undefine', '--domain', vm, '--nvram']).catch(() => to.virsh.run(['undefine', '--domain', vm])));
    if (opts.start) {
      run.update({ phase: `Starting ${vm} on ${to.label}` });
      run.ran(to, virshArgv(to.libvirtUri, ['start', '--domain', vm]));
      await to.virsh.run(['start', '--domain', vm]);
    }
  } catch (err) {
    run.update({ phase: `Undoing on ${to.label}` });
    for (const u of undo.reverse()) await u().catch(() => undefined);
    throw err;
  }
  if (opts.keepSource) return;
  // The destination holds a verified copy (and runs it, if asked): now the source may go.
  run.update({ phase: `Removing ${vm} from ${from.label}` });
  run.ran(from, virshArgv(from.libvirtUri, ['undefine', '--domain', vm]));
  await from.virsh.run(['undefine', '--domain', vm]);
  for (const d of copies) {
    const pool = source.pools.find((p) => p.path?.replace(/\/+$/, '') === dirOf(d.path))!;
    await from.virsh.run(['vol-delete', '--pool', pool.name, '--vol', baseOf(d.path)]).catch(() => undefined);
  }
}
