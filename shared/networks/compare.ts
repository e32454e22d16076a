// Which networks and bridges VMs point to but a host lacks: on the VM's own host (it would not
// start) and across hosts ("hv3 lacks br-wan that VMs on hv1 use", before moving VMs there).

/** A VM NIC's connection, as the domain's persistent XML names it. */
export interface NicUse {
  vm: string;
  /** Position among the domain's interfaces. */
  index: number;
  type: 'network' | 'bridge';
  source: string;
}

/** What one host has and what its VMs use. */
export interface HostNetSummary {
  hostId: string;
  label: string;
  networks: string[];
  bridges: string[];
  uses: NicUse[];
}

export interface MissingOnHost {
  vm: string;
  index: number;
  type: 'network' | 'bridge';
  source: string;
  message: string;
}

const what = (t: 'network' | 'bridge') => (t === 'network' ? 'network' : 'bridge');

function has(h: Pick<HostNetSummary, 'networks' | 'bridges'>, type: 'network' | 'bridge', name: string): boolean {
  return (type === 'network' ? h.networks : h.bridges).includes(name);
}

/** NICs whose network or bridge is not on their own host. */
export function missingOnHost(h: Pick<HostNetSummary, 'networks' | 'bridges' | 'uses'>, hostLabel: string): MissingOnHost[] {
  return h.uses
    .filter((u) => !has(h, u.type, u.source))
    .map((u) => ({ ...u, message: `${u.vm}'s NIC ${u.index + 1} uses ${what(u.type)} ${u.source}, which ${hostLabel} does not have: the VM would not start.` }));
}

export interface HostGap {
  /** The host that lacks it. */
  hostId: string;
  label: string;
  type: 'network' | 'bridge';
  name: string;
  /** Hosts (labels) whose VMs use it, with those VMs. */
  usedOn: Array<{ label: string; vms: string[] }>;
  message: string;
}

/** For every host: the networks and bridges VMs on other hosts use that it lacks. */
export function compareHosts(hosts: readonly HostNetSummary[]): HostGap[] {
  const gaps: HostGap[] = [];
  const used = new Map<string, { type: 'network' | 'bridge'; name: string; on: Map<string, Set<string>> }>();
  for (const h of hosts) {
    for (const u of h.uses) {
      if (!has(h, u.type, u.source)) continue; // broken on its own host: missingOnHost says so
      const key = `${u.type}\0${u.source}`;
      const entry = used.get(key) ?? { type: u.type, name: u.source, on: new Map() };
      used.set(key, entry);
      const vms = entry.on.get(h.label) ?? new Set<string>();
      vms.add(u.vm);
      entry.on.set(h.label, vms);
    }
  }
  for (const h of hosts) {
    for (const { type, name, on } of used.values()) {
      if (has(h, type, name)) continue;
      const usedOn = [...on].filter(([label]) => label !== h.label).map(([label, vms]) => ({ label, vms: [...vms].sort() }));
      if (!usedOn.length) continue;
      const where = usedOn.map((u) => `${u.label} (${u.vms.join(', ')})`).join(', ');
      gaps.push({ hostId: h.hostId, label: h.label, type, name, usedOn, message: `${h.label} lacks ${what(type)} ${name} that VMs on ${where} use.` });
    }
  }
  return gaps.sort((a, b) => a.label.localeCompare(b.label) || a.name.localeCompare(b.name));
}
