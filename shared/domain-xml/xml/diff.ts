// A small line diff for the "pending changes" preview.

export interface DiffLine {
  /** ' ' unchanged, '-' only in a, '+' only in b. */
  op: ' ' | '-' | '+';
  line: string;
}

/** Line diff of a and b (longest common subsequence after trimming the common ends). */
export function diffLines(a: string, b: string): DiffLine[] {
  const x = a.split('\n');
  const y = b.split('\n');
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const xs = x.slice(head, x.length - tail);
  const ys = y.slice(head, y.length - tail);
  // lcs[i][j] = LCS length of xs[i..] and ys[j..]; edits are small so the middle stays small.
  const lcs: number[][] = Array.from({ length: xs.length + 1 }, () => new Array<number>(ys.length + 1).fill(0));
  for (let i = xs.length - 1; i >= 0; i--) {
    for (let j = ys.length - 1; j >= 0; j--) {
      lcs[i]![j] = xs[i] === ys[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = x.slice(0, head).map((line) => ({ op: ' ', line }));
  let i = 0;
  let j = 0;
  while (i < xs.length || j < ys.length) {
    if (i < xs.length && j < ys.length && xs[i] === ys[j]) {
      out.push({ op: ' ', line: xs[i++]! });
      j++;
    } else if (i < xs.length && (j >= ys.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push({ op: '-', line: xs[i++]! });
    } else {
      out.push({ op: '+', line: ys[j++]! });
    }
  }
  for (const line of x.slice(x.length - tail)) out.push({ op: ' ', line });
  return out;
}

/** Unified-style text of only the changed lines with `context` lines around them. */
export function formatDiff(diff: DiffLine[], context = 2): string {
  const keep = diff.map((d, i) => d.op !== ' ' || diff.slice(Math.max(0, i - context), i + context + 1).some((n) => n.op !== ' '));
  const out: string[] = [];
  diff.forEach((d, i) => {
    if (keep[i]) out.push(d.op + ' ' + d.line);
    else if (i > 0 && keep[i - 1]) out.push('…');
  });
  return out.join('\n');
}
