// The tuning advisor: what in a domain is not paravirtualized or not tuned as the usual
// "Ubuntu as hypervisor" advice recommends, each finding with its reason and the edits that fix it.
// Pure: it reads a DomainView (and optional facts about the host) and proposes DomainEdits.

import type { BootDeviceRef, DomainEdit } from './edits';
import type { DiskView, DomainView } from './types';

/** A storage volume the host has (from `virsh vol-list`). */
export interface HostVolume {
  pool: string;
  name: string;
  path: string;
}

/** A volume to create (`virsh vol-create-as`) before the edits that use it are defined. */
export interface NewVolume {
  pool: string;
  name: string;
  capacityMiB: number;
  format: 'qcow2' | 'raw';
}

export interface HostFacts {
  /** Whether the host can run KVM guests (the domain's own type 'kvm' implies it). */
  kvm?: boolean;
  /** The host's NUMA cells (`virsh capabilities`): CPUs and memory of each. */
  numaCells?: { id: number; cpus: number; memoryKiB: number }[];
  /** Every volume of the host's active storage pools; undefined while not known. */
  volumes?: HostVolume[];
  /** What the host's kernel says of each block device a disk sits on (by the disk's source dev). */
  blockDevices?: Record<string, BlockDeviceFacts>;
}

/** `lsblk` on the host: whether the device accepts discard (SSDs, thin LVs) and spins. */
export interface BlockDeviceFacts {
  discard: boolean;
  rotational: boolean;
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
  /** Volumes the fix creates first (the backend creates them, and deletes them if the define fails). */
  newVolumes?: NewVolume[];
  /** A choice the fix depends on (e.g. which ISO): its options, the default, and the fix for each. */
  choice?: { label: string; options: string[]; initial: string; fix(option: string): { edits: DomainEdit[]; newVolumes: NewVolume[] } };
}

const VIRTIO_NIC = new Set(['virtio', 'virtio-transitional', 'virtio-non-transitional']);
const VIRTIO_BALLOON = VIRTIO_NIC;
const EMULATED_VIDEO = new Set(['cirrus', 'vga', 'vmvga', 'bochs']);
const GUEST_AGENT = 'org.qemu.guest_agent.0';
/** Seconds between the balloon's guest memory reports: often enough for a live graph. */
const BALLOON_STATS_PERIOD_S = 5;

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

  if (windows && slowDisks.length > 0) {
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
      edits: [
        { kind: 'set-memballoon-model', model: 'virtio' },
        { kind: 'set-memballoon-stats-period', periodS: BALLOON_STATS_PERIOD_S },
      ],
      inApplyAll: true,
    });
  } else if (!view.memballoon.statsPeriodS) {
    out.push({
      id: 'memballoon-stats',
      title: 'The memory balloon reports no guest statistics',
      reason: `Without a statistics period the guest never says how much memory it uses, so only QEMU's process size (guest RAM it touched plus QEMU's own) can be shown. With a period of ${BALLOON_STATS_PERIOD_S} s the balloon driver reports used, free and cached memory; it is applied live too.`,
      severity: 'info',
      edits: [{ kind: 'set-memballoon-stats-period', periodS: BALLOON_STATS_PERIOD_S }],
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

  const numa = numaFinding(view, facts);
  if (numa) out.push(numa);

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

/** Where a disk's image lives among the host's volumes: its pool, or null when it is in none. */
export function poolOf(disk: DiskView, volumes: readonly HostVolume[]): string | null {
  if (disk.source?.pool) return disk.source.pool;
  const file = disk.source?.file;
  if (!file) return null;
  const exact = volumes.find((v) => v.path === file);
  if (exact) return exact.pool;
  const dir = file.slice(0, file.lastIndexOf('/'));
  return volumes.find((v) => v.path.slice(0, v.path.lastIndexOf('/')) === dir)?.pool ?? null;
}

/** The .iso volumes of the host, virtio-win ones first. */
export function isoVolumes(volumes: readonly HostVolume[]): HostVolume[] {
  const isos = volumes.filter((v) => /\.iso$/i.test(v.name));
  return [...isos.filter((v) => /virtio/i.test(v.name)), ...isos.filter((v) => !/virtio/i.test(v.name))];
}

const DRIVER_DISK_MIB = 1024;

/**
 * Windows has no virtio storage driver out of the box. The safe path: a small extra disk on virtio
 * (Windows then asks for its driver, and loads viostor for it), and the virtio-win ISO in a CD-ROM
 * to install the drivers from; only after that are the boot disks moved.
 */
/**
 * With BIOS-style <os><boot dev='hd'>, the firmware boots "the first hard disk", and an empty
 * virtio disk may come first. Per-device boot orders in the same sequence keep booting what booted
 * before; the new disk gets none. Null when the domain already has per-device orders.
 */
function pinLegacyBootOrder(view: DomainView): DomainEdit | null {
  if (view.disks.some((d) => d.bootOrder !== null) || view.interfaces.some((n) => n.bootOrder !== null)) return null;
  const devices: BootDeviceRef[] = [];
  for (const dev of view.os.bootDevs.length ? view.os.bootDevs : ['hd']) {
    const disk = dev === 'hd' ? view.disks.find((d) => d.device === 'disk' && d.target) : dev === 'cdrom' ? view.disks.find((d) => d.device === 'cdrom' && d.target) : undefined;
    if (disk) devices.push({ type: 'disk', target: disk.target! });
    if (dev === 'network' && view.interfaces.length) devices.push({ type: 'interface', index: 0 });
  }
  return devices.length ? { kind: 'set-boot-order', devices } : null;
}

function windowsFinding(view: DomainView, facts: HostFacts, slowDisks: DiskView[]): Finding {
  const title = `Windows guest: ${slowDisks.map((d) => d.target).join(', ')} on ${[...new Set(slowDisks.map((d) => d.bus))].join('/')} — install virtio drivers first`;
  const why =
    'Windows has no virtio storage driver out of the box: moving its boot disk to virtio or virtio-scsi now makes it unbootable (INACCESSIBLE_BOOT_DEVICE). ';
  const base = { id: 'windows-virtio-drivers', title, severity: 'warn' as const, inApplyAll: false };
  const hasVirtioDisk = view.disks.some((d) => d.device === 'disk' && d.bus === 'virtio');
  const isoIn = view.disks.find((d) => d.device === 'cdrom' && /\.iso$/i.test(d.source?.volume ?? d.source?.file ?? ''));
  if (hasVirtioDisk && isoIn) {
    return {
      ...base,
      reason: why + `A virtio disk and the driver ISO (${isoIn.source?.volume ?? isoIn.source?.file}) are attached: boot Windows, install the virtio drivers from the CD-ROM (viostor, vioscsi, NetKVM), then move the disks in the disk editor.`,
      edits: [],
    };
  }
  if (!facts.volumes) return { ...base, reason: why + 'Reading the host\'s storage volumes…', edits: [] };
  const boot = view.disks.find((d) => d.device === 'disk' && d.bootOrder === 1) ?? slowDisks.find((d) => d.device === 'disk') ?? slowDisks[0]!;
  const pool = poolOf(boot, facts.volumes);
  const isos = isoVolumes(facts.volumes);
  const steps: string[] = [];
  if (!hasVirtioDisk) {
    steps.push(pool ? `adds a small (${DRIVER_DISK_MIB / 1024} GiB, sparse qcow2) virtio disk from pool '${pool}' — Windows loads viostor for it` : 'cannot add the small virtio disk: the boot disk is not in a storage pool (add a virtio disk from "Add hardware")');
  }
  if (!isoIn) steps.push(isos.length ? 'attaches the virtio-win ISO you choose as a CD-ROM' : 'cannot attach a driver ISO: no storage pool on this host has a volume ending in .iso — copy virtio-win.iso into a pool (e.g. /var/lib/libvirt/images) and refresh the pool');
  const reason = why + `Safe path: this fix ${steps.join(' and ')}. Then install the drivers in Windows and move the disks in the disk editor.`;
  const fix = (iso: string | null): { edits: DomainEdit[]; newVolumes: NewVolume[] } => {
    const edits: DomainEdit[] = [];
    const newVolumes: NewVolume[] = [];
    if (!hasVirtioDisk && pool) {
      const taken = new Set(facts.volumes!.filter((v) => v.pool === pool).map((v) => v.name));
      let name = `${view.name ?? 'vm'}-virtio-drivers.qcow2`;
      for (let i = 2; taken.has(name); i++) name = `${view.name ?? 'vm'}-virtio-drivers-${i}.qcow2`;
      newVolumes.push({ pool, name, capacityMiB: DRIVER_DISK_MIB, format: 'qcow2' });
      edits.push({ kind: 'add-disk', bus: 'virtio', source: { pool, volume: name }, format: 'qcow2' });
    }
    const chosen = iso ? isos.find((v) => `${v.pool}/${v.name}` === iso) : undefined;
    if (!isoIn && chosen) {
      const source = { pool: chosen.pool, volume: chosen.name };
      const empty = view.disks.find((d) => d.device === 'cdrom' && !d.source && d.target);
      if (empty) edits.push({ kind: 'change-media', target: empty.target!, source });
      else edits.push({ kind: 'add-disk', device: 'cdrom', bus: /q35/.test(view.os.machine ?? '') ? 'sata' : 'ide', source, format: 'raw' });
    }
    const pin = newVolumes.length ? pinLegacyBootOrder(view) : null;
    if (pin) edits.push(pin);
    return { edits, newVolumes };
  };
  const options = isos.map((v) => `${v.pool}/${v.name}`);
  const first = fix(options[0] ?? null);
  return {
    ...base,
    reason,
    edits: first.edits,
    newVolumes: first.newVolumes,
    fixLabel: 'Add virtio disk and driver ISO',
    ...(options.length > 1 && !isoIn ? { choice: { label: 'Driver ISO', options, initial: options[0]!, fix: (o: string) => fix(o) } } : {}),
  };
}

/**
 * A VM larger than one host NUMA cell (more vCPUs than a cell has CPUs, or more memory than a cell
 * has) runs with remote memory accesses the guest cannot see. The fix gives the guest a NUMA
 * topology of as many cells as it spans, so its kernel schedules and allocates node-locally. It
 * binds nothing on the host (no numatune nodeset): that always starts, whatever the free memory
 * per node; pinning is the admin's call.
 */
function numaFinding(view: DomainView, facts: HostFacts): Finding | null {
  const cells = facts.numaCells ?? [];
  if (cells.length < 2 || view.numatune || (view.cpu?.numaCells ?? 0) > 0) return null;
  const cellCpus = Math.max(...cells.map((c) => c.cpus));
  const cellMem = Math.max(...cells.map((c) => c.memoryKiB));
  const vcpus = view.vcpus.max ?? 1;
  const mem = view.memory.maxKiB ?? 0;
  if (vcpus <= cellCpus && mem <= cellMem) return null;
  const spans = Math.min(cells.length, Math.max(Math.ceil(vcpus / cellCpus), Math.ceil(mem / cellMem)));
  const what = [vcpus > cellCpus ? `${vcpus} vCPUs (a cell has ${cellCpus} CPUs)` : null, mem > cellMem ? `${Math.round(mem / 1024)} MiB (a cell has ${Math.round(cellMem / 1024)} MiB)` : null]
    .filter(Boolean)
    .join(' and ');
  const reason =
    `The host has ${cells.length} NUMA cells and this VM needs ${what}, so it spans cells without knowing it: memory on the other cell is slower to reach. ` +
    (vcpus >= spans
      ? `The fix gives the guest ${spans} NUMA cells (vCPUs and memory split evenly) so its kernel keeps work next to its memory; it pins nothing on the host. Not in "Apply all": afterwards memory and vCPU counts are set per cell (XML tab).`
      : `With ${vcpus} vCPU(s) the guest cannot be given ${spans} cells; consider <numatune> interleave in the XML tab.`);
  return {
    id: 'numa',
    title: 'vCPUs or memory spanning NUMA cells',
    reason,
    severity: 'info',
    edits: vcpus >= spans ? [{ kind: 'set-guest-numa', cells: spans }] : [],
    inApplyAll: false,
    fixLabel: `Give the guest ${spans} NUMA cells`,
  };
}
