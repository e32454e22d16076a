// Where in the edited XML an error from `virsh define --validate` (or the parser) points. libvirt
// says a line only for XML that does not parse ("(domain_definition):9: Opening and ending tag
// mismatch…"); a schema failure names elements and attributes ("Invalid attribute bogus for
// element disk", "Element on_crash failed to validate content", "Extra element devices in
// interleave"). Those are found in the text, preferring a line the user changed inside the
// named element, since that is what libvirt refused.

export interface ErrorLine {
  /** 1-based line number in the edited text. */
  line: number;
  message: string;
}

interface Span {
  name: string;
  startLine: number;
  endLine: number;
  /** The start tag's text (to look for an attribute in it). */
  tag: string;
}

/** Every element's start tag and its extent in lines (a light scan: enough for libvirt XML). */
function elementSpans(text: string): Span[] {
  const spans: Span[] = [];
  const open: Span[] = [];
  const lineAt = lineIndex(text);
  const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<(\/?)([A-Za-z_][\w.:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!m[2]) continue;
    const line = lineAt(m.index);
    if (m[1]) {
      // Close the innermost open element of that name.
      for (let i = open.length - 1; i >= 0; i--) {
        if (open[i]!.name === m[2]) {
          open[i]!.endLine = lineAt(m.index + m[0].length - 1);
          open.splice(i);
          break;
        }
      }
      continue;
    }
    const span: Span = { name: m[2], startLine: line, endLine: lineAt(m.index + m[0].length - 1), tag: m[0] };
    spans.push(span);
    if (!m[4]) open.push(span);
  }
  return spans;
}

function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** 1-based numbers of the lines of `edited` that are not in `base` (a multiset comparison, so a
 *  moved line counts as unchanged; good enough to point at the edit). */
export function changedLines(base: string, edited: string): number[] {
  const pool = new Map<string, number>();
  for (const l of base.split('\n')) pool.set(l.trim(), (pool.get(l.trim()) ?? 0) + 1);
  const out: number[] = [];
  edited.split('\n').forEach((l, i) => {
    const n = pool.get(l.trim()) ?? 0;
    if (n > 0) pool.set(l.trim(), n - 1);
    else out.push(i + 1);
  });
  return out;
}

/** The lines of `edited` that libvirt's `message` points at (empty when it names nothing found). */
export function errorLines(message: string, edited: string, base: string): ErrorLine[] {
  const summary = message
    .split('\n')
    .map((l) => l.replace(/^error:\s*/, '').trim())
    .filter((l) => l && !/^Failed to define domain|^-*\^$/.test(l))
    .join(' — ');
  const parsed = /\((?:domain_definition|[\w.-]+\.xml|\/dev\/stdin)\):(\d+):/.exec(message);
  if (parsed) return [{ line: Number(parsed[1]), message: summary }];

  const spans = elementSpans(edited);
  const changed = changedLines(base, edited);
  const inSpan = (s: Span) => changed.find((l) => l >= s.startLine && l <= s.endLine);
  const pick = (named: Span[]): number | undefined => {
    // The innermost named element holding a changed line; else the first named element.
    const holding = named.filter((s) => inSpan(s) !== undefined).sort((a, b) => b.startLine - a.startLine)[0];
    return holding ? inSpan(holding) : named[0]?.startLine;
  };

  const attr = /Invalid attribute ([\w:-]+) for element ([\w:-]+)/.exec(message);
  if (attr) {
    const named = spans.filter((s) => s.name === attr[2] && new RegExp(`\\s${attr[1]}\\s*=`).test(s.tag));
    const line = named[0]?.startLine ?? pick(spans.filter((s) => s.name === attr[2]));
    if (line) return [{ line, message: summary }];
  }
  // Element names the message mentions, most specific (innermost) first.
  const names = [...message.matchAll(/(?:Element|element|Extra element|extra content:)\s+([A-Za-z_][\w:-]*)/g)].map((m) => m[1]!);
  const candidates = names
    .map((n) => spans.filter((s) => s.name === n))
    .filter((named) => named.length > 0)
    .sort((a, b) => Math.max(...b.map((s) => s.startLine)) - Math.max(...a.map((s) => s.startLine)) || a.length - b.length);
  for (const named of candidates) {
    const line = pick(named);
    if (line) return [{ line, message: summary }];
  }
  // Nothing named matched: point at the first edit, which is what was refused.
  return changed.length ? [{ line: changed[0]!, message: summary }] : [];
}
