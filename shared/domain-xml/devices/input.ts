// <input>: tablets, keyboards and mice. A new input on usb or virtio is hot-plugged (PS/2 is built
// into the machine); changing one waits for the next boot.

import type { Element } from '@xmldom/xmldom';
import { devicesOfKind, nthDevice } from '../domain';
import { type Ctx, type Handlers, NEXT_BOOT, hotplug, oneOf } from '../handler';
import type { InputView } from '../types';
import { appendDevice } from '../xml/device-xml';
import { attr, createEl, elements, removeEl } from '../xml/xml-doc';

export const INPUT_TYPES = ['tablet', 'keyboard', 'mouse'] as const;
export const INPUT_BUSES = ['usb', 'virtio', 'ps2'] as const;
/** Input buses libvirt can plug in live (PS/2 is built into the machine). */
export const HOTPLUG_INPUT_BUSES = ['usb', 'virtio'] as const satisfies readonly InputBus[];
export type InputType = (typeof INPUT_TYPES)[number];
export type InputBus = (typeof INPUT_BUSES)[number];

export type InputEdit =
  // Adds an input device (tablet, keyboard, mouse) on usb, virtio or ps2.
  | { kind: 'add-input'; type: InputType; bus: InputBus }
  // Changes an input device's type and bus (index = position among <input> elements).
  | { kind: 'set-input'; index: number; type: InputType; bus: InputBus };

export function readInput(i: Element, index: number): InputView {
  return { index, type: attr(i, 'type'), bus: attr(i, 'bus') };
}

/** Whether an input on this bus can be plugged into (or out of) a running VM. */
export function inputHotplugs(i: { bus: string | null } | undefined): boolean {
  return !!i && (HOTPLUG_INPUT_BUSES as readonly string[]).includes(i.bus ?? '');
}

function checkInput(domain: Element, type: string, bus: string): void {
  oneOf('input type', type, INPUT_TYPES);
  oneOf('input bus', bus, INPUT_BUSES);
  if (bus === 'ps2' && type === 'tablet') throw new Error('a tablet cannot be on PS/2 (use usb or virtio)');
  if (bus === 'usb' && devicesOfKind(domain, 'controller').some((c) => attr(c, 'type') === 'usb' && attr(c, 'model') === 'none')) {
    throw new Error('the domain has no USB controller (model none); use bus virtio');
  }
}

function addInput(c: Ctx, type: InputType, bus: InputBus): void {
  checkInput(c.domain, type, bus);
  // x86 always has a PS/2 mouse and keyboard (libvirt adds them itself): a second one is refused.
  if (bus === 'ps2' && devicesOfKind(c.domain, 'input').some((i) => attr(i, 'type') === type && attr(i, 'bus') === 'ps2')) {
    throw new Error(`the domain already has a PS/2 ${type}`);
  }
  appendDevice(c.xd, c.domain, createEl(c.xd, 'input', { type, bus }));
}

function setInput(c: Ctx, index: number, type: InputType, bus: InputBus): void {
  const input = nthDevice(c.domain, 'input', index);
  checkInput(c.domain, type, bus);
  if (attr(input, 'bus') === 'ps2' && (type !== attr(input, 'type') || bus !== 'ps2')) {
    throw new Error('the PS/2 mouse and keyboard are built into the machine; add a USB or virtio input instead');
  }
  if (attr(input, 'bus') !== bus) elements(input, 'address').forEach(removeEl); // a USB port or PCI slot of the old bus
  input.setAttribute('type', type);
  input.setAttribute('bus', bus);
}

export const inputHandlers = {
  'add-input': { apply: (c, e) => addInput(c, e.type, e.bus), live: hotplug('input') },
  'set-input': { apply: (c, e) => setInput(c, e.index, e.type, e.bus), live: NEXT_BOOT },
} satisfies Handlers<InputEdit>;
