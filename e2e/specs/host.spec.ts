// The host page against the lab: the lab hides /dev/kvm and its CPU has no vmx/svm, so the page
// must say plainly that KVM is unavailable and guests run under TCG (slow).
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection, connectionItem } from '../support/app';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv1', 'hv3');

test("hv1's host page: KVM unavailable, guests under TCG, versions, NUMA, networks and bridges", async ({ page, app, lab, checkConsole }) => {
  await page.goto(app.url);
  await addConnection(page, 'hv1');
  await expect(connectionItem(page, 'hv1')).toContainText('online');
  await page.getByRole('button', { name: 'Open host hv1' }).click();

  const host = page.getByRole('region', { name: 'Host' });
  await expect(host).toContainText('hv1');
  const version = (await lab.virsh('hv1', 'version')).match(/Running hypervisor: QEMU (\S+)/)![1]!;
  await expect(host).toContainText(version);
  await expect(host).toContainText('libvirt');

  const virt = page.getByRole('region', { name: 'Virtualization' });
  await expect(virt.getByRole('alert', { name: 'KVM is unavailable' })).toBeVisible();
  await expect(virt).toContainText('disabled in the firmware');
  await expect(virt).toContainText('no vmx/svm');
  await expect(virt).toContainText(/TCG.*slow/);

  await expect(page.getByRole('region', { name: 'KSM' })).toContainText('KSM is off');
  // Host CPU and memory graphs fill from pushed samples.
  const load = page.getByRole('region', { name: 'Load' });
  await expect(load.getByRole('img', { name: 'Host CPU graph' })).toBeVisible({ timeout: 10_000 });
  await expect(load.getByLabel('Host memory', { exact: true })).toContainText(/Memory \d.* of \d/);
  await expect(page.getByRole('table', { name: 'NUMA cells' }).getByRole('row', { name: 'NUMA cell 0' })).toBeVisible();
  await page.screenshot({ path: `${process.env.VIRTDECK_SHOTS ?? 'test-results'}/host-overview.png`, fullPage: true });

  await page.getByRole('tab', { name: 'Networks & bridges' }).click();
  await expect(page.getByRole('table', { name: 'Virtual networks' }).getByRole('row', { name: 'Network default' })).toContainText('inactive');
  await expect(page.getByRole('table', { name: 'Host bridges' }).getByRole('row', { name: 'Bridge br-lan' })).toBeVisible();
  checkConsole();
});

test('a running guest is flagged as running under TCG', async ({ page, app, lab, checkConsole }) => {
  await page.goto(app.url);
  await addConnection(page, 'hv3');
  try {
    await lab.virsh('hv3', 'start', 'tuned-1');
    await page.getByRole('button', { name: 'Open host hv3' }).click();
    await expect(page.getByRole('region', { name: 'Virtualization' })).toContainText('1 running guest under TCG: slow');
    await expect(page.getByRole('region', { name: 'Virtualization' })).toContainText('tuned-1 runs under TCG');
    checkConsole();
  } finally {
    await lab.virsh('hv3', 'destroy', 'tuned-1').catch(() => undefined);
  }
});
