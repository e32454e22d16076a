// Host bridges as the host's own network configuration keeps them: which configuration system a
// host uses, the text VirtDeck writes for a bridge it manages (ifupdown stanza, netplan YAML,
// NetworkManager commands), the checks a bridge change passes, and the management-link rule:
// nothing may touch the interface that carries VirtDeck's own SSH connection.

/** How the host's network is configured, as detected on it. 'none': show the config to paste. */
export type NetConfigSystem = 'netplan' | 'networkmanager' | 'ifupdown' | 'none';

export interface BridgePlan {
  name: string;
  /** Interfaces enslaved to the bridge; empty: an internal bridge such as br-lan. */
  ports: string[];
}

/** What a bridge check needs of the host (names from `ip link`). */
export interface BridgeHostFacts {
  links: Array<{ name: string; kind: string; master?: string; vm?: string }>;
  bridges: Array<{ name: string; ports: Array<{ name: string; kind: string; vm?: string }>; network?: string }>;
  /** Interfaces that carry the app's SSH connection (see managementLinks). */
  management: string[];
}

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;

/** Linux interface names: at most 15 bytes, no '/', ':', spaces; not "." or "..". */
export function bridgeNameProblem(name: string): string | undefined {
  if (!name) return 'The bridge needs a name.';
  if (!IFNAME.test(name) || name === '.' || name === '..') return `"${name}" is not a Linux interface name: at most 15 letters, digits, '-', '_' or '.'.`;
  return undefined;
}

/** The interfaces the SSH session comes in on: the one holding the address sshd answered on
 *  (`SSH_CONNECTION`'s server address) and the one routing back to the client; with a bridge,
 *  its ports too, and with a port, its bridge. Touching any of them can cut VirtDeck off. */
export function managementLinks(
  links: Array<{ name: string; master?: string; addresses: string[] }>,
  serverAddress: string | undefined,
  routeDevice: string | undefined,
): string[] {
  const out = new Set<string>();
  const bare = (a: string) => a.replace(/\/\d+$/, '');
  for (const l of links) if (serverAddress && l.addresses.some((a) => bare(a) === serverAddress)) out.add(l.name);
  if (routeDevice) out.add(routeDevice);
  for (const name of [...out]) {
    const link = links.find((l) => l.name === name);
    if (link?.master) out.add(link.master);
    for (const port of links.filter((l) => l.master === name)) out.add(port.name);
  }
  return [...out].sort();
}

const managementReason = (name: string) =>
  `${name} carries VirtDeck's own SSH connection to this host: changing it could cut the link you manage the host through, so VirtDeck will not change it. Make that change from the host's console.`;

export function createBridgeProblems(plan: BridgePlan, host: BridgeHostFacts): string[] {
  const problems: string[] = [];
  const nameProblem = bridgeNameProblem(plan.name);
  if (nameProblem) problems.push(nameProblem);
  else if (host.links.some((l) => l.name === plan.name)) problems.push(`An interface named ${plan.name} already exists on this host.`);
  for (const port of plan.ports) problems.push(...addPortProblems(plan.name, port, host, true));
  return problems;
}

export function addPortProblems(bridge: string, port: string, host: BridgeHostFacts, newBridge = false): string[] {
  const link = host.links.find((l) => l.name === port);
  if (!newBridge && !host.bridges.some((b) => b.name === bridge)) return [`There is no bridge ${bridge} on this host.`];
  if (!link) return [`There is no interface ${port} on this host.`];
  if (host.management.includes(port)) return [managementReason(port)];
  if (link.kind === 'bridge') return [`${port} is a bridge itself; VirtDeck does not nest bridges.`];
  if (link.kind === 'tap' || link.vm) return [`${port} is a VM's tap device: connect the VM's NIC to ${bridge} in its hardware instead.`];
  if (port === 'lo') return ['The loopback interface cannot join a bridge.'];
  if (link.master === bridge) return [`${port} is already a port of ${bridge}.`];
  if (link.master) return [`${port} is already a port of ${link.master}: remove it there first.`];
  return [];
}

export function removePortProblems(bridge: string, port: string, host: BridgeHostFacts): string[] {
  const b = host.bridges.find((x) => x.name === bridge);
  if (!b) return [`There is no bridge ${bridge} on this host.`];
  if (!b.ports.some((p) => p.name === port)) return [`${port} is not a port of ${bridge}.`];
  if (host.management.includes(port) || host.management.includes(bridge)) return [managementReason(host.management.includes(port) ? port : bridge)];
  return [];
}

export function deleteBridgeProblems(bridge: string, host: BridgeHostFacts): string[] {
  const b = host.bridges.find((x) => x.name === bridge);
  if (!b) return [`There is no bridge ${bridge} on this host.`];
  if (host.management.includes(bridge)) return [managementReason(bridge)];
  if (b.network) return [`${bridge} belongs to the libvirt network ${b.network}: stop or delete that network instead.`];
  const vms = [...new Set(b.ports.flatMap((p) => (p.vm ? [p.vm] : [])))];
  if (vms.length) return [`${bridge} is in use by running VMs: ${vms.join(', ')}. Move or stop them first.`];
  return [];
}

/** Where VirtDeck keeps a bridge it manages, per configuration system (its own file each). */
export function bridgeConfigPath(system: NetConfigSystem, name: string): string | undefined {
  if (system === 'ifupdown') return `/etc/network/interfaces.d/${name}`;
  if (system === 'netplan') return `/etc/netplan/90-virtdeck-${name}.yaml`;
  return undefined;
}

const HEADER = 'Written by VirtDeck; the previous copy is kept beside it as .virtdeck-prev.';

/** Debian ifupdown (bridge-utils' bridge_* options). */
export function ifupdownStanza(plan: BridgePlan): string {
  return [
    `# ${HEADER}`,
    `auto ${plan.name}`,
    `iface ${plan.name} inet manual`,
    `    bridge_ports ${plan.ports.length ? plan.ports.join(' ') : 'none'}`,
    '    bridge_stp off',
    '    bridge_fd 0',
    '',
  ].join('\n');
}

/** netplan (Ubuntu): its own file in /etc/netplan, merged by netplan with the others. */
export function netplanYaml(plan: BridgePlan): string {
  const ports = plan.ports.map((p) => JSON.stringify(p));
  return [
    `# ${HEADER}`,
    'network:',
    '  version: 2',
    ...(plan.ports.length ? ['  ethernets:', ...plan.ports.map((p) => `    ${JSON.stringify(p)}: {}`)] : []),
    '  bridges:',
    `    ${JSON.stringify(plan.name)}:`,
    `      interfaces: [${ports.join(', ')}]`,
    '      dhcp4: false',
    '      dhcp6: false',
    '      parameters:',
    '        stp: false',
    '        forward-delay: 0',
    '',
  ].join('\n');
}

/** NetworkManager: connection profiles, which NetworkManager applies and keeps itself. */
export function nmcliCommands(plan: BridgePlan): string[][] {
  return [
    ['nmcli', 'connection', 'add', 'type', 'bridge', 'ifname', plan.name, 'con-name', plan.name, 'bridge.stp', 'no', 'bridge.forward-delay', '0', 'ipv4.method', 'disabled', 'ipv6.method', 'ignore'],
    ...plan.ports.map((p) => ['nmcli', 'connection', 'add', 'type', 'bridge-slave', 'ifname', p, 'con-name', `${plan.name}-${p}`, 'master', plan.name]),
    ['nmcli', 'connection', 'up', plan.name],
  ];
}

/** Fixed text, no user input: how the host keeps its network configuration (`system=…`), and
 *  what ifupdown needs to bring a bridge up at boot. Read by parseNetConfig. */
export const NET_CONFIG_PROBE = [
  'if command -v netplan >/dev/null 2>&1 && ls /etc/netplan/*.yaml >/dev/null 2>&1; then echo system=netplan',
  'elif command -v nmcli >/dev/null 2>&1 && [ "$(nmcli -t -f RUNNING general 2>/dev/null)" = running ]; then echo system=networkmanager',
  'elif command -v ifup >/dev/null 2>&1 && [ -f /etc/network/interfaces ]; then echo system=ifupdown',
  'else echo system=none; fi',
  "grep -Eqs '^[[:space:]]*source(-directory)?[[:space:]]+/etc/network/interfaces\\.d' /etc/network/interfaces && echo sources-dir=yes",
  '{ command -v brctl || test -d /lib/bridge-utils; } >/dev/null 2>&1 && echo bridge-utils=yes',
];

/** NET_CONFIG_PROBE's answer (key=value lines): the system, and what keeps a bridge from coming
 *  up at boot there, in words. */
export function parseNetConfig(kv: ReadonlyMap<string, string>): { system: NetConfigSystem; notes: string[] } {
  const system = (['netplan', 'networkmanager', 'ifupdown'] as const).find((s) => s === kv.get('system')) ?? 'none';
  const notes: string[] = [];
  if (system === 'ifupdown' && kv.get('sources-dir') !== 'yes') notes.push('/etc/network/interfaces does not read /etc/network/interfaces.d: add "source /etc/network/interfaces.d/*" there, or bridges VirtDeck writes are not brought up at boot.');
  if (system === 'ifupdown' && kv.get('bridge-utils') !== 'yes') notes.push('ifupdown needs the bridge-utils package to create bridges at boot (bridge_ports): install it.');
  return { system, notes };
}

/** One command of a bridge change, run in order. */
export interface BridgeCommand {
  argv: string[];
  stdin?: string;
  root: boolean;
  /** Undoes this command's running change when a later one fails. */
  undo?: string[];
}

/** The commands that keep `plan` in the host's configuration (after the running change):
 *  VirtDeck's own file, written beside and moved into place, the previous copy kept. */
export function persistBridgeCommands(system: NetConfigSystem, plan: BridgePlan, existing: boolean): BridgeCommand[] {
  const path = bridgeConfigPath(system, plan.name);
  if (!path) return [];
  const text = system === 'ifupdown' ? ifupdownStanza(plan) : netplanYaml(plan);
  const fresh = `${path}.virtdeck-new`;
  return [
    ...(existing ? [{ argv: ['cp', '-p', path, `${path}.virtdeck-prev`], root: true }] : []),
    { argv: ['install', '-m', system === 'netplan' ? '600' : '644', '/dev/stdin', fresh], stdin: text, root: true },
    // ifupdown's own parser reads the new file before it goes in place.
    // (ifquery sits in /usr/sbin, outside a non-root user's PATH.)
    ...(system === 'ifupdown' ? [{ argv: ['env', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'ifquery', `--interfaces=${fresh}`, '--list'], root: false }] : []),
    { argv: ['mv', '-f', fresh, path], root: true },
  ];
}

/** A new bridge: running now (iproute2, or NetworkManager's profiles) and kept for the boot. */
export function createBridgeCommands(system: NetConfigSystem, plan: BridgePlan): BridgeCommand[] {
  if (system === 'networkmanager') return nmcliCommands(plan).map((argv) => ({ argv, root: true }));
  return [
    { argv: ['ip', 'link', 'add', 'name', plan.name, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0'], root: true, undo: ['ip', 'link', 'del', plan.name] },
    ...plan.ports.map((p) => ({ argv: ['ip', 'link', 'set', p, 'master', plan.name], root: true })),
    { argv: ['ip', 'link', 'set', plan.name, 'up'], root: true },
    ...persistBridgeCommands(system, plan, false),
  ];
}

/** What to paste where no configuration system was found (or VirtDeck may not write). */
export function pasteInstructions(plan: BridgePlan): string {
  return [
    'No network configuration system was detected on this host, so VirtDeck changed the running',
    'bridge only (it is gone after a reboot). To keep it, add the matching stanza:',
    '',
    'Debian ifupdown (/etc/network/interfaces, needs bridge-utils):',
    ifupdownStanza(plan),
    'netplan (/etc/netplan/90-bridges.yaml):',
    netplanYaml(plan),
  ].join('\n');
}
