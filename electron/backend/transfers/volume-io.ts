// The virsh commands a transfer runs on a host: create, read and delete a volume, and stream its
// bytes in (`vol-upload … /dev/stdin`) or out (`vol-download … /dev/stdout`) over the host's
// session. Every argument goes through virshArgv → the one quoting function; names are passed as
// option values (`--vol`, `--pool`), so a name starting with '-' is still a name.
import { newVolumeXml, readVolumeXml, type NewVolume, type VolumeFacts } from '../../../shared/transfers/index.js';
import type { ExecStream, Session } from '../exec/session.js';
import { stripVirshPrefix, virshArgv, type Virsh } from '../libvirt/virsh.js';

/** What a transfer needs of a connected host. */
export interface VolumeHost {
  label: string;
  virsh: Virsh;
  session: Session;
  libvirtUri: string;
}

export async function volumeFacts(host: VolumeHost, pool: string, name: string): Promise<VolumeFacts> {
  return readVolumeXml(await host.virsh.run(['vol-dumpxml', '--pool', pool, '--vol', name]));
}

/** Create a thin volume from XML on stdin; fails (libvirt's message) when the name is taken. */
export async function createVolume(host: VolumeHost, pool: string, volume: NewVolume): Promise<void> {
  await host.virsh.run(['vol-create', '--pool', pool, '--file', '/dev/stdin'], { stdin: newVolumeXml(volume) });
}

export async function deleteVolume(host: VolumeHost, pool: string, name: string): Promise<void> {
  await host.virsh.run(['vol-delete', '--pool', pool, '--vol', name]);
}

/** The volume's bytes in from stdin. virsh's --sparse is not used: it seeks in its input file
 *  for holes, and a pipe cannot seek (libvirt 9.0: "send holeHandler failed: Illegal seek"). */
export async function openUpload(host: VolumeHost, pool: string, name: string): Promise<ExecStream> {
  const s = await host.session.execStream(virshArgv(host.libvirtUri, ['vol-upload', '--pool', pool, '--vol', name, '--file', '/dev/stdin']));
  // It prints nothing there; an unread stdout would keep the channel from ever closing.
  s.stdout.resume();
  return s;
}

/** The volume's bytes out on stdout (virsh -q: no trailing newline after the data). */
export function openDownload(host: VolumeHost, pool: string, name: string): Promise<ExecStream> {
  return host.session.execStream(virshArgv(host.libvirtUri, ['vol-download', '--pool', pool, '--vol', name, '--file', '/dev/stdout']));
}

/** How a streamed virsh ended: resolves when it exited 0, else rejects with libvirt's message. */
export async function streamEnded(stream: ExecStream, what: string): Promise<void> {
  const r = await stream.done;
  if (r.code === 0) return;
  const said = stripVirshPrefix(r.stderr).trim();
  throw new Error(said || `${what} ${r.code !== null ? `exited with ${r.code}` : r.signal ? `was ended by ${r.signal}` : 'ended without an exit status'}`);
}

/** Abort a stream and wait (a bounded while) for its command to be gone, so that a volume is
 *  deleted only once nothing writes into it any more. */
export async function abortAndWait(stream: ExecStream | undefined, ms = 10_000): Promise<void> {
  if (!stream) return;
  stream.abort();
  await Promise.race([stream.done, new Promise((r) => setTimeout(r, ms).unref())]);
}
