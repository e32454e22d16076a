// A plan from picked findings: per VM the edits (in a safe order), the XML before and after with
// the diff, when the change reaches the VM, and what could go wrong. The XML before is also the
// undo data: undo defines it again.
import { applyEdits, type DomainEdit } from '../domain-xml/edits';
import { editLiveRule } from '../domain-xml/live';
import { diffLines, formatDiff } from '../domain-xml/xml/diff';
import { isRiskyEdit } from '../snapshots/first';
import type { PlanItem, PlanTiming, TuningFinding, TuningPick, TuningPlan, VmFindings } from './types';

const vmKey = (hostId: string, name: string) => `${hostId}\u0000${name}`;

/** Driver and model edits before bus moves (a move may rename a disk the others name). */
function ordered(edits: DomainEdit[]): DomainEdit[] {
  const late = (e: DomainEdit) => (e.kind === 'set-disk-bus' ? 1 : 0);
  return [...edits].sort((a, b) => late(a) - late(b));
}

function timingOf(running: boolean, edits: readonly DomainEdit[]): PlanTiming {
  if (!running) return 'next-start';
  return edits.every((e) => editLiveRule(e).mode !== 'next-boot') ? 'live' : 'restart';
}

function risksOf(vm: VmFindings, picked: readonly TuningFinding[], edits: readonly DomainEdit[], timing: PlanTiming): string[] {
  const risks: string[] = [];
  for (const f of picked) {
    if (f.severity === 'warn') risks.push(`${f.title}: ${f.reason}`);
    else if (f.kind === 'disk-bus') risks.push(`${f.title}: the guest must load virtio_scsi early (in its initramfs) to boot from it; /etc/fstab entries by UUID or label keep working.`);
    else if (f.kind === 'nic-model') risks.push(`${f.title}: the guest's NIC driver changes (the MAC stays); a name tied to the old driver or slot may change.`);
    else if (f.kind === 'cpu-mode') risks.push('host-passthrough ties the VM to this CPU model: a live move to a host with another CPU fails.');
    else if (f.kind === 'numa') risks.push('Afterwards memory and vCPUs are set per NUMA cell (XML tab).');
  }
  for (const v of picked.flatMap((f) => f.newVolumes)) risks.push(`Creates volume ${v.pool}/${v.name} (${v.capacityMiB} MiB ${v.format}); undo keeps it.`);
  if (timing === 'restart') risks.push(`${vm.name} is running: ${edits.filter((e) => editLiveRule(e).mode === 'next-boot').length} change(s) wait for a restart (restart policy).`);
  return risks;
}

/** The plan item of one VM and the findings picked in it; a reason string when there is none. */
export function planVm(vm: VmFindings, findingIds: readonly string[]): PlanItem | string {
  const want = new Set(findingIds);
  const picked = vm.findings.filter((f) => want.has(f.id));
  const missing = [...want].filter((id) => !picked.some((f) => f.id === id));
  if (missing.length) return `no longer found: ${missing.join(', ')}`;
  const edits = ordered(picked.flatMap((f) => f.edits));
  if (!edits.length) return 'nothing to change: the picked findings have no one-click fix';
  let afterXml: string;
  try {
    afterXml = applyEdits(vm.xml, edits);
  } catch (err) {
    return `the edits do not apply: ${(err as Error).message}`;
  }
  const timing = timingOf(vm.running, edits);
  return {
    hostId: vm.hostId,
    hostLabel: vm.hostLabel,
    name: vm.name,
    running: vm.running,
    baseXml: vm.xml,
    afterXml,
    diff: formatDiff(diffLines(vm.xml.trimEnd(), afterXml.trimEnd())),
    findings: picked.map((f) => ({ id: f.id, kind: f.kind, title: f.title })),
    edits,
    newVolumes: picked.flatMap((f) => f.newVolumes),
    timing,
    risks: risksOf(vm, picked, edits, timing),
    snapshotAdvised: edits.some(isRiskyEdit),
  };
}

/** The plan of every pick: one item per VM (picks of the same VM merged), hosts in pick order. */
export function buildPlan(vms: readonly VmFindings[], picks: readonly TuningPick[], now = Date.now()): TuningPlan {
  const byKey = new Map(vms.map((v) => [vmKey(v.hostId, v.name), v]));
  const merged = new Map<string, { hostId: string; name: string; ids: Set<string> }>();
  for (const p of picks) {
    const k = vmKey(p.hostId, p.name);
    const m = merged.get(k) ?? { hostId: p.hostId, name: p.name, ids: new Set<string>() };
    for (const id of p.findingIds) m.ids.add(id);
    merged.set(k, m);
  }
  const plan: TuningPlan = { items: [], dropped: [], createdAt: now };
  for (const [k, m] of merged) {
    const vm = byKey.get(k);
    if (!vm) {
      plan.dropped.push({ hostId: m.hostId, name: m.name, reason: 'not found on its host' });
      continue;
    }
    if (!m.ids.size) continue;
    const item = planVm(vm, [...m.ids]);
    if (typeof item === 'string') plan.dropped.push({ hostId: m.hostId, name: m.name, reason: item });
    else plan.items.push(item);
  }
  return plan;
}

/** Group picks of single findings ({hostId, name, findingId}) into one pick per VM. */
export function picksOf(selected: Iterable<{ hostId: string; name: string; findingId: string }>): TuningPick[] {
  const out = new Map<string, TuningPick>();
  for (const s of selected) {
    const k = vmKey(s.hostId, s.name);
    const p = out.get(k) ?? { hostId: s.hostId, name: s.name, findingIds: [] };
    if (!p.findingIds.includes(s.findingId)) p.findingIds.push(s.findingId);
    out.set(k, p);
  }
  return [...out.values()];
}
