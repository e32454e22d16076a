// Networks: each host's libvirt networks and Linux bridges (libvirt/networks.ts, host-links.ts),
// the changes the networks view makes (libvirt/network-editor.ts; bridges: host-admin/bridges.ts),
// and the net-event push.
import type { Service } from '../dispatch.js';
import { HostBridges } from '../host-admin/bridges.js';
import { type EventWatch, networkEvents } from '../libvirt/event-watch.js';
import { changeDhcpHost, createNetwork, networkAction, setDhcpRange } from '../libvirt/network-editor.js';
import { readHostNetworks } from '../libvirt/networks.js';
import type { ServiceContext } from './context.js';

export type NetworksMethod =
  | 'networks.list'
  | 'networks.watch'
  | 'networks.create'
  | 'networks.action'
  | 'networks.setDhcpRange'
  | 'networks.dhcpHost'
  | 'networks.bridgeSetup'
  | 'networks.createBridge'
  | 'networks.bridgePort'
  | 'networks.deleteBridge';

export function networksService({ registry, emit }: ServiceContext): Service<NetworksMethod> {
  const events = new Map<string, EventWatch>();
  const eventsOf = (hostId: string) => {
    let e = events.get(hostId);
    if (!e) {
      e = networkEvents(() => registry.get(hostId).virsh(), () => emit({ type: 'host.networks', hostId }));
      events.set(hostId, e);
    }
    return e;
  };
  /** The host as it is now: every change is checked against a fresh read, never a window's copy. */
  const current = (hostId: string) => {
    const host = registry.get(hostId);
    return { virsh: host.virsh(), state: readHostNetworks(host.virsh(), host.session(), host.label) };
  };
  /** Run a change, then tell every window (the net-event may come later, or not at all for net-update --config). */
  const changing = async <T>(hostId: string, change: () => Promise<T>): Promise<T> => {
    try {
      return await change();
    } finally {
      eventsOf(hostId).changed();
    }
  };
  const bridgesOf = (hostId: string) => {
    const host = registry.get(hostId);
    return new HostBridges(host.session(), host.virsh(), host.label);
  };
  return {
    'networks.list': async ({ hostId }) => {
      const host = registry.get(hostId);
      return readHostNetworks(host.virsh(), host.session(), host.label);
    },
    'networks.watch': async ({ hostId, watch }) => {
      registry.get(hostId);
      eventsOf(hostId).watch(watch);
      return null;
    },
    'networks.create': async ({ hostId, network, start, autostart }) => {
      const { virsh, state } = current(hostId);
      const s = await state;
      return changing(hostId, () => createNetwork(virsh, s, network, { start, autostart }));
    },
    'networks.action': async ({ hostId, name, action }) => {
      const { virsh, state } = current(hostId);
      const s = await state;
      await changing(hostId, () => networkAction(virsh, s, name, action));
      return null;
    },
    'networks.setDhcpRange': async ({ hostId, name, start, end }) => {
      const { virsh, state } = current(hostId);
      const s = await state;
      await changing(hostId, () => setDhcpRange(virsh, s, name, start, end));
      return null;
    },
    'networks.dhcpHost': async ({ hostId, name, op, host }) => {
      const { virsh, state } = current(hostId);
      const s = await state;
      await changing(hostId, () => changeDhcpHost(virsh, s, name, op, host));
      return null;
    },
    'networks.bridgeSetup': async ({ hostId }) => bridgesOf(hostId).setup(),
    'networks.createBridge': async ({ hostId, name, ports }) => changing(hostId, () => bridgesOf(hostId).create({ name, ports })),
    'networks.bridgePort': async ({ hostId, bridge, port, op }) => changing(hostId, () => bridgesOf(hostId).port(bridge, port, op)),
    'networks.deleteBridge': async ({ hostId, name }) => changing(hostId, () => bridgesOf(hostId).remove(name)),
  };
}
