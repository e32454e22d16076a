import { describe, expect, it } from 'vitest';
import { compareHosts, missingOnHost } from './compare';
import { formatIpv4, overlaps, parseCidr, parseIpv4, prefixOfNetmask } from './ipv4';
import { buildNetworkXml, dhcpHostXml, parseNetworkXml } from './network-xml';
import { validateDhcpHost, validateDhcpRange, validateNewNetwork, type HostNetContext } from './validate';

const DEFAULT_NET = `<network>
  <name>default</name>
  <uuid>9a05da11-e96b-47f3-8253-a3a482e445f5</uuid>
  <forward mode='nat'><nat><port start='1024' end='65535'/></nat></forward>
  <bridge name='virbr0' stp='on' delay='0'/>
  <mac address='52:54:00:0a:cd:21'/>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.122.2' end='192.168.122.254'/>
      <host mac='52:54:00:AA:00:01' name='web' ip='192.168.122.10'/>
    </dhcp>
  </ip>
  <ip family='ipv6' address='fd00::1' prefix='64'/>
</network>`;

const host = (over: Partial<HostNetContext> = {}): HostNetContext => ({
  networks: [parseNetworkXml(DEFAULT_NET)],
  addresses: [{ ifname: 'eth0', address: '192.0.2.12', prefix: 24 }],
  bridges: ['br-lan', 'virbr0'],
  links: ['eth0', 'br-lan', 'virbr0', 'eno2'],
  ...over,
});

describe('IPv4 arithmetic', () => {
  it('parses addresses and subnets, refusing what is not one', () => {
    expect(formatIpv4(parseIpv4('198.51.100.7')!)).toBe('198.51.100.7');
    for (const bad of ['256.1.1.1', '1.2.3', '01.2.3.4', 'a.b.c.d', '']) expect(parseIpv4(bad)).toBeNull();
    expect(parseCidr('198.51.100.77/26')!.net).toEqual({ base: parseIpv4('198.51.100.64'), prefix: 26 });
    expect(parseCidr('198.51.100.1/33')).toBeNull();
    expect(prefixOfNetmask('255.255.255.0')).toBe(24);
    expect(prefixOfNetmask('255.0.255.0')).toBeNull();
    expect(overlaps(parseCidr('10.0.0.1/8')!.net, parseCidr('10.9.9.9/24')!.net)).toBe(true);
    expect(overlaps(parseCidr('198.51.100.1/25')!.net, parseCidr('198.51.100.129/25')!.net)).toBe(false);
  });
});

describe('network XML', () => {
  it('reads forward mode, bridge, addresses (netmask or prefix), DHCP range and hosts', () => {
    expect(parseNetworkXml(DEFAULT_NET)).toEqual({
      name: 'default',
      uuid: '9a05da11-e96b-47f3-8253-a3a482e445f5',
      forward: 'nat',
      bridge: 'virbr0',
      forwardDevs: [],
      ips: [
        {
          family: 'ipv4',
          address: '192.168.122.1',
          prefix: 24,
          dhcpRanges: [{ start: '192.168.122.2', end: '192.168.122.254' }],
          dhcpHosts: [{ mac: '52:54:00:aa:00:01', name: 'web', ip: '192.168.122.10' }],
        },
        { family: 'ipv6', address: 'fd00::1', prefix: 64, dhcpRanges: [], dhcpHosts: [] },
      ],
    });
    expect(parseNetworkXml('<network><name>iso</name><bridge name="virbr9"/></network>').forward).toBe('isolated');
    expect(parseNetworkXml("<network><name>mv</name><forward mode='bridge'><interface dev='eno2'/></forward></network>")).toMatchObject({ forward: 'bridge', forwardDevs: ['eno2'] });
    expect(() => parseNetworkXml('<domain/>')).toThrow(/not a network/);
  });

  it('builds each kind, escaping a hostile name, and reads back what it built', () => {
    const nat = buildNetworkXml({ name: `it's <"$(x)">; ü`, kind: 'nat', subnet: '198.51.100.1/24', dhcpStart: '198.51.100.100', dhcpEnd: '198.51.100.200' });
    expect(parseNetworkXml(nat)).toMatchObject({ name: `it's <"$(x)">; ü`, forward: 'nat', ips: [{ address: '198.51.100.1', prefix: 24, dhcpRanges: [{ start: '198.51.100.100', end: '198.51.100.200' }] }] });
    expect(parseNetworkXml(buildNetworkXml({ name: 'i', kind: 'isolated', subnet: '198.51.100.1/24' }))).toMatchObject({ forward: 'isolated', ips: [{ dhcpRanges: [] }] });
    expect(parseNetworkXml(buildNetworkXml({ name: 'r', kind: 'route', subnet: '198.51.100.1/24', device: 'eno2' }))).toMatchObject({ forward: 'route', forwardDevs: ['eno2'] });
    expect(parseNetworkXml(buildNetworkXml({ name: 'b', kind: 'bridge', device: 'br-lan' }))).toMatchObject({ forward: 'bridge', bridge: 'br-lan', ips: [] });
    expect(parseNetworkXml(buildNetworkXml({ name: 'm', kind: 'macvtap', device: 'eno2' }))).toMatchObject({ forward: 'bridge', forwardDevs: ['eno2'] });
    expect(dhcpHostXml({ mac: '52:54:00:00:00:01', ip: '198.51.100.5', name: 'a' })).toBe("<host mac='52:54:00:00:00:01' name='a' ip='198.51.100.5'/>");
  });
});

describe('checks before anything is defined', () => {
  const nat = { name: 'lab-nat', kind: 'nat' as const, subnet: '198.51.100.1/24', dhcpStart: '198.51.100.100', dhcpEnd: '198.51.100.200' };

  it('accepts a sound NAT network', () => {
    expect(validateNewNetwork(nat, host())).toEqual([]);
  });

  it('names a clash with another network, a host address, a name, a range outside the subnet', () => {
    expect(validateNewNetwork({ ...nat, name: 'default' }, host())).toEqual(['A network named "default" already exists on this host.']);
    expect(validateNewNetwork({ ...nat, subnet: '192.168.0.1/16', dhcpStart: '192.168.0.10', dhcpEnd: '192.168.0.20' }, host())).toEqual([
      'The subnet 192.168.0.0/16 overlaps network "default" (192.168.122.0/24).',
    ]);
    expect(validateNewNetwork({ ...nat, subnet: '192.0.2.129/25', dhcpStart: '', dhcpEnd: '' }, host())).toEqual([
      'The subnet 192.0.2.128/25 overlaps the host\'s address 192.0.2.12/24 on eth0.',
    ]);
    expect(validateNewNetwork({ ...nat, dhcpEnd: '198.51.101.5' }, host())).toEqual([
      'The DHCP range 198.51.100.100–198.51.101.5 lies outside the subnet 198.51.100.0/24 (or takes its network or broadcast address).',
    ]);
    expect(validateNewNetwork({ ...nat, dhcpStart: '198.51.100.1', dhcpEnd: '198.51.100.9' }, host())).toEqual(['The DHCP range 198.51.100.1–198.51.100.9 holds the host\'s own address in the network.']);
    expect(validateNewNetwork({ ...nat, dhcpStart: '198.51.100.9', dhcpEnd: '198.51.100.2' }, host())[0]).toMatch(/starts .* after it ends/);
    expect(validateNewNetwork({ ...nat, subnet: '198.51.100.0/24' }, host())[0]).toMatch(/network or broadcast address/);
    expect(validateNewNetwork({ ...nat, subnet: 'nope' }, host())[0]).toMatch(/not an IPv4 address with a prefix/);
    expect(validateNewNetwork({ ...nat, name: 'a/b' }, host())[0]).toMatch(/slash/);
    expect(validateNewNetwork({ ...nat, dhcpEnd: '' }, host())).toEqual(['A DHCP range needs both a first and a last address.']);
  });

  it('checks the bridge or NIC a bridge-backed or macvtap network uses', () => {
    expect(validateNewNetwork({ name: 'b', kind: 'bridge', device: 'br-lan' }, host())).toEqual([]);
    expect(validateNewNetwork({ name: 'b', kind: 'bridge', device: 'br-wan' }, host())).toEqual(['The host has no bridge "br-wan".']);
    expect(validateNewNetwork({ name: 'm', kind: 'macvtap', device: 'eno2' }, host())).toEqual([]);
    expect(validateNewNetwork({ name: 'm', kind: 'macvtap', device: 'br-lan' }, host())[0]).toMatch(/is a bridge/);
    expect(validateNewNetwork({ name: 'm', kind: 'macvtap', device: 'eno9' }, host())).toEqual(['The host has no interface "eno9".']);
  });

  it('static DHCP hosts: a MAC, a free address in the subnet, no duplicate', () => {
    const def = parseNetworkXml(DEFAULT_NET);
    expect(validateDhcpHost({ mac: '52:54:00:aa:00:02', ip: '192.168.122.11', name: 'db' }, def)).toEqual([]);
    expect(validateDhcpHost({ mac: '52:54:00:zz:00:02', ip: '192.168.122.11' }, def)).toEqual(['"52:54:00:zz:00:02" is not a MAC address (six hex pairs like 52:54:00:12:34:56).']);
    expect(validateDhcpHost({ mac: '52:54:00:aa:00:02', ip: '192.168.123.11' }, def)).toEqual(['192.168.123.11 is not a free host address in 192.168.122.0/24.']);
    expect(validateDhcpHost({ mac: '52:54:00:AA:00:01', ip: '192.168.122.12' }, def)).toEqual(['52:54:00:AA:00:01 already has an entry (192.168.122.10).']);
    expect(validateDhcpHost({ mac: '52:54:00:aa:00:09', ip: '192.168.122.10' }, def)).toEqual(['192.168.122.10 is already given to 52:54:00:aa:00:01.']);
    expect(validateDhcpRange(def, '192.168.122.50', '192.168.122.60')).toEqual([]);
    expect(validateDhcpRange(def, '192.168.122.50', '10.0.0.1')[0]).toMatch(/outside the subnet/);
  });
});

describe('comparing hosts', () => {
  const hv1 = { hostId: '1', label: 'hv1', networks: ['default'], bridges: ['br-lan', 'br-wan'], uses: [{ vm: 'web', index: 0, type: 'bridge' as const, source: 'br-wan' }, { vm: 'db', index: 0, type: 'bridge' as const, source: 'br-wan' }] };
  const hv3 = { hostId: '3', label: 'hv3', networks: ['default'], bridges: ['br-lan'], uses: [{ vm: 'x', index: 1, type: 'network' as const, source: 'gone' }] };

  it('says which host lacks what VMs elsewhere use', () => {
    expect(compareHosts([hv1, hv3]).map((g) => g.message)).toEqual(['hv3 lacks bridge br-wan that VMs on hv1 (db, web) use.']);
  });

  it('flags a NIC whose network is missing on its own host', () => {
    expect(missingOnHost(hv3, 'hv3')).toEqual([{ vm: 'x', index: 1, type: 'network', source: 'gone', message: "x's NIC 2 uses network gone, which hv3 does not have: the VM would not start." }]);
  });
});
