// A parsed XML document that serializes back to the bytes it came from.
//
// xmldom gives us a real DOM to edit, but its serializer rewrites quotes, entity spellings and
// whitespace inside tags. We remember the source text of every start tag, text run and processing
// instruction (xmldom records where each node starts) and reuse it whenever the node is unchanged,
// so an edit shows up in a diff as exactly the lines it touched.

import { DOMParser } from '@xmldom/xmldom';
import type { Document, Element, Node } from '@xmldom/xmldom';

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const CDATA_NODE = 4;
export const PI_NODE = 7;
export const COMMENT_NODE = 8;
export const DOCUMENT_TYPE_NODE = 10;

interface RawAttr {
  name: string;
  lead: string; // whitespace before the name (may be a newline + indent)
  eq: string; // '=' with any surrounding whitespace
  quote: string;
  raw: string; // value as written, entities and all
  value: string; // value as parsed, to detect later edits
}

interface RawTag {
  head: string; // '<' + qualified name
  attrs: RawAttr[];
  tail: string; // whitespace before '>' or '/>'
  selfClosing: boolean;
  hadChildren: boolean;
}

interface RawChars {
  raw: string;
  data: string;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return XML_ENTITIES[ref] ?? m;
  });
}

export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(s: string, quote: string): string {
  let out = escapeText(s).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
  out = quote === '"' ? out.replace(/"/g, '&quot;') : out.replace(/'/g, '&apos;');
  return out;
}

// Same rule as xmldom's default, so our offsets match its line/column numbers.
function normalizeLineEndings(s: string): string {
  return s.replace(/\r[\n\u0085]/g, '\n').replace(/[\r\u0085\u2028\u2029]/g, '\n');
}

function parseXml(source: string): Document {
  let problem: string | null = null;
  try {
    return new DOMParser({
      onError: (level, msg) => {
        if (level === 'warning') return;
        problem = msg.trim();
        throw new Error(problem);
      },
    }).parseFromString(source, 'application/xml');
  } catch (err) {
    // xmldom wraps our error in its own; report the parser's message once.
    throw new Error(`invalid XML: ${problem ?? (err instanceof Error ? err.message : String(err))}`);
  }
}

/** Parses a standalone XML fragment (one element) for insertion; no raw tracking needed. */
export function parseFragment(xml: string): Element {
  const doc = parseXml(xml);
  const root = doc.documentElement;
  if (!root) throw new Error('invalid XML: no element');
  return root;
}

export class XmlDoc {
  readonly doc: Document;
  /** The quote style most of the document uses, for attributes we add. */
  readonly quote: string;
  /** One level of indentation as the document writes it. */
  readonly indentUnit: string;
  private readonly source: string;
  private readonly bom: string;
  private readonly crlf: boolean;
  private readonly tags = new WeakMap<Node, RawTag>();
  private readonly chars = new WeakMap<Node, RawChars>();

  constructor(xml: string) {
    this.bom = xml.startsWith('\uFEFF') ? '\uFEFF' : '';
    const body = this.bom ? xml.slice(1) : xml;
    // Restore CRLF on output only when the input used it consistently.
    this.crlf = body.includes('\r\n') && !/(^|[^\r])\n/.test(body);
    this.source = normalizeLineEndings(body);
    this.doc = parseXml(this.source);
    const singles = (this.source.match(/=\s*'/g) ?? []).length;
    const doubles = (this.source.match(/=\s*"/g) ?? []).length;
    this.quote = singles > doubles ? "'" : '"';
    this.recordRaw();
    this.indentUnit = this.detectIndentUnit();
  }

  get root(): Element {
    const root = this.doc.documentElement;
    if (!root) throw new Error('invalid XML: no root element');
    return root;
  }

  // ---- remembering the source ------------------------------------------------------------

  private recordRaw(): void {
    const lineStarts = [0];
    for (let i = 0; i < this.source.length; i++) if (this.source[i] === '\n') lineStarts.push(i + 1);
    const offsetOf = (n: Node): number | null => {
      const line = n.lineNumber;
      const col = n.columnNumber;
      if (line === undefined || col === undefined) return null;
      const start = lineStarts[line - 1];
      return start === undefined ? null : start + col - 1;
    };
    const visit = (n: Node): void => {
      const at = offsetOf(n);
      if (at !== null) {
        if (n.nodeType === ELEMENT_NODE) this.recordTag(n as Element, at);
        else if (n.nodeType === TEXT_NODE) this.recordText(n, at);
        else if (n.nodeType === PI_NODE) this.recordPI(n, at);
        else if (n.nodeType === DOCUMENT_TYPE_NODE) this.recordDoctype(n, at);
      }
      for (let c: Node | null = n.firstChild; c; c = c.nextSibling) visit(c);
    };
    visit(this.doc);
  }

  private recordTag(el: Element, at: number): void {
    const src = this.source;
    const head = '<' + el.nodeName;
    if (!src.startsWith(head, at)) return;
    let i = at + head.length;
    const ws = /[ \t\n]*/y;
    const name = /[^\s=/>]+/y;
    const eq = /[ \t\n]*=[ \t\n]*/y;
    const attrs: RawAttr[] = [];
    for (;;) {
      ws.lastIndex = i;
      const lead = ws.exec(src)?.[0] ?? '';
      i += lead.length;
      if (src.startsWith('/>', i) || src[i] === '>') {
        const selfClosing = src[i] === '/';
        this.tags.set(el, { head, attrs, tail: lead, selfClosing, hadChildren: el.firstChild !== null });
        break;
      }
      name.lastIndex = i;
      const n = name.exec(src)?.[0];
      if (!n) return;
      i += n.length;
      eq.lastIndex = i;
      const e = eq.exec(src)?.[0];
      if (!e) return;
      i += e.length;
      const quote = src[i];
      if (quote !== '"' && quote !== "'") return;
      const close = src.indexOf(quote, i + 1);
      if (close < 0) return;
      const raw = src.slice(i + 1, close);
      attrs.push({ name: n, lead, eq: e, quote, raw, value: '' });
      i = close + 1;
    }
    // Trust the scan only if it agrees with what xmldom parsed.
    const domAttrs = el.attributes;
    if (domAttrs.length !== attrs.length) return this.forget(el);
    for (let k = 0; k < attrs.length; k++) {
      const a = attrs[k]!;
      const d = domAttrs.item(k);
      if (!d || d.name !== a.name) return this.forget(el);
      // Attribute-value normalization: literal whitespace becomes a space, then entities.
      if (decodeEntities(a.raw.replace(/[\t\n\r]/g, ' ')) !== d.value) return this.forget(el);
      a.value = d.value;
    }
  }

  private forget(n: Node): void {
    this.tags.delete(n);
  }

  private recordText(n: Node, at: number): void {
    const end = this.source.indexOf('<', at);
    const raw = this.source.slice(at, end < 0 ? undefined : end);
    const data = n.nodeValue ?? '';
    if (decodeEntities(raw) === data) this.chars.set(n, { raw, data });
  }

  private recordPI(n: Node, at: number): void {
    const end = this.source.indexOf('?>', at);
    if (end < 0 || !this.source.startsWith('<?', at)) return;
    this.chars.set(n, { raw: this.source.slice(at, end + 2), data: piKey(n) });
  }

  private recordDoctype(n: Node, at: number): void {
    const src = this.source;
    if (!src.startsWith('<!', at)) return;
    const bracket = src.indexOf('[', at);
    let gt = src.indexOf('>', at);
    if (bracket >= 0 && bracket < gt) gt = src.indexOf('>', src.indexOf(']', bracket));
    if (gt < 0) return;
    this.chars.set(n, { raw: src.slice(at, gt + 1), data: '' });
  }

  private detectIndentUnit(): string {
    const root = this.doc.documentElement;
    const first = root ? firstElementChild(root) : null;
    const ws = first ? leadingIndent(first) : null;
    return ws && /^[ \t]+$/.test(ws) ? ws : '  ';
  }

  // ---- serializing -------------------------------------------------------------------------

  serialize(): string {
    const out: string[] = [];
    for (let c = this.doc.firstChild; c; c = c.nextSibling) this.node(c, out);
    const trailing = /[ \t\n]*$/.exec(this.source)?.[0] ?? '';
    let text = out.join('') + trailing;
    if (this.crlf) text = text.replace(/\n/g, '\r\n');
    return this.bom + text;
  }

  /** Serializes one node the same way the document would (used for the metadata view). */
  serializeNode(n: Node): string {
    const out: string[] = [];
    this.node(n, out);
    return out.join('');
  }

  private node(n: Node, out: string[]): void {
    switch (n.nodeType) {
      case ELEMENT_NODE:
        return this.element(n as Element, out);
      case TEXT_NODE: {
        const r = this.chars.get(n);
        const data = n.nodeValue ?? '';
        out.push(r && r.data === data ? r.raw : escapeText(data));
        return;
      }
      case CDATA_NODE:
        out.push('<![CDATA[' + (n.nodeValue ?? '').replace(/]]>/g, ']]]]><![CDATA[>') + ']]>');
        return;
      case COMMENT_NODE:
        out.push('<!--' + (n.nodeValue ?? '') + '-->');
        return;
      case PI_NODE: {
        const r = this.chars.get(n);
        out.push(r && r.data === piKey(n) ? r.raw : `<?${n.nodeName} ${n.nodeValue ?? ''}?>`);
        return;
      }
      case DOCUMENT_TYPE_NODE: {
        const r = this.chars.get(n);
        out.push(r ? r.raw : `<!DOCTYPE ${n.nodeName}>`);
        return;
      }
      default:
        return;
    }
  }

  private element(el: Element, out: string[]): void {
    const raw = this.tags.get(el);
    const quote = raw?.attrs[0]?.quote ?? this.quote;
    let s = raw ? raw.head : '<' + el.nodeName;
    const attrs = el.attributes;
    for (let k = 0; k < attrs.length; k++) {
      const a = attrs.item(k)!;
      const r = raw?.attrs.find((x) => x.name === a.name);
      if (r) s += r.lead + r.name + r.eq + r.quote + (r.value === a.value ? r.raw : escapeAttr(a.value, r.quote)) + r.quote;
      else s += ' ' + a.name + '=' + quote + escapeAttr(a.value, quote) + quote;
    }
    if (!el.firstChild) {
      // Keep '<a></a>' spelled that way if it was written so; everything else self-closes.
      if (raw && !raw.selfClosing && !raw.hadChildren) out.push(s + raw.tail + '></' + el.nodeName + '>');
      else out.push(s + (raw ? raw.tail : '') + '/>');
      return;
    }
    out.push(s + (raw && !raw.selfClosing ? raw.tail : '') + '>');
    for (let c: Node | null = el.firstChild; c; c = c.nextSibling) this.node(c, out);
    out.push('</' + el.nodeName + '>');
  }
}

function piKey(n: Node): string {
  return n.nodeName + '\u0000' + (n.nodeValue ?? '');
}

// ---- small DOM helpers ---------------------------------------------------------------------

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

export function attr(el: Element | null | undefined, name: string): string | null {
  if (!el || !el.hasAttribute(name)) return null;
  return el.getAttribute(name);
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
function leadingIndent(el: Node): string | null {
  const prev = el.previousSibling;
  if (!prev || prev.nodeType !== TEXT_NODE) return null;
  const v = prev.nodeValue ?? '';
  const nl = v.lastIndexOf('\n');
  return nl < 0 ? null : v.slice(nl + 1);
}

function indentOf(xd: XmlDoc, el: Element): string {
  const own = leadingIndent(el);
  if (own !== null) return own;
  const parent = el.parentNode;
  return parent && parent.nodeType === ELEMENT_NODE ? indentOf(xd, parent as Element) + xd.indentUnit : '';
}

/** The indentation for a new child of parent, or null to keep it inline (parent is written on one line). */
function childIndent(xd: XmlDoc, parent: Element): string | null {
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
  xd: XmlDoc,
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
function layout(xd: XmlDoc, el: Element, indent: string | null): void {
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
  xd: XmlDoc,
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
export function placeEl(xd: XmlDoc, parent: Element, el: Element, order: readonly string[]): Element {
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
export function ensureChild(xd: XmlDoc, parent: Element, name: string, order: readonly string[]): Element {
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
export function replaceEl(xd: XmlDoc, old: Element, el: Element): Element {
  layout(xd, el, leadingIndent(old));
  old.parentNode!.replaceChild(el, old);
  return el;
}

/** Copies an element from another document into this one, dropping its formatting whitespace. */
export function importEl(xd: XmlDoc, el: Element): Element {
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
