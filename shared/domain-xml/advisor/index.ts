// The tuning advisor: what in a domain is not paravirtualized or not tuned as the usual
// "Ubuntu as hypervisor" advice recommends, each finding with its reason and the edits that fix it.
// Pure: it reads a DomainView (and optional facts about the host) and proposes DomainEdits.

import { machineHasSata } from '../arch';
import { GUEST_AGENT_CHANNEL } from '../devices/chardev';
import { EMULATED_VIDEO_MODELS } from '../devices/video';
import type { DomainEdit } from '../edits';
import type { DomainView } from '../types';
import { balloonFindings } from './balloon';
import { gatedDiskFindings } from './drivers';
import { nicFindings } from './nic';
import { numaFinding } from './numa';
import type { Finding, HostFacts } from './types';
import { windowsFinding } from './windows';

export type { BlockDeviceFacts, DeviceRef, Finding, GuestDriverProof, GuestDriverState, HostFacts, HostVolume, NewVolume } from './types';
export { isoVolumes, poolOf } from './windows';

const has = (list: readonly string[], value: string | null | undefined): boolean => value != null && list.includes(value);

/** libosinfo says Windows (ids like http://microsoft.com/win/10). */
export function isWindows(view: DomainView): boolean {
  return /microsoft\.com\/win/i.test(view.metadata.libosinfoId ?? '');
}

export function advise(view: DomainView, facts: HostFacts = {}): Finding[] {
  const out: Finding[] = [];
  const windows = isWindows(view);
  const disks = view.disks.filter((d) => d.device === 'disk' && d.target);
  const slowDisks = disks.filter((d) => d.bus !== 'virtio' && d.bus !== 'scsi');

  // Thin or SSD-backed storage: discard lets the guest's TRIM free space in the qcow2 file, or
  // reach the SSD / thin LV under a block disk. Listed before the bus changes so "Apply all"
  // edits the disks under their current names.
  for (const d of disks) {
    if (d.driver.discard === 'unmap') continue;
    const block = d.source?.dev ? facts.blockDevices?.[d.source.dev] : undefined;
    const storage = d.driver.type === 'qcow2' ? 'thin (qcow2) storage' : block?.discard ? (block.rotational ? `thin-provisioned block storage (${d.source!.dev})` : `SSD-backed storage (${d.source!.dev})`) : null;
    if (!storage) continue;
    out.push({
      id: `disk-discard:${d.target}`,
      title: `Disk ${d.target}: discard is off on ${storage}`,
      reason:
        d.driver.type === 'qcow2'
          ? "Without discard='unmap' space the guest frees is never given back to the host; detect_zeroes='unmap' turns written zeroes into holes too."
          : "The host's device accepts discard: with discard='unmap' the guest's TRIM reaches it, so freed blocks are returned (thin LV) and the SSD keeps its write performance.",
      severity: 'info',
      edits: [{ kind: 'set-disk-driver', target: d.target!, discard: 'unmap', detect_zeroes: 'unmap' }],
      inApplyAll: true,
    });
  }

  // While the guest runs, its own driver states decide (drivers.ts); else the OS name is the hint:
  // the Windows plan (virtio-win ISO on a SATA CD-ROM first) is for x86 PCs, elsewhere there is no SATA.
  if (facts.guestDrivers && slowDisks.length > 0) {
    out.push(...gatedDiskFindings(view, facts.guestDrivers, slowDisks, windows));
  } else if (windows && slowDisks.length > 0 && machineHasSata(view.os.arch, view.os.machine)) {
    out.push(windowsFinding(view, facts, slowDisks));
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

  out.push(...nicFindings(view, facts.guestDrivers, windows));
  out.push(...balloonFindings(view, facts.guestDrivers, windows));

  view.videos.forEach((v, i) => {
    if (!has(EMULATED_VIDEO_MODELS, v.model)) return;
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

  const numa = numaFinding(view, facts);
  if (numa) out.push(numa);

  if (!view.channels.some((c) => c.targetName === GUEST_AGENT_CHANNEL)) {
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

