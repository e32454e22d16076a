// Which edits reach a running VM, in one place for the backend (what it applies live after the
// define) and the renderer (what it tells the user): each module states the rule beside its
// edit handler, and this file reads them.

import { diskHotplugs } from './devices/disk';
import { hostdevHotplugs } from './devices/hostdev';
import { inputHotplugs } from './devices/input';
import { redirdevHotplugs } from './devices/redirdev';
import { rngHotplugs } from './devices/rng';
import { type DomainEdit, type DomainEditKind, EDIT_HANDLERS, handlerOf } from './edits';
import type { EditHandler, HotplugTag, LiveRule } from './handler';
import type { DomainView } from './types';

export { HOTPLUG_TAGS, isHotplugTag, type HotplugTag, type LiveMode, type LiveRule } from './handler';

/** What this edit does to a running VM once the next-boot config is written. */
export function editLiveRule(e: DomainEdit): LiveRule {
  const h = handlerOf(e) as EditHandler<DomainEdit>;
  return typeof h.live === 'function' ? h.live(e) : h.live;
}

type Handlers = typeof EDIT_HANDLERS;

/** The edit kinds libvirt also applies to the running VM by a command of their own. */
export type LiveEditKind = { [K in DomainEditKind]: Handlers[K]['live'] extends { mode: 'live' } ? K : never }[DomainEditKind];
export type LiveEdit = Extract<DomainEdit, { kind: LiveEditKind }>;

/** The edit kinds that apply live (see LiveEditKind), as a list. */
export const LIVE_EDIT_KINDS = (Object.keys(EDIT_HANDLERS) as DomainEditKind[]).filter((k) => {
  const live = EDIT_HANDLERS[k].live;
  return typeof live !== 'function' && live.mode === 'live';
}) as LiveEditKind[];

export function isLiveEdit(e: DomainEdit): e is LiveEdit {
  return (LIVE_EDIT_KINDS as readonly string[]).includes(e.kind);
}

/** Whether the device of `tag` at position `pos` in `view` can be plugged into or out of the running VM. */
export function canHotplug(view: DomainView, tag: HotplugTag, pos: number): boolean {
  switch (tag) {
    case 'interface':
      return view.interfaces[pos] !== undefined;
    case 'disk':
      return diskHotplugs(view.disks[pos]);
    case 'rng':
      return view.rngs[pos] !== undefined && rngHotplugs(view.rngs[pos]);
    case 'input':
      return inputHotplugs(view.inputs[pos]);
    case 'redirdev':
      return redirdevHotplugs(view.redirdevs[pos]);
    case 'hostdev':
      return hostdevHotplugs(view.hostdevs[pos]);
  }
}
