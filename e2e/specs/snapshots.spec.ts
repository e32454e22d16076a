// Snapshots against the lab, from the UI, each result checked on the host (snapshot-dumpxml,
// domblklist, the guest's own shell). The spec defines its own VMs (snap-*) and removes them,
// with every snapshot and overlay file, in afterAll.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { readDomain } from '../../shared/domain-xml';
import { addConnection } from '../support/app';
import { expect, needsLab, test } from '../support/fixtures';
import { hostVirsh, inHost, LAB_DIR, sshAsLabUser } from '../support/lab';
import { atSerialPrompt } from '../support/serial';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv1', 'hv2');

const VMS = [
  { hv: 'hv2', name: 'snap-run', tpl: 'desk', mac: '52:54:00:d0:0e:01', start: true },
  { hv: 'hv2', name: 'snap-off', tpl: 'desk', mac: '52:54:00:d0:0e:02', start: false },
  { hv: 'hv1', name: 'snap-sata', tpl: 'legacy', mac: '52:54:00:d0:0e:03', start: false },
] as const;
const IMAGES = '/var/lib/libvirt/images';
const HOSTILE = `it's "a" $(touch vd-pwned); ü <b> & x`;

async function removeVm(hv: string, name: string): Promise<void> {
  await hostVirsh(hv, 'destroy', name).catch(() => undefined);
  await hostVirsh(hv, 'undefine', name, '--snapshots-metadata').catch(() => undefined);
  // The base image and any overlay or memory file an external snapshot left.
  await inHost(hv, 'sh', '-c', `rm -f ${IMAGES}/${name}.*`);
  await hostVirsh(hv, 'pool-refresh', 'default').catch(() => undefined);
}

test.beforeAll(async () => {
  for (const vm of VMS) {
    await removeVm(vm.hv, vm.name);
    const xml = readFileSync(join(LAB_DIR, 'guests', `${vm.tpl}.xml`), 'utf8').replaceAll('@NAME@', vm.name).replaceAll('@MAC@', vm.mac);
    const file = `/tmp/snap-e2e-${vm.name}.xml`;
    writeFileSync(file, xml);
    await hostVirsh(vm.hv, 'vol-create-as', 'default', `${vm.name}.qcow2`, '16M', '--format', 'qcow2');
    await hostVirsh(vm.hv, 'define', file);
    if (vm.start) await hostVirsh(vm.hv, 'start', vm.name);
  }
});

test.afterAll(async () => {
  for (const vm of VMS) await removeVm(vm.hv, vm.name);
});

const names = async (hv: string, vm: string) => (await hostVirsh(hv, 'snapshot-list', '--domain', vm, '--name')).split('\n').filter(Boolean);
const dumpSnapshot = (hv: string, vm: string, s: string) => hostVirsh(hv, 'snapshot-dumpxml', '--domain', vm, '--snapshotname', s);
const state = async (hv: string, vm: string) => (await hostVirsh(hv, 'domstate', vm)).trim();
const tasks = (page: Page) => page.getByRole('log', { name: 'Tasks' });

async function openSnapshots(page: Page, vm: string, hv: string): Promise<void> {
  await page.getByRole('button', { name: `Open ${vm} on ${hv}` }).click();
  await page.getByRole('tab', { name: 'Snapshots' }).click();
  await expect(page.getByRole('button', { name: 'Take snapshot…' })).toBeEnabled();
}

async function take(page: Page, name: string, opts: { diskOnly?: boolean; kind?: RegExp } = {}): Promise<void> {
  await page.getByRole('button', { name: 'Take snapshot…' }).click();
  const dialog = page.getByRole('dialog', { name: /Take a snapshot of/ });
  await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
  await dialog.getByRole('textbox', { name: 'Description' }).fill(`e2e ${name}`);
  if (opts.diskOnly) await dialog.getByRole('radio', { name: 'Disks only' }).check();
  if (opts.kind) await expect(dialog.getByRole('alert')).toContainText(opts.kind);
  await dialog.getByRole('button', { name: 'Take snapshot' }).click();
  await expect(page.getByRole('row', { name: `Snapshot ${name}` })).toBeVisible({ timeout: 30_000 });
}

/** The guest's boot report on its serial log (the lab guest ends it with VIRTDECK-READY). */
async function guestBooted(hv: string, vm: string): Promise<void> {
  const log = join(LAB_DIR, 'state', hv, 'log', 'qemu', `${vm}-serial.log`);
  const read = () => {
    try {
      return readFileSync(log, 'utf8');
    } catch {
      return '';
    }
  };
  await expect.poll(read, { timeout: 90_000 }).toContain('VIRTDECK-READY');
}

/** The VM's Console tab; the serial console is opened the first time and stays open after (it
 *  reconnects by itself when QEMU restarts, as on a revert). */
async function serialPrompt(page: Page, vm: string, open = false) {
  await page.getByRole('tab', { name: 'Console', exact: true }).click();
  if (open) await page.getByRole('toolbar', { name: `Console of ${vm}` }).getByRole('button', { name: 'Serial console' }).click();
  await expect(page.getByRole('status', { name: 'Console status' })).toHaveText('connected', { timeout: 30_000 });
  return atSerialPrompt(page, vm);
}

async function typeLine(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line, { delay: 15 });
  await page.keyboard.press('Enter');
}

test('internal snapshot with memory: a file written in the guest is gone after revert, the VM running', async ({ page, app, checkConsole }) => {
  test.setTimeout(150_000);
  await guestBooted('hv2', 'snap-run');
  await page.goto(app.url);
  await addConnection(page, 'hv2');
  await page.getByRole('button', { name: 'Open snap-run on hv2' }).click();
  let rows = await serialPrompt(page, 'snap-run', true);

  await page.getByRole('tab', { name: 'Snapshots' }).click();
  await take(page, 'mem-1', { kind: /Internal snapshot/ });
  await expect(page.getByRole('row', { name: 'Snapshot mem-1' })).toContainText('running, with memory');
  await expect(page.getByRole('row', { name: 'Snapshot mem-1' })).toContainText('current');
  const xml = await dumpSnapshot('hv2', 'snap-run', 'mem-1');
  expect(xml).toContain('<state>running</state>');
  expect(xml).toContain("<memory snapshot='internal'/>");
  await page.screenshot({ path: 'test-results/snapshots-tab.png' });

  rows = await serialPrompt(page, 'snap-run');
  await typeLine(page, 'echo changed > /vd-marker; echo MARK-$((2+3))-WRITTEN');
  await expect(rows).toContainText('MARK-5-WRITTEN');

  await page.getByRole('tab', { name: 'Snapshots' }).click();
  await page.getByRole('button', { name: 'Revert to mem-1' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revert to mem-1?' });
  await expect(dialog).toContainText('is lost');
  await page.screenshot({ path: 'test-results/snapshots-revert.png' });
  await dialog.getByRole('button', { name: 'Revert' }).click();
  await expect(tasks(page).getByRole('listitem', { name: 'Revert to snapshot mem-1: snap-run on hv2: done' })).toBeVisible({ timeout: 60_000 });
  expect(await state('hv2', 'snap-run')).toBe('running');

  rows = await serialPrompt(page, 'snap-run');
  await typeLine(page, 'test -e /vd-marker && echo MARK-$((3+4))-THERE || echo MARK-$((3+4))-GONE');
  await expect(rows).toContainText('MARK-7-GONE');
  await expect(rows).not.toContainText('MARK-7-THERE');

  await page.getByRole('tab', { name: 'Snapshots' }).click();
  await page.getByRole('button', { name: 'Delete mem-1' }).click();
  await page.getByRole('dialog', { name: 'Delete snapshot mem-1?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('row', { name: 'Snapshot mem-1' })).toHaveCount(0);
  expect(await names('hv2', 'snap-run')).toEqual([]);
  checkConsole();
});

test('disk-only external snapshot of a running VM: overlay on the host, revert refused on libvirt 9.0, merged back', async ({ page, app }) => {
  test.setTimeout(90_000);
  await page.goto(app.url);
  await addConnection(page, 'hv2');
  await openSnapshots(page, 'snap-run', 'hv2');
  await take(page, 'disk-1', { diskOnly: true, kind: /External snapshot[\s\S]*internal snapshots of a running VM always hold its memory/ });
  const row = page.getByRole('row', { name: 'Snapshot disk-1' });
  await expect(row).toContainText('disks only');
  await expect(row).toContainText('external');
  const xml = await dumpSnapshot('hv2', 'snap-run', 'disk-1');
  const overlay = /<source file='([^']+)'/.exec(xml)?.[1] ?? '';
  expect(overlay).toMatch(new RegExp(`^${IMAGES}/snap-run\\.disk-1-\\d{8}T\\d{6}\\.qcow2$`));
  await inHost('hv2', 'test', '-f', overlay);
  expect(await hostVirsh('hv2', 'domblklist', 'snap-run')).toContain(overlay);
  await expect(row).toContainText(overlay);

  // libvirt 9.0 cannot revert an external snapshot: refused with the reason, nothing changes.
  await page.getByRole('button', { name: 'Revert to disk-1' }).click();
  await page.getByRole('dialog', { name: 'Revert to disk-1?' }).getByRole('button', { name: 'Revert' }).click();
  await expect(page.getByRole('alert')).toContainText('needs libvirt 9.9.0 or later, and this host has 9.0.0');
  expect(await state('hv2', 'snap-run')).toBe('running');
  expect(await names('hv2', 'snap-run')).toEqual(['disk-1']);

  // Deleting the VM offers the image below the overlay with the disk's storage.
  await page.getByRole('button', { name: 'All VMs' }).click();
  await page.getByRole('checkbox', { name: 'Select snap-run on hv2' }).check();
  await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Delete' }).click();
  const del = page.getByRole('dialog', { name: 'Delete snap-run?' });
  await expect(del).toContainText(`vda: ${overlay}`);
  await expect(del).toContainText(`with the 1 image below it (external snapshots): ${IMAGES}/snap-run.qcow2`);
  await del.getByRole('button', { name: 'Cancel' }).click();
  await openSnapshots(page, 'snap-run', 'hv2');

  await page.getByRole('button', { name: 'Merge back disk-1' }).click();
  await expect(tasks(page).getByRole('listitem', { name: 'Merge back snapshot disk-1: snap-run on hv2: done' })).toBeVisible({ timeout: 60_000 });
  await expect(row).toHaveCount(0);
  expect(await names('hv2', 'snap-run')).toEqual([]);
  expect(await hostVirsh('hv2', 'domblklist', 'snap-run')).toContain(`${IMAGES}/snap-run.qcow2`);
  await expect(inHost('hv2', 'test', '-e', overlay)).rejects.toThrow();
});

test('live from the host, a hostile name, and bad input that changes nothing', async ({ page, app, checkConsole }) => {
  await page.goto(app.url);
  await addConnection(page, 'hv2');
  await openSnapshots(page, 'snap-off', 'hv2');
  await expect(page.getByText('No snapshots yet.')).toBeVisible();

  // Made on the host: it shows without a click.
  await hostVirsh('hv2', 'snapshot-create-as', '--domain', 'snap-off', '--name', 'from-host', '--description', 'made with virsh');
  await expect(page.getByRole('row', { name: 'Snapshot from-host' })).toContainText('made with virsh', { timeout: 10_000 });
  await expect(page.getByRole('row', { name: 'Snapshot from-host' })).toContainText('shut off');

  await take(page, HOSTILE, { kind: /Internal snapshot/ });
  expect(await names('hv2', 'snap-off')).toEqual(expect.arrayContaining(['from-host', HOSTILE]));
  // The child of from-host, marked current.
  await expect(page.getByRole('row', { name: `Snapshot ${HOSTILE}` })).toContainText('current');
  expect(await dumpSnapshot('hv2', 'snap-off', HOSTILE)).toContain('<name>from-host</name>');

  // Bad input: an empty name and a taken one cannot be sent.
  await page.getByRole('button', { name: 'Take snapshot…' }).click();
  const dialog = page.getByRole('dialog', { name: /Take a snapshot of/ });
  const nameBox = dialog.getByRole('textbox', { name: 'Name' });
  await nameBox.fill('');
  await expect(dialog.getByRole('button', { name: 'Take snapshot' })).toBeDisabled();
  await nameBox.fill('from-host');
  await expect(dialog).toContainText('A snapshot named "from-host" already exists');
  await expect(dialog.getByRole('button', { name: 'Take snapshot' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Deleting a parent with its children.
  await page.getByRole('button', { name: 'Delete from-host' }).click();
  const del = page.getByRole('dialog', { name: 'Delete snapshot from-host?' });
  await del.getByRole('checkbox', { name: /Also delete its 1 child snapshot/ }).check();
  await del.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('No snapshots yet.')).toBeVisible();
  expect(await names('hv2', 'snap-off')).toEqual([]);
  // Nothing of the name ran in the lab user's shell.
  expect((await sshAsLabUser('hv2', 'ls vd-pwned')).stdout).toBe('');
  checkConsole();
});

test('snapshot first, SATA → SCSI, revert: the definition is byte-for-byte what it was', async ({ page, app }) => {
  const before = await hostVirsh('hv1', 'dumpxml', '--inactive', 'snap-sata');
  await page.goto(app.url);
  await addConnection(page, 'hv1');
  await page.getByRole('button', { name: 'Open snap-sata on hv1' }).click();
  await page.getByRole('tab', { name: 'Hardware' }).click();
  await page.getByRole('navigation', { name: 'Devices' }).getByRole('button', { name: 'Disk sda' }).click();
  const disk = page.getByRole('region', { name: 'Disk sda' });
  await disk.getByRole('combobox', { name: 'Bus' }).selectOption('scsi');
  await expect(disk.getByRole('checkbox', { name: 'Snapshot first' })).toBeChecked();
  await disk.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status')).toContainText('Disk sda: applied');
  expect(readDomain(await hostVirsh('hv1', 'dumpxml', '--inactive', 'snap-sata')).disks[0]?.bus).toBe('scsi');
  const [snap] = await names('hv1', 'snap-sata');
  expect(snap).toMatch(/^before Disk sda \(set-disk-bus\) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

  await page.getByRole('tab', { name: 'Snapshots' }).click();
  await page.getByRole('button', { name: `Revert to ${snap}` }).click();
  await page.getByRole('dialog', { name: `Revert to ${snap}?` }).getByRole('button', { name: 'Revert' }).click();
  await expect(tasks(page).getByRole('listitem', { name: `Revert to snapshot ${snap}: snap-sata on hv1: done` })).toBeVisible();
  expect(await hostVirsh('hv1', 'dumpxml', '--inactive', 'snap-sata')).toBe(before);
});

test('bulk snapshot of three VMs on two hosts from the fleet: one task each', async ({ page, app }) => {
  await page.goto(app.url);
  await addConnection(page, 'hv1');
  await addConnection(page, 'hv2');
  const fleet = [
    ['snap-off', 'hv2'],
    ['snap-sata', 'hv1'],
    ['snap-run', 'hv2'],
  ] as const;
  for (const [vm, hv] of fleet) await page.getByRole('checkbox', { name: `Select ${vm} on ${hv}` }).check();
  await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Snapshot…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Snapshot 3 VMs' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill('bulk 1');
  // Disk-only for the running one keeps this quick (an external overlay, merged by the delete below).
  await dialog.getByRole('checkbox', { name: /With memory/ }).uncheck();
  await page.screenshot({ path: 'test-results/snapshots-bulk.png' });
  await dialog.getByRole('button', { name: 'Take snapshots' }).click();
  for (const [vm, hv] of fleet) {
    await expect(tasks(page).getByRole('listitem', { name: `Take snapshot bulk 1: ${vm} on ${hv}: done` })).toBeVisible({ timeout: 30_000 });
    expect(await names(hv, vm)).toContain('bulk 1');
  }
  // Clean up through libvirt (libvirt 9.0 merges an external one back on delete).
  for (const [vm, hv] of fleet) await hostVirsh(hv, 'snapshot-delete', '--domain', vm, '--snapshotname', 'bulk 1');
  expect(await hostVirsh('hv2', 'domblklist', 'snap-run')).toContain(`${IMAGES}/snap-run.qcow2`);
});
