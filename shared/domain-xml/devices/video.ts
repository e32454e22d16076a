// <video>: the VM's graphics card. Its model (dropping what the old model alone understood) and
// the read. Waits for the next boot.

import type { Element } from '@xmldom/xmldom';
import { intOrNull, nthDevice } from '../domain';
import { type Ctx, type Handlers, NEXT_BOOT, oneOf } from '../handler';
import type { VideoView } from '../types';
import { attr, child, elements, ensureChild, removeEl } from '../xml/xml-doc';

export const VIDEO_MODELS = ['virtio', 'qxl', 'vga', 'cirrus', 'bochs', 'ramfb', 'vmvga', 'none'] as const;
export type VideoModel = (typeof VIDEO_MODELS)[number];
/** Fully emulated cards: each draw costs VM exits (the advisor suggests virtio or qxl instead). */
export const EMULATED_VIDEO_MODELS = ['cirrus', 'vga', 'vmvga', 'bochs'] as const satisfies readonly VideoModel[];

/** Cards whose guest driver takes a size from the display (QEMU's UI info: virtio-gpu, QXL). Only
 *  these follow a VNC client's SetDesktopSize; QEMU still sends an ExtendedDesktopSize rect to a
 *  client when any other card changes mode, so the client cannot tell from the wire alone. */
export const WINDOW_SIZED_VIDEO_MODELS = ['virtio', 'qxl'] as const satisfies readonly VideoModel[];

/** Whether a VM's primary video card (primary='yes', else the first) can follow a window size. */
export function videoFollowsWindowSize(videos: Array<{ model: string | null; primary: boolean }>): boolean {
  const primary = videos.find((v) => v.primary) ?? videos[0];
  return (WINDOW_SIZED_VIDEO_MODELS as readonly string[]).includes(primary?.model ?? '');
}

export type VideoEdit =
  // Sets a video device's model, dropping attributes the new model does not have.
  { kind: 'set-video-model'; index?: number; model: VideoModel };

export function readVideo(v: Element, index: number): VideoView {
  const m = child(v, 'model');
  return {
    index,
    model: attr(m, 'type'),
    vram: intOrNull(attr(m, 'vram')),
    ram: intOrNull(attr(m, 'ram')),
    vgamem: intOrNull(attr(m, 'vgamem')),
    heads: intOrNull(attr(m, 'heads')),
    primary: attr(m, 'primary') === 'yes',
    accel3d: m !== null && attr(child(m, 'acceleration'), 'accel3d') === 'yes',
  };
}

function setVideoModel(c: Ctx, index: number, model: VideoModel): void {
  oneOf('video model', model, VIDEO_MODELS);
  const video = nthDevice(c.domain, 'video', index);
  const m = ensureChild(c.xd, video, 'model', ['driver', 'model', 'alias', 'address']);
  const before = attr(m, 'type');
  m.setAttribute('type', model);
  // Drop what only the old model understood (libvirt refuses it otherwise).
  if (model !== 'qxl') ['ram', 'vgamem'].forEach((a) => m.removeAttribute(a));
  if (['virtio', 'ramfb', 'none'].includes(model)) m.removeAttribute('vram');
  if (model !== 'qxl' && model !== 'virtio') m.removeAttribute('heads');
  if (model !== 'virtio') elements(m, 'acceleration').forEach(removeEl);
  // ramfb and none are not PCI devices; a PCI address from the old model would be stale.
  const nonPci = (t: string | null): boolean => t === 'ramfb' || t === 'none';
  if (nonPci(model) !== nonPci(before) || model === 'none') elements(video, 'address').forEach(removeEl);
}

export const videoHandlers = {
  'set-video-model': { apply: (c, e) => setVideoModel(c, e.index ?? 0, e.model), live: NEXT_BOOT },
} satisfies Handlers<VideoEdit>;
