// One VM's guest-driver report: every virtio device QEMU lists, the libvirt device it is, and the
// state its driver reached. Built from one query set (query-commands once, x-query-virtio, one
// x-query-virtio-status per device) and the running VM's XML (for the aliases).

import { deviceRefKey, type DeviceRef, type GuestDriverProof, type GuestDriverState } from '../domain-xml';
import { aliasOfPath, driverState, type VirtioDevice, type VirtioStatus } from './virtio';

export interface VirtioDeviceReport {
  path: string;
  /** QEMU's type name: virtio-blk, virtio-net, virtio-scsi, virtio-balloon… */
  type: string;
  alias: string | null;
  /** The libvirt device this is; null when QEMU's path names none (a device QEMU added itself). */
  ref: DeviceRef | null;
  state: GuestDriverState;
  /** The status bits set, in QEMU's order (ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK…). */
  statuses: string[];
  /** Why the state is unknown, when it is. */
  error?: string;
  /** Without x-query-virtio (a QEMU older than 7.2): what told the state, or why it cannot be told. */
  basis?: string;
}

export interface VirtioReport {
  /** When it was read (ms since the epoch). */
  at: number;
  running: boolean;
  /** This QEMU has x-query-virtio and x-query-virtio-status (query-commands said so); when not,
   *  the devices come from query-pci (shared/qmp/fallback.ts), mostly "unknown". */
  supported: boolean;
  /** Why there is nothing to show, e.g. "The VM is not running", "QEMU 6.2 has no x-query-virtio". */
  note: string | null;
  devices: VirtioDeviceReport[];
}

export const notRunningReport = (at: number): VirtioReport => ({ at, running: false, supported: false, note: 'The VM is not running: the guest drivers are read from QEMU while it runs.', devices: [] });

export function buildVirtioReport(at: number, list: readonly VirtioDevice[], statuses: ReadonlyMap<string, VirtioStatus | Error>, aliases: ReadonlyMap<string, DeviceRef>): VirtioReport {
  const devices = list.map((d): VirtioDeviceReport => {
    const alias = aliasOfPath(d.path);
    const ref = alias ? (aliases.get(alias) ?? null) : null;
    const s = statuses.get(d.path);
    if (!s || s instanceof Error) return { path: d.path, type: d.type, alias, ref, state: 'unknown', statuses: [], error: s?.message ?? 'not read' };
    return { path: d.path, type: d.type, alias, ref, state: driverState(s), statuses: s.statuses };
  });
  return { at, running: true, supported: true, note: null, devices };
}

/** The report as the advisor reads it: undefined when it proves nothing (not running, or nothing
 *  listed at all); the devices of a QEMU without x-query-virtio take part, mostly "unknown". */
export function driverProof(report: VirtioReport | null | undefined): GuestDriverProof | undefined {
  if (!report?.running || (!report.supported && report.devices.length === 0)) return undefined;
  return { devices: report.devices.flatMap((d) => (d.ref ? [{ ref: d.ref, state: d.state, statuses: d.statuses }] : [])) };
}

/** The state of one device in a report, or null when the report does not list it. */
export function deviceState(report: VirtioReport | null | undefined, ref: DeviceRef): VirtioDeviceReport | null {
  const key = deviceRefKey(ref);
  return report?.devices.find((d) => d.ref && deviceRefKey(d.ref) === key) ?? null;
}

/** What changes between two reports matters to a watcher: the devices, their states. */
export function reportSignature(r: VirtioReport): string {
  return JSON.stringify([r.running, r.supported, r.note, r.devices.map((d) => [d.path, d.alias, d.ref && deviceRefKey(d.ref), d.state, d.statuses])]);
}
