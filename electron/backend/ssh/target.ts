// What the user typed to name a host, and the host it names once the ssh config has spoken
// (openssh/resolve.ts decides; this turns its settings into what the dial needs).
import { connectionUri, parseLibvirtUri } from '../../../shared/libvirt-uri.js';
import type { ConfigEnv } from './openssh/config.js';
import { defaultConfigEnv, resolveSettings, type ConfigSources, type SshSettings } from './openssh/resolve.js';

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
  /** Expanded, in OpenSSH's order. */
  identityFiles: string[];
  /** CertificateFile, expanded: certificates offered before the identity files. */
  certificateFiles: string[];
  identitiesOnly: boolean;
  /** UserKnownHostsFile, expanded: new keys are written to the first. */
  knownHostsFiles: string[];
  /** GlobalKnownHostsFile: read, never written. */
  globalKnownHostsFiles: string[];
  /** The name known_hosts lines are looked up by (HostKeyAlias replaces the host name). */
  hostKeyAlias?: string;
  /** HostKeyAlgorithms as assembled; the dial orders it by what known_hosts holds. */
  hostKeyAlgorithms: string[];
  serverAliveIntervalMs: number;
  serverAliveCountMax: number;
  /** A local command whose stdin/stdout carry the connection (ProxyCommand, expanded). */
  proxyCommand?: string;
  /** Hops to go through first, in order. */
  jumps: ResolvedHost[];
  /** Write new known_hosts lines hashed, as OpenSSH does with HashKnownHosts yes. */
  hashKnownHosts: boolean;
  /** StrictHostKeyChecking as OpenSSH reads it (yes/true, ask, accept-new, no/off/false). */
  strictHostKeyChecking: StrictHostKeyChecking;
  /** Everything the config said, as ssh -G would print it. */
  settings: SshSettings;
}

export type StrictHostKeyChecking = 'yes' | 'ask' | 'accept-new' | 'no';

/** The resolver's value ('true', 'false', 'ask', 'accept-new') in the config's words. */
export function strictMode(resolved: string): StrictHostKeyChecking {
  return resolved === 'true' ? 'yes' : resolved === 'false' ? 'no' : resolved === 'accept-new' ? 'accept-new' : 'ask';
}

/** OpenSSH defaults are ServerAliveInterval 0 (off); VirtDeck wants a dead link seen within
 *  15 s, so without a config value it probes every 4 s and gives up after 2 missed answers. */
const DEFAULT_ALIVE_INTERVAL_S = 4;
const DEFAULT_ALIVE_COUNT = 2;
const MAX_JUMPS = 8;

/** Resolve a parsed target through the ssh config; explicit user/port in the target win, as
 *  `ssh -l user -p port` do. */
export function resolveHost(target: ParsedTarget, sources: ConfigSources, env: ConfigEnv = defaultConfigEnv(), depth = 0): ResolvedHost {
  return fromSettings(target, sources, env, depth, true);
}

function fromSettings(target: ParsedTarget, sources: ConfigSources, env: ConfigEnv, depth: number, ownJumps: boolean): ResolvedHost {
  const s = resolveSettings({ host: target.host, user: target.user, port: target.port }, sources, env);
  const aliveSet = s.origins.serveraliveinterval !== undefined;
  return {
    alias: target.host,
    hostName: s.hostName.toLowerCase(),
    port: s.port,
    user: s.user,
    // keyfile= of a qemu+ssh:// target goes first, as `ssh -i` does.
    identityFiles: target.identityFile ? [target.identityFile, ...s.identityFilesExpanded.filter((f) => f !== target.identityFile)] : s.identityFilesExpanded,
    certificateFiles: s.certificateFilesExpanded,
    identitiesOnly: s.identitiesOnly,
    knownHostsFiles: s.userKnownHostsFiles,
    globalKnownHostsFiles: s.globalKnownHostsFiles,
    hostKeyAlias: s.hostKeyAlias,
    hostKeyAlgorithms: s.hostKeyAlgorithms,
    serverAliveIntervalMs: 1000 * (aliveSet ? s.serverAliveInterval : DEFAULT_ALIVE_INTERVAL_S),
    serverAliveCountMax: s.origins.serveralivecountmax !== undefined ? s.serverAliveCountMax : DEFAULT_ALIVE_COUNT,
    // Only the first hop's own ProxyCommand runs: `ssh -J` overrides the later hops' (as ProxyJump).
    proxyCommand: ownJumps ? s.proxyCommandLine : undefined,
    jumps: ownJumps ? resolveJumps(s.proxyJump, sources, env, depth) : [],
    hashKnownHosts: s.hashKnownHosts,
    strictHostKeyChecking: strictMode(s.strictHostKeyChecking),
    settings: s,
  };
}

/** ProxyJump `a,b,c` as ssh runs it: `ssh -J a,b -W … c`, whose `-J` overrides c's own
 *  ProxyJump, and so on down to `a`, the only hop whose own ProxyJump applies. */
function resolveJumps(spec: string | undefined, sources: ConfigSources, env: ConfigEnv, depth: number): ResolvedHost[] {
  if (!spec) return [];
  if (depth >= MAX_JUMPS) throw new Error(`ProxyJump: more than ${MAX_JUMPS} hops (a loop in the ssh config?)`);
  const hops = spec
    .split(',')
    .map((hop) => hop.trim().replace(/^ssh:\/\//, ''))
    .filter(Boolean);
  return hops.flatMap((hop, i) => {
    const resolved = fromSettings(parseTarget(hop), sources, env, depth + 1, i === 0);
    return i === 0 ? [...resolved.jumps, { ...resolved, jumps: [] }] : [resolved];
  });
}
