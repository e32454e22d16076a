// Small DOM helpers for editing a parsed XmlDoc: finding children and attributes, and creating,
// inserting, placing (in libvirt's child order), replacing and removing elements so that the
// document keeps its indentation and only the touched lines change.

import type { Document, Element, Node } from '@xmldom/xmldom';

/** What these helpers need of an XmlDoc; structural, so this module does not import xml-doc (which builds on it). */
export interface DomTarget {
  readonly doc: Document;
  readonly root: Element;
  readonly indentUnit: string;
}

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const CDATA_NODE = 4;
export const PI_NODE = 7;
export const COMMENT_NODE = 8;
export const DOCUMENT_TYPE_NODE = 10;

export function firstElementChild(el: Element): Element | null {
  for (let c: Node | null = el.firstChild; c; c = c.nextSibling) if (c.nodeType === ELEMENT_NODE) return c as Element;
  return null;
}

/** Element children, optionally only those with the given (qualified) name. */
export function elements(el: Element, name?: string): Element[] {
  const out: Element[] = [];
  for (let c: Node | null = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === ELEMENT_NODE && (name === undefined || c.nodeName === name)) out.push(c as Element);
  }
  return out;
}

export function child(el: Element, name: string): Element | null {
  return elements(el, name)[0] ?? null;
}

/** The element at a path of child names (the first of each name), or null where one is missing. */
export function childAt(el: Element | null | undefined, ...path: string[]): Element | null {
  let at: Element | null = el ?? null;
  for (const name of path) at = at && child(at, name);
  return at;
}

export function attr(el: Element | null | undefined, name: string): string | null {
  if (!el || !el.hasAttribute(name)) return null;
  return el.getAttribute(name);
}

/**
 * Attributes read by path, the way virtinst declares a device's XML properties: `'type'` is the
 * element's own attribute, `'target/port'` the attribute `port` of its first `<target>` child;
 * null where the element or the attribute is missing.
 */
export function attrsAt<K extends string>(el: Element, paths: Record<K, string>): Record<K, string | null> {
  const out = {} as Record<K, string | null>;
  for (const key of Object.keys(paths) as K[]) {
    const steps = paths[key].split('/');
    const name = steps.pop()!;
    out[key] = attr(childAt(el, ...steps), name);
  }
  return out;
}

export function text(el: Element | null | undefined): string | null {
  if (!el) return null;
  return el.textContent ?? '';
}

/** Sets or (with null) removes an attribute. */
export function setAttr(el: Element, name: string, value: string | number | null): void {
  if (value === null) el.removeAttribute(name);
  else el.setAttribute(name, String(value));
}

function isBlank(n: Node | null): boolean {
  return !!n && n.nodeType === TEXT_NODE && /^[ \t\n]*$/.test(n.nodeValue ?? '');
}

/** The whitespace after the last newline before el, i.e. its indentation, if it sits on its own line. */
export function leadingIndent(el: Node): string | null {
  const prev = el.previousSibling;
  if (!prev || prev.nodeType !== TEXT_NODE) return null;
  const v = prev.nodeValue ?? '';
  const nl = v.lastIndexOf('\n');
  return nl < 0 ? null : v.slice(nl + 1);
}

function indentOf(xd: DomTarget, el: Element): string {
  const own = leadingIndent(el);
  if (own !== null) return own;
  const parent = el.parentNode;
  return parent && parent.nodeType === ELEMENT_NODE ? indentOf(xd, parent as Element) + xd.indentUnit : '';
}

/** The indentation for a new child of parent, or null to keep it inline (parent is written on one line). */
function childIndent(xd: DomTarget, parent: Element): string | null {
  const kids = elements(parent);
  if (kids.length > 0) {
    for (const c of kids) {
      const ind = leadingIndent(c);
      if (ind !== null) return ind;
    }
    return null;
  }
  if (parent !== xd.root && leadingIndent(parent) === null) return null;
  return indentOf(xd, parent) + xd.indentUnit;
}

/** Creates an element with attributes (null values skipped) and element children. */
export function createEl(
  xd: DomTarget,
  name: string,
  attrs: Record<string, string | number | null | undefined> = {},
  children: Element[] = [],
  textContent?: string,
): Element {
  const el = xd.doc.createElement(name);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  if (textContent !== undefined) el.appendChild(xd.doc.createTextNode(textContent));
  for (const c of children) el.appendChild(c);
  return el;
}

/** Lays out a new element's element-only descendants one per line, indented below `indent`. */
function layout(xd: DomTarget, el: Element, indent: string | null): void {
  if (indent === null) return; // inline document: leave the new element inline too
  const kids = elements(el);
  const onlyElements = kids.length > 0 && Array.from(el.childNodes).every((c) => c.nodeType === ELEMENT_NODE || isBlank(c));
  if (!onlyElements) return;
  for (const c of Array.from(el.childNodes)) if (c.nodeType !== ELEMENT_NODE) el.removeChild(c);
  const inner = indent + xd.indentUnit;
  for (const k of kids) {
    el.insertBefore(xd.doc.createTextNode('\n' + inner), k);
    layout(xd, k, inner);
  }
  el.appendChild(xd.doc.createTextNode('\n' + indent));
}

/**
 * Inserts el into parent right after `after` (or before `before`, or at the end), on its own line
 * with the indentation its siblings use.
 */
export function insertEl(
  xd: DomTarget,
  parent: Element,
  el: Element,
  where: { after?: Element | null; before?: Element | null } = {},
): Element {
  const indent = childIndent(xd, parent);
  layout(xd, el, indent);
  const nl = (before: Node | null): void => {
    if (indent !== null) parent.insertBefore(xd.doc.createTextNode('\n' + indent), before);
  };
  if (where.after) {
    parent.insertBefore(el, where.after.nextSibling);
    nl(el);
  } else if (where.before) {
    parent.insertBefore(el, where.before);
    nl(where.before);
  } else {
    const last = elements(parent).at(-1);
    if (last) {
      parent.insertBefore(el, last.nextSibling);
      nl(el);
    } else if (indent === null) {
      parent.appendChild(el);
    } else {
      // Empty parent (or only whitespace): put the child on its own line, close on the next.
      const mixed = Array.from(parent.childNodes).some((c) => !isBlank(c));
      if (!mixed) while (parent.firstChild) parent.removeChild(parent.firstChild);
      nl(null);
      parent.appendChild(el);
      if (!mixed) parent.appendChild(xd.doc.createTextNode('\n' + indentOf(xd, parent)));
    }
  }
  return el;
}

/**
 * Inserts el among parent's children following a canonical child order (libvirt's): after the
 * last child that comes earlier in `order`, else before the first that comes later, else at the end.
 */
export function placeEl(xd: DomTarget, parent: Element, el: Element, order: readonly string[]): Element {
  const mine = order.indexOf(el.nodeName);
  let after: Element | null = null;
  let before: Element | null = null;
  for (const c of elements(parent)) {
    const idx = order.indexOf(c.nodeName);
    if (idx < 0) continue;
    if (idx <= mine) after = c;
    else if (!before) before = c;
  }
  if (after) return insertEl(xd, parent, el, { after });
  if (before) return insertEl(xd, parent, el, { before });
  return insertEl(xd, parent, el);
}

/** Returns the named child, creating it at its canonical place when missing. */
export function ensureChild(xd: DomTarget, parent: Element, name: string, order: readonly string[]): Element {
  return child(parent, name) ?? placeEl(xd, parent, createEl(xd, name), order);
}

/** Removes el together with the whitespace that put it on its own line. */
export function removeEl(el: Element): void {
  const parent = el.parentNode;
  if (!parent) return;
  const prev = el.previousSibling;
  if (isBlank(prev) && (prev!.nodeValue ?? '').includes('\n')) parent.removeChild(prev!);
  parent.removeChild(el);
  // A parent left with only formatting whitespace closes itself: <memballoon model='none'/>.
  const rest = Array.from(parent.childNodes);
  if (rest.length > 0 && rest.every(isBlank)) rest.forEach((c) => parent.removeChild(c));
}

/** Replaces old with el in place (same line), laying out el's children to match. */
export function replaceEl(xd: DomTarget, old: Element, el: Element): Element {
  layout(xd, el, leadingIndent(old));
  old.parentNode!.replaceChild(el, old);
  return el;
}

/** Copies an element from another document into this one, dropping its formatting whitespace. */
export function importEl(xd: DomTarget, el: Element): Element {
  const copy = xd.doc.importNode(el, true) as Element;
  const strip = (e: Element): void => {
    const kids = Array.from(e.childNodes);
    if (kids.some((c) => c.nodeType === ELEMENT_NODE) && kids.every((c) => c.nodeType !== TEXT_NODE || isBlank(c))) {
      for (const c of kids) if (c.nodeType === TEXT_NODE) e.removeChild(c);
    }
    for (const c of elements(e)) strip(c);
  };
  strip(copy);
  return copy;
}
