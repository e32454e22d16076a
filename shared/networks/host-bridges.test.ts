import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addPortProblems,
  bridgeNameProblem,
  createBridgeProblems,
  deleteBridgeProblems,
  ifupdownStanza,
  managementLinks,
  netplanYaml,
  nmcliCommands,
  removePortProblems,
  type BridgeHostFacts,
} from './host-bridges';

// A host like the guide's: eth0 carries the SSH session, br-mgmt on eno1, br-lan internal with a VM tap.
const links = [
  { name: 'eth0', kind: 'nic', addresses: ['192.0.2.13/24'] },
  { name: 'eno1', kind: 'nic', master: 'br-mgmt', addresses: [] },
  { name: 'br-mgmt', kind: 'bridge', addresses: ['198.51.100.5/24'] },
  { name: 'eno2', kind: 'nic', addresses: [] },
  { name: 'bond0.20', kind: 'vlan', addresses: [] },
  { name: 'br-lan', kind: 'bridge', addresses: [] },
  { name: 'vnet0', kind: 'tap', master: 'br-lan', vm: 'web-1', addresses: [] },
  { name: 'virbr0', kind: 'bridge', addresses: ['192.168.122.1/24'] },
];
const host = (management: string[]): BridgeHostFacts => ({
  links,
  bridges: [
    { name: 'br-mgmt', ports: [{ name: 'eno1', kind: 'nic' }] },
    { name: 'br-lan', ports: [{ name: 'vnet0', kind: 'tap', vm: 'web-1' }] },
    { name: 'virbr0', ports: [], network: 'default' },
  ],
  management,
});

describe('the management link', () => {
  it('is the interface holding the address sshd answered on, plus the route back to the client', () => {
    expect(managementLinks(links, '192.0.2.13', 'eth0')).toEqual(['eth0']);
  });
  it('covers a bridge and every port of it when the session arrives on the bridge', () => {
    expect(managementLinks(links, '198.51.100.5', undefined)).toEqual(['br-mgmt', 'eno1']);
  });
  it('covers the bridge of a port the route goes out of', () => {
    expect(managementLinks(links, undefined, 'eno1')).toEqual(['br-mgmt', 'eno1']);
  });
});

describe('bridge checks', () => {
  const h = host(['eth0']);
  it('names: Linux interface names, not taken', () => {
    expect(bridgeNameProblem('br-test')).toBeUndefined();
    expect(bridgeNameProblem('a-very-long-bridge')).toMatch(/at most 15/);
    expect(bridgeNameProblem('br/x')).toMatch(/not a Linux interface name/);
    expect(bridgeNameProblem('br x')).toMatch(/not a Linux interface name/);
    expect(bridgeNameProblem('$(reboot)')).toMatch(/not a Linux interface name/);
    expect(createBridgeProblems({ name: 'br-lan', ports: [] }, h)).toEqual(['An interface named br-lan already exists on this host.']);
    expect(createBridgeProblems({ name: 'br-wan', ports: ['eno2'] }, h)).toEqual([]);
  });
  it('a port: never the management link, a tap, a bridge, or one already in use', () => {
    expect(addPortProblems('br-lan', 'eth0', h)[0]).toMatch(/eth0 carries VirtDeck's own SSH connection/);
    expect(addPortProblems('br-lan', 'vnet0', h)[0]).toMatch(/VM's tap/);
    expect(addPortProblems('br-lan', 'virbr0', h)[0]).toMatch(/bridge itself/);
    expect(addPortProblems('br-lan', 'eno1', h)[0]).toMatch(/already a port of br-mgmt/);
    expect(addPortProblems('br-lan', 'nope', h)[0]).toMatch(/no interface nope/);
    expect(addPortProblems('br-none', 'eno2', h)[0]).toMatch(/no bridge br-none/);
    expect(addPortProblems('br-lan', 'bond0.20', h)).toEqual([]);
    expect(createBridgeProblems({ name: 'br-wan', ports: ['eth0'] }, h)[0]).toMatch(/carries VirtDeck's own SSH connection/);
  });
  it('removing a port or deleting a bridge: refused for the management link, a network\'s bridge, running VMs', () => {
    const m = host(['br-mgmt', 'eno1']);
    expect(removePortProblems('br-mgmt', 'eno1', m)[0]).toMatch(/eno1 carries/);
    expect(deleteBridgeProblems('br-mgmt', m)[0]).toMatch(/br-mgmt carries/);
    expect(deleteBridgeProblems('br-lan', m)).toEqual(['br-lan is in use by running VMs: web-1. Move or stop them first.']);
    expect(deleteBridgeProblems('virbr0', m)[0]).toMatch(/libvirt network default/);
    expect(removePortProblems('br-lan', 'eno2', m)[0]).toMatch(/not a port of br-lan/);
  });
});

describe('the host configuration VirtDeck writes', () => {
  it('ifupdown: a stanza ifupdown itself reads back (ifquery), internal and with ports', () => {
    const ifquery = spawnSync('ifquery', ['--version']);
    const dir = mkdtempSync(join(tmpdir(), 'vd-ifupdown-'));
    for (const plan of [
      { name: 'br-lan', ports: [] },
      { name: 'br-wan', ports: ['eno2', 'bond0.20'] },
    ]) {
      const text = ifupdownStanza(plan);
      expect(text).toContain(`bridge_ports ${plan.ports.length ? plan.ports.join(' ') : 'none'}`);
      if (ifquery.error) continue;
      const file = join(dir, plan.name);
      writeFileSync(file, text);
      const r = spawnSync('ifquery', [`--interfaces=${file}`, '--list'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.split('\n')).toContain(plan.name);
      const q = spawnSync('ifquery', [`--interfaces=${file}`, plan.name], { encoding: 'utf8' });
      expect(q.stdout).toContain('bridge_stp: off');
    }
  });
  it('netplan: its own document, ports declared as ethernets, names quoted', () => {
    expect(netplanYaml({ name: 'br-wan', ports: ['eno2'] })).toContain('  ethernets:\n    "eno2": {}\n  bridges:\n    "br-wan":\n      interfaces: ["eno2"]');
    expect(netplanYaml({ name: 'br-lan', ports: [] })).toContain('interfaces: []');
  });
  it('NetworkManager: a bridge profile and one port profile each, then up', () => {
    const cmds = nmcliCommands({ name: 'br-wan', ports: ['eno2'] });
    expect(cmds.map((c) => c.slice(0, 5).join(' '))).toEqual(['nmcli connection add type bridge', 'nmcli connection add type bridge-slave', 'nmcli connection up br-wan']);
    expect(cmds[1]).toContain('master');
  });
});
