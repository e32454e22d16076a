// The e2e suite's fixtures: the app started before each test and stopped after it, the lab's
// hosts, and console-error recording, so that specs hold only their scenario.
//
//   import { expect, needsLab, test } from '../support/fixtures';
//   needsLab();
//   test('…', async ({ page, app, lab, checkConsole }) => {
//     await page.goto(app.url);
//     await lab.virsh('hv3', 'start', 'tuned-1');
//     checkConsole();
//   });
import { test as base } from '@playwright/test';
import { failOnConsoleErrors, startApp as launchApp, type RunningApp } from './app';
import { lab, type Lab } from './lab';

export { expect } from '@playwright/test';
export type { RunningApp } from './app';

export const LAB_NOT_UP = 'the lab is not up: run `npm run lab:up` (Linux, root) first';

/** Skip the whole file (its beforeAll hooks too) when the lab is not up. Call at its top level. */
export function needsLab(): void {
  base.skip(!lab.isUp(), LAB_NOT_UP);
}

export interface AppOptions {
  /** The ssh config the app reads; the lab's by default. */
  sshConfig: string;
  /** Extra environment for the web host (SSH_AUTH_SOCK is never inherited from the suite's shell). */
  env?: Record<string, string>;
}

interface TestFixtures {
  /** How `app` and `startApp` start the app: `test.use({ appOptions: { … } })` for a file or describe. */
  appOptions: AppOptions;
  /** Start an app now, with these options over `appOptions` (for a test that prepares its own ssh
   *  config, keys or agent first). Every app started this way is stopped after the test. */
  startApp: (options?: Partial<AppOptions>) => Promise<RunningApp>;
  /** The app in browser mode, its own data folder, started for this test (after its beforeEach
   *  hooks) and stopped after it (after its afterEach hooks). */
  app: RunningApp;
  /** Records console errors and uncaught errors of `page` from the test's start; call it where the
   *  test asserts that the UI ran clean. A page of the test's own context: `failOnConsoleErrors`. */
  checkConsole: () => void;
}

interface WorkerFixtures {
  /** The lab's hosts, ssh config and outside-the-app helpers (virsh as root, cut/restore a link). */
  lab: Lab;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  lab: [async ({}, use) => use(lab), { scope: 'worker' }],
  appOptions: [{ sshConfig: lab.sshConfig }, { option: true }],
  startApp: async ({ appOptions }, use) => {
    const started: RunningApp[] = [];
    await use(async (options = {}) => {
      const app = await launchApp({ ...appOptions, ...options });
      started.push(app);
      return app;
    });
    for (const app of started.reverse()) await app.stop();
  },
  app: async ({ startApp }, use) => use(await startApp()),
  checkConsole: async ({ page }, use) => use(failOnConsoleErrors(page)),
});
