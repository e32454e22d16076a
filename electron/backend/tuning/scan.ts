// Reading the fleet for tuning: per host its facts once (capabilities: NUMA and KVM; the storage
// volumes the Windows safe path picks from), then each QEMU VM's persistent XML, a few at a time
// over the host's one connection, and the advisor over each (shared/tuning).
import type { VmSummary } from '../../../shared/contract/index.js';
import type { HostFacts } from '../../../shared/domain-xml/advisor.js';
import { buildPlan, groupFindings, scanVm, type TuningPick, type TuningPlan, type TuningScan, type VmFindings } from '../../../shared/tuning/index.js';
import { parseVolList } from '../libvirt/hardware-facts.js';
import { capabilitiesOfferKvm, parseNumaCells } from '../libvirt/host-info.js';
import { isActiveState } from '../libvirt/parse.js';

export interface VirshRunner {
  run(args: readonly string[], options?: { stdin?: string }): Promise<string>;
}

/** What the scan needs of a connected host. */
export interface ScanHost {
  id: string;
  label: string;
  virsh: VirshRunner;
  vms: readonly VmSummary[];
}

/** dumpxml calls in flight per host: the long-lived virsh answers one at a time, the rest get
 *  channels of their own (sshd allows 10 per connection, shared with everything else). */
const READS_PER_HOST = 4;

const names = (out: string) => out.split('\n').map((l) => l.trim()).filter(Boolean);

export async function hostFacts(virsh: VirshRunner): Promise<HostFacts> {
  const soft = (p: Promise<string>) => p.catch(() => '');
  const [caps, pools] = await Promise.all([soft(virsh.run(['capabilities'])), soft(virsh.run(['pool-list', '--name']))]);
  const volumes = (await Promise.all(names(pools).map(async (p) => parseVolList(p, await soft(virsh.run(['vol-list', '--pool', p])))))).flat();
  return {
    kvm: capabilitiesOfferKvm(caps),
    numaCells: parseNumaCells(caps).map((c) => ({ id: c.id, cpus: c.cpus.length, memoryKiB: c.memoryKiB ?? 0 })),
    volumes,
  };
}

/** Run `work` over `items`, at most `limit` at a time, keeping their order in the result. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const dumpInactive = (virsh: VirshRunner, name: string) => virsh.run(['dumpxml', '--inactive', '--security-info', '--domain', name]);

/** One host's VMs with their findings; VMs that vanish while it reads are left out. */
async function scanHost(host: ScanHost, only?: ReadonlySet<string>): Promise<{ vms: VmFindings[]; skipped: TuningScan['skipped'] }> {
  const skipped: TuningScan['skipped'] = [];
  const candidates = host.vms.filter((v) => {
    if (only && !only.has(v.name)) return false;
    if (v.driver && v.driver !== 'qemu') return false;
    if (v.template) skipped.push({ hostId: host.id, name: v.name, reason: 'a template: its linked clones read its disks' });
    return !v.template;
  });
  const facts = await hostFacts(host.virsh);
  const read = await mapLimited(candidates, READS_PER_HOST, async (vm) => {
    try {
      const xml = await dumpInactive(host.virsh, vm.name);
      return scanVm({ hostId: host.id, hostLabel: host.label, name: vm.name, running: isActiveState(vm.state), xml, facts });
    } catch (err) {
      skipped.push({ hostId: host.id, name: vm.name, reason: (err as Error).message });
      return null;
    }
  });
  return { vms: read.filter((v): v is VmFindings => v !== null), skipped };
}

export async function scanFleet(hosts: readonly ScanHost[], now = Date.now()): Promise<TuningScan> {
  const results = await Promise.all(
    hosts.map(async (h) => {
      try {
        return { ...(await scanHost(h)), error: undefined };
      } catch (err) {
        return { vms: [], skipped: [], error: { hostId: h.id, hostLabel: h.label, error: (err as Error).message } };
      }
    }),
  );
  const vms = results.flatMap((r) => r.vms);
  return { vms, groups: groupFindings(vms), hostErrors: results.flatMap((r) => (r.error ? [r.error] : [])), skipped: results.flatMap((r) => r.skipped), scannedAt: now };
}

/** A plan from the picks, each VM read again now (its XML then is the plan's base). */
export async function planPicks(hosts: readonly ScanHost[], picks: readonly TuningPick[], now = Date.now()): Promise<TuningPlan> {
  const byHost = new Map<string, Set<string>>();
  for (const p of picks) (byHost.get(p.hostId) ?? byHost.set(p.hostId, new Set()).get(p.hostId)!).add(p.name);
  const vms: VmFindings[] = [];
  const dropped: TuningPlan['dropped'] = [];
  await Promise.all(
    [...byHost].map(async ([hostId, wanted]) => {
      const host = hosts.find((h) => h.id === hostId);
      if (!host) {
        for (const name of wanted) dropped.push({ hostId, name, reason: 'its host is not connected' });
        return;
      }
      const r = await scanHost(host, wanted);
      vms.push(...r.vms);
      for (const s of r.skipped) dropped.push({ hostId: s.hostId, name: s.name, reason: s.reason });
    }),
  );
  const plan = buildPlan(vms, picks.filter((p) => !dropped.some((d) => d.hostId === p.hostId && d.name === p.name)), now);
  return { ...plan, dropped: [...dropped, ...plan.dropped] };
}
