// WCAG 2 contrast arithmetic, so the theme can pick shades that read (AA: 4.5:1 for text) in
// both colour schemes instead of trusting a palette's middle shade.

const channel = (v: number) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);

function rgb(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

const toHex = (c: [number, number, number]) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

export function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((v) => channel(v / 255)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `hex` mixed toward `toward` (black or white) in small steps until it reaches `ratio` against
 *  `background`: the same hue, just dark or light enough to read. */
export function readable(hex: string, background: string, ratio: number, toward: '#000000' | '#ffffff' = luminance(background) > 0.5 ? '#000000' : '#ffffff'): string {
  const from = rgb(hex);
  const to = rgb(toward);
  for (let t = 0; t <= 1.0001; t += 0.02) {
    const mixed = toHex(from.map((v, i) => v + (to[i]! - v) * t) as [number, number, number]);
    if (contrast(mixed, background) >= ratio) return mixed;
  }
  return toward;
}
