// VMs from the lab's cloud image with cloud-init, and template deployments, from the UI, each
// checked on the hosts (dumpxml live and inactive, qemu-img info, the seed's files, the guest's
// own report). The lab's cloud image (e2e/lab/cloud-image.sh) is its guest with a NoCloud reader:
// it reports the hostname, user and SSH keys its cidata seed gave it. Lean: one guest boots.
// Touches hv2 (the create) and hv1 + hv3 (the template deployments) only, its own objects only.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Locator, Page } from '@playwright/test';
import { addConnection } from '../support/app';
import { expect, needsLab, test } from '../support/fixtures';
import { hostVirsh, inHost, LAB_DIR } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';

const run = promisify(execFile);
needsLab();
usesLabHosts('hv1', 'hv2', 'hv3');

const IMAGES = '/var/lib/libvirt/images';
const IMAGE = 'virtdeck-cloud.qcow2';
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKq7cloudinitE2eKeyCloudinitE2eKeyCloudin ci@laptop';
const VM = 'ci-vm';
const TPL = 'ci-tpl';
const WEB = ['web-71', 'web-72', 'web-73'];
const FAILED = 'web-74';
const MADE: Record<string, string[]> = { hv2: [VM], hv1: [TPL, WEB[0]!, WEB[2]!], hv3: [TPL, WEB[1]!, FAILED] };

const wizard = (page: Page) => page.getByRole('dialog', { name: 'New VM' });
const task = (page: Page, title: string | RegExp) => page.getByRole('log', { name: 'Tasks' }).getByRole('listitem', { name: title });
const files = async (hv: string) => (await inHost(hv, 'ls', '-1', IMAGES)).split('\n').filter(Boolean).sort();
const hostOf = (vm: string) => (vm === WEB[1] || vm === FAILED ? 'hv3' : 'hv1');

async function cleanUp(): Promise<void> {
  for (const [hv, vms] of Object.entries(MADE)) {
    for (const vm of [...vms].reverse()) {
      await hostVirsh(hv, 'destroy', '--domain', vm).catch(() => undefined);
      await hostVirsh(hv, 'undefine', '--domain', vm).catch(() => undefined);
    }
    await hostVirsh(hv, 'pool-refresh', 'default').catch(() => undefined);
    // Overlays before what backs them: the clones' first, the template's after.
    const mine = (await files(hv).catch(() => [] as string[])).filter((f) => vms.some((vm) => f.startsWith(`${vm}.`)));
    for (const f of mine.sort((a, b) => Number(a.startsWith(TPL)) - Number(b.startsWith(TPL)))) await hostVirsh(hv, 'vol-delete', '--pool', 'default', '--vol', f).catch(() => undefined);
    await inHost(hv, 'rm', '-f', ...vms.map((vm) => `/var/log/libvirt/qemu/${vm}-serial.log`)).catch(() => undefined);
  }
}

test.beforeAll(cleanUp);
test.afterAll(cleanUp);

async function pick(scope: Locator, page: Page, combobox: string, option: RegExp): Promise<void> {
  await scope.getByRole('combobox', { name: combobox }).click();
  await page.getByRole('option', { name: option }).click();
}
const fill = (scope: Locator, label: string, value: string) => scope.getByRole('textbox', { name: label, exact: true }).fill(value);
const stepTo = (page: Page, label: string) => wizard(page).getByRole('button', { name: new RegExp(label) }).click();

/** The wizard up to its cloud-init page: the host, the lab's cloud image as an overlay, a small guest. */
async function wizardFromImage(page: Page, hv: string, seed: 'auto' | 'virtdeck' = 'auto'): Promise<void> {
  await page.getByRole('button', { name: 'New VM' }).click();
  await pick(wizard(page), page, 'Host', new RegExp(`^${hv}$`));
  const media = wizard(page).getByRole('radiogroup', { name: 'Install media' });
  await expect(media).toBeVisible({ timeout: 20_000 });
  await media.getByText('From a cloud image').click();
  await expect(wizard(page).getByRole('combobox', { name: 'Cloud image' })).toHaveValue(new RegExp(`default/${IMAGE}`));
  if (seed === 'virtdeck') await wizard(page).getByRole('radiogroup', { name: 'Seed ISO' }).getByText('Built by VirtDeck').click();
  await stepTo(page, 'CPU & memory');
  await fill(wizard(page), 'vCPUs', '1');
  await fill(wizard(page), 'Memory (MiB)', '192');
  await stepTo(page, 'cloud-init');
}

async function nameAndCreate(page: Page, name: string, start: boolean): Promise<void> {
  await stepTo(page, 'Name & review');
  await fill(wizard(page), 'VM name', name);
  if (!start) await wizard(page).getByRole('checkbox', { name: 'Start after creating' }).uncheck();
  await wizard(page).getByRole('button', { name: 'Create', exact: true }).click();
  await expect(wizard(page)).toBeHidden({ timeout: 30_000 });
}

test('from the cloud image on hv2: bad #cloud-config refused with its line, then the guest reports the hostname, user and key; the seed goes after the first boot; the overlay is backed by the image', async ({ page, app, checkConsole }) => {
  test.setTimeout(180_000);
  await page.goto(app.url);
  await addConnection(page, 'hv2');
  const before = await files('hv2');
  await wizardFromImage(page, 'hv2', 'virtdeck');
  const w = wizard(page);
  await fill(w, 'Hostname', 'ci-box-1');
  await fill(w, 'Cloud-init user', 'admin');
  await w.getByRole('textbox', { name: 'SSH public keys' }).fill(KEY);
  // Invalid YAML: its line is named, and Create is not offered; nothing is made on the host.
  await w.getByRole('textbox', { name: 'Custom cloud-config' }).fill('#cloud-config\npackages:\n  - curl\n bad: [x\n');
  await expect(w.getByText(/^Line 4: bad indentation/).first()).toBeVisible();
  await stepTo(page, 'Name & review');
  await fill(w, 'VM name', VM);
  await expect(w.getByRole('button', { name: 'Create', exact: true })).toBeDisabled();
  await expect(w.getByRole('alert')).toContainText('Line 4: bad indentation');
  expect(await files('hv2')).toEqual(before);
  // Fixed: the admin's key joins the merged user-data.
  await stepTo(page, 'cloud-init');
  await w.getByRole('textbox', { name: 'Custom cloud-config' }).fill('#cloud-config\ntimezone: Etc/UTC\n');
  await expect(w.getByLabel('Merged user-data')).toContainText('timezone: Etc/UTC');
  await expect(w.getByLabel('Merged user-data')).toContainText('- name: admin');
  await page.screenshot({ path: 'test-results/cloud-init-fields.png' });
  await stepTo(page, 'Name & review');
  await expect(w.getByLabel('Domain XML')).toContainText('ds=nocloud');
  await w.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(w).toBeHidden({ timeout: 30_000 });
  await expect(task(page, /Create VM "ci-vm" on hv2 from a cloud image: done/)).toBeVisible({ timeout: 30_000 });

  // The disk: a qcow2 overlay whose backing file is the image.
  expect(await inHost('hv2', 'qemu-img', 'info', '-U', `${IMAGES}/${VM}.qcow2`)).toContain(`backing file: ${IMAGES}/${IMAGE}`);
  // The guest mounted VirtDeck's own ISO (label cidata) and applied it.
  const { stdout: report } = await run('bash', [join(LAB_DIR, 'guest-report.sh'), 'hv2', VM, '150']);
  expect(report).toContain('VIRTDECK-GUEST hostname=ci-box-1');
  expect(report).toMatch(/^VIRTDECK-CLOUD datasource=nocloud device=\/dev\/sr0 smbios=ds=nocloud files=meta-data,network-config,user-data$/m);
  expect(report).toContain('VIRTDECK-CLOUD user=admin');
  expect(report).toContain(`VIRTDECK-CLOUD key=${KEY}`);
  // After the first boot read it, the seed is out of the running VM and its definition, and gone.
  await expect.poll(async () => (await hostVirsh('hv2', 'dumpxml', '--domain', VM)).includes('cidata'), { timeout: 30_000 }).toBe(false);
  expect(await hostVirsh('hv2', 'dumpxml', '--inactive', '--domain', VM)).not.toContain('cidata');
  await expect.poll(() => files('hv2'), { timeout: 10_000 }).not.toContain(`${VM}.cidata.iso`);
  checkConsole();
});

test('a template on hv1 and hv3, three linked clones web-{n} over both; its deletion refused; a failed deployment leaves nothing', async ({ page, app, checkConsole }) => {
  test.setTimeout(150_000);
  await page.goto(app.url);
  await addConnection(page, 'hv1');
  await addConnection(page, 'hv3');
  for (const hv of ['hv1', 'hv3']) {
    await wizardFromImage(page, hv);
    await nameAndCreate(page, TPL, false);
    await expect(task(page, `Create VM "${TPL}" on ${hv} from a cloud image: done`)).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: `Open ${TPL} on ${hv}` }).click();
    const actions = page.getByRole('toolbar', { name: `Actions for ${TPL}` });
    await actions.getByRole('button', { name: 'Mark as template' }).click();
    await expect(actions.getByLabel(`${TPL} is a template`)).toBeVisible();
    await page.getByRole('button', { name: 'All VMs' }).click();
  }

  await page.getByRole('button', { name: `Open ${TPL} on hv1` }).click();
  await page.getByRole('toolbar', { name: `Actions for ${TPL}` }).getByRole('button', { name: 'Deploy with cloud-init…' }).click();
  const d = page.getByRole('dialog', { name: `Deploy from template ${TPL}` });
  await fill(d, 'Name pattern', 'web-{n}');
  await d.getByRole('textbox', { name: 'How many' }).fill('3');
  await d.getByRole('textbox', { name: 'First number' }).fill('71');
  await d.getByRole('checkbox', { name: 'hv3', exact: true }).check();
  await d.getByRole('checkbox', { name: 'Start each after deploying' }).uncheck();
  await d.getByRole('textbox', { name: 'SSH public keys' }).fill(KEY);
  await expect(d.getByLabel('VMs to deploy')).toContainText('web-72 on hv3, hostname web-72');
  await page.screenshot({ path: 'test-results/cloud-init-deploy.png' });
  await d.getByRole('button', { name: 'Deploy 3' }).click();
  for (const vm of WEB) await expect(task(page, `Deploy ${vm} on ${hostOf(vm)} from template ${TPL} (linked): done`)).toBeVisible({ timeout: 60_000 });

  const macs = new Set<string>();
  for (const vm of WEB) {
    const hv = hostOf(vm);
    const xml = await hostVirsh(hv, 'dumpxml', '--inactive', '--domain', vm);
    for (const m of xml.matchAll(/<mac address='([^']+)'/g)) macs.add(m[1]!);
    expect(xml).toContain(`${IMAGES}/${vm}.cidata.iso`);
    expect(xml).not.toContain(`${TPL}.cidata.iso`);
    expect(await inHost(hv, 'qemu-img', 'info', '-U', `${IMAGES}/${vm}.qcow2`)).toContain(`backing file: ${IMAGES}/${TPL}.qcow2`);
    // Its own seed: this VM's hostname.
    expect(await inHost(hv, 'isoinfo', '-R', '-i', `${IMAGES}/${vm}.cidata.iso`, '-x', '/meta-data')).toContain(`local-hostname: ${vm}`);
  }
  expect(macs.size).toBe(3);

  // The template cannot go while its clones read its disk.
  await page.getByRole('button', { name: 'All VMs' }).click();
  await page.getByRole('table').getByRole('row', { name: `${TPL} on hv1`, exact: true }).getByRole('checkbox', { name: `Select ${TPL} on hv1` }).check();
  await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: `Delete ${TPL}?` }).getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(task(page, `Delete ${TPL} on hv1: failed`)).toContainText('is a template with 2 linked clones ("web-71", "web-73")');
  expect(await files('hv1')).toContain(`${TPL}.qcow2`);

  // A deployment that fails half-way (a seed volume of that name is already in the pool): its
  // overlay is removed again, no VM is left, and the volume that was there is untouched.
  await hostVirsh('hv3', 'vol-create-as', 'default', `${FAILED}.cidata.iso`, '1M', '--format', 'raw');
  const before = await files('hv3');
  await page.getByRole('button', { name: `Open ${TPL} on hv3` }).click();
  await page.getByRole('toolbar', { name: `Actions for ${TPL}` }).getByRole('button', { name: 'Deploy with cloud-init…' }).click();
  const d3 = page.getByRole('dialog', { name: `Deploy from template ${TPL}` });
  await fill(d3, 'Name pattern', FAILED);
  await d3.getByRole('checkbox', { name: 'Start each after deploying' }).uncheck();
  await d3.getByRole('button', { name: 'Deploy 1' }).click();
  await expect(task(page, `Deploy ${FAILED} on hv3 from template ${TPL} (linked): failed`)).toContainText('Nothing of it was left behind');
  expect(await files('hv3')).toEqual(before);
  expect((await hostVirsh('hv3', 'list', '--all', '--name')).split('\n').map((l) => l.trim())).not.toContain(FAILED);

  // A deployed VM deleted with its storage takes its own seed along (no orphan left).
  await page.getByRole('button', { name: 'All VMs' }).click();
  const rowOf = (vm: string, hv: string) => page.getByRole('table').getByRole('row', { name: `${vm} on ${hv}`, exact: true });
  await rowOf(TPL, 'hv1').getByRole('checkbox', { name: `Select ${TPL} on hv1` }).uncheck();
  await rowOf(WEB[1]!, 'hv3').getByRole('checkbox', { name: `Select ${WEB[1]} on hv3` }).check();
  await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Delete' }).click();
  const del = page.getByRole('dialog', { name: `Delete ${WEB[1]}?` });
  await expect(del.getByRole('checkbox', { name: `Delete storage of sda of ${WEB[1]} on hv3` })).toBeChecked();
  await expect(del.getByRole('checkbox', { name: `Delete storage of vda of ${WEB[1]} on hv3` })).toBeChecked();
  await del.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(task(page, `Delete ${WEB[1]} on hv3: done`)).toBeVisible({ timeout: 30_000 });
  expect((await files('hv3')).filter((f) => f.startsWith(`${WEB[1]}.`))).toEqual([]);
  checkConsole();
});
