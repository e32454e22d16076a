import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './support/chromium';

// e2e drive browser mode in Debian's chromium against the three-hypervisor lab.
// Hosts are shared state (the lab), so specs run one at a time.
export default defineConfig({
  testDir: '.',
  testMatch: ['specs/**/*.spec.ts', 'electron.spec.ts'],
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: '../test-results',
  use: {
    launchOptions: CHROMIUM_LAUNCH,
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
