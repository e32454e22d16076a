// VMs as admins already have them: hv3's rw-* VMs, each defined exactly as virt-install
// --print-xml defines it for an OS variant (e2e/lab/real-world.sh). Freshly started, none shows a
// pending change; the device list holds every device of the host's XML; removals and a real
// change are checked against `virsh dumpxml --inactive`. Every test restores what it changed.
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection } from '../support/app';
import { hostVirsh } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv3');
test.use({ viewport: { width: 1280, height: 1150 } });

const HV = 'hv3';
const VMS = ['rw-linux2022', 'rw-debian11', 'rw-ubuntu2204', 'rw-rhel9', 'rw-win10', 'rw-win11'];
const devices = (page: Page) => page.getByRole('navigation', { name: 'Devices' });
const inactive = (vm: string) => hostVirsh(HV, 'dumpxml', '--inactive', vm);

/** The host's own count of a domain's devices (<emulator> is a path, not a device). */
function hostDeviceCount(xml: string): number {
  const body = /<devices>([\s\S]*)<\/devices>/.exec(xml)![1]!;
  let depth = 0;
  let n = 0;
  for (const m of body.matchAll(/<(\/?)([\w:-]+)[^>]*?(\/?)>/g)) {
    if (m[1]) depth--;
    else {
      if (depth === 0 && m[2] !== 'emulator') n++;
      if (!m[3]) depth++;
    }
  }
  return n;
}

/** Device entries in the list, with the grouped "PCI controllers (N)" entry counted as N. */
async function listedDeviceCount(page: Page): Promise<number> {
  const labels = await devices(page).getByRole('button').allInnerTexts();
  let n = 0;
  for (const l of labels.map((s) => s.replace(/\s*pending$/, '').trim())) {
    const pci = /^PCI controllers \((\d+)\)$/.exec(l);
    if (pci) n += Number(pci[1]);
    else if (!['Overview', 'CPU', 'Memory', 'Boot', 'QEMU monitor (read-only)'].includes(l)) n++;
  }
  return n;
}

async function openHardware(page: Page, vm: string): Promise<void> {
  await page.getByRole('button', { name: `Open ${vm} on ${HV}` }).click();
  await page.getByRole('tab', { name: 'Hardware' }).click();
  await expect(page.getByRole('region', { name: 'Tuning advisor' })).toBeVisible();
  await expect(devices(page).getByRole('button', { name: 'Overview' })).toBeVisible();
}

async function restore(vm: string, xml: string): Promise<void> {
  await hostVirsh(HV, 'destroy', vm).catch(() => undefined);
  const file = `/tmp/existing-e2e-${vm}.xml`;
  writeFileSync(file, xml);
  await hostVirsh(HV, 'define', file);
}

test('every real-world VM, freshly started, has nothing pending and lists every device of its XML', async ({ page, app, checkConsole }) => {
  test.setTimeout(180_000);
  await page.goto(app.url);
  await addConnection(page, HV);
  for (const vm of VMS) {
    await hostVirsh(HV, 'start', vm);
    try {
      await page.goto(app.url);
      await openHardware(page, vm);
      await expect(page.getByRole('region', { name: 'Pending until restart' })).toHaveCount(0);
      await expect(devices(page).getByText('pending', { exact: true })).toHaveCount(0);
      expect(await listedDeviceCount(page), vm).toBe(hostDeviceCount(await hostVirsh(HV, 'dumpxml', vm)));
    } finally {
      await hostVirsh(HV, 'destroy', vm).catch(() => undefined);
    }
  }
  checkConsole();
});

test('a sound card and a USB redirector removed: the next-boot XML lacks them', async ({ page, app, checkConsole }) => {
  const vm = 'rw-debian11';
  const original = await inactive(vm);
  try {
    await page.goto(app.url);
    await addConnection(page, HV);
    await openHardware(page, vm);
    for (const [entry, region] of [['Sound 1 (ich9)', 'Sound 1'], ['USB redirector 1 (spicevmc)', 'USB redirector 1']] as const) {
      await devices(page).getByRole('button', { name: entry, exact: true }).click();
      const r = page.getByRole('region', { name: region });
      await expect(r.getByLabel(`${region} XML`)).toContainText(region === 'Sound 1' ? 'model="ich9"' : 'type="spicevmc"');
      await r.getByRole('button', { name: 'Remove device…' }).click();
      await r.getByRole('button', { name: 'Confirm remove' }).click();
      await expect(page.getByRole('status')).toContainText(`Remove ${region}: applied`);
    }
    const after = await inactive(vm);
    expect(after).not.toContain('<sound ');
    expect(after.match(/<redirdev /g)?.length).toBe(1);
    checkConsole();
  } finally {
    await restore(vm, original);
  }
});

test('one real change to a running VM shows exactly that device as pending, with its diff', async ({ page, app, checkConsole }) => {
  const vm = 'rw-ubuntu2204';
  const original = await inactive(vm);
  try {
    await hostVirsh(HV, 'start', vm);
    await page.goto(app.url);
    await addConnection(page, HV);
    await openHardware(page, vm);
    await devices(page).getByRole('button', { name: /^Video 1/ }).click();
    const r = page.getByRole('region', { name: 'Video 1' });
    await r.getByRole('combobox', { name: 'Video model' }).selectOption('vga');
    await r.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('status')).toContainText('Video 1: applied');
    expect(await inactive(vm)).toContain("<model type='vga'");
    await expect(devices(page).getByText('pending', { exact: true })).toHaveCount(1);
    await expect(devices(page).getByRole('button', { name: 'Video 1 (vga), pending until restart' })).toBeVisible();
    const diff = page.getByRole('region', { name: 'Pending until restart' }).getByLabel('Running vs next-boot configuration');
    await expect(diff).toContainText("- <model");
    await expect(diff).toContainText("type='vga'");
    await expect(diff).not.toContainText('graphics');
    checkConsole();
  } finally {
    await restore(vm, original);
  }
});
