// The semantic comparison behind "pending until restart": one element of the running config
// against the same element of the next-boot config, with the runtime-only state its kind states
// (runtime.ts) taken out, in a canonical form (attributes sorted, whitespace and comments gone),
// so only what the next boot would really change remains.

import type { Element } from '@xmldom/xmldom';
import { ELEMENT_NODE, TEXT_NODE, CDATA_NODE, elements } from '../xml/dom';
import type { RuntimeState } from './runtime';

/** A canonical copy of an element: what the comparison and the diff work on. */
export interface Canon {
  name: string;
  attrs: Map<string, string>;
  text: string;
  children: Canon[];
}

export function canon(el: Element): Canon {
  const attrs = new Map<string, string>();
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i)!;
    if (a.name !== 'xmlns' && !a.name.startsWith('xmlns:')) attrs.set(a.name, a.value);
  }
  let text = '';
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_NODE) text += n.nodeValue ?? '';
  }
  return { name: el.nodeName, attrs, text: text.trim(), children: elements(el).map(canon) };
}

interface Hit {
  owner: Canon;
  parent: Canon | null;
  attr: string | null;
}

/** What a path names below `c`: elements (attr null) or attributes. */
function resolve(c: Canon, path: string): Hit[] {
  const [elPath, attr = null] = path.split('@') as [string, string?];
  let owners: { owner: Canon; parent: Canon | null }[] = [{ owner: c, parent: null }];
  for (const seg of elPath.split('/').filter(Boolean)) {
    owners = owners.flatMap((o) => o.owner.children.filter((k) => k.name === seg).map((k) => ({ owner: k, parent: o.owner })));
  }
  return owners
    .filter((o) => attr === null || o.owner.attrs.has(attr))
    .map((o) => ({ ...o, attr: attr ?? null }));
}

function drop(h: Hit): void {
  if (h.attr !== null) h.owner.attrs.delete(h.attr);
  else if (h.parent) h.parent.children = h.parent.children.filter((k) => k !== h.owner);
}

/** Takes the runtime-only state out of a running/next-boot pair of the same element. */
export function normalizePair(live: Canon, next: Canon, rules: readonly RuntimeState[], rawLive: Element, rawNext: Element): void {
  for (const r of rules) {
    for (const p of r.runtime ?? []) [live, next].forEach((c) => resolve(c, p).forEach(drop));
    for (const w of r.when ?? []) {
      if (w.test(rawLive)) for (const p of w.runtime) resolve(live, p).forEach(drop);
      if (w.test(rawNext)) for (const p of w.runtime) resolve(next, p).forEach(drop);
    }
    for (const p of r.resolved ?? []) {
      const a = resolve(live, p);
      const b = resolve(next, p);
      if (a.length === 0) b.forEach(drop);
      else if (b.length === 0) a.forEach(drop);
    }
  }
}

/** The canonical element as indented text, one element or attribute-set per line. */
export function formatCanon(c: Canon, indent = ''): string[] {
  const attrs = [...c.attrs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => ` ${k}='${v}'`).join('');
  if (c.children.length === 0) return [c.text ? `${indent}<${c.name}${attrs}>${c.text}</${c.name}>` : `${indent}<${c.name}${attrs}/>`];
  return [
    `${indent}<${c.name}${attrs}>${c.text}`,
    ...c.children.flatMap((k) => formatCanon(k, indent + '  ')),
    `${indent}</${c.name}>`,
  ];
}

export { ELEMENT_NODE };
