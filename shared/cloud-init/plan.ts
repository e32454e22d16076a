// Many VMs at once: the names from a pattern, spread round robin over the chosen hosts, each with
// a hostname of its own; every name and hostname checked against every connected host's VMs.
import { expandNamePattern, type NamePattern } from '../clone/names';
import { hostnameFromVmName, hostnameProblem } from './names';

export interface DeployPlanEntry {
  name: string;
  hostId: string;
  hostname: string;
}

/** `taken`: every VM name on every connected host. Throws (CloneInputError or Error) with why. */
export function expandDeployNames(p: NamePattern & { hosts: readonly string[]; hostnamePattern?: string }, taken: readonly string[]): DeployPlanEntry[] {
  if (p.hosts.length === 0) throw new Error('Pick at least one host');
  const names = expandNamePattern(p);
  const clash = names.filter((n) => taken.includes(n));
  if (clash.length) throw new Error(`Already taken on a connected host: ${clash.map((n) => `"${n}"`).join(', ')}`);
  const entries = names.map((name, i) => {
    const hostname = p.hostnamePattern ? p.hostnamePattern.replaceAll('{n}', String((p.first ?? 1) + i).padStart(p.pad ?? 0, '0')).replaceAll('{name}', name) : hostnameFromVmName(name);
    const bad = hostnameProblem(hostname);
    if (bad) throw new Error(`${name}: ${bad}`);
    return { name, hostId: p.hosts[i % p.hosts.length]!, hostname };
  });
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.hostname.toLowerCase())) throw new Error(`Two VMs would get the hostname "${e.hostname}": put {n} in the hostname pattern`);
    seen.add(e.hostname.toLowerCase());
  }
  return entries;
}
