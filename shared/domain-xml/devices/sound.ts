// <sound>: an emulated sound card. Its model can be changed and one added; both wait for the next
// boot (QEMU cannot plug a sound card into a running guest).

import type { Element } from '@xmldom/xmldom';
import { nthDevice } from '../domain';
import { type Ctx, type Handlers, NEXT_BOOT, oneOf } from '../handler';
import type { SoundView } from '../types';
import { appendDevice } from '../xml/device-xml';
import { attr, createEl, elements, removeEl } from '../xml/xml-doc';

/** libvirt's sound models (ich9 is what virt-install picks on q35, ich6 on i440fx). */
export const SOUND_MODELS = ['ich9', 'ich6', 'ich7', 'ac97', 'es1370', 'sb16', 'pcspk', 'usb'] as const;
export type SoundModel = (typeof SOUND_MODELS)[number];

export type SoundEdit =
  // Changes the model of the sound card at index.
  | { kind: 'set-sound-model'; index: number; model: SoundModel }
  // Adds a sound card.
  | { kind: 'add-sound'; model: SoundModel };

export function readSound(s: Element, index: number): SoundView {
  return { index, model: attr(s, 'model') };
}

function setSoundModel(c: Ctx, index: number, model: string): void {
  const m = oneOf('sound model', model, SOUND_MODELS);
  const el = nthDevice(c.domain, 'sound', index);
  if (attr(el, 'model') === m) return;
  // A PCI card's slot means nothing to an ISA or USB one (and back): libvirt assigns a fresh one.
  elements(el, 'address').forEach(removeEl);
  el.setAttribute('model', m);
}

export const soundHandlers = {
  'set-sound-model': { apply: (c, e) => setSoundModel(c, e.index, e.model), live: NEXT_BOOT },
  'add-sound': {
    apply: (c, e) => void appendDevice(c.xd, c.domain, createEl(c.xd, 'sound', { model: oneOf('sound model', e.model, SOUND_MODELS) })),
    live: NEXT_BOOT,
  },
} satisfies Handlers<SoundEdit>;
