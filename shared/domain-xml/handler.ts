// What every edit handler shares: the document being edited, the handler shape (its DOM change and
// its live rule side by side), and the small validators and setters the device modules use.

import type { Element } from '@xmldom/xmldom';
import { type XmlDoc, child, createEl, elements, placeEl, removeEl } from './xml/xml-doc';

/** The devices libvirt can plug into (and out of) a running VM. */
export const HOTPLUG_TAGS = ['interface', 'disk', 'rng', 'input', 'redirdev', 'hostdev'] as const;
export type HotplugTag = (typeof HOTPLUG_TAGS)[number];

export function isHotplugTag(tag: string): tag is HotplugTag {
  return (HOTPLUG_TAGS as readonly string[]).includes(tag);
}

/**
 * What an edit does to a running VM once the next-boot config is written:
 * - live: libvirt changes the running VM too (a virsh command such as setmem, desc, domif-setlink);
 * - hotplug: the device the edit adds or removes is attached/detached live where its bus allows;
 * - next-boot: nothing changes until the VM restarts (shown as pending).
 */
export type LiveRule = { readonly mode: 'live' } | { readonly mode: 'next-boot' } | { readonly mode: 'hotplug'; readonly device: HotplugTag };
export type LiveMode = LiveRule['mode'];

export const LIVE = { mode: 'live' } as const;
export const NEXT_BOOT = { mode: 'next-boot' } as const;
export const hotplug = <T extends HotplugTag>(device: T) => ({ mode: 'hotplug', device }) as const;

/** The document an edit changes, and checks to run once after all edits. */
export interface Ctx {
  xd: XmlDoc;
  domain: Element;
  /** Whole-domain checks an edit asks for (e.g. the CPU topology against the vCPU count). */
  checks: Set<(c: Ctx) => void>;
}

/** One edit kind: its validation + DOM change, and whether it reaches the running VM. */
export interface EditHandler<E> {
  apply(c: Ctx, e: E): void;
  live: LiveRule | ((e: E) => LiveRule);
}

/** One handler per kind of an edit union. */
export type Handlers<E extends { kind: string }> = { [K in E['kind']]: EditHandler<Extract<E, { kind: K }>> };

// ---- validation ---------------------------------------------------------------------------

export function oneOf<T extends string>(what: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new Error(`invalid ${what} '${String(value)}' (expected one of: ${allowed.join(', ')})`);
  }
  return value as T;
}

export function positiveInt(what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`invalid ${what} '${String(value)}' (expected a positive integer)`);
  }
  return value;
}

/** Text, or null to remove: nothing else (a number or object would be written as its String()). */
export function textOrNull(what: string, value: unknown): string | null {
  if (value !== null && typeof value !== 'string') throw new Error(`invalid ${what}: expected text or nothing, got ${JSON.stringify(value) ?? 'undefined'}`);
  return value;
}

/** true, false, or left out. */
export function optionalBool(what: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new Error(`invalid ${what}: expected true or false, got ${JSON.stringify(value)}`);
  return value;
}

export function nonEmpty(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`invalid ${what}: must be a non-empty string`);
  return value;
}

/** The lowest number not in `used`, from `start`. */
export function firstFree(used: ReadonlySet<number>, start = 0): number {
  let n = start;
  while (used.has(n)) n++;
  return n;
}

// ---- setters --------------------------------------------------------------------------------

export function setText(xd: XmlDoc, el: Element, value: string): void {
  while (el.firstChild) el.removeChild(el.firstChild);
  el.appendChild(xd.doc.createTextNode(value));
}

/** Sets or removes (null) an optional single child element holding text. */
export function setTextChild(xd: XmlDoc, parent: Element, name: string, value: string | null, order: readonly string[]): void {
  const existing = child(parent, name);
  if (value === null) {
    if (existing) removeEl(existing);
    return;
  }
  setText(xd, existing ?? placeEl(xd, parent, createEl(xd, name), order), value);
}

/** Adds (true) or removes (false) an empty flag element like <readonly/>. */
export function setFlagChild(xd: XmlDoc, parent: Element, name: string, on: boolean, order: readonly string[]): void {
  const existing = elements(parent, name);
  if (on && existing.length === 0) placeEl(xd, parent, createEl(xd, name), order);
  if (!on) existing.forEach(removeEl);
}
