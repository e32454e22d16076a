// The small XML toolkit pool and volume XML share: building (escaped text and attributes, one
// element per line) and reading (the first element of a name, its text, a size in bytes).
import { DOMParser, type Element } from '@xmldom/xmldom';
import { UNIT_BYTES } from '../domain-xml/domain';
import { attr, childAt, elements } from '../domain-xml/xml/dom';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** `<tag attr='v'/>` or `<tag>text</tag>`, escaped. */
export function el(tag: string, attrs: Record<string, string | undefined> = {}, text?: string): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}='${esc(v!)}'`)
    .join('');
  return text === undefined ? `<${tag}${a}/>` : `<${tag}${a}>${esc(text)}</${tag}>`;
}

/** `<tag>` with its children indented one step, or nothing when it has none. */
export function block(tag: string, children: Array<string | undefined | false>, attrs: Record<string, string | undefined> = {}): string {
  const kept = children.filter((c): c is string => typeof c === 'string' && c !== '');
  if (kept.length === 0) return '';
  const open = el(tag, attrs).replace(/\/>$/, '>');
  return [open, ...kept.flatMap((c) => c.split('\n').map((l) => `  ${l}`)), `</${tag}>`].join('\n');
}

export class StorageXmlError extends Error {}

/** The document element, which must be `<root>`. */
export function parseRoot(xml: string, root: string): Element {
  let bad: string | undefined;
  const doc = new DOMParser({ onError: (level, msg) => void (level !== 'warning' && (bad ??= msg)) }).parseFromString(xml, 'text/xml');
  const el = doc.documentElement;
  if (bad || !el || el.nodeName !== root) throw new StorageXmlError(`not a <${root}> document${bad ? `: ${bad}` : ''}`);
  return el;
}

/** The first child element named `name`, following a path of names. */
export const first = childAt;

export const all = (el: Element | null | undefined, name: string): Element[] => (el ? elements(el, name) : []);
export const text = (el: Element | null): string | null => (el ? (el.textContent ?? '').trim() : null);
export const attrOf = attr;

/** A `<capacity unit='…'>N</capacity>`-style element in bytes (storage XML's default unit is
 *  bytes); null when absent or unreadable. */
export function bytesOf(el: Element | null): number | null {
  const n = text(el);
  if (n === null || !/^\d+$/.test(n)) return null;
  const factor = UNIT_BYTES[(attr(el, 'unit') ?? 'bytes').toLowerCase()];
  return factor === undefined ? null : Number(n) * factor;
}

/** What a pool's and a volume's XML both begin with: the name, the type (or the default), and
 *  the sizes in bytes. */
export function storageHead(root: Element, defaultType: string): { name: string; type: string; capacity: number | null; allocation: number | null } {
  return {
    name: text(first(root, 'name')) ?? '',
    type: attr(root, 'type') ?? defaultType,
    capacity: bytesOf(first(root, 'capacity')),
    allocation: bytesOf(first(root, 'allocation')),
  };
}

/** What libvirt and a file system accept as a pool or volume name: something, no slash, no
 *  control character (virsh's listings are read line by line), not "." or "..". Quotes, spaces,
 *  shell characters and any other Unicode are fine: names never meet a shell unquoted. */
export function checkStorageName(what: string, name: string): string {
  if (name.trim() === '') throw new StorageXmlError(`${what} needs a name`);
  if (name.includes('/')) throw new StorageXmlError(`${what} name may not contain "/"`);
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new StorageXmlError(`${what} name may not contain control characters or line breaks`);
  if (name === '.' || name === '..') throw new StorageXmlError(`${what} name may not be "${name}"`);
  return name;
}

/** An absolute path without control characters. */
export function checkPath(what: string, path: string): string {
  if (!path.startsWith('/')) throw new StorageXmlError(`${what} must be an absolute path (starting with /)`);
  if (/[\u0000-\u001f\u007f]/.test(path)) throw new StorageXmlError(`${what} may not contain control characters`);
  return path;
}
