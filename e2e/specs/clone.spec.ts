// Clones and templates against the lab, from the UI, each result checked on the host
// (dumpxml --inactive, vol-dumpxml, qemu-img info, the guest's own report). The spec defines its
// own source VM (cl-src on hv2) and removes it and everything made from it in afterAll.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { readDomain } from '../../shared/domain-xml';
import { addConnection } from '../support/app';
import { expect, needsLab, test } from '../support/fixtures';
import { hostVirsh, inHost, LAB_DIR } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv2');

const HV = 'hv2';
const SRC = 'cl-src';
const HOSTILE = `cl it's "a" $(touch cl-pwned); ü {n}`;
const HOSTILE_1 = HOSTILE.replace('{n}', '1');
const MADE = ['web-1', 'web-2', 'web-3', HOSTILE_1, 'lnk-01', 'lnk-02'];
const IMAGES = '/var/lib/libvirt/images';

const row = (page: Page, name: string) => page.getByRole('table').getByRole('row', { name: `${name} on ${HV}`, exact: true });
const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'VM actions' });
const task = (page: Page, title: string | RegExp) => page.getByRole('log', { name: 'Tasks' }).getByRole('listitem', { name: title });
const names = async () => (await hostVirsh(HV, 'list', '--all', '--name')).split('\n').map((l) => l.trim()).filter(Boolean);
// The default pool is a folder: its files are its volumes (libvirt 9.0's vol-list has no --name).
const volumes = async () => (await inHost(HV, 'ls', '-1', IMAGES)).split('\n').filter(Boolean).sort();
const inactive = async (vm: string) => readDomain(await hostVirsh(HV, 'dumpxml', '--inactive', '--domain', vm));

async function removeVm(vm: string): Promise<void> {
  await hostVirsh(HV, 'destroy', '--domain', vm).catch(() => undefined);
  await hostVirsh(HV, 'undefine', '--domain', vm, '--nvram').catch(() => undefined);
}

async function cleanUp(): Promise<void> {
  for (const vm of [...MADE, SRC]) await removeVm(vm);
  await hostVirsh(HV, 'pool-refresh', 'default').catch(() => undefined);
  for (const vol of await volumes().catch(() => [])) {
    if ([...MADE, SRC].some((vm) => vol.startsWith(vm))) await hostVirsh(HV, 'vol-delete', '--pool', 'default', '--vol', vol).catch(() => undefined);
  }
  await inHost(HV, 'rm', '-f', '/home/virtdeck/cl-pwned', '/tmp/cl-pwned').catch(() => undefined);
  // A serial log left by an earlier run would read as this run's boot report.
  await inHost(HV, 'rm', '-f', ...[...MADE, SRC].map((vm) => `/var/log/libvirt/qemu/${vm}-serial.log`)).catch(() => undefined);
}

test.beforeAll(async () => {
  await cleanUp();
  const xml = readFileSync(join(LAB_DIR, 'guests', 'desk.xml'), 'utf8').replaceAll('@NAME@', SRC).replaceAll('@MAC@', '52:54:00:d0:c1:01');
  const file = `/tmp/clone-e2e-${SRC}.xml`;
  writeFileSync(file, xml);
  await hostVirsh(HV, 'vol-create-as', 'default', `${SRC}.qcow2`, '16M', '--format', 'qcow2');
  await hostVirsh(HV, 'define', file);
});

test.afterAll(cleanUp);

async function openCloneDialog(page: Page, vm: string, button = 'Clone…') {
  const fleet = page.getByRole('button', { name: 'All VMs' });
  if (await fleet.isVisible()) await fleet.click();
  await page.getByRole('button', { name: `Open ${vm} on ${HV}` }).click();
  await page.getByRole('toolbar', { name: `Actions for ${vm}` }).getByRole('button', { name: button }).click();
  return page.getByRole('dialog');
}

async function fill(dialog: ReturnType<Page['getByRole']>, pattern: string, count: number, first = 1, pad = 0) {
  await dialog.getByRole('textbox', { name: 'Name pattern' }).fill(pattern);
  await dialog.getByRole('textbox', { name: 'Copies' }).fill(String(count));
  await dialog.getByRole('textbox', { name: 'First number' }).fill(String(first));
  await dialog.getByRole('textbox', { name: 'Zero padding' }).fill(String(pad));
}

test('clone three times with web-{n}, boot one: its own UUID, MAC and disk; hostile names; a duplicate name leaves nothing; a running VM is refused', async ({ page, app, checkConsole }) => {
  test.setTimeout(150_000);
  await page.goto(app.url);
  await addConnection(page, HV);
  await expect(row(page, SRC)).toContainText('shut off');
  const src = await inactive(SRC);

  // From the fleet's selection.
  await row(page, SRC).getByRole('checkbox', { name: `Select ${SRC} on ${HV}` }).check();
  await toolbar(page).getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menuitem', { name: 'Clone…' }).click();
  let dialog = page.getByRole('dialog', { name: `Clone ${SRC}` });
  await fill(dialog, 'web-{n}', 3);
  await expect(dialog.getByLabel('Names of the copies')).toHaveText('web-1, web-2, web-3');
  await page.screenshot({ path: 'test-results/clone-dialog.png' });
  await dialog.getByRole('button', { name: 'Clone' }).click();
  await expect(task(page, `Clone ${SRC} on ${HV} as web-1, web-2, web-3: done`)).toBeVisible({ timeout: 60_000 });
  for (const vm of ['web-1', 'web-2', 'web-3']) await expect(row(page, vm)).toContainText('shut off');

  // The host's truth: three definitions, each with its own UUID, MAC (libvirt's prefix) and volume.
  const clones = await Promise.all(['web-1', 'web-2', 'web-3'].map(inactive));
  const uuids = new Set([src.uuid, ...clones.map((c) => c.uuid)]);
  const macs = new Set([src.interfaces[0]!.mac, ...clones.map((c) => c.interfaces[0]!.mac)]);
  expect(uuids.size).toBe(4);
  expect(macs.size).toBe(4);
  for (const [i, c] of clones.entries()) {
    expect(c.interfaces[0]!.mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    expect(c.disks[0]!.source?.file).toBe(`${IMAGES}/web-${i + 1}.qcow2`);
    const vol = await hostVirsh(HV, 'vol-dumpxml', '--pool', 'default', '--vol', `web-${i + 1}.qcow2`);
    expect(vol).toContain("<format type='qcow2'/>");
    expect(vol).not.toContain('<backingStore>');
  }

  // Boot one clone: the guest reports the clone's MAC, on the clone's own serial log.
  await page.getByRole('button', { name: `Open web-2 on ${HV}` }).click();
  await page.getByRole('toolbar', { name: 'Actions for web-2' }).getByRole('button', { name: 'Start' }).click();
  const log = join(LAB_DIR, 'state', HV, 'log', 'qemu', 'web-2-serial.log');
  const read = () => {
    try {
      return readFileSync(log, 'utf8');
    } catch {
      return '';
    }
  };
  await expect.poll(read, { timeout: 90_000 }).toContain('VIRTDECK-READY');
  expect(read()).toContain(`mac=${clones[1]!.interfaces[0]!.mac}`);
  expect(read()).toContain('vda');
  await removeVm('web-2');

  // Hostile names: the VM and its volume, quoted as they are.
  dialog = await openCloneDialog(page, SRC);
  await fill(dialog, HOSTILE, 1);
  await dialog.getByRole('button', { name: 'Clone' }).click();
  await expect(task(page, `Clone ${SRC} on ${HV} as ${HOSTILE_1}: done`)).toBeVisible({ timeout: 60_000 });
  expect(await names()).toContain(HOSTILE_1);
  expect(await volumes()).toContain(`${HOSTILE_1}.qcow2`);
  await expect(inHost(HV, 'sh', '-c', 'ls /home/virtdeck/cl-pwned /tmp/cl-pwned /cl-pwned 2>/dev/null')).rejects.toThrow();

  // A duplicate name is refused before anything is made.
  // Only this spec's names: other engineers' VMs on the shared lab may come and go meanwhile.
  const ours = (xs: string[]) => xs.filter((x) => /^(web-|cl[ -]|lnk-)/.test(x));
  const before = { vms: ours(await names()), vols: ours(await volumes()) };
  dialog = await openCloneDialog(page, SRC);
  await fill(dialog, 'web-{n}', 2, 3);
  await dialog.getByRole('button', { name: 'Clone' }).click();
  const failed = task(page, `Clone ${SRC} on ${HV} as web-3, web-4: failed`);
  await expect(failed).toContainText(`${HV} already has a VM named "web-3": nothing was cloned`);
  expect(ours(await names())).toEqual(before.vms);
  expect(ours(await volumes())).toEqual(before.vols);

  // A running VM: the dialog says why, offers the pause, and clones nothing as it is.
  // (Back to the fleet first: the clone dialog was opened from the source's own page.)
  if (await page.getByRole('dialog').isVisible()) await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'All VMs' }).click();
  await hostVirsh(HV, 'start', '--domain', 'web-1');
  await expect(row(page, 'web-1')).toContainText('running');
  dialog = await openCloneDialog(page, 'web-1');
  await expect(dialog.getByRole('alert', { name: 'Why it cannot be cloned' })).toContainText('web-1 is running: a clone copies the disks a running guest keeps writing');
  await expect(dialog.getByRole('button', { name: 'Clone' })).toBeDisabled();
  await expect(dialog.getByRole('checkbox', { name: /Pause web-1 for the copy/ })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await removeVm('web-1');
  checkConsole();
});

test('template: marked, shown apart, never started; two linked clones on its disk; its deletion refused while they exist', async ({ page, app, checkConsole }) => {
  test.setTimeout(90_000);
  await page.goto(app.url);
  await addConnection(page, HV);
  await page.getByRole('button', { name: `Open ${SRC} on ${HV}` }).click();
  const actions = page.getByRole('toolbar', { name: `Actions for ${SRC}` });
  await actions.getByRole('button', { name: 'Mark as template' }).click();
  await expect(actions.getByLabel(`${SRC} is a template`)).toBeVisible();
  await expect(actions.getByRole('button', { name: 'Start' })).toHaveCount(0);
  expect(await hostVirsh(HV, 'metadata', '--domain', SRC, '--uri', 'https://virtdeck.dev/xmlns/template/1')).toContain('template');

  // Deploy two linked clones, numbered from 1 with two digits.
  await actions.getByRole('button', { name: 'Deploy…' }).click();
  const dialog = page.getByRole('dialog', { name: `Deploy ${SRC}` });
  await fill(dialog, 'lnk-{n}', 2, 1, 2);
  await expect(dialog.getByRole('checkbox', { name: /Linked clones/ })).toBeChecked();
  await page.screenshot({ path: 'test-results/clone-deploy.png' });
  await dialog.getByRole('button', { name: 'Deploy' }).click();
  await expect(task(page, `Deploy ${SRC} on ${HV} as lnk-01, lnk-02 (linked): done`)).toBeVisible({ timeout: 60_000 });
  const srcPath = `${IMAGES}/${SRC}.qcow2`;
  for (const vm of ['lnk-01', 'lnk-02']) {
    const d = await inactive(vm);
    expect(d.disks[0]!.source?.file).toBe(`${IMAGES}/${vm}.qcow2`);
    expect(d.disks[0]!.driver.type).toBe('qcow2');
    expect(await hostVirsh(HV, 'vol-dumpxml', '--pool', 'default', '--vol', `${vm}.qcow2`)).toContain(`<path>${srcPath}</path>`);
    expect(await inHost(HV, 'qemu-img', 'info', '-U', `${IMAGES}/${vm}.qcow2`)).toContain(`backing file: ${srcPath}`);
  }

  // The fleet shows it apart, and its Start is not offered for it.
  await page.getByRole('button', { name: 'All VMs' }).click();
  await page.getByRole('radiogroup', { name: 'Type filter' }).getByText('Templates').click();
  await expect(row(page, SRC)).toBeVisible();
  await expect(row(page, SRC).getByRole('cell', { name: 'Type template' })).toBeVisible();
  await expect(row(page, 'lnk-01')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/clone-templates.png' });
  await row(page, SRC).getByRole('checkbox', { name: `Select ${SRC} on ${HV}` }).check();
  await expect(toolbar(page).getByRole('button', { name: 'Start' })).toBeDisabled();

  // Deleting it is refused while the clones exist, naming them; nothing is gone on the host.
  await toolbar(page).getByRole('button', { name: 'Delete' }).click();
  const del = page.getByRole('dialog', { name: `Delete ${SRC}?` });
  await del.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(task(page, `Delete ${SRC} on ${HV}: failed`)).toContainText('is a template with 2 linked clones ("lnk-01", "lnk-02")');
  expect(await names()).toContain(SRC);
  expect(await volumes()).toContain(`${SRC}.qcow2`);
  expect((await hostVirsh(HV, 'domstate', '--domain', SRC)).trim()).toBe('shut off');
  checkConsole();
});
