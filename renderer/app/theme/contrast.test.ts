import { describe, expect, it } from 'vitest';
import { contrast, readable } from './contrast';

describe('contrast', () => {
  it('matches the WCAG figures for known pairs', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // Mantine's teal.6 under white text, as measured in the page: 2.55:1
    expect(contrast('#12b886', '#ffffff')).toBeCloseTo(2.55, 2);
  });

  it('darkens a light colour on white until it reads, and keeps one that already does', () => {
    const teal = readable('#12b886', '#ffffff', 4.5);
    expect(contrast(teal, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(teal, '#ffffff')).toBeLessThan(5);
    expect(readable('#000000', '#ffffff', 4.5)).toBe('#000000');
  });

  it('lightens toward white on a dark background', () => {
    const blue = readable('#1864ab', '#242424', 4.5);
    expect(contrast(blue, '#242424')).toBeGreaterThanOrEqual(4.5);
  });
});
