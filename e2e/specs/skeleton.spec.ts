// The walking skeleton: three lab hypervisors added from the UI, all their VMs in one list, and a
// VM started/stopped on a host (outside the app) shown without a click.
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection } from '../support/app';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv1', 'hv2', 'hv3');

test('three hosts added from the UI list every VM, and outside changes show live', async ({ page, app, lab, checkConsole }) => {
  await page.goto(app.url);
  for (const hv of lab.hosts) await addConnection(page, hv);

  const connections = page.getByRole('navigation', { name: 'Connections' });
  for (const hv of lab.hosts) await expect(connections.getByRole('listitem', { name: `Connection ${hv}` })).toContainText('online');

  // What the hosts themselves say is what the list must show.
  const table = page.getByRole('table', { name: 'Virtual machines' });
  for (const hv of lab.hosts) {
    const names = (await lab.virsh(hv, 'list', '--all', '--name')).split('\n').filter(Boolean);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const state = (await lab.virsh(hv, 'domstate', name)).trim();
      await expect(table.getByRole('row', { name: `${name} on ${hv}` })).toContainText(state);
    }
  }
  const total = (await Promise.all(lab.hosts.map((hv) => lab.virsh(hv, 'list', '--all', '--name')))).join('\n').split('\n').filter(Boolean).length;
  await expect(table.getByRole('row')).toHaveCount(total + 1); // + header

  // Started and stopped on the host, not in the app: the row follows with no click.
  const row = table.getByRole('row', { name: 'tuned-1 on hv3' });
  await expect(row).toContainText('shut off');
  await lab.virsh('hv3', 'start', 'tuned-1');
  await expect(row).toContainText('running', { timeout: 5_000 });
  await lab.virsh('hv3', 'destroy', 'tuned-1');
  await expect(row).toContainText('shut off', { timeout: 5_000 });
  await expect(connections.getByRole('listitem', { name: 'tuned-1 on hv3: shut off' })).toBeVisible();

  await page.screenshot({ path: 'test-results/skeleton-fleet.png' });
  checkConsole();
});

test('a VM started from the toolbar runs on its host', async ({ page, app, lab, checkConsole }) => {
  await page.goto(app.url);
  await addConnection(page, 'hv1');
  const row = page.getByRole('row', { name: 'legacy-b on hv1' });
  await expect(row).toContainText('shut off');
  await row.getByRole('checkbox', { name: 'Select legacy-b on hv1' }).check();
  await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Start' }).click();
  await expect(row).toContainText('running');
  expect((await lab.virsh('hv1', 'domstate', 'legacy-b')).trim()).toBe('running');
  await expect(page.getByRole('log', { name: 'Tasks' }).getByRole('listitem', { name: 'Start legacy-b on hv1: done' })).toBeVisible();

  await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Force off' }).click();
  // Force off asks first (the guest loses what it has not written).
  await page.getByRole('dialog', { name: 'Force off legacy-b?' }).getByRole('button', { name: 'Force off legacy-b' }).click();
  await expect(row).toContainText('shut off');
  expect((await lab.virsh('hv1', 'domstate', 'legacy-b')).trim()).toBe('shut off');
  checkConsole();
});

test('a host that is not in the lab fails with a clear message and changes nothing', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Add connection' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add connection' });
  await dialog.getByRole('combobox', { name: 'Host' }).fill('hv1; touch /tmp/pwned');
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Not a host');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('navigation', { name: 'Connections' })).toHaveCount(0);
});
