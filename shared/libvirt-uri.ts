// The one check of every libvirt URI VirtDeck builds or accepts (a typed target, a host's
// libvirt URI, a virt-manager import, a saved connection). A libvirt URI can start programs
// (`qemu+ext://…?command=`, `?netcat=`), reach any socket (`socket=`) or turn off host-key checks
// (`no_verify=`), so only plain driver URIs pass: no transport but SSH (handled by VirtDeck's own
// connection, not by virsh), and no query key but `keyfile` on an SSH target.

export class LibvirtUriError extends Error {}

/** What virsh may be given with `-c`, on this machine or on a host over SSH. test:///default is
 *  libvirt's in-process test driver: no daemon, no program, no socket. */
export const CONNECTION_URIS = ['qemu:///system', 'qemu:///session', 'lxc:///system', 'test:///default'] as const;

const DRIVERS = new Set(['qemu', 'lxc', 'test']);

/** Query keys libvirt's remote driver reads that must never come from a URI given to VirtDeck. */
const REFUSED_KEYS: Record<string, string> = {
  command: 'it names a program to run',
  netcat: 'it names a program to run on the host',
  socket: 'it points libvirt at an arbitrary socket',
  no_verify: 'it turns off the host-key or certificate check',
  no_tty: 'it changes how the SSH password is asked',
  known_hosts: 'VirtDeck checks host keys against its own known_hosts',
  known_hosts_verify: 'VirtDeck checks host keys itself',
  pkipath: 'TLS is not supported',
  proxy: 'VirtDeck does not use virt-ssh-helper',
  mode: 'VirtDeck talks to the daemon through virsh on the host',
};

export interface ParsedLibvirtUri {
  driver: string;
  transport?: 'ssh';
  user?: string;
  host?: string;
  port?: number;
  /** e.g. /system; `/` when the URI has none. */
  path: string;
  /** The SSH key named by `?keyfile=` (SSH targets only). */
  keyfile?: string;
}

/** Parse a libvirt URI, refusing anything but a plain driver URI or `DRIVER+ssh://`. */
export function parseLibvirtUri(input: string): ParsedLibvirtUri {
  const text = input.trim();
  const scheme = /^([a-z][a-z0-9]*)(?:\+([a-z0-9]+))?:\/\//i.exec(text);
  if (!scheme || /\s/.test(text)) throw new LibvirtUriError(`Not a libvirt URI: ${text}`);
  const driver = scheme[1]!.toLowerCase();
  const transport = scheme[2]?.toLowerCase();
  if (transport === 'ext') throw new LibvirtUriError(`Refused ${text}: the "ext" transport runs a program on this machine`);
  if (transport !== undefined && transport !== 'ssh') throw new LibvirtUriError(`Refused ${text}: only SSH connections are supported, not "${transport}"`);
  if (!DRIVERS.has(driver)) throw new LibvirtUriError(`Refused ${text}: only qemu, lxc and test URIs are supported`);
  let url: URL;
  try {
    url = new URL(text.replace(/^[^:]+:/, 'virtdeck:'));
  } catch {
    throw new LibvirtUriError(`Not a libvirt URI: ${text}`);
  }
  if (url.hash) throw new LibvirtUriError(`Refused ${text}: a libvirt URI has no #fragment`);
  let keyfile: string | undefined;
  for (const [key, value] of url.searchParams) {
    const why = REFUSED_KEYS[key.toLowerCase()];
    if (why) throw new LibvirtUriError(`Refused ${text}: "${key}=" is not allowed (${why})`);
    if (key !== 'keyfile' || transport !== 'ssh') throw new LibvirtUriError(`Refused ${text}: unknown parameter "${key}="`);
    if (!value) throw new LibvirtUriError(`Refused ${text}: keyfile= names no file`);
    keyfile = value;
  }
  const host = url.hostname ? decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1') : undefined;
  if (transport === 'ssh' && !host) throw new LibvirtUriError(`No host in URI: ${text}`);
  if (transport === undefined && (host || url.username || url.port)) throw new LibvirtUriError(`Refused ${text}: a remote connection without SSH (TLS/TCP) is not supported`);
  return {
    driver,
    ...(transport ? { transport: 'ssh' as const } : {}),
    ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
    ...(host ? { host } : {}),
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname || '/',
    ...(keyfile ? { keyfile } : {}),
  };
}

/** The URI virsh gets with `-c` (on the host, for an SSH target): one of CONNECTION_URIS. */
export function connectionUri(parsed: Pick<ParsedLibvirtUri, 'driver' | 'path'>): string {
  const path = parsed.path === '/' || parsed.path === '' ? (parsed.driver === 'test' ? '/default' : '/system') : parsed.path;
  const uri = `${parsed.driver}://${path}`;
  if (!(CONNECTION_URIS as readonly string[]).includes(uri)) throw new LibvirtUriError(`Refused ${uri}: VirtDeck connects only to ${CONNECTION_URIS.join(', ')}`);
  return uri;
}

/** Check a URI meant for `virsh -c` as given (a host's libvirtUri): returns it, normalised. */
export function checkConnectionUri(input: string): string {
  const parsed = parseLibvirtUri(input);
  if (parsed.transport) throw new LibvirtUriError(`Refused ${input.trim()}: a host's libvirt URI is local to that host (e.g. qemu:///system); the SSH part belongs in the target`);
  return connectionUri(parsed);
}
