// One host's libvirt networks as the networks view shows them: each network's XML (net-dumpxml),
// its state from `net-list --name` filters (names only: no table, nothing translated), its DHCP
// leases, and which VM NIC points where (the domains' XML), joined with the host's bridges.
import { DOMParser } from '@xmldom/xmldom';
import type { HostNetworks, NetworkInfo, NetworkLease, VmNic } from '../../../shared/contract/index.js';
import { readDomain } from '../../../shared/domain-xml/index.js';
import { missingOnHost, parseNetworkXml } from '../../../shared/networks/index.js';
import type { CommandSession } from '../exec/session.js';
import { readHostLinks } from './host-links.js';
import type { Virsh } from './virsh.js';

const names = (out: string) => out.split('\n').map((l) => l.trim()).filter(Boolean);

/** `virsh net-dhcp-leases NAME` (run under LC_ALL=C): Expiry Time, MAC, Protocol, IP/prefix,
 *  Hostname ('-' for none), Client ID. Lines that are not a lease (header, rule) are skipped. */
export function parseLeases(out: string): NetworkLease[] {
  const leases: NetworkLease[] = [];
  const line = /^\s*(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\s+([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})\s+(ipv4|ipv6)\s+(\S+?)(?:\/\d+)?\s+(\S+)(?:\s+\S+)?\s*$/;
  for (const l of out.split('\n')) {
    const m = line.exec(l);
    if (!m) continue;
    const lease: NetworkLease = { expires: m[1]!, mac: m[2]!.toLowerCase(), ip: m[4]! };
    if (m[5] !== '-') lease.hostname = m[5]!;
    leases.push(lease);
  }
  return leases;
}

/** The running domain's NICs: MAC -> host-side tap (`<target dev>`), from its live XML. */
export function liveTaps(xml: string): Array<{ mac?: string; tap?: string }> {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const out: Array<{ mac?: string; tap?: string }> = [];
  const ifaces = doc.getElementsByTagName('interface');
  for (let i = 0; i < ifaces.length; i++) {
    const el = ifaces.item(i)!;
    if (el.parentNode?.nodeName !== 'devices') continue;
    const mac = el.getElementsByTagName('mac').item(0)?.getAttribute('address')?.toLowerCase() ?? undefined;
    const tap = el.getElementsByTagName('target').item(0)?.getAttribute('dev') ?? undefined;
    out.push({ mac, tap });
  }
  return out;
}

/** Every VM's NICs: what the persistent config points to, and the running VM's taps. */
export async function readVmNics(virsh: Virsh): Promise<VmNic[]> {
  const [all, running] = await Promise.all([virsh.run(['list', '--all', '--name']), virsh.run(['list', '--state-running', '--name'])]);
  const up = new Set(names(running));
  const per = await Promise.all(
    names(all).map(async (vm) => {
      const [persistent, live] = await Promise.all([
        virsh.run(['dumpxml', '--inactive', '--domain', vm]).catch(() => ''),
        up.has(vm) ? virsh.run(['dumpxml', '--domain', vm]).catch(() => '') : Promise.resolve(''),
      ]);
      if (!persistent) return [];
      const taps = live ? liveTaps(live) : [];
      // A running VM whose NIC moved live: its live source is the truth for taps and leases.
      const liveView = live ? readDomain(live) : null;
      return readDomain(persistent).interfaces.map((n): VmNic => {
        const nic: VmNic = { vm, running: up.has(vm), index: n.index, type: n.type ?? '', source: n.source ?? '' };
        const mac = n.mac?.toLowerCase();
        if (mac) nic.mac = mac;
        const tap = taps.find((t) => t.mac === mac)?.tap;
        if (tap) nic.tap = tap;
        const l = liveView?.interfaces.find((x) => x.mac?.toLowerCase() === mac);
        if (l && (l.type !== n.type || l.source !== n.source)) {
          nic.liveType = l.type ?? '';
          nic.liveSource = l.source ?? '';
        }
        return nic;
      });
    }),
  );
  return per.flat();
}

export async function readNetworks(virsh: Virsh, nics: VmNic[]): Promise<NetworkInfo[]> {
  const [all, active, autostart, persistent] = await Promise.all(
    // No flag lists the active ones (net-list has no --active).
    [['--all'], [], ['--all', '--autostart'], ['--all', '--persistent']].map((f) => virsh.run(['net-list', ...f, '--name']).then(names)),
  );
  const isActive = new Set(active);
  const byMac = new Map(nics.filter((n) => n.mac).map((n) => [n.mac!, n.vm]));
  return Promise.all(
    all!.map(async (name): Promise<NetworkInfo> => {
      const def = parseNetworkXml(await virsh.run(['net-dumpxml', '--network', name]));
      const hasDhcp = def.ips.some((i) => i.dhcpRanges.length || i.dhcpHosts.length);
      const leases = isActive.has(name) && hasDhcp ? parseLeases(await virsh.run(['net-dhcp-leases', '--network', name]).catch(() => '')) : [];
      for (const l of leases) {
        const vm = byMac.get(l.mac);
        if (vm) l.vm = vm;
      }
      const users = new Map<string, boolean>();
      for (const n of nics) if (usesNetwork(n, name)) users.set(n.vm, n.running);
      return {
        ...def,
        name,
        active: isActive.has(name),
        autostart: autostart!.includes(name),
        persistent: persistent!.includes(name),
        leases,
        usedBy: [...users].map(([vm, running]) => ({ vm, running })),
      };
    }),
  );
}

/** Whether the NIC points to network `name`, in its next-boot config or (running) live. */
export function usesNetwork(n: VmNic, name: string): boolean {
  return (n.type === 'network' && n.source === name) || (n.running && n.liveType === 'network' && n.liveSource === name);
}

export async function readHostNetworks(virsh: Virsh, session: CommandSession, hostLabel: string): Promise<HostNetworks> {
  const nics = await readVmNics(virsh);
  const tapVm = new Map(nics.filter((n) => n.tap).map((n) => [n.tap!, n.vm]));
  const [networks, { links, bridges }] = await Promise.all([readNetworks(virsh, nics), readHostLinks(session, (t) => tapVm.get(t))]);
  for (const b of bridges) {
    const net = networks.find((n) => n.bridge === b.name && n.active && n.forward !== 'bridge');
    if (net) b.network = net.name;
  }
  const uses = nics.flatMap((n) => (n.type === 'network' || n.type === 'bridge' ? [{ vm: n.vm, index: n.index, type: n.type as 'network' | 'bridge', source: n.source }] : []));
  const missing = missingOnHost({ networks: networks.map((n) => n.name), bridges: bridges.map((b) => b.name), uses }, hostLabel);
  return { networks, bridges, links, nics, missing };
}
