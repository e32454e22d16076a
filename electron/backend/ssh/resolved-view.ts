// The resolved SSH settings of one target, for a person to read: what the dial will use and
// which config lines decided it.
import type { ResolvedSsh } from '../../../shared/contract/index.js';
import { describeCertificates } from './certificates.js';
import { hostKeyPlan } from './dial.js';
import type { SshConfigSource } from './openssh/source.js';
import { resolveHost, type ParsedTarget } from './target.js';

const SETTING_NAMES: Record<string, string> = {
  hostname: 'HostName',
  port: 'Port',
  user: 'User',
  identityfile: 'IdentityFile',
  identitiesonly: 'IdentitiesOnly',
  userknownhostsfile: 'UserKnownHostsFile',
  globalknownhostsfile: 'GlobalKnownHostsFile',
  proxyjump: 'ProxyJump',
  proxycommand: 'ProxyCommand',
  hostkeyalias: 'HostKeyAlias',
  hostkeyalgorithms: 'HostKeyAlgorithms',
  hashknownhosts: 'HashKnownHosts',
  serveraliveinterval: 'ServerAliveInterval',
  serveralivecountmax: 'ServerAliveCountMax',
  stricthostkeychecking: 'StrictHostKeyChecking',
  connecttimeout: 'ConnectTimeout',
};

/** Where a line stands: its file's place in the reading order, then its line number (the first
 *  line of an accumulated setting's list). */
function placeOf(origin: string, files: string[]): [number, number] {
  const m = /^(.*):(\d+)(?:,|$)/.exec(origin);
  return m ? [files.indexOf(m[1]!), Number(m[2])] : [-1, 0];
}

export function describeResolved(target: ParsedTarget, source: SshConfigSource): ResolvedSsh {
  const settings = source.settings({ host: target.host, user: target.user, port: target.port });
  const base: ResolvedSsh = {
    local: false,
    address: settings.hostName,
    port: settings.port,
    user: settings.user,
    hops: [],
    identityFiles: settings.identityFilesExpanded,
    identitiesOnly: settings.identitiesOnly,
    certificates: describeCertificates(settings.identityFilesExpanded, settings.certificateFilesExpanded),
    knownHostsFiles: settings.userKnownHostsFiles,
    globalKnownHostsFiles: settings.globalKnownHostsFiles,
    hostKeyName: '',
    hostKeyAlgorithms: settings.hostKeyAlgorithms,
    decidedBy: Object.entries(settings.origins)
      .filter(([, origin]) => origin)
      .map(([k, origin]) => ({ setting: SETTING_NAMES[k] ?? k, origin }))
      .sort((a, b) => {
        const [fa, la] = placeOf(a.origin, settings.files);
        const [fb, lb] = placeOf(b.origin, settings.files);
        return fa - fb || la - lb;
      }),
    files: settings.files,
    warnings: settings.warnings,
  };
  try {
    const host = resolveHost(target, source.sources, source.env);
    const plan = hostKeyPlan(host);
    return {
      ...base,
      hops: host.jumps.map((j) => ({ name: j.alias, address: j.hostName, port: j.port, user: j.user })),
      ...(host.jumps[0]?.proxyCommand ?? host.proxyCommand ? { proxyCommand: host.jumps[0]?.proxyCommand ?? host.proxyCommand } : {}),
      hostKeyName: plan.names[0]!,
      hostKeyAlgorithms: plan.algorithms,
    };
  } catch (err) {
    return { ...base, problem: (err as Error).message };
  }
}
