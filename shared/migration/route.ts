// Which address of the destination the source can reach it by: one on a subnet both hosts have
// an address on (the migration network). Hosts with no common subnet get no live migration;
// VirtDeck carries the bytes itself then (the cold move).
import { contains, parseCidr, parseIpv4 } from '../networks/ipv4';
import type { HostAddress } from './types';

const LOOPBACK = parseCidr('127.0.0.0/8')!.net;
const LINK_LOCAL = parseCidr('169.254.0.0/16')!.net;

export function migrationAddress(source: readonly HostAddress[], dest: readonly HostAddress[]): string | null {
  const usable = (a: HostAddress) => {
    const c = parseCidr(a.cidr);
    // A /32 is a point-to-point address (the lab's management veths): no subnet to share.
    return c && c.net.prefix < 32 && !contains(LOOPBACK, c.address) && !contains(LINK_LOCAL, c.address) ? c : null;
  };
  const src = source.map(usable).filter((c) => c !== null);
  for (const d of dest) {
    const c = usable(d);
    if (!c) continue;
    if (src.some((s) => s.net.prefix === c.net.prefix && s.net.base === c.net.base && s.address !== c.address)) {
      return d.cidr.split('/')[0]!;
    }
  }
  return null;
}

/** An address VirtDeck may put into a command: a plain dotted quad. */
export function isIpv4(text: string): boolean {
  return parseIpv4(text) !== null;
}
