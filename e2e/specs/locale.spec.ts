// A host whose sessions speak German (sshd SetEnv LANG=de_DE.UTF-8, libvirt's translations
// installed): virsh run there by hand prints "Fehler:", "laufend", "Verwende Bibliothek"…; the
// app's commands run under LC_ALL=C and read numeric states, so its host page, VM states, the
// editor's live changes, delete and libvirt's messages are all right — checked on the host.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { addConnection, connectionItem, failOnConsoleErrors, startApp, type RunningApp } from '../support/app';
import { hostVirsh, LAB_DIR, LAB_SSH_CONFIG, labHostWith, labIsUp, sshAsLabUser } from '../support/lab';

test.skip(!labIsUp(), 'the lab is not up: run `npm run lab:up` (Linux, root) first');
const HV = labHostWith((p) => p.locale.startsWith('de_'));
test.skip(!HV, 'no lab host has a German session locale (e2e/lab/lib.sh LAB_LOCALE)');

const run = promisify(execFile);
const VM = 'loc-run';
const BROKEN = 'loc-broken';
const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'VM actions' });
const task = (page: Page, title: string) => page.getByRole('log', { name: 'Tasks' }).getByRole('listitem', { name: title });
const row = (page: Page, name: string) => page.getByRole('row', { name: `${name} on ${HV}`, exact: true });

async function defineVm(name: string, mac: string, disk?: string): Promise<void> {
  let xml = readFileSync(join(LAB_DIR, 'guests', 'tuned.xml'), 'utf8').replace(/@NAME@/g, name).replace(/@MAC@/g, mac);
  if (disk) xml = xml.replace(`/var/lib/libvirt/images/${name}.qcow2`, disk);
  else await hostVirsh(HV!, 'vol-create-as', 'default', `${name}.qcow2`, '16M', '--format', 'qcow2');
  await run('bash', ['-c', `bash "${join(LAB_DIR, 'vm.sh')}" ${HV} define /dev/stdin <<'XML'\n${xml}\nXML`]);
}

async function removeVm(name: string): Promise<void> {
  await hostVirsh(HV!, 'destroy', '--domain', name).catch(() => undefined);
  await hostVirsh(HV!, 'undefine', '--domain', name).catch(() => undefined);
  await hostVirsh(HV!, 'vol-delete', '--pool', 'default', `${name}.qcow2`).catch(() => undefined);
}

let app: RunningApp;
test.beforeEach(async () => {
  app = await startApp({ sshConfig: LAB_SSH_CONFIG });
});
test.afterEach(async () => app.stop());
test.afterAll(async () => {
  await removeVm(VM);
  await removeVm(BROKEN);
});

test('the German host speaks German to its own users', async () => {
  // What the app would read without LC_ALL=C: the lab user's own session on that host.
  expect((await sshAsLabUser(HV!, 'virsh -c qemu:///system version')).stdout).toContain('Verwende Bibliothek: libvirt');
  expect((await sshAsLabUser(HV!, 'virsh -c qemu:///system domstate no-such-vm')).stderr).toMatch(/^Fehler: /);
});

test("the German host's page: libvirt and QEMU versions, CPUs, memory and networks", async ({ page }) => {
  const checkConsole = failOnConsoleErrors(page);
  const version = await hostVirsh(HV!, 'version');
  const node = await hostVirsh(HV!, 'nodeinfo');
  const field = (label: string) => new RegExp(`^${label}:\\s+(\\S+)`, 'm').exec(node)![1]!;
  await page.goto(app.url);
  await addConnection(page, HV!);
  await expect(connectionItem(page, HV!)).toContainText('online');
  await page.getByRole('button', { name: `Open host ${HV}` }).click();
  const host = page.getByRole('region', { name: 'Host' });
  const esc = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s*'));
  await expect(host).toContainText(esc(`libvirt ${/Using library: libvirt (\S+)/.exec(version)![1]}`));
  await expect(host).toContainText(esc(`QEMU ${/Running hypervisor: QEMU (\S+)/.exec(version)![1]}`));
  await expect(host).toContainText(`${field('CPU\\(s\\)')} (${field('CPU socket\\(s\\)')} socket × ${field('Core\\(s\\) per socket')} core × ${field('Thread\\(s\\) per core')} thread), ${field('CPU frequency')} MHz`);
  const memKiB = Number(field('Memory size'));
  await expect(host).toContainText(`${memKiB >= 1048576 ? `${(memKiB / 1048576).toFixed(1)} GiB` : `${Math.round(memKiB / 1024)} MiB`}, `);
  await page.getByRole('tab', { name: 'Networks & bridges' }).click();
  const nets = await hostVirsh(HV!, 'net-list', '--all');
  const active = /^\s*default\s+active/m.test(nets);
  await expect(page.getByRole('table', { name: 'Virtual networks' }).getByRole('row', { name: 'Network default' })).toContainText(active ? 'active' : 'inactive');
  checkConsole();
});

test('a running VM: its state, a live memory change, delete once shut off, and libvirt errors without "Fehler:"', async ({ page }) => {
  test.setTimeout(300_000);
  const checkConsole = failOnConsoleErrors(page);
  await removeVm(VM);
  await removeVm(BROKEN);
  await defineVm(VM, '52:54:00:d0:07:01');
  await defineVm(BROKEN, '52:54:00:d0:07:02', '/var/lib/libvirt/images/no-such-disk.qcow2');
  await hostVirsh(HV!, 'start', '--domain', VM);
  await run('bash', [join(LAB_DIR, 'guest-report.sh'), HV!, VM, '120'], { timeout: 130_000 }); // the balloon driver is loaded

  await page.goto(app.url);
  await addConnection(page, HV!);
  await expect(row(page, VM)).toContainText('running');
  await expect(row(page, BROKEN)).toContainText('shut off');

  // The editor sees the VM running: a memory change goes to the running VM too, not just the config.
  await page.getByRole('button', { name: `Open ${VM} on ${HV}`, exact: true }).click();
  const details = page.getByRole('table', { name: 'VM details' });
  await expect(details.getByRole('row', { name: /^Persistent/ })).toContainText('yes');
  await expect(details.getByRole('row', { name: /^Managed save/ })).toContainText('no');
  await page.getByRole('tab', { name: 'Hardware' }).click();
  const devices = page.getByRole('navigation', { name: 'Devices' });
  await devices.getByRole('button', { name: 'Memory', exact: true }).click();
  const memory = page.getByRole('region', { name: 'Memory' });
  await expect(memory).toContainText('changed live');
  await memory.getByRole('textbox', { name: 'Current memory (MiB)' }).fill('112');
  await memory.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status')).toContainText('Also changed in the running VM: balloon target 114688 KiB');
  await expect.poll(async () => /^actual (\d+)/m.exec(await hostVirsh(HV!, 'dommemstat', VM))?.[1], { timeout: 60_000 }).toBe('114688');
  // Read afresh once the balloon is there: live and next boot agree, so nothing is pending. (The
  // page as it stands still compares the live currentMemory it read while the balloon was moving:
  // a known, separate issue of the pending view — LAB-NOTES "Flaky once".)
  await page.goto(app.url);
  await page.getByRole('button', { name: `Open ${VM} on ${HV}`, exact: true }).click();
  await page.getByRole('tab', { name: 'Hardware' }).click();
  await expect(devices.getByRole('button', { name: 'Memory', exact: true })).toBeVisible();

  // libvirt's own message, without virsh's prefix in any language.
  await page.goto(app.url);
  await expect(row(page, BROKEN)).toContainText('shut off');
  await row(page, BROKEN).getByRole('checkbox').check();
  await toolbar(page).getByRole('button', { name: 'Start' }).click();
  const failed = task(page, `Start ${BROKEN} on ${HV}: failed`);
  await expect(failed).toContainText(`Failed to start domain '${BROKEN}'`);
  await expect(failed).toContainText('no-such-disk.qcow2');
  await expect(failed).not.toContainText(/Fehler|error: /);
  await row(page, BROKEN).getByRole('checkbox').uncheck();

  // Force off, then delete with its storage: the delete must see "shut off" and not try to destroy.
  await row(page, VM).getByRole('checkbox').check();
  await toolbar(page).getByRole('button', { name: 'Force off' }).click();
  await page.getByRole('dialog', { name: `Force off ${VM}?` }).getByRole('button', { name: `Force off ${VM}` }).click();
  await expect(row(page, VM)).toContainText('shut off');
  await toolbar(page).getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete ${VM}?` });
  await expect(dialog.getByRole('checkbox', { name: `Delete storage of vda of ${VM} on ${HV}` })).toBeChecked();
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(task(page, `Delete ${VM} on ${HV}: done`)).toBeVisible();
  await expect(row(page, VM)).toHaveCount(0);
  expect((await hostVirsh(HV!, 'list', '--all', '--name')).split('\n')).not.toContain(VM);
  expect(await hostVirsh(HV!, 'vol-list', '--pool', 'default')).not.toContain(`${VM}.qcow2`);
  checkConsole();
});
