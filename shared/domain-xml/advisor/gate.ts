// The rule every gated tuning follows: a change that needs a guest driver is offered only once
// the running guest has shown QEMU that driver at work (DRIVER_OK on a device of that kind).
// Where QEMU cannot tell, the state is "unknown" and the change stays the admin's decision.

import type { DeviceRef, GuestDriverProof, GuestDriverState } from './types';

export const STATE_WORDS: Readonly<Record<GuestDriverState, string>> = {
  ready: 'guest driver ready',
  found: 'found but not started',
  none: 'no driver',
  failed: 'needs reset/failed',
  unknown: 'unknown',
};

export interface ProvenDevice {
  ref: DeviceRef;
  state: GuestDriverState;
  statuses: string[];
}

/** Where the proof stands for one kind of device: one driving it (ready), one QEMU cannot tell
 *  about (unknown), one the guest has not started (waiting), or none running (absent). */
export type Gate = { kind: 'ready' | 'unknown' | 'waiting'; device: ProvenDevice } | { kind: 'absent' };

export function gate(proof: GuestDriverProof, matches: (ref: DeviceRef) => boolean): Gate {
  const devices = proof.devices.filter((d) => matches(d.ref));
  const ready = devices.find((d) => d.state === 'ready');
  if (ready) return { kind: 'ready', device: ready };
  const unknown = devices.find((d) => d.state === 'unknown');
  if (unknown) return { kind: 'unknown', device: unknown };
  return devices[0] ? { kind: 'waiting', device: devices[0] } : { kind: 'absent' };
}

/** QEMU's status bits of a device, for a reason text. */
export const bitsOf = (d: ProvenDevice): string => (d.statuses.length ? d.statuses.join(', ') : 'no status bits');
