// The device kinds admins add to VMs they already have (hv3's rw-* VMs, as virt-install made
// them): a TPM and a virtiofs share added to a shut-off VM, which then starts with swtpm and
// virtiofsd running; one real change per device kind written and seen in the host's next-boot
// XML; a USB redirector plugged into and out of a running VM. Every VM changed is given back its
// exact original XML (and the TPM state libvirt made is deleted) in `finally`.
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection } from '../support/app';
import { hostVirsh, inHost } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv3');
test.use({ viewport: { width: 1280, height: 1150 } });

const HV = 'hv3';
const devices = (page: Page) => page.getByRole('navigation', { name: 'Devices' });
const inactive = (vm: string) => hostVirsh(HV, 'dumpxml', '--inactive', vm);
const status = (page: Page) => page.getByRole('status');
/** The notice of this very write (a title such as "Add vsock: applied" must not pass for "vsock: applied"). */
const applied = (page: Page, what: string) => expect(status(page).getByText(`${what}: applied`, { exact: true })).toBeVisible();

async function openHardware(page: Page, url: string, vm: string): Promise<void> {
  await page.goto(url);
  await addConnection(page, HV);
  await page.getByRole('button', { name: `Open ${vm} on ${HV}` }).click();
  await page.getByRole('tab', { name: 'Hardware' }).click();
  await expect(devices(page).getByRole('button', { name: 'Overview' })).toBeVisible();
}

/** Add hardware → kind, and the dialog its form is in. */
async function addForm(page: Page, item: string, title: string) {
  await page.getByRole('button', { name: 'Add hardware' }).click();
  await page.getByRole('menuitem', { name: item }).click();
  return page.getByRole('dialog', { name: title });
}

async function restore(vm: string, xml: string): Promise<void> {
  await hostVirsh(HV, 'destroy', vm).catch(() => undefined);
  const file = `/tmp/existing-devices-e2e-${vm}.xml`;
  writeFileSync(file, xml);
  await hostVirsh(HV, 'define', file);
}

test('a TPM and a virtiofs share added to a shut-off VM: it starts, with swtpm and virtiofsd running', async ({ page, app, checkConsole }) => {
  test.setTimeout(90_000);
  const vm = 'rw-linux2022';
  const share = '/var/lib/libvirt/vd-e2e-share';
  const original = await inactive(vm);
  const uuid = (await hostVirsh(HV, 'domuuid', vm)).trim();
  try {
    await inHost(HV, 'mkdir', '-p', share);
    await openHardware(page, app.url, vm);

    const tpm = await addForm(page, 'TPM', 'Add TPM');
    await expect(tpm.getByRole('combobox', { name: 'TPM model' })).toHaveValue('tpm-crb');
    await expect(tpm.getByRole('combobox', { name: 'TPM version' })).toHaveValue('2.0');
    await tpm.getByRole('button', { name: 'Add' }).click();
    await applied(page, 'Add TPM');

    const fs = await addForm(page, 'Filesystem share', 'Add filesystem share');
    await fs.getByRole('textbox', { name: 'Host directory' }).fill(share);
    await fs.getByRole('textbox', { name: 'Mount tag' }).fill('vdshare');
    await fs.getByRole('button', { name: 'Add' }).click();
    await applied(page, 'Add filesystem share');

    const next = await inactive(vm);
    expect(next).toMatch(/<tpm model='tpm-crb'>\s*<backend type='emulator' version='2.0'\/>/);
    expect(next).toMatch(/<memoryBacking>\s*<source type='memfd'\/>\s*<access mode='shared'\/>\s*<\/memoryBacking>/);
    expect(next).toMatch(new RegExp(`<driver type='virtiofs'/>\\s*<source dir='${share}'/>\\s*<target dir='vdshare'/>`));
    await expect(devices(page).getByRole('button', { name: 'TPM 1 (tpm-crb 2.0)' })).toBeVisible();
    await expect(devices(page).getByRole('button', { name: 'Filesystem share vdshare (virtiofs)' })).toBeVisible();

    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('toolbar', { name: `Actions for ${vm}` }).getByRole('button', { name: 'Start' }).click();
    await expect.poll(async () => (await hostVirsh(HV, 'domstate', vm)).trim(), { timeout: 30_000 }).toBe('running');
    const live = await hostVirsh(HV, 'dumpxml', vm);
    expect(live).toMatch(/<tpm model='tpm-crb'>/);
    expect(live).toMatch(/<driver type='virtiofs'[^>]*\/>/);
    // The processes behind them: QEMU with both devices, swtpm for this VM, virtiofsd on the share.
    const procs = await inHost(HV, 'ps', '-eo', 'args');
    const qemu = procs.split('\n').find((l) => l.includes(`guest=${vm},`));
    expect(qemu).toContain('tpm-crb');
    expect(qemu).toContain('vhost-user-fs-pci');
    expect(procs).toMatch(new RegExp(`swtpm socket .*${vm}-swtpm\\.sock`));
    expect(procs).toContain(`virtiofsd --fd=`);
    expect(procs).toContain(`source=${share}`);
    await page.screenshot({ path: `${process.env.VIRTDECK_SHOTS ?? 'test-results'}/tpm-virtiofs-running.png` });
    checkConsole();
  } finally {
    await restore(vm, original);
    await inHost(HV, 'rm', '-rf', share, `/var/lib/libvirt/swtpm/${uuid}`).catch(() => undefined);
  }
});

test('one real change per device kind, each in the host’s next-boot XML', async ({ page, app, checkConsole }) => {
  test.setTimeout(90_000);
  const vm = 'rw-debian11';
  const original = await inactive(vm);
  try {
    await openHardware(page, app.url, vm);

    // Sound: its model.
    await devices(page).getByRole('button', { name: 'Sound 1 (ich9)' }).click();
    const sound = page.getByRole('region', { name: 'Sound 1' });
    await sound.getByRole('combobox', { name: 'Sound model' }).selectOption('ac97');
    await sound.getByRole('button', { name: 'Apply' }).click();
    await applied(page, 'Sound 1');
    expect(await inactive(vm)).toMatch(/<sound model='ac97'[/>]/);

    // USB redirection: a third redirector.
    await (await addForm(page, 'USB redirector', 'Add USB redirector')).getByRole('button', { name: 'Add' }).click();
    await applied(page, 'Add USB redirector');
    expect((await inactive(vm)).match(/<redirdev bus='usb' type='spicevmc'>/g)).toHaveLength(3);

    // TPM: added as tpm-tis 1.2, then its version changed in its editor.
    const tpmForm = await addForm(page, 'TPM', 'Add TPM');
    await tpmForm.getByRole('combobox', { name: 'TPM model' }).selectOption('tpm-tis');
    await tpmForm.getByRole('combobox', { name: 'TPM version' }).selectOption('1.2');
    await tpmForm.getByRole('button', { name: 'Add' }).click();
    await applied(page, 'Add TPM');
    await devices(page).getByRole('button', { name: 'TPM 1 (tpm-tis 1.2)' }).click();
    const tpm = page.getByRole('region', { name: 'TPM 1' });
    await tpm.getByRole('combobox', { name: 'TPM version' }).selectOption('2.0');
    await tpm.getByRole('button', { name: 'Apply' }).click();
    await applied(page, 'TPM 1');
    expect(await inactive(vm)).toMatch(/<tpm model='tpm-tis'>\s*<backend type='emulator' version='2.0'\/>/);

    // Filesystem: a read-only 9p share.
    const fs = await addForm(page, 'Filesystem share', 'Add filesystem share');
    await fs.getByRole('combobox', { name: 'Share driver' }).selectOption('9p');
    await fs.getByRole('textbox', { name: 'Host directory' }).fill('/var/lib/libvirt/boot');
    await fs.getByRole('textbox', { name: 'Mount tag' }).fill('boot9p');
    await fs.getByRole('checkbox', { name: 'Read-only' }).check();
    await fs.getByRole('button', { name: 'Add' }).click();
    await applied(page, 'Add filesystem share');
    expect(await inactive(vm)).toMatch(/<filesystem type='mount' accessmode='mapped'>\s*<source dir='\/var\/lib\/libvirt\/boot'\/>\s*<target dir='boot9p'\/>\s*<readonly\/>/);

    // vsock: added with an automatic CID, then a fixed one.
    await (await addForm(page, 'vsock', 'Add vsock')).getByRole('button', { name: 'Add' }).click();
    await applied(page, 'Add vsock');
    expect(await inactive(vm)).toMatch(/<vsock model='virtio'>\s*<cid auto='yes'\/>/);
    await devices(page).getByRole('button', { name: 'vsock (CID auto)' }).click();
    const vsock = page.getByRole('region', { name: 'vsock' });
    await vsock.getByRole('checkbox', { name: 'Pick a free CID at each start' }).uncheck();
    await vsock.getByRole('textbox', { name: 'Guest CID' }).fill('42');
    await vsock.getByRole('button', { name: 'Apply' }).click();
    await applied(page, 'vsock');
    expect(await inactive(vm)).toMatch(/<cid auto='no' address='42'\/>/);

    // Host device: the first PCI device the host lists, by its address.
    const hd = await addForm(page, 'Host device (PCI/USB)', 'Add host device');
    const picker = hd.getByRole('combobox', { name: 'Host device' });
    const name = (await picker.locator('optgroup[label="PCI"] option').first().getAttribute('value'))!;
    const [, dom, bus, slot, fn] = /^pci_([0-9a-f]{4})_([0-9a-f]{2})_([0-9a-f]{2})_([0-9a-f])$/.exec(name)!;
    await picker.selectOption(name);
    await hd.getByRole('button', { name: 'Add' }).click();
    await applied(page, 'Add host device');
    expect(await inactive(vm)).toMatch(
      new RegExp(`<hostdev mode='subsystem' type='pci' managed='yes'>\\s*<source>\\s*<address domain='0x${dom}' bus='0x${bus}' slot='0x${slot}' function='0x${fn}'/>`),
    );
    await expect(devices(page).getByRole('button', { name: 'Host device 1 (pci)' })).toBeVisible();
    checkConsole();
  } finally {
    await restore(vm, original);
  }
});

test('a USB redirector is plugged into a running VM and out again', async ({ page, app, checkConsole }) => {
  test.setTimeout(60_000);
  const vm = 'rw-ubuntu2204';
  const original = await inactive(vm);
  const running = async () => ((await hostVirsh(HV, 'dumpxml', vm)).match(/<redirdev /g) ?? []).length;
  try {
    await hostVirsh(HV, 'start', vm);
    await openHardware(page, app.url, vm);
    const form = await addForm(page, 'USB redirector', 'Add USB redirector');
    await expect(form).toContainText('It is plugged into the running VM too.');
    await form.getByRole('button', { name: 'Add' }).click();
    await expect(status(page)).toContainText('Also changed in the running VM: USB redirector 3 attached');
    expect(await running()).toBe(3);
    await expect(devices(page).getByText('pending', { exact: true })).toHaveCount(0);

    await devices(page).getByRole('button', { name: 'USB redirector 3 (spicevmc)' }).click();
    const r = page.getByRole('region', { name: 'USB redirector 3' });
    await r.getByRole('button', { name: 'Remove device…' }).click();
    await r.getByRole('button', { name: 'Confirm remove' }).click();
    await expect(status(page)).toContainText('USB redirector 3 detached');
    await expect.poll(running).toBe(2);
    expect((await inactive(vm)).match(/<redirdev /g)).toHaveLength(2);
    checkConsole();
  } finally {
    await restore(vm, original);
  }
});
