// The app's Mantine theme: dense (small defaults) and readable. Mantine's own shades put white
// text on teal 6 (2.55:1) and grey 6 secondary text on white (3.3:1); here every colour's
// filled, text and outline shades are derived per scheme so text meets WCAG AA (4.5:1) on the
// backgrounds it is drawn on, in light and dark alike.
import { createTheme, DEFAULT_THEME, Loader, Modal, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';
import { readable } from './contrast';

export const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'sm',
  fontSmoothing: true,
  // Dialogs and menus appear at once for those who asked their OS for less motion.
  respectReducedMotion: true,
  // A dialog's × has a name for screen readers (Mantine leaves it unnamed). A loader is a bare
  // span, where the name it is given ("Reading the host") is not allowed: it is a progress bar
  // with no value yet.
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Loader: Loader.extend({ defaultProps: { role: 'progressbar' } }),
  },
});

const WHITE = '#ffffff';
/** Panels and cards in the light scheme can be grey 1; text must read there too. */
const LIGHT_PANEL = DEFAULT_THEME.colors.gray[1];
/** The dark scheme's panels and inputs (dark 6): darker text shades must read there, and so on its body (dark 7). */
const DARK_PANEL = DEFAULT_THEME.colors.dark[6];
/** A little above 4.5:1, so an alpha-tinted background under the text still passes. */
const AA = 4.7;

function colorVariables(name: string, shades: MantineColorsTuple, scheme: 'light' | 'dark'): Record<string, string> {
  if (scheme === 'light') {
    // Filled buttons get more margin: a label mid-transition is drawn a shade lighter.
    const filled = readable(shades[6], WHITE, 5.2);
    const text = readable(shades[6], LIGHT_PANEL, AA);
    return {
      [`--mantine-color-${name}-filled`]: filled,
      [`--mantine-color-${name}-filled-hover`]: readable(filled, WHITE, 6),
      [`--mantine-color-${name}-text`]: text,
      [`--mantine-color-${name}-outline`]: text,
      [`--mantine-color-${name}-light-color`]: readable(shades[9], shades[2], AA),
    };
  }
  const filled = readable(shades[8], WHITE, AA, '#000000');
  const text = readable(shades[4], DARK_PANEL, AA, WHITE);
  return {
    [`--mantine-color-${name}-filled`]: filled,
    [`--mantine-color-${name}-filled-hover`]: readable(filled, WHITE, 6, '#000000'),
    [`--mantine-color-${name}-text`]: text,
    [`--mantine-color-${name}-outline`]: text,
  };
}

/** Graph and console-frame colours that follow the scheme (canvas code reads them by name). */
export const SCHEME_EXTRAS = {
  light: { '--vd-graph-axis': DEFAULT_THEME.colors.gray[7], '--vd-graph-grid': 'rgba(0,0,0,0.08)', '--vd-console-frame': DEFAULT_THEME.colors.gray[3] },
  dark: { '--vd-graph-axis': DEFAULT_THEME.colors.dark[1], '--vd-graph-grid': 'rgba(255,255,255,0.08)', '--vd-console-frame': '#111111' },
} as const;

export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': readable(DEFAULT_THEME.colors.gray[6], LIGHT_PANEL, AA),
    '--mantine-color-anchor': `var(--mantine-color-${t.primaryColor}-text)`,
    '--mantine-color-error': 'var(--mantine-color-red-text)',
    '--mantine-color-placeholder': readable(DEFAULT_THEME.colors.gray[5], WHITE, AA),
    ...SCHEME_EXTRAS.light,
  };
  const dark: Record<string, string> = {
    '--mantine-color-dimmed': readable(DEFAULT_THEME.colors.dark[2], DARK_PANEL, AA, WHITE),
    '--mantine-color-anchor': `var(--mantine-color-${t.primaryColor}-text)`,
    '--mantine-color-error': 'var(--mantine-color-red-text)',
    '--mantine-color-placeholder': readable(DEFAULT_THEME.colors.dark[3], DARK_PANEL, AA, WHITE),
    ...SCHEME_EXTRAS.dark,
  };
  for (const [name, shades] of Object.entries(t.colors)) {
    if (name === 'dark' || !Array.isArray(shades)) continue;
    Object.assign(light, colorVariables(name, shades as MantineColorsTuple, 'light'));
    Object.assign(dark, colorVariables(name, shades as MantineColorsTuple, 'dark'));
  }
  return { variables: {}, light, dark };
};
