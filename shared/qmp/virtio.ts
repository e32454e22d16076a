// QEMU's own view of each virtio device (QEMU 7.2+: x-query-virtio, x-query-virtio-status):
// whether the guest's driver found, negotiated and started it. These are QEMU's words for what
// the guest did, not a guess from the OS name.

import type { GuestDriverState } from '../domain-xml';
import { isObject, listOf } from './reply';

export type { GuestDriverState } from '../domain-xml';

/** The commands this needs; a QEMU without them (older, or renamed) leaves every state unknown. */
export const VIRTIO_COMMANDS = ['x-query-virtio', 'x-query-virtio-status'] as const;

/** One virtio device of the running VM: its QOM path and QEMU's type name (virtio-blk, virtio-net…). */
export interface VirtioDevice {
  path: string;
  type: string;
}

export function parseVirtioList(ret: unknown): VirtioDevice[] {
  return listOf(ret, 'x-query-virtio').flatMap((d) =>
    isObject(d) && typeof d.path === 'string' ? [{ path: d.path, type: typeof d.name === 'string' ? d.name : 'virtio' }] : [],
  );
}

/** The parts of x-query-virtio-status that say what the guest's driver did. */
export interface VirtioStatus {
  type: string;
  /** The device status bits the guest set, by name: ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK,
   *  NEEDS_RESET, FAILED (QEMU prints "VIRTIO_CONFIG_S_DRIVER_OK: Driver setup and ready"). */
  statuses: string[];
  /** QEMU marked the device broken (the guest did something invalid). */
  broken: boolean;
}

export function parseVirtioStatus(ret: unknown): VirtioStatus {
  if (!isObject(ret)) throw new Error('QMP x-query-virtio-status: expected an object');
  const status = isObject(ret.status) ? ret.status : {};
  const statuses = Array.isArray(status.statuses) ? status.statuses.filter((s): s is string => typeof s === 'string').map(statusName) : [];
  return { type: typeof ret.name === 'string' ? ret.name : 'virtio', statuses, broken: ret.broken === true };
}

/** "VIRTIO_CONFIG_S_DRIVER_OK: Driver setup and ready" -> "DRIVER_OK". */
function statusName(s: string): string {
  const head = s.split(':')[0]!.trim();
  return head.replace(/^VIRTIO_CONFIG_S_/, '');
}

export function driverState(s: VirtioStatus): GuestDriverState {
  const has = (bit: string) => s.statuses.includes(bit);
  if (s.broken || has('FAILED') || has('NEEDS_RESET')) return 'failed';
  if (has('DRIVER_OK')) return 'ready';
  if (has('DRIVER')) return 'found';
  return 'none';
}

/** What each state says, as the UI shows it. */
export const DRIVER_STATE_TEXT: Readonly<Record<GuestDriverState, string>> = {
  ready: 'guest driver ready',
  found: 'found but not started',
  none: 'no driver',
  failed: 'needs reset/failed',
  unknown: 'unknown',
};

/** The device id in a QOM path of a device libvirt added (-device …,id=ALIAS):
 *  /machine/peripheral/ALIAS/virtio-backend -> ALIAS. Null for QEMU's own devices. */
export function aliasOfPath(path: string): string | null {
  const m = /^\/machine\/peripheral\/([^/]+)(?:\/|$)/.exec(path);
  return m ? m[1]! : null;
}
