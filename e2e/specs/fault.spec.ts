// A host whose SSH is fine but whose libvirt is not: its libvirtd stopped, or its socket closed to
// the user. The host shows degraded with libvirt's reason and a hint, its VMs as last known, the
// other hosts carry on, and it comes back by itself once libvirt answers. The lab is left as it
// was found (libvirtd running with its own config, the socket's mode restored) whatever happens.
import type { Page } from '@playwright/test';
import { addConnection, connectionItem } from '../support/app';
import { expect, needsLab, test } from '../support/fixtures';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv1', 'hv2', 'hv3');

/** The socket mode a test replaced, to put back. */
let socketMode: string | undefined;
// The finally blocks restore the lab; this also does when a test is cut short by its timeout
// (which abandons the test's own code): libvirtd running (a no-op when it is) and the mode back.
test.afterEach(async ({ lab }) => {
  await lab.libvirtd('hv2', 'start');
  if (socketMode) await lab.chmodLibvirtSocket('hv2', socketMode);
  socketMode = undefined;
});

const row = (page: Page, vm: string, hv: string) => page.getByRole('row', { name: `${vm} on ${hv}` });

test('libvirtd stopped on hv2: degraded with the reason within 5 s, hv3 carries on, back with no click', async ({ page, app, lab, checkConsole }) => {
  test.setTimeout(120_000);
  await page.goto(app.url);
  for (const hv of ['hv1', 'hv2', 'hv3']) await addConnection(page, hv);
  for (const hv of ['hv1', 'hv2', 'hv3']) await expect(connectionItem(page, hv)).toContainText('online');
  await expect(row(page, 'desk-1', 'hv2')).toContainText('running');
  await lab.virsh('hv3', 'destroy', 'tuned-1').catch(() => undefined); // a clean start

  const hv2 = connectionItem(page, 'hv2');
  try {
    await lab.libvirtd('hv2', 'stop');
    const stoppedAt = Date.now();
    await expect(hv2).toContainText('degraded', { timeout: 5_000 });
    console.log(`libvirtd stopped: degraded shown after ${Date.now() - stoppedAt} ms`);
    await expect(hv2.getByRole('alert')).toContainText("Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory");
    await expect(hv2.getByRole('alert')).toContainText('libvirtd (or virtqemud) is not running on the host');
    // hv2's VMs stay, marked as last known, never as a live "running".
    await expect(row(page, 'desk-1', 'hv2')).toContainText('last known');
    await expect(hv2.getByLabel('desk-1 on hv2: running, last known')).toBeVisible();
    await expect(connectionItem(page, 'hv1')).toContainText('online');

    // The host page says the same, with the hint.
    await page.getByRole('button', { name: 'Open host hv2' }).click();
    const banner = page.getByRole('alert', { name: 'libvirt is not answering on hv2' });
    await expect(banner).toContainText('No such file or directory');
    await expect(banner).toContainText('libvirtd (or virtqemud) is not running on the host');
    await page.getByRole('button', { name: 'All VMs' }).click();

    // hv3 is not held up by hv2's trouble: a VM started there from outside shows running.
    await lab.virsh('hv3', 'start', 'tuned-1');
    await expect(row(page, 'tuned-1', 'hv3')).toContainText('running', { timeout: 5_000 });
    await expect(hv2).toContainText('degraded');
  } finally {
    await lab.libvirtd('hv2', 'start');
  }
  try {
    const startedAt = Date.now();
    // Back by itself: the next retry (backing off to 15 s at most) finds libvirt answering.
    await expect(hv2).toContainText('online', { timeout: 20_000 });
    console.log(`libvirtd started: online again after ${Date.now() - startedAt} ms`);
    await expect(hv2.getByRole('alert')).toHaveCount(0);
    await expect(row(page, 'desk-1', 'hv2')).not.toContainText('last known');
    // hv2's list is live again: a change made there now shows.
    await lab.virsh('hv2', 'start', 'desk-2');
    await expect(row(page, 'desk-2', 'hv2')).toContainText('running', { timeout: 5_000 });
    expect((await lab.virsh('hv2', 'domstate', 'desk-1')).trim()).toBe('running');
  } finally {
    await lab.virsh('hv2', 'destroy', 'desk-2').catch(() => undefined);
    await lab.virsh('hv3', 'destroy', 'tuned-1').catch(() => undefined);
  }
  checkConsole();
});

test('libvirt socket closed to the user on hv2: degraded with the libvirt group hint, not an empty host', async ({ page, app, lab, checkConsole }) => {
  test.setTimeout(90_000);
  await page.goto(app.url);
  socketMode = await lab.chmodLibvirtSocket('hv2', '0700');
  const hv2 = connectionItem(page, 'hv2');
  try {
    await addConnection(page, 'hv2');
    await expect(hv2).toContainText('degraded', { timeout: 5_000 });
    await expect(hv2.getByRole('alert')).toContainText('Permission denied');
    await expect(hv2.getByRole('alert')).toContainText('add the user to the libvirt group');
    // Not an empty host: the fleet says why it cannot list hv2's VMs.
    await expect(page.getByText(/^hv2: libvirt is not answering — .*Permission denied/)).toBeVisible();
  } finally {
    await lab.chmodLibvirtSocket('hv2', socketMode);
    socketMode = undefined;
  }
  await expect(hv2).toContainText('online', { timeout: 20_000 });
  expect((await lab.virsh('hv2', 'domstate', 'desk-1')).trim()).toBe('running');
  await expect(row(page, 'desk-1', 'hv2')).toContainText('running');
  await expect(row(page, 'desk-2', 'hv2')).toContainText('shut off');

  // Closed while connected: the event stream's own connection stays open and says nothing, but
  // the next command (the stats listing) is refused, and that is checked at once.
  socketMode = await lab.chmodLibvirtSocket('hv2', '0700');
  try {
    await expect(hv2).toContainText('degraded', { timeout: 5_000 });
    await expect(hv2.getByRole('alert')).toContainText('add the user to the libvirt group');
    await expect(row(page, 'desk-1', 'hv2')).toContainText('last known');
  } finally {
    await lab.chmodLibvirtSocket('hv2', socketMode);
    socketMode = undefined;
  }
  await expect(hv2).toContainText('online', { timeout: 20_000 });
  await expect(row(page, 'desk-1', 'hv2')).not.toContainText('last known');
  checkConsole();
});
