// Checks a new network or DHCP change against the host it goes to, before anything is defined:
// each problem is a sentence naming the field, the value and what clashes with it.
import { contains, formatNet, lastOf, overlaps, parseCidr, parseIpv4, type Ipv4Net } from './ipv4';
import type { DhcpHost, NetworkDef, NewNetwork } from './network-xml';

/** What the checks need of the host: its networks, addresses and interfaces. */
export interface HostNetContext {
  networks: NetworkDef[];
  /** Every IPv4 address on the host's interfaces, with its prefix. */
  addresses: Array<{ ifname: string; address: string; prefix: number }>;
  /** Linux bridges on the host. */
  bridges: string[];
  /** Every interface name on the host (NICs, bonds, VLANs, bridges). */
  links: string[];
}

/** libvirt's own limits for a network name, plus what a Linux interface name allows for bridges. */
const NAME = /^[^/\p{Cc}]{1,64}$/u;
const IFNAME = /^[A-Za-z0-9_.:-]{1,15}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

export const isMac = (mac: string) => MAC.test(mac.trim());

function ipv4Nets(n: NetworkDef): Array<{ net: Ipv4Net; text: string }> {
  return n.ips.flatMap((ip) => {
    const c = ip.family === 'ipv4' ? parseCidr(`${ip.address}/${ip.prefix}`) : null;
    return c ? [{ net: c.net, text: formatNet(c.net) }] : [];
  });
}

/** Problems with `n` on this host; empty when it can be defined. */
export function validateNewNetwork(n: NewNetwork, host: HostNetContext): string[] {
  const problems: string[] = [];
  const name = n.name.trim();
  if (!name) problems.push('The network needs a name.');
  else if (!NAME.test(name)) problems.push(`The name "${n.name}" cannot hold a slash or control characters, and has at most 64 characters.`);
  else if (host.networks.some((x) => x.name === name)) problems.push(`A network named "${name}" already exists on this host.`);

  if (n.kind === 'bridge') {
    if (!n.device) problems.push('Choose the host bridge the network puts VMs on.');
    else if (!host.bridges.includes(n.device)) problems.push(`The host has no bridge "${n.device}".`);
    return problems;
  }
  if (n.kind === 'macvtap') {
    if (!n.device) problems.push('Choose the host NIC macvtap attaches VMs to.');
    else if (!host.links.includes(n.device)) problems.push(`The host has no interface "${n.device}".`);
    else if (host.bridges.includes(n.device)) problems.push(`"${n.device}" is a bridge: use a bridge-backed network for it, macvtap needs a NIC.`);
    return problems;
  }
  if (n.kind === 'route' && n.device && (!IFNAME.test(n.device) || !host.links.includes(n.device))) problems.push(`The host has no interface "${n.device}" to route through.`);

  const cidr = parseCidr(n.subnet ?? '');
  if (!cidr) {
    problems.push(`The subnet "${n.subnet ?? ''}" is not an IPv4 address with a prefix, such as 198.51.100.1/24.`);
    return problems;
  }
  const { address, net } = cidr;
  if (net.prefix < 8 || net.prefix > 30) problems.push(`A /${net.prefix} subnet is not usable here: choose a prefix from /8 to /30.`);
  else if (address === net.base || address === lastOf(net)) problems.push(`${n.subnet} is the subnet's network or broadcast address: give the host's own address in it, such as ${formatNet(net).replace(/\.0\//, '.1/')}.`);
  for (const other of host.networks) {
    for (const o of ipv4Nets(other)) if (overlaps(net, o.net)) problems.push(`The subnet ${formatNet(net)} overlaps network "${other.name}" (${o.text}).`);
  }
  for (const h of host.addresses) {
    const c = parseCidr(`${h.address}/${h.prefix}`);
    // A libvirt network's own bridge address is reported above, under the network's name.
    if (c && overlaps(net, c.net) && !host.networks.some((x) => x.bridge === h.ifname)) {
      problems.push(`The subnet ${formatNet(net)} overlaps the host's address ${h.address}/${h.prefix} on ${h.ifname}.`);
    }
  }
  problems.push(...checkDhcpRange(n.dhcpStart, n.dhcpEnd, net, address));
  return problems;
}

/** A DHCP range: both ends or neither, inside the subnet, start ≤ end, not the host's own address. */
export function checkDhcpRange(start: string | undefined, end: string | undefined, net: Ipv4Net, hostAddress?: number): string[] {
  const s = start?.trim() ?? '';
  const e = end?.trim() ?? '';
  if (!s && !e) return [];
  if (!s || !e) return ['A DHCP range needs both a first and a last address.'];
  const problems: string[] = [];
  const a = parseIpv4(s);
  const b = parseIpv4(e);
  if (a === null) problems.push(`The DHCP range start "${s}" is not an IPv4 address.`);
  if (b === null) problems.push(`The DHCP range end "${e}" is not an IPv4 address.`);
  if (a === null || b === null) return problems;
  const usable = (x: number) => contains(net, x) && x !== net.base && x !== lastOf(net);
  if (!usable(a) || !usable(b)) problems.push(`The DHCP range ${s}–${e} lies outside the subnet ${formatNet(net)} (or takes its network or broadcast address).`);
  else if (a > b) problems.push(`The DHCP range starts (${s}) after it ends (${e}).`);
  else if (hostAddress !== undefined && hostAddress >= a && hostAddress <= b) problems.push(`The DHCP range ${s}–${e} holds the host's own address in the network.`);
  return problems;
}

/** The IPv4 subnet a network's DHCP lives in (its first IPv4 <ip>). */
export function dhcpSubnet(n: NetworkDef): { net: Ipv4Net; address: number } | null {
  const ip = n.ips.find((i) => i.family === 'ipv4');
  const c = ip ? parseCidr(`${ip.address}/${ip.prefix}`) : null;
  return c ? { net: c.net, address: c.address } : null;
}

/** A static DHCP host entry for network `n`: a MAC, an address in its subnet, no clash with another entry. */
export function validateDhcpHost(h: DhcpHost, n: NetworkDef): string[] {
  const problems: string[] = [];
  const sub = dhcpSubnet(n);
  if (!sub) return [`Network "${n.name}" has no IPv4 subnet to hand out addresses in.`];
  const mac = h.mac?.trim() ?? '';
  if (!isMac(mac)) problems.push(`"${mac}" is not a MAC address (six hex pairs like 52:54:00:12:34:56).`);
  const ip = parseIpv4(h.ip);
  if (ip === null) problems.push(`"${h.ip}" is not an IPv4 address.`);
  else if (!contains(sub.net, ip) || ip === sub.net.base || ip === lastOf(sub.net) || ip === sub.address) {
    problems.push(`${h.ip} is not a free host address in ${formatNet(sub.net)}.`);
  }
  if (h.name !== undefined && h.name !== '' && !/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/.test(h.name)) problems.push(`"${h.name}" is not a host name (letters, digits, dots and dashes).`);
  const hosts = n.ips.flatMap((i) => i.dhcpHosts);
  const lower = mac.toLowerCase();
  for (const other of hosts) {
    if (other.mac === lower) problems.push(`${mac} already has an entry (${other.ip}).`);
    else if (other.ip === h.ip.trim()) problems.push(`${h.ip} is already given to ${other.mac ?? other.name ?? 'another host'}.`);
  }
  return problems;
}

/** A new DHCP range for an existing network. */
export function validateDhcpRange(n: NetworkDef, start: string, end: string): string[] {
  const sub = dhcpSubnet(n);
  if (!sub) return [`Network "${n.name}" has no IPv4 subnet to hand out addresses in.`];
  if (!start.trim() || !end.trim()) return ['A DHCP range needs both a first and a last address.'];
  return checkDhcpRange(start, end, sub.net, sub.address);
}
