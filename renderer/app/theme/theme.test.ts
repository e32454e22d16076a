import { DEFAULT_THEME, mergeMantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { contrast } from './contrast';
import { cssVariablesResolver, theme } from './theme';

const resolved = cssVariablesResolver(mergeMantineTheme(DEFAULT_THEME, theme));

describe('theme contrast', () => {
  it('puts white text on every filled colour at AA or better, in both schemes', () => {
    for (const scheme of ['light', 'dark'] as const) {
      for (const name of ['teal', 'green', 'red', 'orange', 'blue', 'yellow', 'gray', 'grape', 'cyan']) {
        expect(contrast(resolved[scheme][`--mantine-color-${name}-filled`]!, '#ffffff'), `${scheme} ${name}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('makes coloured and dimmed text readable on the scheme\'s body and panels', () => {
    for (const name of ['teal', 'green', 'red', 'orange', 'yellow', 'cyan']) {
      expect(contrast(resolved.light[`--mantine-color-${name}-text`]!, '#ffffff')).toBeGreaterThanOrEqual(4.5);
      expect(contrast(resolved.dark[`--mantine-color-${name}-text`]!, DEFAULT_THEME.colors.dark[7])).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrast(resolved.light['--mantine-color-dimmed']!, DEFAULT_THEME.colors.gray[1])).toBeGreaterThanOrEqual(4.5);
    expect(contrast(resolved.dark['--mantine-color-dimmed']!, DEFAULT_THEME.colors.dark[6])).toBeGreaterThanOrEqual(4.5);
  });
});
