// What the user typed to name a host, resolved through ~/.ssh/config the way OpenSSH does.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';

export interface ParsedTarget {
  user?: string;
  host: string;
  port?: number;
  /** libvirt URI on the host when the target was a qemu+ssh:// URI. */
  libvirtUri?: string;
}

/** Accepts `alias`, `user@host`, `user@host:port`, `[v6]:port` and `qemu+ssh://user@host:port/system`. */
export function parseTarget(input: string): ParsedTarget {
  const text = input.trim();
  if (!text) throw new Error('Enter a host: an ssh config alias, user@host[:port], or qemu+ssh://user@host/system');
  if (/^qemu\+ssh:\/\//i.test(text)) {
    const url = new URL(text.replace(/^qemu\+ssh:/i, 'ssh:'));
    if (!url.hostname) throw new Error(`No host in URI: ${text}`);
    const path = url.pathname && url.pathname !== '/' ? url.pathname : '/system';
    return {
      user: url.username ? decodeURIComponent(url.username) : undefined,
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : undefined,
      libvirtUri: `qemu://${path}`,
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
}

const expandHome = (p: string) => (p.startsWith('~/') ? join(homedir(), p.slice(2)) : p);
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const all = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function loadSshConfig(path: string): SSHConfig {
  try {
    return SSHConfig.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return SSHConfig.parse('');
    throw err;
  }
}

/** Apply ssh config to a parsed target; explicit user/port in the target win, as with `ssh`. */
export function resolveHost(target: ParsedTarget, config: SSHConfig, localUser: string): ResolvedHost {
  const c = config.compute(target.host);
  const identityFiles = all(c.IdentityFile).map(expandHome);
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
    serverAliveIntervalMs: 1000 * Number(first(c.ServerAliveInterval) ?? 5),
    serverAliveCountMax: Number(first(c.ServerAliveCountMax) ?? 3),
  };
}
