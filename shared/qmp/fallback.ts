// What can be told of the guest's virtio drivers on a QEMU without x-query-virtio (older than
// 7.2, or one that renamed it; query-commands says which): query-pci lists the virtio devices on
// the PCI bus with their device ids (libvirt's aliases), so each is shown, with its state
// "unknown" — PCI config does not say whether a driver runs. The balloon is the exception: its
// driver sends memory statistics as it starts, and QEMU keeps when it last got them (qom-get
// guest-stats), so a balloon that has reported is driven. Nothing else is guessed.

import type { DeviceRef } from '../domain-xml';
import { isObject, listOf } from './reply';
import type { VirtioDeviceReport, VirtioReport } from './report';

/** The virtio vendor id on PCI (Red Hat / Qumranet). */
const VIRTIO_VENDOR = 0x1af4;
/** Virtio device types (the virtio spec's device ids) by QEMU's type name. */
const VIRTIO_TYPES: Readonly<Record<number, string>> = {
  1: 'virtio-net', 2: 'virtio-blk', 3: 'virtio-serial', 4: 'virtio-rng', 5: 'virtio-balloon', 8: 'virtio-scsi',
  9: 'virtio-9p', 16: 'virtio-gpu', 18: 'virtio-input', 19: 'vhost-vsock', 26: 'vhost-user-fs',
};

/** One virtio function on the guest's PCI buses, from query-pci. */
export interface PciVirtio {
  /** "00:03.0" (bus:slot.function, hex). */
  address: string;
  type: string;
  /** The -device id libvirt gave it (its alias), or null. */
  qdevId: string | null;
}

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');

/** The virtio type of a PCI id: transitional devices (0x1000–0x103f) carry it as the subsystem
 *  id, modern ones (0x1040+) as device id − 0x1040. Null for other vendors. */
export function virtioPciType(vendor: number, device: number, subsystem: number | undefined): string | null {
  if (vendor !== VIRTIO_VENDOR || device < 0x1000 || device > 0x107f) return null;
  const t = device >= 0x1040 ? device - 0x1040 : subsystem;
  return t === undefined ? 'virtio' : (VIRTIO_TYPES[t] ?? `virtio (type ${t})`);
}

/** Every virtio function query-pci lists, behind bridges too. */
export function parsePciVirtio(ret: unknown): PciVirtio[] {
  const out: PciVirtio[] = [];
  const walk = (devices: unknown) => {
    for (const d of Array.isArray(devices) ? devices : []) {
      if (!isObject(d)) continue;
      const id = isObject(d.id) ? d.id : {};
      const type = typeof id.vendor === 'number' && typeof id.device === 'number' ? virtioPciType(id.vendor, id.device, typeof id.subsystem === 'number' ? id.subsystem : undefined) : null;
      if (type) {
        const address = `${hex(Number(d.bus ?? 0), 2)}:${hex(Number(d.slot ?? 0), 2)}.${hex(Number(d.function ?? 0), 1)}`;
        out.push({ address, type, qdevId: typeof d.qdev_id === 'string' && d.qdev_id ? d.qdev_id : null });
      }
      if (isObject(d.pci_bridge)) walk(d.pci_bridge.devices);
    }
  };
  for (const bus of listOf(ret, 'query-pci')) if (isObject(bus)) walk(bus.devices);
  return out;
}

/** When the balloon's driver last sent statistics (qom-get guest-stats "last-update", host
 *  seconds); 0 when it never has. */
export function balloonLastUpdate(ret: unknown): number {
  if (!isObject(ret) || typeof ret['last-update'] !== 'number') throw new Error('QMP qom-get guest-stats: expected {"last-update": …}');
  return ret['last-update'];
}

export const UNKNOWN_BY_PCI = 'this QEMU has no x-query-virtio: query-pci shows the device on the PCI bus, not whether the guest drives it';

/**
 * The report from query-pci (or why it could not be read) and, for the balloon, when its driver
 * last reported (or why that is not known). `missing`: the virtio commands query-commands lacks.
 */
export function fallbackReport(at: number, missing: readonly string[], pci: PciVirtio[] | Error, balloon: number | Error | null, aliases: ReadonlyMap<string, DeviceRef>): VirtioReport {
  const lacks = `This QEMU does not offer ${missing.join(' and ')} (query-commands; it came with QEMU 7.2)`;
  if (pci instanceof Error) return { at, running: true, supported: false, note: `${lacks}, and query-pci failed (${pci.message}): whether the guest drives its virtio devices is unknown.`, devices: [] };
  const devices = pci.map((p): VirtioDeviceReport => {
    const ref = p.qdevId ? (aliases.get(p.qdevId) ?? null) : null;
    const base = { path: p.qdevId ? `/machine/peripheral/${p.qdevId}` : `pci ${p.address}`, type: p.type, alias: p.qdevId, ref, statuses: [] };
    if (p.type === 'virtio-balloon' && typeof balloon === 'number' && balloon > 0) {
      return { ...base, state: 'ready', basis: `its driver sent memory statistics (last at ${new Date(balloon * 1000).toISOString()}, qom-get guest-stats)` };
    }
    const why = p.type === 'virtio-balloon' ? (balloon instanceof Error ? `its statistics could not be read (${balloon.message})` : 'its driver has sent no memory statistics (yet)') : UNKNOWN_BY_PCI;
    return { ...base, state: 'unknown', basis: why };
  });
  return { at, running: true, supported: false, note: `${lacks}: the devices come from query-pci and each state is unknown, except what the balloon's statistics prove.`, devices };
}
