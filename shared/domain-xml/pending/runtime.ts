// How a device kind or domain part states the state only a running VM has, once, in its own
// module (from libvirt's formatdomain documentation: what libvirt generates or resolves at start).
//
// A path names elements below the device (or part) element, `/`-separated, optionally ending in
// `@attribute`: 'alias', 'target@state', 'source/seclabel', '@tty'. '' is the element itself.

import type { Element } from '@xmldom/xmldom';

export interface RuntimeState {
  /** Only a running VM has these (aliases, tty, channel state…): ignored on both sides. */
  runtime?: readonly string[];
  /**
   * Filled in or resolved by libvirt at start (addresses, generated socket paths, listen
   * addresses from qemu.conf), or dropped by it: ignored when only one side has it, compared
   * when both do.
   */
  resolved?: readonly string[];
  /** Runtime-only under a condition on the element (e.g. the port of an autoport display). */
  when?: readonly { test: (el: Element) => boolean; runtime: readonly string[] }[];
}

/** What every device carries at runtime: its alias; libvirt fills in an address at start. */
export const DEVICE_RUNTIME: RuntimeState = { runtime: ['alias'], resolved: ['address'] };
