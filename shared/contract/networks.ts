// Networks: each host's libvirt networks (with DHCP leases and who owns each MAC), its Linux
// bridges and their ports, which VM NIC points where; and the changes the networks view makes.
import type { DhcpHost, HostGap, MissingOnHost, NetConfigSystem, NetworkDef, NewNetwork } from '../networks';

export type { DhcpHost, HostGap, MissingOnHost, NetConfigSystem, NetworkDef, NewNetwork };

export interface NetworkLease {
  mac: string;
  ip: string;
  hostname?: string;
  /** As libvirt prints it (host's local time, `YYYY-MM-DD hh:mm:ss`). */
  expires?: string;
  /** The VM on this host whose NIC has this MAC. */
  vm?: string;
}

export interface NetworkInfo extends NetworkDef {
  active: boolean;
  autostart: boolean;
  persistent: boolean;
  leases: NetworkLease[];
  /** VMs whose NIC (persistent or running config) points to this network. */
  usedBy: Array<{ vm: string; running: boolean }>;
}

export type PortKind = 'nic' | 'bond' | 'vlan' | 'tap' | 'veth' | 'bridge' | 'other';

export interface HostLink {
  name: string;
  kind: PortKind;
  mtu?: number;
  state: string;
  mac?: string;
  /** The bridge (or bond) this interface is enslaved to. */
  master?: string;
  addresses: string[];
  /** A VM tap (vnetN): the VM it belongs to. */
  vm?: string;
}

export interface HostBridge {
  name: string;
  mtu?: number;
  state: string;
  /** null when the host does not say. */
  stp: boolean | null;
  addresses: string[];
  ports: HostLink[];
  /** The libvirt network that made this bridge, if one did. */
  network?: string;
}

export interface VmNic {
  vm: string;
  running: boolean;
  index: number;
  type: string;
  source: string;
  mac?: string;
  /** The host-side tap of a running VM's NIC. */
  tap?: string;
  /** A running VM whose NIC was moved live: where it points now (until then the config's). */
  liveType?: string;
  liveSource?: string;
}

export interface HostNetworks {
  networks: NetworkInfo[];
  bridges: HostBridge[];
  /** Every interface of the host (what macvtap and route networks can use). */
  links: HostLink[];
  nics: VmNic[];
  /** NICs whose network or bridge this host lacks. */
  missing: MissingOnHost[];
}

export type NetworkAction = 'start' | 'stop' | 'autostart-on' | 'autostart-off' | 'delete';

/** What a host allows VirtDeck to do with its bridges, before any change. */
export interface BridgeSetup {
  /** How the host keeps its network configuration ('none': the config to paste is shown). */
  system: NetConfigSystem;
  /** Interfaces that carry VirtDeck's own SSH connection: never changed. */
  management: string[];
  /** Root, or sudo without a password for the commands a bridge change runs. */
  canChange: boolean;
  /** Why not, with the sudo rule that would allow it. */
  reason?: string;
  /** Things the host's configuration lacks for bridges to come back after a reboot. */
  notes: string[];
}

/** A bridge change that was made: where it is kept, or what to paste to keep it. */
export interface BridgeChange {
  system: NetConfigSystem;
  keptIn?: string;
  paste?: string;
}

export interface NetworkMethods {
  /** One host's networks, bridges and VM NICs. */
  'networks.list': { params: { hostId: string }; result: HostNetworks };
  /** Start or stop pushing 'host.networks' (libvirt network events) for a host while a view shows it. */
  'networks.watch': { params: { hostId: string; watch: boolean }; result: null };
  /** Validate and `net-define` a new network; optionally start it and mark it autostart. */
  'networks.create': { params: { hostId: string; network: NewNetwork; start?: boolean; autostart?: boolean }; result: { name: string; xml: string } };
  /** Start, stop, autostart on/off, delete (stop and delete refused while running VMs use it). */
  'networks.action': { params: { hostId: string; name: string; action: NetworkAction }; result: null };
  /** Replace the network's DHCP range (net-update, live and config). */
  'networks.setDhcpRange': { params: { hostId: string; name: string; start: string; end: string }; result: null };
  /** Add or remove a static DHCP host entry MAC → IP (net-update, live and config). */
  'networks.dhcpHost': { params: { hostId: string; name: string; op: 'add' | 'remove'; host: DhcpHost }; result: null };
  /** The host's network configuration system, its management link and whether VirtDeck may change bridges. */
  'networks.bridgeSetup': { params: { hostId: string }; result: BridgeSetup };
  /** Create a Linux bridge (no ports: an internal bridge like br-lan), running and kept in the host's config. */
  'networks.createBridge': { params: { hostId: string; name: string; ports: string[] }; result: BridgeChange };
  /** Add or remove a port (a NIC, bond or VLAN device) of a bridge; refused for the management link. */
  'networks.bridgePort': { params: { hostId: string; bridge: string; port: string; op: 'add' | 'remove' }; result: BridgeChange };
  /** Delete a bridge: refused while running VMs use it, for a libvirt network's bridge and for the management link. */
  'networks.deleteBridge': { params: { hostId: string; name: string }; result: BridgeChange };
}
