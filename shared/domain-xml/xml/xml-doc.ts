// A parsed XML document that serializes back to the bytes it came from.
//
// xmldom gives us a real DOM to edit, but its serializer rewrites quotes, entity spellings and
// whitespace inside tags. We remember the source text of every start tag, text run and processing
// instruction (xmldom records where each node starts) and reuse it whenever the node is unchanged,
// so an edit shows up in a diff as exactly the lines it touched.

import { DOMParser } from '@xmldom/xmldom';
import type { Document, Element, Node } from '@xmldom/xmldom';
import { CDATA_NODE, COMMENT_NODE, DOCUMENT_TYPE_NODE, ELEMENT_NODE, PI_NODE, TEXT_NODE, firstElementChild, leadingIndent } from './dom';

// The DOM helpers edits use (elements, attr, createEl, insertEl, placeEl…) live in dom.ts.
export * from './dom';


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
