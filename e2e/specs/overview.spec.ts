// A VM's overview page against the lab: its facts match the host's own, its actions act on the
// host, and its graphs fill from the pushed stats (and say whose memory figure they show). hv4's far-1 (reached through hv1) is used so
// the page is proven over a ProxyJump too.
import { writeFileSync } from 'node:fs';
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection, connectionItem } from '../support/app';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv1', 'hv4');

const HV = 'hv4';
const VM = 'far-1';

const ORIGINAL = '/tmp/overview-e2e-far-1.xml';

test.beforeEach(async ({ lab }) => {
  writeFileSync(ORIGINAL, await lab.virsh(HV, 'dumpxml', '--inactive', '--security-info', '--domain', VM));
});
test.afterEach(async ({ lab }) => {
  await lab.virsh(HV, 'destroy', VM).catch(() => undefined);
  await lab.virsh(HV, 'define', ORIGINAL);
});

test("the overview shows the host's facts, acts on the VM, and graphs its live figures", async ({ page, app, lab, checkConsole }) => {
  await page.goto(app.url);
  await addConnection(page, HV);
  await expect(connectionItem(page, HV)).toContainText('online');
  await page.getByRole('button', { name: `Open ${VM} on ${HV}` }).click();

  const details = page.getByRole('table', { name: 'VM details' });
  const fact = (label: string) => details.getByRole('row', { name: new RegExp(`^${label}`) });
  const uuid = (await lab.virsh(HV, 'domuuid', '--domain', VM)).trim();
  await expect(fact('UUID')).toContainText(uuid);
  await expect(fact('State')).toContainText('shut off');
  await expect(fact('Machine')).toContainText('QEMU (TCG emulation)');
  await expect(fact('Memory')).toContainText('128 MiB');
  const mac = (await lab.virsh(HV, 'domiflist', '--domain', VM)).match(/([0-9a-f]{2}:){5}[0-9a-f]{2}/)![0];
  await expect(fact('Network')).toContainText(mac);
  await expect(fact('Guest agent')).toContainText('no guest-agent channel');
  await expect(fact('Managed save')).toContainText('no');

  // Only what the state allows is offered; Start runs on the host.
  const actions = page.getByRole('toolbar', { name: `Actions for ${VM}` });
  await expect(actions.getByRole('button', { name: 'Shut down' })).toHaveCount(0);
  await actions.getByRole('button', { name: 'Start' }).click();
  await expect.poll(async () => (await lab.virsh(HV, 'domstate', '--domain', VM)).trim()).toBe('running');
  await expect(fact('State')).toContainText('running (booted)');
  await expect(page.getByRole('log', { name: 'Tasks' })).toContainText(`Start ${VM} on ${HV}`);

  // The graphs fill from the host's bulk stats (two samples at the default 2 s interval).
  const live = page.getByLabel('Live figures');
  for (const graph of ['CPU graph', 'Memory in use graph', 'Disk I/O graph', 'Network I/O graph']) await expect(live.getByRole('img', { name: graph })).toBeVisible();
  await expect(live).toContainText(/CPU \d/);
  await page.screenshot({ path: `${process.env.VIRTDECK_SHOTS ?? 'test-results'}/vm-overview.png` });
  await live.getByRole('img', { name: 'Network I/O graph' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${process.env.VIRTDECK_SHOTS ?? 'test-results'}/vm-overview-scrolled.png` });

  // The guest sends no memory statistics yet: the figure is QEMU's process size, and says so.
  await expect(live).toContainText('QEMU process memory');
  await expect(live).toContainText('the guest reports no memory statistics');
  // The advisor turns them on, live and for the next boot; the graph then shows the guest's own figure.
  await page.getByRole('tab', { name: 'Hardware' }).click();
  const finding = 'The memory balloon reports no guest statistics';
  await page.getByRole('region', { name: 'Tuning advisor' }).getByRole('button', { name: `Fix: ${finding}` }).click();
  await expect(page.getByRole('status')).toContainText(': applied');
  expect(await lab.virsh(HV, 'dumpxml', '--inactive', '--domain', VM)).toContain("<stats period='5'/>");
  expect(await lab.virsh(HV, 'dumpxml', '--domain', VM)).toContain("<stats period='5'/>");
  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(live).toContainText(/Guest memory in use \d+ MiB/, { timeout: 20_000 });
  expect(await lab.virsh(HV, 'dommemstat', '--domain', VM)).toMatch(/^unused \d+/m);

  // Force off asks first, then cuts the power on the host.
  await actions.getByRole('button', { name: 'Force off' }).click();
  const confirm = page.getByRole('dialog', { name: `Force off ${VM}?` });
  await expect(confirm).toContainText(`${VM} on ${HV}`);
  await confirm.getByRole('button', { name: `Force off ${VM}` }).click();
  await expect.poll(async () => (await lab.virsh(HV, 'domstate', '--domain', VM)).trim()).toBe('shut off');
  await expect(fact('State')).toContainText('shut off (destroyed)');
  await expect(live).toHaveCount(0);
  checkConsole();
});
