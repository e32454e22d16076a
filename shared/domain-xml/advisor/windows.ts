// Windows guests on emulated storage: the safe path to virtio (a small virtio disk so Windows
// loads viostor, and the virtio-win ISO), with the host's volumes it needs.

import type { BootDeviceRef, DomainEdit } from '../edits';
import type { DiskView, DomainView } from '../types';
import type { Finding, HostFacts, HostVolume, NewVolume } from './types';

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

export function windowsFinding(view: DomainView, facts: HostFacts, slowDisks: DiskView[]): Finding {
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
