// The tuning advisor: what in a domain is not paravirtualized or not tuned as the usual
// "Ubuntu as hypervisor" advice recommends, each finding with its reason and the edits that fix it.
// Pure: it reads a DomainView (and optional facts about the host) and proposes DomainEdits.

import type { DomainEdit } from './edits';
import type { DomainView } from './types';

export interface HostFacts {
  /** Whether the host can run KVM guests (the domain's own type 'kvm' implies it). */
  kvm?: boolean;
}

export interface Finding {
  /** Stable id, e.g. "disk-bus:sda", "nic-model:0". */
  id: string;
  /** One line, e.g. "Disk sda is on SATA". */
  title: string;
  /** Why it matters, and what the fix does. */
  reason: string;
  /** 'warn' findings need the admin's attention before a fix (Windows guests). */
  severity: 'info' | 'warn';
  /** The edits that fix it; empty when there is no safe one-click fix. */
  edits: DomainEdit[];
  /** Where the fix is safe to include in "Apply all". */
  inApplyAll: boolean;
  /** The fix button's words when "Fix" would undersell it. */
  fixLabel?: string;
}

const VIRTIO_NIC = new Set(['virtio', 'virtio-transitional', 'virtio-non-transitional']);
const VIRTIO_BALLOON = VIRTIO_NIC;
const EMULATED_VIDEO = new Set(['cirrus', 'vga', 'vmvga', 'bochs']);
const GUEST_AGENT = 'org.qemu.guest_agent.0';

/** libosinfo says Windows (ids like http://microsoft.com/win/10). */
export function isWindows(view: DomainView): boolean {
  return /microsoft\.com\/win/i.test(view.metadata.libosinfoId ?? '');
}

export function advise(view: DomainView, facts: HostFacts = {}): Finding[] {
  const out: Finding[] = [];
  const windows = isWindows(view);
  const disks = view.disks.filter((d) => d.device === 'disk' && d.target);
  const slowDisks = disks.filter((d) => d.bus !== 'virtio' && d.bus !== 'scsi');

  // Thin storage: discard lets the guest's TRIM free space in the qcow2 file (and on SSDs).
  // Listed before the bus changes so "Apply all" edits the disks under their current names.
  for (const d of disks) {
    if (d.driver.type === 'qcow2' && d.driver.discard !== 'unmap') {
      out.push({
        id: `disk-discard:${d.target}`,
        title: `Disk ${d.target}: discard is off on thin (qcow2) storage`,
        reason: "Without discard='unmap' space the guest frees is never given back to the host; detect_zeroes='unmap' turns written zeroes into holes too.",
        severity: 'info',
        edits: [{ kind: 'set-disk-driver', target: d.target!, discard: 'unmap', detect_zeroes: 'unmap' }],
        inApplyAll: true,
      });
    }
  }

  if (windows && slowDisks.length > 0) {
    out.push({
      id: 'windows-virtio-drivers',
      title: `Windows guest: ${slowDisks.map((d) => d.target).join(', ')} on ${[...new Set(slowDisks.map((d) => d.bus))].join('/')} — install virtio drivers first`,
      reason:
        'Windows has no virtio storage driver out of the box: moving its boot disk to virtio or virtio-scsi now makes it unbootable (INACCESSIBLE_BOOT_DEVICE). ' +
        'Safe path: first give it a small virtio device to load the driver for (the fix adds a virtio-scsi controller and moves no disk), attach the virtio-win ISO as CD-ROM, install the drivers in Windows, then move the disks in the disk editor.',
      severity: 'warn',
      // The virtio-scsi controller alone makes Windows offer to install vioscsi for it.
      edits: view.controllers.some((c) => c.type === 'scsi' && c.model === 'virtio-scsi')
        ? []
        : [{ kind: 'add-controller', type: 'scsi', model: 'virtio-scsi' }],
      inApplyAll: false,
      fixLabel: 'Add virtio-scsi controller',
    });
  } else {
    for (const d of slowDisks) {
      out.push({
        id: `disk-bus:${d.target}`,
        title: `Disk ${d.target} is on ${(d.bus ?? 'default').toUpperCase()}`,
        reason:
          'An emulated controller costs a VM exit per I/O. virtio-scsi is paravirtualized, supports discard and many disks; the disk goes onto a virtio-scsi controller (never the default LSI one, which RHEL 7+ guests have no driver for).',
        severity: 'info',
        edits: [{ kind: 'set-disk-bus', target: d.target!, bus: 'scsi' }],
        inApplyAll: true,
      });
    }
  }

  for (const nic of view.interfaces) {
    if (nic.model !== null && VIRTIO_NIC.has(nic.model)) continue;
    out.push({
      id: `nic-model:${nic.index}`,
      title: `NIC ${nic.index + 1} is an emulated ${nic.model ?? 'default'} card`,
      reason: windows
        ? 'virtio-net is much faster, but Windows needs the NetKVM driver from virtio-win first, or the guest loses its network.'
        : 'An emulated card costs CPU for every packet; virtio-net is paravirtualized and much faster. Linux has the driver built in.',
      severity: windows ? 'warn' : 'info',
      edits: [{ kind: 'set-nic-model', index: nic.index, model: 'virtio' }],
      inApplyAll: !windows,
      ...(windows ? { fixLabel: 'Switch anyway' } : {}),
    });
  }

  if (!view.memballoon || !VIRTIO_BALLOON.has(view.memballoon.model ?? '')) {
    out.push({
      id: 'memballoon',
      title: view.memballoon?.model === 'none' || !view.memballoon ? 'No memory balloon' : `Memory balloon model ${view.memballoon.model}`,
      reason: 'A virtio balloon lets the host take back unused guest memory and change it while the VM runs, and reports guest memory statistics.',
      severity: 'info',
      edits: [{ kind: 'set-memballoon-model', model: 'virtio' }],
      inApplyAll: true,
    });
  }

  view.videos.forEach((v, i) => {
    if (!v.model || !EMULATED_VIDEO.has(v.model)) return;
    const model = windows ? 'qxl' : 'virtio';
    out.push({
      id: `video-model:${i}`,
      title: `Video ${i + 1} is ${v.model}`,
      reason: windows
        ? 'QXL has Windows drivers in virtio-win and draws faster than emulated VGA cards.'
        : 'virtio-gpu is paravirtualized (Linux has the driver built in), faster and resizes with the window.',
      severity: 'info',
      edits: [{ kind: 'set-video-model', index: i, model }],
      inApplyAll: true,
    });
  });

  const kvm = facts.kvm ?? view.domainType === 'kvm';
  // Under TCG (type qemu) host-passthrough is not available: only suggest it on KVM.
  if (kvm && view.domainType === 'kvm' && view.cpu?.mode !== 'host-passthrough') {
    out.push({
      id: 'cpu-mode',
      title: `CPU mode is ${view.cpu?.mode ?? 'the hypervisor default'}`,
      reason: 'host-passthrough gives the guest every feature of the host CPU (AES, AVX…): the fastest choice when the VM does not migrate to different CPUs.',
      severity: 'info',
      edits: [{ kind: 'set-cpu-mode', mode: 'host-passthrough' }],
      inApplyAll: true,
    });
  }

  if (!view.channels.some((c) => c.targetName === GUEST_AGENT)) {
    out.push({
      id: 'guest-agent',
      title: 'No guest agent channel',
      reason: 'The QEMU guest agent channel lets the host shut the guest down cleanly, freeze filesystems for backups and read its IP addresses.',
      severity: 'info',
      edits: [{ kind: 'add-guest-agent-channel' }],
      inApplyAll: true,
    });
  }
  return out;
}

/** The edits of every finding in "Apply all", in a safe order (driver and model edits before bus
 *  moves, which may rename disks). */
export function applyAllEdits(findings: readonly Finding[]): DomainEdit[] {
  const picked = findings.filter((f) => f.inApplyAll).flatMap((f) => f.edits);
  const late = (e: DomainEdit) => (e.kind === 'set-disk-bus' ? 1 : 0);
  return [...picked].sort((a, b) => late(a) - late(b));
}
