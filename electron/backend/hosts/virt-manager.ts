// virt-manager keeps its connections in dconf (GSettings schema org.virt-manager.virt-manager):
// `connections/uris` and `connections/autoconnect`, each an array of libvirt URIs. Reading them
// lets a Linux admin bring their list over in one click.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connectionUri, LibvirtUriError, parseLibvirtUri } from '../../../shared/libvirt-uri.js';

const run = promisify(execFile);
const KEY_PATH = '/org/virt-manager/virt-manager/connections/';

export interface VirtManagerConnection {
  uri: string;
  autoconnect: boolean;
}

/** Parse a GVariant text array of strings (`['a', "b"]`, or `@as []` when empty). */
export function parseGVariantStrings(text: string): string[] {
  const out: string[] = [];
  const re = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g;
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1'));
  return out;
}

async function readKey(name: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  try {
    const { stdout } = await run('dconf', ['read', `${KEY_PATH}${name}`], { env, timeout: 5000 });
    return parseGVariantStrings(stdout);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('dconf is not installed, so virt-manager’s connections cannot be read');
    throw err;
  }
}

/** virt-manager's saved connections on this machine (Linux only; empty elsewhere). */
export async function readVirtManagerConnections(env: NodeJS.ProcessEnv = process.env): Promise<VirtManagerConnection[]> {
  if (process.platform !== 'linux') return [];
  const [uris, auto] = await Promise.all([readKey('uris', env), readKey('autoconnect', env)]);
  return uris.map((uri) => ({ uri, autoconnect: auto.includes(uri) }));
}

/** The target VirtDeck connects with for a virt-manager URI, or why it cannot (the one libvirt
 *  URI check decides: no +ext, no command=, …). */
export function targetForUri(uri: string): { target: string; libvirtUri: string } | { unsupported: string } {
  // virt-manager also keeps Xen, LXC, … connections: say plainly which kind VirtDeck takes.
  if (!/^\s*qemu[+:]/i.test(uri)) return { unsupported: `${uri}: only qemu:// and qemu+ssh:// connections are supported` };
  try {
    const parsed = parseLibvirtUri(uri);
    const libvirtUri = connectionUri(parsed);
    return { target: parsed.transport ? uri.trim() : libvirtUri, libvirtUri };
  } catch (err) {
    if (err instanceof LibvirtUriError) return { unsupported: err.message };
    throw err;
  }
}
