// The NoCloud seed as a volume of a pool. Like virt-install, with the host's own tool when it has
// one (cloud-localds, xorriso, genisoimage/mkisofs: the files written into a private temporary
// folder, the ISO built there, uploaded into the pool, the folder removed); without one — or when
// asked — VirtDeck builds the ISO itself (shared/cloud-init/iso9660.ts) and streams it into the
// volume (vol-upload from stdin). Every command is an argument vector; file contents go on stdin.
import { buildIso, seedVolumeName, type SeedFiles } from '../../../shared/cloud-init/index.js';
import type { SeedBuilder } from '../../../shared/contract/index.js';
import { buildVolumeXml } from '../../../shared/storage/index.js';
import type { ExecResult } from '../exec/session.js';
import { openUpload, streamEnded, type VolumeHost } from '../transfers/volume-io.js';

export interface SeedVolume {
  pool: string;
  volume: string;
  path: string;
  /** Which tool built it: cloud-localds, xorriso, genisoimage, mkisofs or virtdeck. */
  builder: string;
}

const HOST_TOOLS = ['cloud-localds', 'xorriso', 'genisoimage', 'mkisofs'] as const;
// A fixed script (no user text): the first of the tools the host has.
const FIND_TOOL = `for t in ${HOST_TOOLS.join(' ')}; do command -v "$t" >/dev/null 2>&1 && { echo "$t"; exit 0; }; done; exit 0`;

/** Every command here may run twice (a probe, a file written whole, an image rebuilt): one whose
 *  SSH channel closed before the exit status came (seen on a busy host) is run again. */
async function run(host: VolumeHost, argv: readonly string[], stdin?: string): Promise<string> {
  const once = () => host.session.exec(argv, stdin === undefined ? {} : { stdin });
  let r: ExecResult = await once();
  if (r.code === null && !r.signal) r = await once();
  if (r.code !== 0) throw new Error(`${argv[0]} failed on ${host.label}: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`}`);
  return r.stdout;
}

/** The ISO tool the host has, or undefined. */
export async function hostSeedTool(host: VolumeHost): Promise<string | undefined> {
  const t = (await run(host, ['sh', '-c', FIND_TOOL])).trim();
  return (HOST_TOOLS as readonly string[]).includes(t) ? t : undefined;
}

function toolArgv(tool: string, out: string, files: Record<string, string>): string[] {
  const paths = Object.values(files);
  if (tool === 'cloud-localds') return ['cloud-localds', ...(files['network-config'] ? ['--network-config', files['network-config']] : []), out, files['user-data']!, files['meta-data']!];
  if (tool === 'xorriso') return ['xorriso', '-as', 'mkisofs', '-quiet', '-o', out, '-V', 'cidata', '-J', '-R', ...paths];
  return [tool, '-quiet', '-o', out, '-V', 'cidata', '-J', '-r', ...paths];
}

const seedEntries = (files: SeedFiles): Array<[string, string]> =>
  [['user-data', files.userData], ['meta-data', files.metaData], ...(files.networkConfig ? [['network-config', files.networkConfig] as [string, string]] : [])];

async function createRawVolume(host: VolumeHost, pool: string, poolType: string, volume: string, bytes: number): Promise<void> {
  const xml = buildVolumeXml({ name: volume, format: 'raw', capacityBytes: Math.max(bytes, 2048), preallocate: false }, poolType);
  await host.virsh.run(['vol-create', '--pool', pool, '--file', '/dev/stdin'], { stdin: xml });
}

/** Build the seed of `vm` and put it into `pool` as `<vm>.cidata.iso`. On a failure the volume
 *  (if made) is deleted again before the error goes on. */
export async function makeSeedVolume(host: VolumeHost, pool: string, poolType: string, vm: string, files: SeedFiles, how: SeedBuilder = 'auto'): Promise<SeedVolume> {
  const volume = seedVolumeName(vm);
  const tool = how === 'auto' ? await hostSeedTool(host) : undefined;
  let made = false;
  try {
    if (tool) {
      const dir = (await run(host, ['mktemp', '-d', '/tmp/virtdeck-seed.XXXXXXXX'])).trim();
      if (!/^\/tmp\/virtdeck-seed\.[A-Za-z0-9]{8}$/.test(dir)) throw new Error(`mktemp on ${host.label} answered "${dir}"`);
      try {
        const paths: Record<string, string> = {};
        for (const [name, text] of seedEntries(files)) {
          paths[name] = `${dir}/${name}`;
          await run(host, ['sh', '-c', 'umask 077 && cat > "$1"', 'sh', paths[name]!], text);
        }
        const out = `${dir}/seed.iso`;
        await run(host, toolArgv(tool, out, paths));
        const size = Number((await run(host, ['stat', '-c', '%s', out])).trim());
        await createRawVolume(host, pool, poolType, volume, size);
        made = true;
        await host.virsh.run(['vol-upload', '--pool', pool, '--vol', volume, '--file', out]);
      } finally {
        await run(host, ['rm', '-rf', '--', dir]).catch(() => undefined);
      }
    } else {
      const enc = new TextEncoder();
      const iso = buildIso(seedEntries(files).map(([name, text]) => ({ name, data: enc.encode(text) })), 'cidata');
      await createRawVolume(host, pool, poolType, volume, iso.length);
      made = true;
      const up = await openUpload(host, pool, volume);
      up.stdin.end(Buffer.from(iso));
      await streamEnded(up, 'vol-upload');
    }
    const path = (await host.virsh.run(['vol-path', '--pool', pool, '--vol', volume])).trim();
    return { pool, volume, path, builder: tool ?? 'virtdeck' };
  } catch (err) {
    if (made) await host.virsh.run(['vol-delete', '--pool', pool, '--vol', volume]).catch(() => undefined);
    throw err;
  }
}
