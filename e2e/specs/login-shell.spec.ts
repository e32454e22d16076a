// Whatever the login shell of the lab user on a host (fish: \' is an escape inside single quotes;
// tcsh: ! expands inside them and !# re-inserts the words typed so far), VMs with names that
// exploit each shell are listed, opened, started and stopped from the UI, and no name is ever
// run: the canary file in the user's home is never created.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { addConnection, connectionItem, failOnConsoleErrors, startApp, type RunningApp } from '../support/app';
import { hostVirsh, LAB_DIR, LAB_SSH_CONFIG, labHostWith, labIsUp, sshAsLabUser } from '../support/lab';

test.skip(!labIsUp(), 'the lab is not up: run `npm run lab:up` (Linux, root) first');

// libvirt refuses '/' in names, so the canary is relative: a shell would create it in the login
// directory of the lab's user (one home for every lab host).
const CANARY = '/home/virtdeck/vd-pwned';
const HOSTILE = [
  `a\\';touch vd-pwned;#`,
  `b\\\\';touch vd-pwned;#`,
  'c;touch vd-pwned;d',
  'T!#',
  'x!y',
  '!!',
  'tr\\',
  `it's`,
  '$(touch vd-pwned)',
  '`touch vd-pwned`',
  'ünï-虚拟机-🙂',
  '-dash',
];
/** Started and stopped too (a TCG boot each): one exploit per shell. */
const STARTED = [`a\\';touch vd-pwned;#`, 'T!#'];

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');

/** The lab's tuned guest without disk and NIC, under a hostile name. */
async function defineNamed(hv: string, name: string): Promise<void> {
  const xml = readFileSync(join(LAB_DIR, 'guests', 'tuned.xml'), 'utf8')
    .replace(/@NAME@/g, xmlEscape(name))
    .replace(/<disk[\s\S]*?<\/disk>\s*/g, '')
    .replace(/<interface[\s\S]*?<\/interface>\s*/g, '')
    .replace(/<cmdline>[^<]*<\/cmdline>/, '<cmdline>console=ttyS0 quiet</cmdline>')
    .replace(/<serial type='pty'>[\s\S]*?<\/serial>/, "<serial type='pty'><target port='0'/></serial>");
  // /tmp is shared with the host's mount namespace.
  const file = join(mkdtempSync(join(tmpdir(), 'vd-shell-')), 'domain.xml');
  writeFileSync(file, xml);
  await hostVirsh(hv, 'define', file);
}

for (const shell of ['fish', 'tcsh']) {
  test.describe(`a host whose login shell is ${shell}`, () => {
    const hv = labHostWith((p) => p.shell.endsWith(`/${shell}`));
    test.skip(!hv, `no lab host has ${shell} as the login shell (e2e/lab/lib.sh LAB_SHELL)`);
    let app: RunningApp;

    test.beforeAll(async () => {
      rmSync(CANARY, { force: true });
      for (const name of HOSTILE) await defineNamed(hv!, name);
    });
    test.afterAll(async () => {
      for (const name of HOSTILE) {
        await hostVirsh(hv!, 'destroy', '--domain', name).catch(() => undefined);
        await hostVirsh(hv!, 'undefine', '--domain', name).catch(() => undefined);
      }
    });
    test.beforeEach(async () => {
      app = await startApp({ sshConfig: LAB_SSH_CONFIG });
    });
    test.afterEach(async () => app.stop());

    test(`hostile names on the ${shell} host are listed, opened, started and stopped; nothing is executed`, async ({ page }) => {
      test.setTimeout(240_000);
      // The host truly runs the lab user's commands with that shell.
      expect((await sshAsLabUser(hv!, shell === 'fish' ? 'echo $FISH_VERSION' : 'echo $version')).stdout.trim()).toMatch(shell === 'fish' ? /^\d+\.\d+/ : /^tcsh/);
      const check = failOnConsoleErrors(page);
      await page.goto(app.url);
      await addConnection(page, hv!);
      await expect(connectionItem(page, hv!)).toContainText('online');
      for (const name of HOSTILE) await expect(page.getByRole('row', { name: `${name} on ${hv}`, exact: true })).toContainText('shut off');

      // Opening a VM sends its name in several commands (dominfo, dumpxml, domstats).
      for (const name of HOSTILE.slice(0, 4)) {
        await page.getByRole('button', { name: `Open ${name} on ${hv}`, exact: true }).click();
        const details = page.getByRole('table', { name: 'VM details' });
        await expect(details.getByRole('row', { name: /^Persistent/ })).toContainText('yes');
        await expect(details.getByRole('row', { name: /^UUID/ })).toContainText(/^UUID[0-9a-f-]{36}$/);
        await page.goto(app.url);
        await expect(connectionItem(page, hv!)).toContainText('online');
      }

      const toolbar = page.getByRole('toolbar', { name: 'VM actions' });
      for (const name of STARTED) {
        const row = page.getByRole('row', { name: `${name} on ${hv}`, exact: true });
        await row.getByRole('checkbox').check();
        await toolbar.getByRole('button', { name: 'Start' }).click();
        await expect(row).toContainText('running');
        expect((await hostVirsh(hv!, 'domstate', '--domain', name)).trim()).toBe('running');
        await toolbar.getByRole('button', { name: 'Force off' }).click();
        await page.getByRole('dialog', { name: `Force off ${name}?` }).getByRole('button', { name: `Force off ${name}` }).click();
        await expect(row).toContainText('shut off');
        expect((await hostVirsh(hv!, 'domstate', '--domain', name)).trim()).toBe('shut off');
        await row.getByRole('checkbox').uncheck();
      }
      expect(existsSync(CANARY), 'a name was run by a shell').toBe(false);
      check();
    });
  });
}
