// What the command palette offers: go to a page or host, open a VM (its overview, console, XML),
// and the lifecycle actions its state allows — each a line to match by words ("start web-1",
// "console desk", "go hv2"). Built from the fleet as it is now; pure, so it is tested alone.
import type { HostStatus, VmSummary } from '../../../shared/contract';
import type { Page, VmTab } from '../../store/navigation';
import { vmRef } from '../../store/vm-ref';
import type { ActionSpec } from '../../ui/vm-actions';

export type PaletteCommand =
  | { id: string; label: string; hint?: string; kind: 'go'; page: Page }
  | { id: string; label: string; hint?: string; kind: 'action'; spec: ActionSpec; vm: VmSummary; host: string };

const VM_TABS: Array<[VmTab, string]> = [
  ['overview', 'Open'],
  ['console', 'Open console of'],
  ['hardware', 'Open hardware of'],
  ['xml', 'Open XML of'],
];

/** `actions`: the lifecycle actions on offer (the app passes ui/vm-actions' PRIMARY_ACTIONS). */
export function paletteCommands(hosts: Record<string, HostStatus>, vmsByHost: Record<string, VmSummary[]>, actions: readonly ActionSpec[]): PaletteCommand[] {
  const out: PaletteCommand[] = [
    { id: 'go:fleet', label: 'Go to all VMs', kind: 'go', page: { kind: 'fleet' } },
    { id: 'go:storage', label: 'Go to storage', kind: 'go', page: { kind: 'storage' } },
    { id: 'go:networks', label: 'Go to networks', kind: 'go', page: { kind: 'networks' } },
    { id: 'go:consoles', label: 'Go to consoles', kind: 'go', page: { kind: 'consoles' } },
  ];
  for (const h of Object.values(hosts)) out.push({ id: `host:${h.config.id}`, label: `Go to ${h.config.label}`, hint: 'host', kind: 'go', page: { kind: 'host', hostId: h.config.id } });
  for (const [hostId, vms] of Object.entries(vmsByHost)) {
    const host = hosts[hostId]?.config.label ?? hostId;
    for (const vm of vms) {
      const where = `${vm.name} on ${host}`;
      for (const [tab, verb] of VM_TABS) out.push({ id: `vm:${tab}:${hostId}:${vm.name}:${vm.driver ?? ''}`, label: `${verb} ${where}`, kind: 'go', page: { kind: 'vm', vm: vmRef(vm), tab } });
      // Actions that ask first (Force off) stay on their buttons, where the question is asked.
      for (const spec of actions) {
        if (!spec.confirm && spec.allowed(vm)) out.push({ id: `act:${spec.action}:${hostId}:${vm.name}:${vm.driver ?? ''}`, label: `${spec.label} ${where}`, kind: 'action', spec, vm, host });
      }
    }
  }
  return out;
}

/** The commands whose label holds every word of the query (any order, any case), shortest first
 *  among equals so "start web-1" puts the exact VM above "web-10". */
export function matchCommands(commands: readonly PaletteCommand[], query: string, limit = 50): PaletteCommand[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return commands.slice(0, limit);
  const scored = commands
    .map((c) => {
      const label = c.label.toLowerCase();
      if (!words.every((w) => label.includes(w))) return null;
      // Words at a word start rank higher; then shorter labels.
      const starts = words.filter((w) => new RegExp(`(^|[\\s/])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(label)).length;
      return { c, score: starts * 1000 - label.length };
    })
    .filter((x): x is { c: PaletteCommand; score: number } => x !== null)
    .sort((a, b) => b.score - a.score);
  return scored.slice(0, limit).map((x) => x.c);
}
