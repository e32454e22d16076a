// No VM name reaches a shell unquoted: VMs named with quotes, $(), backticks, ;, spaces and
// unicode are listed, started and stopped from the UI like any other.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection } from '../support/app';
import { hostVirsh } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv3');

// libvirt refuses '/' in names, so the canary is relative: a shell would create it in the
// login directory of the lab's user.
const CANARY = '/home/virtdeck/vd-pwned';
const HOSTILE = [`it's`, `say "hi"`, '$(touch vd-pwned)', '`touch vd-pwned`', 'a; touch vd-pwned', 'two  spaces', 'ünï-虚拟机-🙂', '-dash', '*glob?', '$HOME'];

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');

/** A small bootable domain on hv3: tuned-1's definition without its disk and NIC, renamed. */
async function defineNamed(name: string): Promise<void> {
  const xml = (await hostVirsh('hv3', 'dumpxml', '--inactive', 'tuned-1'))
    .replace(/<name>[^<]*<\/name>/, `<name>${xmlEscape(name)}</name>`)
    .replace(/<uuid>[^<]*<\/uuid>\s*/, '')
    .replace(/<disk[\s\S]*?<\/disk>\s*/g, '')
    .replace(/<interface[\s\S]*?<\/interface>\s*/g, '');
  // /tmp is shared with the host's mount namespace; stdin does not survive the namespace hop.
  const file = join(mkdtempSync(join(tmpdir(), 'vd-hostile-')), 'domain.xml');
  writeFileSync(file, xml);
  await hostVirsh('hv3', 'define', file);
}

test.beforeAll(async () => {
  rmSync(CANARY, { force: true });
  for (const name of HOSTILE) await defineNamed(name);
});
test.afterAll(async ({ lab }) => {
  for (const name of HOSTILE) {
    await lab.virsh('hv3', 'destroy', '--domain', name).catch(() => undefined);
    await lab.virsh('hv3', 'undefine', '--domain', name).catch(() => undefined);
  }
});

test('hostile names are listed, started and stopped, and nothing is executed', async ({ page, app, lab, checkConsole }) => {
  test.setTimeout(180_000);
  await page.goto(app.url);
  await addConnection(page, 'hv3');
  const toolbar = page.getByRole('toolbar', { name: 'VM actions' });
  for (const name of HOSTILE) {
    const row = page.getByRole('row', { name: `${name} on hv3`, exact: true });
    await expect(row).toContainText('shut off');
    await row.getByRole('checkbox').check();
    await toolbar.getByRole('button', { name: 'Start' }).click();
    await expect(row).toContainText('running');
    expect((await lab.virsh('hv3', 'domstate', '--domain', name)).trim()).toBe('running');
    await toolbar.getByRole('button', { name: 'Force off' }).click();
    await page.getByRole('dialog', { name: `Force off ${name}?` }).getByRole('button', { name: `Force off ${name}` }).click();
    await expect(row).toContainText('shut off');
    expect((await lab.virsh('hv3', 'domstate', '--domain', name)).trim()).toBe('shut off');
    await row.getByRole('checkbox').uncheck();
  }
  expect(existsSync(CANARY), 'a name was run by a shell').toBe(false);
  checkConsole();
});
