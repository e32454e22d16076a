// IPv4 arithmetic for subnets and DHCP ranges: addresses as unsigned 32-bit numbers.

export interface Ipv4Net {
  /** The network address (host bits cleared). */
  base: number;
  prefix: number;
}

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The address as a number, or null when it is not a dotted-quad IPv4 address. */
export function parseIpv4(text: string): number | null {
  const m = OCTETS.exec(text.trim());
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1]!.length > 1 && m[i + 1]!.startsWith('0')))) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function netOf(address: number, prefix: number): Ipv4Net {
  return { base: (address & maskOf(prefix)) >>> 0, prefix };
}

/** `a.b.c.d/nn` (or an address and a dotted netmask): the address and its subnet; null if malformed. */
export function parseCidr(text: string): { address: number; net: Ipv4Net } | null {
  const [addr, len, ...rest] = text.trim().split('/');
  if (rest.length || addr === undefined || len === undefined || !/^\d{1,2}$/.test(len)) return null;
  const address = parseIpv4(addr);
  const prefix = Number(len);
  if (address === null || prefix > 32) return null;
  return { address, net: netOf(address, prefix) };
}

/** A dotted netmask (255.255.255.0) as a prefix length; null when its ones are not contiguous. */
export function prefixOfNetmask(mask: string): number | null {
  const n = parseIpv4(mask);
  if (n === null) return null;
  const prefix = 32 - Math.log2(((~n >>> 0) + 1) >>> 0 || 2 ** 32);
  return Number.isInteger(prefix) && maskOf(prefix) === n ? prefix : null;
}

export const lastOf = (net: Ipv4Net) => (net.base + 2 ** (32 - net.prefix) - 1) >>> 0;

export const contains = (net: Ipv4Net, address: number) => netOf(address, net.prefix).base === net.base;

export const overlaps = (a: Ipv4Net, b: Ipv4Net) => a.base <= lastOf(b) && b.base <= lastOf(a);

export const formatNet = (net: Ipv4Net) => `${formatIpv4(net.base)}/${net.prefix}`;
