// The fleet view against the real lab: lifecycle from the UI checked against the host's own
// virsh, outside changes shown within a second, bulk actions, delete with storage, and 3 × 300 VMs.
// Uses only hv3: tuned-1 and VMs it defines itself (fleet-*, fl-*, and bulk-* on every host for the
// 900-VM test).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection } from '../support/app';
import { hostVirsh, LAB_DIR } from '../support/lab';
import { atSerialPrompt } from '../support/serial';
import { usesLabHosts } from '../support/host-locks';

const run = promisify(execFile);
/** Screenshots outside test-results/, which every Playwright run empties. */
const SHOTS = process.env.VIRTDECK_SHOTS ?? 'test-results';
needsLab();
usesLabHosts('hv1', 'hv2', 'hv3');

const table = (page: Page) => page.getByRole('table', { name: 'Virtual machines' });
const row = (page: Page, name: string, hv: string) => table(page).getByRole('row', { name: `${name} on ${hv}`, exact: true });
const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'VM actions' });
const task = (page: Page, title: string) => page.getByRole('log', { name: 'Tasks' }).getByRole('listitem', { name: title });
const domstate = async (hv: string, name: string) => (await hostVirsh(hv, 'domstate', name)).trim();

/** Wait for the guest's boot report on its serial log (guest-report.sh); returns the report. */
async function guestReport(hv: string, name: string): Promise<string> {
  const { stdout } = await run('bash', [join(LAB_DIR, 'guest-report.sh'), hv, name, '90']);
  return stdout;
}

async function ensureOff(hv: string, name: string): Promise<void> {
  if ((await domstate(hv, name)) !== 'shut off') await hostVirsh(hv, 'destroy', name);
}

test.describe('lifecycle', () => {
  // A second guest on hv3 like tuned-1 (hv1's and hv2's VMs belong to other specs).
  const PAIR = 'fl-pair';
  test.beforeAll(async ({ lab }) => {
    await lab.virsh('hv3', 'undefine', '--domain', PAIR).catch(() => undefined);
    await lab.virsh('hv3', 'vol-delete', '--pool', 'default', `${PAIR}.qcow2`).catch(() => undefined);
    await lab.virsh('hv3', 'vol-create-as', 'default', `${PAIR}.qcow2`, '16M', '--format', 'qcow2');
    const xml = readFileSync(join(lab.dir, 'guests', 'tuned.xml'), 'utf8').replace(/@NAME@/g, PAIR).replace(/@MAC@/g, '52:54:00:d0:03:a4');
    await run('bash', ['-c', `bash "${join(lab.dir, 'vm.sh')}" hv3 define /dev/stdin <<'XML'\n${xml}\nXML`]);
  });
  test.afterAll(async ({ lab }) => {
    await lab.virsh('hv3', 'destroy', '--domain', PAIR).catch(() => undefined);
    await lab.virsh('hv3', 'undefine', '--domain', PAIR, '--storage', 'vda').catch(() => undefined);
  });
  test.afterEach(async () => {
    await ensureOff('hv3', PAIR);
    await ensureOff('hv3', 'tuned-1');
  });

  test('start from the UI boots the guest, stats appear, and two VMs shut down together', async ({ page, app, lab, checkConsole }) => {
    await page.goto(app.url);
    await addConnection(page, 'hv3');
    const pair = row(page, PAIR, 'hv3');
    const tuned = row(page, 'tuned-1', 'hv3');
    await expect(pair).toContainText('shut off');

    await pair.getByRole('checkbox', { name: `Select ${PAIR} on hv3` }).check();
    await toolbar(page).getByRole('button', { name: 'Start' }).click();
    await expect(pair).toContainText('running');
    await expect(task(page, `Start ${PAIR} on hv3: done`)).toBeVisible();
    expect(await domstate('hv3', PAIR)).toBe('running');
    // The guest really booted: its report on the serial console names it.
    expect(await guestReport('hv3', PAIR)).toContain(`VIRTDECK-GUEST hostname=${PAIR}`);
    // And the app's own serial console shows the guest's banner: at its prompt, the report again.
    await page.getByRole('button', { name: `Open ${PAIR} on hv3` }).click();
    await page.getByRole('tab', { name: 'Console' }).click();
    await page.getByRole('toolbar', { name: `Console of ${PAIR}` }).getByRole('button', { name: 'Serial console' }).click();
    const serial = await atSerialPrompt(page, PAIR);
    await page.keyboard.type('vdreport', { delay: 20 });
    await page.keyboard.press('Enter');
    await expect(serial).toContainText(`VIRTDECK-GUEST hostname=${PAIR}`);
    // Back in the list, the selection is as it was left.
    await page.getByRole('button', { name: 'All VMs' }).click();
    await expect(pair.getByRole('checkbox', { name: `Select ${PAIR} on hv3` })).toBeChecked();
    // Live figures arrive by themselves (bulk domstats pushed as events).
    await expect(pair.getByRole('cell', { name: /^CPU \d/ })).toBeVisible({ timeout: 10_000 });
    // The lab guest's balloon has no statistics period: the figure is QEMU's size, and says so.
    await expect(pair.getByRole('cell', { name: /^Memory in use \(QEMU process\) ≈\d/ })).toBeVisible();

    // A second running VM, started on its host; then one bulk ACPI shutdown for both.
    await lab.virsh('hv3', 'start', 'tuned-1');
    await expect(tuned).toContainText('running', { timeout: 5_000 });
    await guestReport('hv3', 'tuned-1');
    await tuned.getByRole('checkbox', { name: 'Select tuned-1 on hv3' }).check();
    await expect(page.getByRole('status', { name: 'VM count' })).toContainText('2 selected (2 running)');
    await page.screenshot({ path: `${SHOTS}/fleet-running.png` });
    await toolbar(page).getByRole('button', { name: 'Shut down' }).click();
    await expect(pair).toContainText('shut off', { timeout: 30_000 });
    await expect(tuned).toContainText('shut off', { timeout: 30_000 });
    await expect(task(page, `Shut down ${PAIR} on hv3: done`)).toBeVisible();
    await expect(task(page, 'Shut down tuned-1 on hv3: done')).toBeVisible();
    expect(await domstate('hv3', PAIR)).toBe('shut off');
    expect(await domstate('hv3', 'tuned-1')).toBe('shut off');
    checkConsole();
  });

  test('virsh destroy on the host shows as shut off within a second', async ({ page, app, lab, checkConsole }) => {
    await page.goto(app.url);
    await addConnection(page, 'hv3');
    const tuned = row(page, 'tuned-1', 'hv3');
    await expect(tuned).toContainText('shut off');
    await lab.virsh('hv3', 'start', 'tuned-1');
    await expect(tuned).toContainText('running', { timeout: 1_000 });
    await lab.virsh('hv3', 'destroy', 'tuned-1');
    await expect(tuned).toContainText('shut off', { timeout: 1_000 });
    checkConsole();
  });

  test('pause, resume and autostart from the toolbar; failures show libvirt\'s message', async ({ page, app, lab, checkConsole }) => {
    await page.goto(app.url);
    await addConnection(page, 'hv3');
    const tuned = row(page, 'tuned-1', 'hv3');
    await expect(tuned).toContainText('shut off');
    await tuned.getByRole('checkbox', { name: 'Select tuned-1 on hv3' }).check();

    await toolbar(page).getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Autostart on' }).click();
    await expect(tuned.getByRole('cell').last()).toHaveText('on');
    expect(await lab.virsh('hv3', 'list', '--all', '--autostart', '--name')).toContain('tuned-1');
    await toolbar(page).getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Autostart off' }).click();
    await expect(tuned.getByRole('cell').last()).toHaveText('off');
    expect(await lab.virsh('hv3', 'list', '--all', '--autostart', '--name')).not.toContain('tuned-1');

    await toolbar(page).getByRole('button', { name: 'Start' }).click();
    await expect(tuned).toContainText('running');
    await toolbar(page).getByRole('button', { name: 'Pause' }).click();
    await expect(tuned).toContainText('paused');
    expect(await domstate('hv3', 'tuned-1')).toBe('paused');
    await toolbar(page).getByRole('button', { name: 'Resume' }).click();
    await expect(tuned).toContainText('running');

    // The guest agent is not installed in the lab guest: libvirt's own words reach the task pane.
    await toolbar(page).getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Shut down (guest agent)' }).click();
    const failed = task(page, 'Shut down (guest agent) tuned-1 on hv3: failed');
    await expect(failed).toBeVisible();
    await expect(failed).toContainText(/agent/i);

    await toolbar(page).getByRole('button', { name: 'Force off' }).click();
    const dialog = page.getByRole('dialog', { name: 'Force off tuned-1?' });
    await expect(dialog).toContainText('tuned-1 on hv3');
    await dialog.getByRole('button', { name: 'Force off tuned-1' }).click();
    await expect(tuned).toContainText('shut off');
    checkConsole();
  });
});

test('delete a VM with its disk: the volume is gone on the host', async ({ page, app, lab, checkConsole }) => {
  const name = 'fleet-del';
  const xml = `<domain type='qemu'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
    <os><type arch='x86_64' machine='pc'>hvm</type></os>
    <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
      <disk type='volume' device='disk'><driver name='qemu' type='qcow2'/><source pool='default' volume='${name}.qcow2'/><target dev='vda' bus='virtio'/></disk>
      <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>
    </devices></domain>`;
  try {
    await lab.virsh('hv3', 'vol-create-as', 'default', `${name}.qcow2`, '1M', '--format', 'qcow2');
    await run('bash', ['-c', `bash "${join(lab.dir, 'vm.sh')}" hv3 define /dev/stdin <<'XML'\n${xml}\nXML`]);
    await page.goto(app.url);
    await addConnection(page, 'hv3');
    const r = row(page, name, 'hv3');
    await expect(r).toContainText('shut off');
    await r.getByRole('checkbox', { name: `Select ${name} on hv3` }).check();
    await toolbar(page).getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
    const storage = dialog.getByRole('checkbox', { name: `Delete storage of vda of ${name} on hv3` });
    await expect(storage).toBeChecked();
    // The empty CD-ROM has no storage to offer.
    await expect(dialog.getByRole('checkbox')).toHaveCount(1);
    await page.screenshot({ path: `${SHOTS}/fleet-delete-dialog.png` });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(task(page, `Delete ${name} on hv3: done`)).toBeVisible();
    await expect(r).toHaveCount(0);
    expect(await lab.virsh('hv3', 'list', '--all', '--name')).not.toContain(name);
    expect(await lab.virsh('hv3', 'vol-list', 'default')).not.toContain(`${name}.qcow2`);
    checkConsole();
  } finally {
    await lab.virsh('hv3', 'undefine', name).catch(() => undefined);
    await lab.virsh('hv3', 'vol-delete', '--pool', 'default', `${name}.qcow2`).catch(() => undefined);
  }
});

test('search, state filter, sort and group', async ({ page, app, lab, checkConsole }) => {
  await page.goto(app.url);
  for (const hv of lab.hosts) await addConnection(page, hv);
  await expect(row(page, 'tuned-1', 'hv3')).toBeVisible();
  await expect(row(page, 'desk-1', 'hv2')).toContainText('running');

  await page.getByRole('textbox', { name: 'Search VMs' }).fill('legacy');
  await expect(table(page).getByRole('row')).toHaveCount(3);
  await page.getByRole('textbox', { name: 'Search VMs' }).fill('');

  await page.getByRole('radiogroup', { name: 'State filter' }).getByText('Running').click();
  await expect(row(page, 'desk-1', 'hv2')).toBeVisible();
  await expect(row(page, 'tuned-1', 'hv3')).toHaveCount(0);
  await page.getByRole('radiogroup', { name: 'State filter' }).getByText('All').click();

  await page.getByRole('button', { name: 'Sort by Name' }).click(); // now descending
  const names = await table(page).getByRole('row').evaluateAll((rows) => rows.slice(1).map((r) => r.getAttribute('aria-label')));
  expect(names[0]).toBe('tuned-1 on hv3');

  await page.getByRole('radiogroup', { name: 'Group by' }).getByText('Host').click();
  for (const hv of lab.hosts) await expect(table(page).getByRole('row', { name: `Group ${hv}` })).toBeVisible();
  await table(page).getByRole('button', { name: 'Collapse hv1' }).click();
  await expect(row(page, 'legacy-b', 'hv1')).toHaveCount(0);
  await table(page).getByRole('checkbox', { name: 'Select all in hv2' }).check();
  await expect(page.getByRole('status', { name: 'VM count' })).toContainText('2 selected');
  await page.screenshot({ path: `${SHOTS}/fleet-grouped.png` });

  // The stats interval is the backend's, set from here for every host.
  await page.getByRole('combobox', { name: 'Stats interval' }).click();
  await page.getByRole('option', { name: 'Stats 5 s' }).click();
  await expect(task(page, 'Stats every 5 s: done')).toBeVisible();
  checkConsole();
});

test.describe('300 VMs per host', () => {
  const manyVms = (...args: string[]) => run('bash', [join(LAB_DIR, 'many-vms.sh'), ...args]);
  test.beforeAll(async () => {
    await manyVms('define', '300');
  });
  test.afterAll(async () => {
    await manyVms('undefine');
  });

  test('the list shows all 900 and filtering by name stays instant', async ({ page, app, lab, checkConsole }) => {
    const normal = (await Promise.all(lab.hosts.map((hv) => lab.virsh(hv, 'list', '--all', '--name')))).join('\n').split('\n').filter((n) => n && !n.startsWith('bulk-')).length;
    await page.goto(app.url);
    for (const hv of lab.hosts) await addConnection(page, hv);
    const count = page.getByRole('status', { name: 'VM count' });
    await expect(count).toHaveText(`${900 + normal} VMs`);
    // The tree stays a map: the first VMs of each host, and the offer to show the rest.
    const showAll = page.getByRole('navigation', { name: 'Connections' }).getByRole('button', { name: /^Show all \d+ VMs of hv1$/ });
    await expect(showAll).toBeVisible();
    await showAll.click();
    await expect(page.getByRole('navigation', { name: 'Connections' }).getByRole('listitem', { name: 'bulk-300 on hv1: shut off' })).toBeVisible();
    // Virtualized: only the rows on screen exist in the DOM.
    expect(await table(page).getByRole('row').count()).toBeLessThan(120);
    await page.screenshot({ path: `${SHOTS}/fleet-900.png` });

    const search = page.getByRole('textbox', { name: 'Search VMs' });
    const t0 = Date.now();
    await search.fill('bulk-15');
    await expect(count).toHaveText(`30 of ${900 + normal} VMs`);
    const filterMs = Date.now() - t0;
    test.info().annotations.push({ type: 'filter_ms', description: String(filterMs) });
    for (const hv of lab.hosts) await expect(row(page, 'bulk-150', hv)).toBeVisible();
    await search.fill('bulk-299');
    await expect(table(page).getByRole('row')).toHaveCount(4);

    // Scrolling the whole list reaches its last row.
    await search.fill('');
    await page.getByRole('button', { name: 'Sort by Host' }).click();
    // The rows' scroller is the body rowgroup's parent (the header row sticks inside it).
    await table(page).getByRole('rowgroup').last().evaluate((el) => el.parentElement!.scrollTo(0, el.parentElement!.scrollHeight));
    await expect(row(page, 'tuned-1', 'hv3')).toBeVisible();
    checkConsole();
  });
});

test('a title set on the host shows in its column, live, and the search finds it', async ({ page, app, lab, checkConsole }) => {
  await page.goto(app.url);
  await addConnection(page, 'hv3');
  const tuned = row(page, 'tuned-1', 'hv3');
  await expect(tuned).toBeVisible();
  await lab.virsh('hv3', 'desc', '--domain', 'tuned-1', '--config', '--title', '--new-desc', 'Build box: "fast" & quiet');
  try {
    // libvirt announces the metadata change on the event stream: no click, no poll.
    await expect(tuned.getByRole('cell').nth(2)).toHaveText('Build box: "fast" & quiet', { timeout: 5_000 });
    await page.getByRole('textbox', { name: 'Search VMs' }).fill('fast');
    await expect(table(page).getByRole('row', { name: /on hv3$/ })).toHaveCount(1);
    await expect(tuned).toBeVisible();
  } finally {
    await lab.virsh('hv3', 'desc', '--domain', 'tuned-1', '--config', '--title', '--new-desc', '');
  }
  checkConsole();
});
