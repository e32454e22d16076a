// A libvirt network's XML (`net-dumpxml`) read into what the networks view shows, and the XML of a
// new network built from the create form. Reading goes through a DOM (xmldom), never regexes, so
// attribute order and quoting do not matter.
import { DOMParser, type Element } from '@xmldom/xmldom';
import { attr, child, elements, escapeAttr } from '../domain-xml/xml/xml-doc';
import { prefixOfNetmask } from './ipv4';

/** libvirt's forward modes, plus `isolated` for a network without <forward>. */
export const FORWARD_MODES = ['nat', 'route', 'open', 'bridge', 'private', 'vepa', 'passthrough', 'hostdev', 'isolated'] as const;
export type ForwardMode = (typeof FORWARD_MODES)[number];

export interface DhcpHost {
  mac?: string;
  ip: string;
  name?: string;
}

export interface NetworkIp {
  family: 'ipv4' | 'ipv6';
  address: string;
  prefix: number;
  dhcpRanges: Array<{ start: string; end: string }>;
  dhcpHosts: DhcpHost[];
}

export interface NetworkDef {
  name: string;
  uuid?: string;
  forward: ForwardMode;
  /** The Linux bridge libvirt created (nat/route/isolated/open) or uses (forward mode=bridge). */
  bridge?: string;
  /** <forward dev=…> and its <interface dev=…/> list: the host NIC(s) a route/nat/macvtap network uses. */
  forwardDevs: string[];
  ips: NetworkIp[];
}

function parseDoc(xml: string): Element {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => void (level !== 'warning' && errors.push(msg)) }).parseFromString(xml, 'text/xml');
  const root = doc.documentElement;
  if (errors.length || !root || root.nodeName !== 'network') throw new Error(`not a network XML${errors.length ? `: ${errors[0]}` : ''}`);
  return root as unknown as Element;
}

export function parseNetworkXml(xml: string): NetworkDef {
  const root = parseDoc(xml);
  const forward = child(root, 'forward');
  const mode = forward ? (attr(forward, 'mode') ?? 'nat') : 'isolated';
  const devs = forward ? [attr(forward, 'dev'), ...elements(forward, 'interface').map((i) => attr(i, 'dev'))] : [];
  return {
    name: child(root, 'name')?.textContent ?? '',
    uuid: child(root, 'uuid')?.textContent ?? undefined,
    forward: (FORWARD_MODES as readonly string[]).includes(mode) ? (mode as ForwardMode) : 'nat',
    bridge: attr(child(root, 'bridge'), 'name') ?? undefined,
    forwardDevs: [...new Set(devs.filter((d): d is string => !!d))],
    ips: elements(root, 'ip').map(readIp),
  };
}

function readIp(ip: Element): NetworkIp {
  const family = attr(ip, 'family') === 'ipv6' ? 'ipv6' : 'ipv4';
  const netmask = attr(ip, 'netmask');
  const prefix = Number(attr(ip, 'prefix') ?? (netmask ? prefixOfNetmask(netmask) : family === 'ipv6' ? 64 : 24));
  const dhcp = child(ip, 'dhcp');
  return {
    family,
    address: attr(ip, 'address') ?? '',
    prefix,
    dhcpRanges: dhcp ? elements(dhcp, 'range').map((r) => ({ start: attr(r, 'start') ?? '', end: attr(r, 'end') ?? '' })) : [],
    dhcpHosts: dhcp
      ? elements(dhcp, 'host').map((h) => {
          const host: DhcpHost = { ip: attr(h, 'ip') ?? '' };
          const mac = attr(h, 'mac');
          const name = attr(h, 'name');
          if (mac) host.mac = mac.toLowerCase();
          if (name) host.name = name;
          return host;
        })
      : [],
  };
}

/** What the create form asks for. `kind` picks the shape:
 *  - nat / route: a libvirt bridge with a subnet (route optionally out of one host NIC);
 *  - isolated: a libvirt bridge with a subnet, no forwarding;
 *  - bridge: forward mode=bridge onto an existing host bridge (no addresses: the LAN has them);
 *  - macvtap: forward mode=bridge over a host NIC (macvtap, no host bridge). */
export interface NewNetwork {
  name: string;
  kind: 'nat' | 'route' | 'isolated' | 'bridge' | 'macvtap';
  /** nat/route/isolated: the host's address in the network with its prefix, e.g. 198.51.100.1/24. */
  subnet?: string;
  dhcpStart?: string;
  dhcpEnd?: string;
  /** bridge: the host bridge; macvtap and route: the host NIC. */
  device?: string;
}

const a = (v: string) => escapeAttr(v, "'");
const el = (name: string, attrs: Record<string, string | undefined>, body?: string) => {
  const list = Object.entries(attrs)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}='${a(v!)}'`)
    .join('');
  return body === undefined ? `<${name}${list}/>` : `<${name}${list}>${body}</${name}>`;
};

/** The XML `net-define` gets for a new network. The caller validates first (validate.ts). */
export function buildNetworkXml(n: NewNetwork): string {
  const lines = [`  <name>${a(n.name)}</name>`];
  if (n.kind === 'bridge') {
    lines.push(`  ${el('forward', { mode: 'bridge' })}`, `  ${el('bridge', { name: n.device })}`);
  } else if (n.kind === 'macvtap') {
    lines.push(`  ${el('forward', { mode: 'bridge' }, el('interface', { dev: n.device }))}`);
  } else {
    if (n.kind !== 'isolated') lines.push(`  ${el('forward', { mode: n.kind, dev: n.kind === 'route' ? n.device : undefined })}`);
    const [address, prefix] = (n.subnet ?? '').split('/');
    const dhcp = n.dhcpStart && n.dhcpEnd ? el('dhcp', {}, el('range', { start: n.dhcpStart, end: n.dhcpEnd })) : undefined;
    lines.push(`  ${el('ip', { address, prefix }, dhcp)}`);
  }
  return `<network>\n${lines.join('\n')}\n</network>\n`;
}

/** `<host mac ip name/>` for net-update's ip-dhcp-host section. */
export const dhcpHostXml = (h: DhcpHost) => el('host', { mac: h.mac, name: h.name, ip: h.ip });

/** `<range start end/>` for net-update's ip-dhcp-range section. */
export const dhcpRangeXml = (start: string, end: string) => el('range', { start, end });
