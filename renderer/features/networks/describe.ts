// Words for what the networks view shows.
import type { HostLink, NetworkInfo } from '../../../shared/contract';

export function forwardLabel(n: NetworkInfo): string {
  switch (n.forward) {
    case 'nat':
      return 'NAT';
    case 'route':
      return 'routed';
    case 'bridge':
      return n.bridge ? 'host bridge' : 'macvtap';
    case 'private':
    case 'vepa':
    case 'passthrough':
      return `macvtap (${n.forward})`;
    default:
      return n.forward;
  }
}

export const addressesOf = (n: NetworkInfo) => n.ips.map((i) => `${i.address}/${i.prefix}`).join(', ');

export const dhcpOf = (n: NetworkInfo) =>
  n.ips
    .flatMap((i) => i.dhcpRanges.map((r) => `${r.start} – ${r.end}`))
    .join(', ');

export function portLabel(p: HostLink): string {
  if (p.kind === 'tap') return p.vm ? `${p.name} (${p.vm})` : `${p.name} (tap)`;
  const kind = p.kind === 'nic' ? 'NIC' : p.kind === 'other' ? '' : p.kind;
  return kind ? `${p.name} (${kind})` : p.name;
}
