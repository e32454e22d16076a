// applyEdits: small, named changes to a domain's XML, applied to the parsed document in place.
// Each edit touches only the elements it names; everything else (unknown elements, comments,
// foreign namespaces, formatting) is carried through untouched.
//
// The edits live with what they change: one module per device (devices/) and per domain part
// (parts/), each with its value lists, its read, its handlers and their live rules. This file
// joins them: the DomainEdit union and one handler per kind.

import { findDomain } from './domain';
import { type BalloonEdit, balloonHandlers } from './devices/balloon';
import { type ChardevEdit, chardevHandlers } from './devices/chardev';
import { type ControllerEdit, controllerHandlers } from './devices/controller';
import { type DiskEdit, diskHandlers } from './devices/disk';
import { type FilesystemEdit, filesystemHandlers } from './devices/filesystem';
import { type GenericEdit, genericHandlers } from './devices/generic';
import { type GraphicsEdit, graphicsHandlers } from './devices/graphics';
import { type HostdevEdit, hostdevHandlers } from './devices/hostdev';
import { type InputEdit, inputHandlers } from './devices/input';
import { type NicEdit, nicHandlers } from './devices/nic';
import { type RedirdevEdit, redirdevHandlers } from './devices/redirdev';
import { type RngEdit, rngHandlers } from './devices/rng';
import { type SoundEdit, soundHandlers } from './devices/sound';
import { type TpmEdit, tpmHandlers } from './devices/tpm';
import { type VideoEdit, videoHandlers } from './devices/video';
import { type VsockEdit, vsockHandlers } from './devices/vsock';
import { type WatchdogEdit, watchdogHandlers } from './devices/watchdog';
import type { Ctx, EditHandler, Handlers } from './handler';
import { type BootEdit, bootHandlers } from './parts/boot';
import { type CpuEdit, cpuHandlers } from './parts/cpu';
import { type MemoryEdit, memoryHandlers } from './parts/memory';
import { type MetadataEdit, metadataHandlers } from './parts/metadata';
import { type NumaEdit, numaHandlers } from './parts/numa';
import { XmlDoc } from './xml/xml-doc';

export type { DeviceTag } from './domain';
export type { MemballoonModel } from './devices/balloon';
export type { ConsoleTarget } from './devices/chardev';
export type { AddDisk, DiskBus, DiskCache, DiskDetectZeroes, DiskDiscard, DiskIo, MediaSource, NewDiskSource } from './devices/disk';
export type { AddFilesystem, FilesystemAccessMode, NewFilesystemDriver } from './devices/filesystem';
export type { HostdevSource } from './devices/hostdev';
export type { InputBus, InputType } from './devices/input';
export type { SoundModel } from './devices/sound';
export type { TpmModel, TpmSpec, TpmVersion } from './devices/tpm';
export type { NewNicSource, NicSource } from './devices/nic';
export type { VideoModel } from './devices/video';
export type { WatchdogAction, WatchdogModel } from './devices/watchdog';
export type { BootDeviceRef, OsBootDev } from './parts/boot';
export type { CpuMode } from './parts/cpu';

export type DomainEdit =
  | MetadataEdit
  | CpuEdit
  | MemoryEdit
  | BootEdit
  | NumaEdit
  | DiskEdit
  | ControllerEdit
  | NicEdit
  | GraphicsEdit
  | VideoEdit
  | BalloonEdit
  | ChardevEdit
  | RngEdit
  | WatchdogEdit
  | InputEdit
  | SoundEdit
  | RedirdevEdit
  | TpmEdit
  | FilesystemEdit
  | VsockEdit
  | HostdevEdit
  | GenericEdit;

export type DomainEditKind = DomainEdit['kind'];

/** One handler per edit kind: a kind without one does not compile. */
export const EDIT_HANDLERS = {
  ...metadataHandlers,
  ...cpuHandlers,
  ...memoryHandlers,
  ...bootHandlers,
  ...numaHandlers,
  ...diskHandlers,
  ...controllerHandlers,
  ...nicHandlers,
  ...graphicsHandlers,
  ...videoHandlers,
  ...balloonHandlers,
  ...chardevHandlers,
  ...rngHandlers,
  ...watchdogHandlers,
  ...inputHandlers,
  ...soundHandlers,
  ...redirdevHandlers,
  ...tpmHandlers,
  ...filesystemHandlers,
  ...vsockHandlers,
  ...hostdevHandlers,
  ...genericHandlers,
} satisfies Handlers<DomainEdit>;

export function handlerOf<E extends DomainEdit>(e: E): EditHandler<E> {
  const h = (EDIT_HANDLERS as Record<string, EditHandler<E>>)[e.kind];
  if (!h || !Object.hasOwn(EDIT_HANDLERS, e.kind)) throw new Error(`unknown edit kind '${String((e as { kind?: unknown }).kind)}'`);
  return h;
}

/**
 * Applies edits in order to a fresh parse of xml and returns the new XML. All or nothing: an
 * invalid edit throws (naming the edit and what was wrong) and no partial result escapes.
 */
export function applyEdits(xml: string, edits: readonly DomainEdit[]): string {
  const xd = new XmlDoc(xml);
  const c: Ctx = { xd, domain: findDomain(xd), checks: new Set() };
  edits.forEach((e, i) => {
    try {
      handlerOf(e).apply(c, e);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      // One edit (what an editor's Apply sends): its message alone, in the person's words.
      throw new Error(edits.length > 1 ? `edit ${i + 1} (${e.kind}): ${msg}` : msg);
    }
  });
  for (const check of c.checks) check(c);
  return xd.serialize();
}
