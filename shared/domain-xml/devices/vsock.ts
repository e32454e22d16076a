// <vsock>: a virtio socket between host and guest, addressed by the guest's context id (CID).
// A domain has at most one; setting it (or its CID) waits for the next boot.

import type { Element } from '@xmldom/xmldom';
import { devicesOfKind } from '../domain';
import { type Ctx, type Handlers, NEXT_BOOT } from '../handler';
import type { VsockView } from '../types';
import { appendDevice } from '../xml/device-xml';
import { attr, child, createEl, insertEl } from '../xml/xml-doc';

/** CIDs 0–2 are the hypervisor's, the host's and reserved; 2^32-1 is "any". */
export const MIN_VSOCK_CID = 3;
export const MAX_VSOCK_CID = 0xfffffffe;

export type VsockEdit =
  // Sets the vsock's CID (added when the domain has none): 'auto' lets libvirt pick a free one at start.
  { kind: 'set-vsock'; cid: 'auto' | number };

export function readVsock(v: Element): VsockView {
  const cid = child(v, 'cid');
  const address = attr(cid, 'address');
  return { model: attr(v, 'model'), auto: attr(cid, 'auto') === 'yes', cid: address === null ? null : Number(address) };
}

function cidAttrs(cid: 'auto' | number): Record<string, string> {
  if (cid === 'auto') return { auto: 'yes' };
  if (!Number.isInteger(cid) || cid < MIN_VSOCK_CID || cid > MAX_VSOCK_CID) {
    throw new Error(`invalid vsock CID '${String(cid)}' (expected 'auto' or ${MIN_VSOCK_CID}–${MAX_VSOCK_CID})`);
  }
  return { auto: 'no', address: String(cid) };
}

function setVsock(c: Ctx, cid: 'auto' | number): void {
  const attrs = cidAttrs(cid);
  const existing = devicesOfKind(c.domain, 'vsock')[0];
  if (!existing) {
    appendDevice(c.xd, c.domain, createEl(c.xd, 'vsock', { model: 'virtio' }, [createEl(c.xd, 'cid', attrs)]));
    return;
  }
  const el = child(existing, 'cid');
  if (!el) {
    insertEl(c.xd, existing, createEl(c.xd, 'cid', attrs), { before: child(existing, 'address') });
    return;
  }
  el.removeAttribute('address');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
}

export const vsockHandlers = {
  'set-vsock': { apply: (c, e) => setVsock(c, e.cid), live: NEXT_BOOT },
} satisfies Handlers<VsockEdit>;

/** The single vsock of a domain (libvirt allows one), or null. */
export function readDomainVsock(domain: Element): VsockView | null {
  const v = devicesOfKind(domain, 'vsock')[0];
  return v ? readVsock(v) : null;
}
