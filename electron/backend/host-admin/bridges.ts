// Host bridges changed for real: the running bridge with iproute2, kept across reboots the way the
// host's network is configured (ifupdown file, netplan file, or NetworkManager profiles), never
// touching the interface that carries this connection. Every check runs before the first command;
// a failing step undoes the running change it made and says what the host answered.
import {
  addPortProblems,
  bridgeConfigPath,
  createBridgeCommands,
  createBridgeProblems,
  deleteBridgeProblems,
  managementLinks,
  NET_CONFIG_PROBE,
  parseNetConfig,
  pasteInstructions,
  persistBridgeCommands,
  removePortProblems,
  type BridgeCommand,
  type BridgeHostFacts,
  type BridgePlan,
  type NetConfigSystem,
} from '../../../shared/networks/host-bridges.js';
import type { BridgeChange, BridgeSetup } from '../../../shared/contract/index.js';
import type { CommandSession } from '../exec/session.js';
import type { Virsh } from '../libvirt/virsh.js';
import { readHostNetworks } from '../libvirt/networks.js';
import { asRoot, rootAccess, type RootAccess } from './privilege.js';

/** Fixed text, no user input: how this host keeps its network configuration, and the SSH link. */
const DETECT_SCRIPT = [
  'PATH=$PATH:/usr/sbin:/sbin',
  ...NET_CONFIG_PROBE,
  'echo "ssh=$SSH_CONNECTION"',
  'set -- $SSH_CONNECTION',
  '[ -n "$1" ] && echo "route=$(ip -j route get "$1" 2>/dev/null)"',
].join('\n');

interface Detected {
  system: NetConfigSystem;
  notes: string[];
  serverAddress?: string;
  routeDevice?: string;
}

export function parseDetect(out: string): Detected {
  const kv = new Map<string, string>();
  for (const line of out.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) kv.set(line.slice(0, i), line.slice(i + 1));
  }
  const { system, notes } = parseNetConfig(kv);
  const ssh = (kv.get('ssh') ?? '').trim().split(/\s+/);
  let routeDevice: string | undefined;
  try {
    const route = JSON.parse(kv.get('route') || '[]') as Array<{ dev?: string }>;
    routeDevice = route[0]?.dev;
  } catch {
    routeDevice = undefined;
  }
  return { system, notes, serverAddress: ssh[2], routeDevice };
}

type Step = BridgeCommand;

export class HostBridges {
  constructor(
    private readonly session: CommandSession,
    private readonly virsh: Virsh,
    private readonly label: string,
  ) {}

  private async facts(): Promise<{ detected: Detected; host: BridgeHostFacts }> {
    const [det, nets] = await Promise.all([this.session.exec(['sh', '-c', DETECT_SCRIPT]), readHostNetworks(this.virsh, this.session, this.label)]);
    const detected = parseDetect(det.stdout);
    const management = managementLinks(nets.links, detected.serverAddress, detected.routeDevice);
    return { detected, host: { links: nets.links, bridges: nets.bridges, management } };
  }

  /** What the host page shows before any change: the config system, the protected links, root access. */
  async setup(): Promise<BridgeSetup> {
    const { detected, host } = await this.facts();
    const sample: BridgePlan = { name: 'br-example', ports: [] };
    const access = await rootAccess(this.session, createBridgeCommands(detected.system, sample).filter((s) => s.root).map((s) => s.argv));
    return { system: detected.system, management: host.management, notes: detected.notes, canChange: access.mode !== 'none', ...(access.reason ? { reason: access.reason } : {}) };
  }

  async create(plan: BridgePlan): Promise<BridgeChange> {
    const { detected, host } = await this.facts();
    refuse(createBridgeProblems(plan, host));
    return this.run(detected.system, createBridgeCommands(detected.system, plan), plan);
  }

  async port(bridge: string, port: string, op: 'add' | 'remove'): Promise<BridgeChange> {
    const { detected, host } = await this.facts();
    refuse(op === 'add' ? addPortProblems(bridge, port, host) : removePortProblems(bridge, port, host));
    const ports = host.bridges.find((b) => b.name === bridge)!.ports.filter((p) => !p.vm && p.kind !== 'tap').map((p) => p.name);
    const plan: BridgePlan = { name: bridge, ports: op === 'add' ? [...ports, port] : ports.filter((p) => p !== port) };
    const system = detected.system;
    if (system === 'networkmanager') {
      const argv = op === 'add' ? ['nmcli', 'connection', 'add', 'type', 'bridge-slave', 'ifname', port, 'con-name', `${bridge}-${port}`, 'master', bridge] : ['nmcli', 'connection', 'delete', `${bridge}-${port}`];
      return this.run(system, [{ argv, root: true }], plan);
    }
    const running: Step = op === 'add' ? { argv: ['ip', 'link', 'set', port, 'master', bridge], root: true, undo: ['ip', 'link', 'set', port, 'nomaster'] } : { argv: ['ip', 'link', 'set', port, 'nomaster'], root: true, undo: ['ip', 'link', 'set', port, 'master', bridge] };
    const ours = await this.ownsConfig(system, bridge);
    return this.run(system, [running, ...(ours ? persistBridgeCommands(system, plan, true) : [])], plan, ours);
  }

  async remove(bridge: string): Promise<BridgeChange> {
    const { detected, host } = await this.facts();
    refuse(deleteBridgeProblems(bridge, host));
    const system = detected.system;
    if (system === 'networkmanager') return this.run(system, [{ argv: ['nmcli', 'connection', 'delete', bridge], root: true }], undefined);
    const path = bridgeConfigPath(system, bridge);
    const ours = await this.ownsConfig(system, bridge);
    const steps: Step[] = [{ argv: ['ip', 'link', 'del', bridge], root: true }];
    if (ours && path) steps.push({ argv: ['cp', '-p', path, `${path}.virtdeck-prev`], root: true }, { argv: ['rm', '-f', path], root: true });
    return this.run(system, steps, undefined, ours);
  }

  /** Whether VirtDeck's own file for this bridge is on the host (else the bridge is kept elsewhere). */
  private async ownsConfig(system: NetConfigSystem, bridge: string): Promise<boolean> {
    const path = bridgeConfigPath(system, bridge);
    return path !== undefined && (await this.session.exec(['test', '-e', path])).code === 0;
  }

  private async run(system: NetConfigSystem, steps: Step[], plan: BridgePlan | undefined, persisted = true): Promise<BridgeChange> {
    const access: RootAccess = await rootAccess(this.session, steps.filter((s) => s.root).map((s) => s.argv));
    if (access.mode === 'none') throw new Error(access.reason);
    const undo: string[][] = [];
    for (const step of steps) {
      const r = await this.session.exec(step.root ? asRoot(access, step.argv) : step.argv, step.stdin === undefined ? {} : { stdin: step.stdin });
      if (r.code !== 0) {
        for (const u of undo.reverse()) await this.session.exec(asRoot(access, u));
        const status = r.code === null ? `ended without an exit status${r.signal ? ` (${r.signal})` : ''}` : `exit status ${r.code}`;
        throw new Error(`${step.argv.join(' ')} failed on the host, ${status}${undo.length ? ' (the running change was undone)' : ''}: ${(r.stderr || r.stdout).trim()}`);
      }
      if (step.undo) undo.push(step.undo);
    }
    const path = plan ? bridgeConfigPath(system, plan.name) : undefined;
    const kept = system === 'networkmanager' ? 'NetworkManager profiles' : persisted && path ? path : undefined;
    return { system, ...(kept ? { keptIn: kept } : {}), ...(!kept && plan ? { paste: pasteInstructions(plan) } : {}) };
  }
}

function refuse(problems: string[]): void {
  if (problems.length) throw new Error(problems.join(' '));
}
