// The host's Linux interfaces and bridges, read from iproute2's JSON (`ip -j -d link`, `ip -j addr`,
// `bridge -j link`): locale-free and the same on every distribution with iproute2 ≥ 4.13.
import type { HostBridge, HostLink, PortKind } from '../../../shared/contract/index.js';
import type { CommandSession } from '../exec/session.js';

/** Fixed text, no user input: each JSON document after an `@name` line. `ip` and `bridge` may sit
 *  in /usr/sbin or /sbin, outside a non-root user's PATH. */
export const HOST_LINKS_SCRIPT = [
  'PATH=$PATH:/usr/sbin:/sbin',
  'echo @link; ip -j -d link show 2>/dev/null || echo []',
  'echo @addr; ip -j addr show 2>/dev/null || echo []',
  'echo @bridge; bridge -j link show 2>/dev/null || echo []',
  'echo @end',
].join('\n');

interface IpLink {
  ifname: string;
  mtu?: number;
  operstate?: string;
  address?: string;
  master?: string;
  link_type?: string;
  linkinfo?: { info_kind?: string; info_slave_kind?: string; info_data?: { stp_state?: number; mode?: string } };
}

interface IpAddr {
  ifname: string;
  addr_info?: Array<{ family?: string; local?: string; prefixlen?: number }>;
}

function sectionJson<T>(out: string, name: string): T[] {
  const m = new RegExp(`^@${name}\\n([\\s\\S]*?)^@`, 'm').exec(out);
  if (!m) return [];
  try {
    const v: unknown = JSON.parse(m[1]!.trim() || '[]');
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

/** What kind of port an interface is: its link kind, else a physical NIC when it has none. */
export function linkKind(l: IpLink): PortKind {
  const kind = l.linkinfo?.info_kind;
  if (kind === 'bridge') return 'bridge';
  if (kind === 'bond') return 'bond';
  if (kind === 'vlan') return 'vlan';
  if (kind === 'tun' || kind === 'tap' || kind === 'macvtap') return 'tap';
  if (kind === 'veth') return 'veth';
  if (!kind && l.link_type === 'ether') return 'nic';
  return 'other';
}

/** Interfaces and bridges from the script's output; `tapOwner` names the VM behind a tap. */
export function parseHostLinks(out: string, tapOwner: (ifname: string) => string | undefined): { links: HostLink[]; bridges: HostBridge[] } {
  const ipLinks = sectionJson<IpLink>(out, 'link');
  const addrs = new Map<string, string[]>();
  for (const a of sectionJson<IpAddr>(out, 'addr')) {
    addrs.set(a.ifname, (a.addr_info ?? []).filter((i) => i.local && i.family !== undefined).map((i) => `${i.local}/${i.prefixlen}`));
  }
  // `bridge link` names each port's bridge even where `ip link` leaves out master (older iproute2).
  const masterOf = new Map<string, string>();
  for (const b of sectionJson<{ ifname: string; master?: string }>(out, 'bridge')) if (b.master) masterOf.set(b.ifname, b.master);
  const links: HostLink[] = ipLinks
    .filter((l) => l.ifname && l.ifname !== 'lo')
    .map((l) => {
      const link: HostLink = { name: l.ifname, kind: linkKind(l), state: (l.operstate ?? 'UNKNOWN').toLowerCase(), addresses: addrs.get(l.ifname) ?? [] };
      if (l.mtu) link.mtu = l.mtu;
      if (l.address) link.mac = l.address;
      const master = l.master ?? masterOf.get(l.ifname);
      if (master) link.master = master;
      const vm = link.kind === 'tap' ? tapOwner(l.ifname) : undefined;
      if (vm) link.vm = vm;
      return link;
    });
  const bridges: HostBridge[] = ipLinks
    .filter((l) => linkKind(l) === 'bridge')
    .map((l) => {
      const stp = l.linkinfo?.info_data?.stp_state;
      const bridge: HostBridge = {
        name: l.ifname,
        state: (l.operstate ?? 'UNKNOWN').toLowerCase(),
        stp: stp === undefined ? null : stp !== 0,
        addresses: addrs.get(l.ifname) ?? [],
        ports: links.filter((p) => p.master === l.ifname),
      };
      if (l.mtu) bridge.mtu = l.mtu;
      return bridge;
    });
  return { links, bridges };
}

export async function readHostLinks(session: CommandSession, tapOwner: (ifname: string) => string | undefined) {
  const r = await session.exec(['sh', '-c', HOST_LINKS_SCRIPT]);
  return parseHostLinks(r.stdout, tapOwner);
}
