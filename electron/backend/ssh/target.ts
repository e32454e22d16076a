// What the user typed to name a host, resolved through ~/.ssh/config the way OpenSSH does.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type SSHConfig from 'ssh-config';
import { connectionUri, parseLibvirtUri } from '../../../shared/libvirt-uri.js';
import { expandHome } from './ssh-config.js';

export interface ParsedTarget {
  /** libvirt on this machine, through a local virsh: no SSH. */
  local?: boolean;
  user?: string;
  host: string;
  port?: number;
  /** libvirt URI on the host when the target was a qemu+ssh:// URI. */
  libvirtUri?: string;
  /** `?keyfile=` of a qemu+ssh:// target: tried before the ssh config's keys. */
  identityFile?: string;
}

/** Accepts `alias`, `user@host`, `user@host:port`, `[v6]:port` and `qemu+ssh://user@host:port/system`;
 *  throws LibvirtUriError for a URI that is refused. */
export function parseTarget(input: string): ParsedTarget {
  const text = input.trim();
  if (!text) throw new Error('Enter a host: an ssh config alias, user@host[:port], or qemu+ssh://user@host/system');
  // `local`, or a libvirt URI with no host (qemu:///system): this machine's own libvirt.
  if (text === 'local') return { local: true, host: 'localhost', libvirtUri: 'qemu:///system' };
  if (/^[a-z][a-z0-9+]*:\/\//i.test(text)) {
    // Every URI goes through the one check: no +ext, no command=, socket=, … (see libvirt-uri.ts).
    const uri = parseLibvirtUri(text);
    if (!uri.transport) return { local: true, host: 'localhost', libvirtUri: connectionUri(uri) };
    return {
      user: uri.user,
      host: uri.host!,
      port: uri.port,
      libvirtUri: connectionUri(uri),
      ...(uri.keyfile ? { identityFile: uri.keyfile } : {}),
    };
  }
  const m = /^(?:([^@\s]+)@)?(\[[^\]]+\]|[^:@\s]+)(?::(\d+))?$/.exec(text);
  if (!m) throw new Error(`Not a host: "${text}". Use an ssh config alias, user@host[:port], or qemu+ssh://user@host/system`);
  const port = m[3] ? Number(m[3]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`Port out of range: ${port}`);
  return { user: m[1], host: m[2]!.replace(/^\[(.*)\]$/, '$1'), port };
}

export interface ResolvedHost {
  alias: string;
  hostName: string;
  port: number;
  user: string;
  identityFiles: string[];
  identitiesOnly: boolean;
  knownHostsFiles: string[];
  serverAliveIntervalMs: number;
  serverAliveCountMax: number;
  /** Hops to go through first, each resolved through the config like the target itself. */
  jumps: ResolvedHost[];
  /** Write new known_hosts lines hashed, as OpenSSH does with HashKnownHosts yes. */
  hashKnownHosts: boolean;
}

/** OpenSSH defaults are ServerAliveInterval 0 (off); VirtDeck wants a dead link seen within
 *  15 s, so without a config value it probes every 4 s and gives up after 2 missed answers. */
const DEFAULT_ALIVE_INTERVAL_S = 4;
const DEFAULT_ALIVE_COUNT = 2;
const MAX_JUMPS = 8;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const all = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Apply ssh config to a parsed target; explicit user/port in the target win, as with `ssh`. */
export function resolveHost(target: ParsedTarget, config: SSHConfig, localUser: string, depth = 0): ResolvedHost {
  const c = config.compute(target.host);
  const identityFiles = [...(target.identityFile ? [target.identityFile] : []), ...all(c.IdentityFile)].map(expandHome);
  const defaults = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((n) => join(homedir(), '.ssh', n));
  const identitiesOnly = first(c.IdentitiesOnly)?.toLowerCase() === 'yes';
  const userKnownHosts = all(c.UserKnownHostsFile).flatMap((v) => v.split(/\s+/)).filter(Boolean).map(expandHome);
  return {
    alias: target.host,
    hostName: first(c.HostName) ?? target.host,
    port: target.port ?? Number(first(c.Port) ?? 22),
    user: target.user ?? first(c.User) ?? localUser,
    identityFiles: identitiesOnly ? identityFiles : [...identityFiles, ...defaults.filter((d) => !identityFiles.includes(d))],
    identitiesOnly,
    knownHostsFiles: userKnownHosts.length ? userKnownHosts : [join(homedir(), '.ssh', 'known_hosts')],
    serverAliveIntervalMs: 1000 * Number(first(c.ServerAliveInterval) ?? DEFAULT_ALIVE_INTERVAL_S),
    serverAliveCountMax: Number(first(c.ServerAliveCountMax) ?? DEFAULT_ALIVE_COUNT),
    jumps: resolveJumps(first(c.ProxyJump), config, localUser, depth),
    hashKnownHosts: first(c.HashKnownHosts)?.toLowerCase() === 'yes',
  };
}

/** ProxyJump `a,b,c`: each hop is `[user@]host[:port]` or an alias, resolved through the config
 *  (a hop's own ProxyJump comes first, as with OpenSSH). */
function resolveJumps(spec: string | undefined, config: SSHConfig, localUser: string, depth: number): ResolvedHost[] {
  if (!spec || spec.toLowerCase() === 'none') return [];
  if (depth >= MAX_JUMPS) throw new Error(`ProxyJump: more than ${MAX_JUMPS} hops (a loop in the ssh config?)`);
  return spec
    .split(',')
    .map((hop) => hop.trim().replace(/^ssh:\/\//, ''))
    .filter(Boolean)
    .flatMap((hop) => {
      const resolved = resolveHost(parseTarget(hop), config, localUser, depth + 1);
      return [...resolved.jumps, { ...resolved, jumps: [] }];
    });
}
