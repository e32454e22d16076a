// Changes to a host's libvirt networks: define (XML on stdin, after shared/networks' checks
// against the host as it is now), start/stop/autostart/delete, and DHCP changes through
// `net-update` (live and config, so a running network's dnsmasq follows without a restart).
import type { DhcpHost, HostNetworks, NetworkAction, NewNetwork } from '../../../shared/contract/index.js';
import { buildNetworkXml, dhcpHostXml, dhcpRangeXml, validateDhcpHost, validateDhcpRange, validateNewNetwork } from '../../../shared/networks/index.js';
import { UserError } from '../errors.js';
import { usesNetwork } from './networks.js';
import type { Virsh } from './virsh.js';

function refuse(problems: string[]): void {
  if (problems.length) throw new UserError('invalid-input', problems.join(' '));
}

/** The addresses on the host's interfaces, as the subnet check needs them. */
export function hostAddresses(state: HostNetworks) {
  return state.links.flatMap((l) =>
    l.addresses.flatMap((a) => {
      const [address, prefix] = a.split('/');
      return address && address.includes('.') ? [{ ifname: l.name, address, prefix: Number(prefix) }] : [];
    }),
  );
}

export async function createNetwork(virsh: Virsh, state: HostNetworks, n: NewNetwork, opts: { start?: boolean; autostart?: boolean }) {
  const network: NewNetwork = { ...n, name: n.name.trim(), subnet: n.subnet?.trim(), dhcpStart: n.dhcpStart?.trim(), dhcpEnd: n.dhcpEnd?.trim(), device: n.device?.trim() };
  refuse(
    validateNewNetwork(network, {
      networks: state.networks,
      addresses: hostAddresses(state),
      bridges: state.bridges.map((b) => b.name),
      links: state.links.map((l) => l.name),
    }),
  );
  const xml = buildNetworkXml(network);
  await virsh.run(['net-define', '--file', '/dev/stdin', '--validate'], { stdin: xml });
  try {
    if (opts.autostart) await virsh.run(['net-autostart', '--network', network.name]);
    if (opts.start) await virsh.run(['net-start', '--network', network.name]);
  } catch (err) {
    // Defined but not started (e.g. dnsmasq missing): say so; the network stays for the user to fix.
    throw new UserError('libvirt', `Network ${network.name} was defined, but: ${(err as Error).message}`);
  }
  return { name: network.name, xml };
}

function network(state: HostNetworks, name: string) {
  const n = state.networks.find((x) => x.name === name);
  if (!n) throw new UserError('not-found', `No network named "${name}" on this host`);
  return n;
}

export async function networkAction(virsh: Virsh, state: HostNetworks, name: string, action: NetworkAction): Promise<void> {
  const n = network(state, name);
  if (action === 'stop' || action === 'delete') {
    const running = [...new Set(state.nics.filter((x) => x.running && usesNetwork(x, name)).map((x) => x.vm))].sort();
    if (running.length && n.active) {
      throw new UserError('invalid-input', `Network ${name} is in use by running VM${running.length > 1 ? 's' : ''} ${running.join(', ')}: shut ${running.length > 1 ? 'them' : 'it'} down or move ${running.length > 1 ? 'their' : 'its'} NICs first.`);
    }
  }
  switch (action) {
    case 'start':
      await virsh.run(['net-start', '--network', name]);
      return;
    case 'stop':
      await virsh.run(['net-destroy', '--network', name]);
      return;
    case 'autostart-on':
    case 'autostart-off':
      await virsh.run(['net-autostart', '--network', name, ...(action === 'autostart-off' ? ['--disable'] : [])]);
      return;
    case 'delete':
      if (n.active) await virsh.run(['net-destroy', '--network', name]);
      if (n.persistent) await virsh.run(['net-undefine', '--network', name]);
  }
}

/** net-update's scope: the running network and the saved config, whichever exist. */
const scope = (n: { active: boolean; persistent: boolean }) => [...(n.active ? ['--live'] : []), ...(n.persistent ? ['--config'] : [])];

const update = (virsh: Virsh, name: string, command: 'add' | 'delete', section: string, n: { active: boolean; persistent: boolean }, xml: string) =>
  virsh.run(['net-update', '--network', name, '--command', command, '--section', section, '--xml', '/dev/stdin', ...scope(n)], { stdin: xml });

export async function setDhcpRange(virsh: Virsh, state: HostNetworks, name: string, start: string, end: string): Promise<void> {
  const n = network(state, name);
  refuse(validateDhcpRange(n, start, end));
  const ip = n.ips.find((i) => i.family === 'ipv4')!;
  const [old] = ip.dhcpRanges;
  if (old?.start === start.trim() && old.end === end.trim()) return;
  // Add first: a network left with no range (the add refused) would stop handing out addresses.
  await update(virsh, name, 'add', 'ip-dhcp-range', n, dhcpRangeXml(start.trim(), end.trim()));
  if (old) await update(virsh, name, 'delete', 'ip-dhcp-range', n, dhcpRangeXml(old.start, old.end));
}

export async function changeDhcpHost(virsh: Virsh, state: HostNetworks, name: string, op: 'add' | 'remove', host: DhcpHost): Promise<void> {
  const n = network(state, name);
  const h: DhcpHost = { ip: host.ip.trim(), mac: host.mac?.trim().toLowerCase(), ...(host.name?.trim() ? { name: host.name.trim() } : {}) };
  if (op === 'add') {
    refuse(validateDhcpHost(h, n));
    await update(virsh, name, 'add', 'ip-dhcp-host', n, dhcpHostXml(h));
    return;
  }
  const existing = n.ips.flatMap((i) => i.dhcpHosts).find((x) => x.mac === h.mac || (!h.mac && x.ip === h.ip));
  if (!existing) throw new UserError('not-found', `Network ${name} has no DHCP entry for ${h.mac ?? h.ip}`);
  await update(virsh, name, 'delete', 'ip-dhcp-host', n, dhcpHostXml(existing));
}
