import type { LaunchOptions } from 'playwright-core';

/** Debian's chromium; Playwright's own browser downloads cannot work on these machines. */
export const CHROMIUM_LAUNCH: LaunchOptions = {
  executablePath: process.env.VIRTDECK_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};
