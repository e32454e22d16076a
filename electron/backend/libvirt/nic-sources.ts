// What a VM's NIC can be plugged into on this host, by name and with what each is: the libvirt
// networks (mode, subnet, bridge, state), the Linux bridges (ports, addresses) and, for macvtap,
// the NICs, bonds and VLANs.
import type { NicSourceChoice } from '../../../shared/contract/index.js';
import { parseNetworkXml, type NetworkDef } from '../../../shared/networks/index.js';
import { HOST_LINKS_SCRIPT, parseHostLinks } from './host-links.js';

type Run = (args: readonly string[]) => Promise<string>;

/** A network in a few words: "NAT 198.51.100.1/24, DHCP", "bridge onto br-lan", "macvtap on eno2". */
export function describeNetwork(n: NetworkDef): string {
  const ip = n.ips.filter((i) => i.family === 'ipv4').map((i) => `${i.address}/${i.prefix}${i.dhcpRanges.length ? ', DHCP' : ''}`)[0];
  switch (n.forward) {
    case 'bridge':
      return n.bridge ? `bridge onto ${n.bridge}` : `macvtap on ${n.forwardDevs.join(', ') || '?'}`;
    case 'private':
    case 'vepa':
    case 'passthrough':
      return `macvtap (${n.forward}) on ${n.forwardDevs.join(', ') || '?'}`;
    case 'hostdev':
      return 'SR-IOV passthrough';
    default:
      return `${n.forward === 'nat' ? 'NAT' : n.forward === 'route' ? 'routed' : n.forward}${ip ? ` ${ip}` : ''}${n.bridge ? ` on ${n.bridge}` : ''}`;
  }
}

export async function nicSources(virsh: Run, exec: Run): Promise<NicSourceChoice[]> {
  const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);
  const soft = (p: Promise<string>) => p.catch(() => '');
  const [all, active, links] = await Promise.all([
    soft(virsh(['net-list', '--all', '--name'])).then(lines),
    soft(virsh(['net-list', '--name'])).then(lines),
    soft(exec(['sh', '-c', HOST_LINKS_SCRIPT])).then((out) => parseHostLinks(out, () => undefined)),
  ]);
  const nets = await Promise.all(
    all.map(async (name): Promise<NicSourceChoice> => {
      const xml = await soft(virsh(['net-dumpxml', '--network', name]));
      let what = 'libvirt network';
      try {
        what = describeNetwork(parseNetworkXml(xml));
      } catch {
        // An unreadable definition is still offered by name.
      }
      return { type: 'network', name, what: active.includes(name) ? what : `${what} (inactive: start it first)` };
    }),
  );
  const bridges = links.bridges.map((b): NicSourceChoice => {
    const ports = b.ports.filter((p) => p.kind !== 'tap').map((p) => p.name);
    return { type: 'bridge', name: b.name, what: `Linux bridge${ports.length ? ` on ${ports.join(', ')}` : ', no uplink (internal)'}${b.addresses.length ? `, ${b.addresses.filter((a) => a.includes('.')).join(', ')}` : ''}` };
  });
  const nics = links.links
    .filter((l) => l.kind === 'nic' || l.kind === 'bond' || l.kind === 'vlan' || l.kind === 'veth')
    .filter((l) => !l.master)
    .map((l): NicSourceChoice => ({ type: 'direct', name: l.name, what: `${l.kind === 'nic' ? 'NIC' : l.kind} ${l.state}${l.addresses.length ? `, ${l.addresses[0]}` : ''}` }));
  return [...nets, ...bridges, ...nics];
}
