// The advisor run over one VM, and its findings counted across the fleet by kind and host.
import { advise, isWindows, type HostFacts } from '../domain-xml/advisor/index';
import { readDomain } from '../domain-xml/read';
import type { FindingGroup, FindingKind, TuningFinding, VmFindings } from './types';

/** What each kind of finding fixes, as the tuning page lists it. */
const KIND_LABELS: Record<string, string> = {
  'disk-bus': 'Disks on SATA/IDE → virtio-scsi',
  'disk-bus-gate': 'Disks waiting for a proven virtio-scsi driver',
  'windows-virtio-drivers': 'Windows: virtio drivers first (safe path)',
  'nic-model': 'Emulated NICs → virtio-net',
  'disk-discard': 'Discard off on thin storage',
  memballoon: 'No virtio memory balloon',
  'memballoon-stats': 'Balloon without guest statistics',
  'video-model': 'Emulated video → virtio-gpu / QXL',
  'cpu-mode': 'CPU mode → host-passthrough',
  numa: 'vCPUs or memory spanning NUMA cells',
  'guest-agent': 'No guest agent channel',
};

/** Kinds in the order the page lists them: the big wins first. */
const KIND_ORDER = Object.keys(KIND_LABELS);

export const kindOf = (findingId: string): FindingKind => findingId.split(':')[0]!;
export const kindLabel = (kind: FindingKind): string => KIND_LABELS[kind] ?? kind;

export interface ScanInput {
  hostId: string;
  hostLabel: string;
  name: string;
  running: boolean;
  xml: string;
  facts: HostFacts;
}

/** The advisor's findings of one VM as plain data. The scan has no running guest's driver proof
 *  (QEMU per VM would cost a command each): the OS is the hint, as for a VM that is off, and the
 *  Windows guard gives Windows guests the safe path, never a bus move. */
export function scanVm(input: ScanInput): VmFindings {
  const view = readDomain(input.xml);
  const findings: TuningFinding[] = advise(view, input.facts).map((f) => ({
    id: f.id,
    kind: kindOf(f.id),
    title: f.title,
    reason: f.reason,
    severity: f.severity,
    edits: f.edits,
    newVolumes: f.newVolumes ?? [],
    inBulk: f.inApplyAll && f.edits.length > 0,
  }));
  return {
    hostId: input.hostId,
    hostLabel: input.hostLabel,
    name: input.name,
    running: input.running,
    windows: isWindows(view),
    os: view.metadata.libosinfoId ?? null,
    xml: input.xml,
    findings,
  };
}

/** Findings counted by kind (in KIND_ORDER, unknown kinds last) and, within a kind, by host. */
export function groupFindings(vms: readonly VmFindings[]): FindingGroup[] {
  const groups = new Map<FindingKind, FindingGroup & { vmKeys: Set<string> }>();
  for (const vm of vms) {
    for (const f of vm.findings) {
      let g = groups.get(f.kind);
      if (!g) groups.set(f.kind, (g = { kind: f.kind, label: kindLabel(f.kind), findings: 0, vms: 0, byHost: {}, vmKeys: new Set() }));
      const key = `${vm.hostId}\u0000${vm.name}`;
      const host = (g.byHost[vm.hostId] ??= { findings: 0, vms: 0 });
      g.findings++;
      host.findings++;
      if (!g.vmKeys.has(key)) {
        g.vmKeys.add(key);
        g.vms++;
        host.vms++;
      }
    }
  }
  const rank = (k: FindingKind) => {
    const i = KIND_ORDER.indexOf(k);
    return i < 0 ? KIND_ORDER.length : i;
  };
  return [...groups.values()].sort((a, b) => rank(a.kind) - rank(b.kind) || a.kind.localeCompare(b.kind)).map(({ vmKeys: _, ...g }) => g);
}

/** One line for the page's head: "41 VMs on 3 hosts can be made faster: 29 Disks …, 35 NICs …". */
export function scanSummary(vms: readonly VmFindings[], groups: readonly FindingGroup[]): string {
  const withFindings = vms.filter((v) => v.findings.length > 0);
  const hosts = new Set(withFindings.map((v) => v.hostId)).size;
  if (!withFindings.length) return `Nothing to tune on ${vms.length} VM${vms.length === 1 ? '' : 's'}`;
  const parts = groups.map((g) => `${g.findings} × ${g.label}`);
  return `${withFindings.length} VM${withFindings.length === 1 ? '' : 's'} on ${hosts} host${hosts === 1 ? '' : 's'} can be tuned: ${parts.join(', ')}`;
}

/** The picks "all findings of a kind" (bulk-safe ones only), optionally of one host. */
export function pickKind(vms: readonly VmFindings[], kind: FindingKind, hostId?: string): { hostId: string; name: string; findingId: string }[] {
  return vms
    .filter((v) => !hostId || v.hostId === hostId)
    .flatMap((v) => v.findings.filter((f) => f.kind === kind && f.inBulk).map((f) => ({ hostId: v.hostId, name: v.name, findingId: f.id })));
}
