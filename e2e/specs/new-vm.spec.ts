// The New VM wizard against the lab, as a user would: a Linux VM installed from the lab's ISO
// (e2e/lab/install-media.sh) on hv3 (German) with the defaults and a hostile name: it boots, the
// guest sees a virtio disk and virtio_net, and the advisor has nothing to say; the lab's qcow2
// imported on hv1 (fish) and booted; a Windows 11 VM defined (not booted) with UEFI, TPM, two
// CD-ROMs and a SATA disk; a name taken meanwhile refused with nothing left behind; an ISO
// uploaded from this machine in the wizard (a full pool refused first) with the placement hint
// over two hosts, the same bytes on the host, installed from and booted. Each checked
// against the host's own virsh; everything made is removed in `finally`.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection, failOnConsoleErrors } from '../support/app';
import { hostVirsh, inHost, LAB_DIR } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';

const run = promisify(execFile);
needsLab();
usesLabHosts('hv1', 'hv3');

const ISO = 'virtdeck-install.iso';
const IMPORT = 'virtdeck-import.qcow2';
const dialog = (page: Page) => page.getByRole('dialog', { name: 'New VM' });
const row = (page: Page, name: string, hv: string) => page.getByRole('table', { name: 'Virtual machines' }).getByRole('row', { name: `${name} on ${hv}`, exact: true });
const exists = (hv: string, name: string) => hostVirsh(hv, 'dominfo', '--domain', name).then(() => true, () => false);
/** The files of pool default's folder (vol-list's table cannot hold names with spaces). */
const volumes = async (hv: string) => (await inHost(hv, 'ls', '-1', '/var/lib/libvirt/images')).split('\n').filter(Boolean);

async function guestReport(hv: string, name: string): Promise<string> {
  const { stdout } = await run('bash', [join(LAB_DIR, 'guest-report.sh'), hv, name, '120']);
  return stdout;
}

/** Remove a VM the test made, with the volumes named (never the lab's own media). */
async function removeVm(hv: string, name: string, vols: string[] = []): Promise<void> {
  await hostVirsh(hv, 'destroy', '--domain', name).catch(() => undefined);
  await hostVirsh(hv, 'undefine', '--domain', name, '--nvram', '--tpm').catch(() => hostVirsh(hv, 'undefine', '--domain', name).catch(() => undefined));
  for (const v of vols) await hostVirsh(hv, 'vol-delete', '--pool', 'default', v).catch(() => undefined);
}

async function pick(page: Page, combobox: string, option: RegExp): Promise<void> {
  await dialog(page).getByRole('combobox', { name: combobox }).click();
  await page.getByRole('option', { name: option }).click();
}

async function fill(page: Page, label: string, value: string): Promise<void> {
  const box = dialog(page).getByRole('textbox', { name: label, exact: true });
  await box.fill(value);
}

const next = (page: Page) => dialog(page).getByRole('button', { name: 'Next' }).click();
const stepTo = (page: Page, label: string) => dialog(page).getByRole('button', { name: new RegExp(label) }).click();

async function openWizard(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'New VM' }).click();
  await expect(dialog(page).getByRole('radiogroup', { name: 'Install media' })).toBeVisible({ timeout: 20_000 });
}

/** Small figures for the lab's TCG guests (the defaults are for real machines). */
async function smallGuest(page: Page): Promise<void> {
  await stepTo(page, 'CPU & memory');
  await fill(page, 'vCPUs', '1');
  await fill(page, 'Memory (MiB)', '192');
}

test('a Linux VM from the lab ISO on hv3: defaults, hostile name, boots with virtio disk and virtio_net, nothing to tune', async ({ page, app }) => {
  const name = `nv "lin" $(x); ü 'q'`;
  const vol = `${name}.qcow2`;
  const checkConsole = failOnConsoleErrors(page);
  try {
    await page.goto(app.url);
    await addConnection(page, 'hv3');
    await openWizard(page);
    await pick(page, 'ISO volume', new RegExp(`default/${ISO}`));
    await stepTo(page, 'OS');
    await expect(dialog(page).getByRole('combobox', { name: 'Operating system' })).toHaveValue(/Generic Linux 2022|linux2022/);
    await smallGuest(page);
    await stepTo(page, 'Storage & network');
    await fill(page, 'Disk size (GiB)', '0.1');
    await stepTo(page, 'Name & review');
    await fill(page, 'VM name', name);
    const xml = dialog(page).getByLabel('Domain XML');
    await expect(xml).toContainText("bus='virtio'");
    await expect(xml).toContainText("discard='unmap'");
    await expect(xml).toContainText("<model type='virtio'/>");
    await page.screenshot({ path: 'test-results/new-vm-review.png' });
    await dialog(page).getByRole('button', { name: 'Create', exact: true }).click();
    await expect(dialog(page)).toBeHidden({ timeout: 30_000 });
    await expect(row(page, name, 'hv3')).toBeVisible();
    expect(await volumes('hv3')).toContain(vol);

    const report = await guestReport('hv3', name);
    expect(report).toContain('VIRTDECK-GUEST hostname=virtdeck-install');
    expect(report).toMatch(/^DISK vda bus=virtio-blk type=disk/m);
    expect(report).toMatch(/^DISK sr0 bus=sata type=cdrom/m);
    expect(report).toMatch(/^NIC eth0 driver=virtio_net/m);

    await row(page, name, 'hv3').getByRole('button', { name: `Open ${name} on hv3` }).click();
    await page.getByRole('tab', { name: 'Hardware' }).click();
    await expect(page.getByRole('region', { name: 'Tuning advisor' })).toContainText('Nothing to tune');
    checkConsole();
  } finally {
    await removeVm('hv3', name, [vol]);
  }
  expect(await exists('hv3', name)).toBe(false);
});

test('import the lab qcow2 on hv1 and boot it; Windows 11 defined with UEFI, TPM, two CD-ROMs, SATA; a name taken meanwhile leaves nothing', async ({ page, app }) => {
  const imported = 'nv-import';
  const win = 'nv win 11';
  const race = 'nv-race';
  try {
    await page.goto(app.url);
    await addConnection(page, 'hv1');

    // Import: the disk image boots as it is (no new volume).
    const before = await volumes('hv1');
    await openWizard(page);
    await dialog(page).getByRole('radiogroup', { name: 'Install media' }).getByText('Import a disk image').click();
    await pick(page, 'Disk image to import', new RegExp(`default/${IMPORT}`));
    await smallGuest(page);
    await stepTo(page, 'Name & review');
    await fill(page, 'VM name', imported);
    await expect(dialog(page).getByLabel('Domain XML')).toContainText(IMPORT);
    await dialog(page).getByRole('button', { name: 'Create', exact: true }).click();
    await expect(row(page, imported, 'hv1')).toBeVisible({ timeout: 30_000 });
    const report = await guestReport('hv1', imported);
    expect(report).toMatch(/^DISK vda bus=virtio-blk type=disk/m);
    expect(report).toMatch(/^NIC eth0 driver=virtio_net/m);
    expect(await volumes('hv1')).toEqual(before);

    // Windows 11: defined, not started.
    await openWizard(page);
    await stepTo(page, 'OS');
    await pick(page, 'Operating system', /Microsoft Windows 11/);
    await pick(page, 'Driver ISO', new RegExp(`default/${ISO}`));
    await smallGuest(page);
    await stepTo(page, 'Storage & network');
    await fill(page, 'Disk size (GiB)', '1');
    await stepTo(page, 'Name & review');
    await fill(page, 'VM name', win);
    await dialog(page).getByRole('checkbox', { name: 'Start after creating' }).uncheck();
    await expect(dialog(page).getByLabel('What each default is for')).toContainText('Afterwards');
    await dialog(page).getByRole('button', { name: 'Create', exact: true }).click();
    await expect(row(page, win, 'hv1')).toBeVisible({ timeout: 30_000 });
    const xml = await hostVirsh('hv1', 'dumpxml', '--inactive', '--domain', win);
    expect(xml).toMatch(/<os firmware=['"]efi['"]>/);
    expect(xml).toMatch(/<feature enabled=['"]yes['"] name=['"]secure-boot['"]\/>/);
    expect(xml).toMatch(/<tpm model=['"]tpm-crb['"]>\s*<backend type=['"]emulator['"] version=['"]2.0['"]/);
    expect(xml.match(/device=['"]cdrom['"]/g)).toHaveLength(2);
    expect(xml).toMatch(/<target dev=['"]sda['"] bus=['"]sata['"]\/>/);
    expect(xml).toMatch(/<model type=['"]e1000e['"]\/>/);
    expect(xml).toContain('<hyperv');
    expect((await hostVirsh('hv1', 'domstate', '--domain', win)).trim()).toBe('shut off');

    // A name another admin takes while the wizard is open: refused, no volume made.
    const vols = await volumes('hv1');
    await openWizard(page);
    await stepTo(page, 'Name & review');
    await fill(page, 'VM name', race);
    const file = join(mkdtempSync('/tmp/nv-race-'), 'race.xml');
    writeFileSync(file, `<domain type='qemu'><name>${race}</name><memory unit='MiB'>64</memory><os><type arch='x86_64' machine='q35'>hvm</type></os></domain>`);
    await hostVirsh('hv1', 'define', file);
    await dialog(page).getByRole('button', { name: 'Create', exact: true }).click();
    await expect(dialog(page).getByRole('alert')).toContainText(/already/);
    expect(await volumes('hv1')).toEqual(vols);
    expect(await hostVirsh('hv1', 'domblklist', '--domain', race)).not.toContain('qcow2');
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  } finally {
    await removeVm('hv1', imported);
    await removeVm('hv1', win, ['nv win 11.qcow2']);
    await removeVm('hv1', race, ['nv-race.qcow2']);
  }
});

test('an ISO uploaded from this machine in the wizard on hv3, with the placement hint: a full pool refused, progress moving, the same SHA-256 on the host, it boots', async ({ page, app }) => {
  test.setTimeout(240_000);
  const name = 'nv-uploaded';
  const vol = `${name}.qcow2`;
  // Quotes, $() and spaces (the storage listing under LC_ALL=C cannot show non-ASCII names yet).
  const iso = `nv up 'q' $(x).iso`;
  const tiny = 'nv-tiny';
  const tinyDir = `/var/lib/libvirt/${tiny}`;
  const dir = mkdtempSync('/tmp/nv-upload-');
  const checkConsole = failOnConsoleErrors(page);
  try {
    // The lab's install ISO with random bytes after its end (still the same bootable ISO): large
    // enough that its progress is seen moving.
    const bytes = Buffer.concat([readFileSync(join(LAB_DIR, 'cache', 'install', ISO)), randomBytes(52 * 2 ** 20)]);
    const file = join(dir, 'install.iso');
    writeFileSync(file, bytes);
    const want = createHash('sha256').update(bytes).digest('hex');
    // A pool of 2 MiB (a tmpfs in hv3's mount namespace): too small for the file.
    await inHost('hv3', 'sh', '-c', `mkdir -p ${tinyDir} && mount -t tmpfs -o size=2M vd-tiny ${tinyDir}`);
    await hostVirsh('hv3', 'pool-create-as', tiny, 'dir', '--target', tinyDir);

    await page.goto(app.url);
    await addConnection(page, 'hv3');
    await addConnection(page, 'hv1');
    await openWizard(page);
    await pick(page, 'Host', /^hv3$/);
    await expect(dialog(page).getByRole('radiogroup', { name: 'Install media' })).toBeVisible({ timeout: 20_000 });

    // The placement hint: both hosts with their figures (the lab has no /dev/kvm), one suggested.
    const hint = dialog(page).getByRole('region', { name: 'Placement' });
    for (const hv of ['hv1', 'hv3']) await expect(hint.getByRole('row', { name: `Placement on ${hv}` })).toContainText(/\d+ MiB.*vCPUs on \d+ CPUs.*no \(TCG\)/);
    await expect(hint.getByText('best fit')).toHaveCount(1);
    await expect(hint).toContainText(/Where it fits: hv[13] suggested/);
    await expect(hint.getByRole('row', { name: 'Placement on hv3' })).toContainText('chosen');

    const up = dialog(page).getByRole('group', { name: 'Upload an ISO from this computer' });
    await up.getByLabel('ISO file').setInputFiles(file);
    await up.getByRole('textbox', { name: 'ISO volume name' }).fill(iso);
    // Into the tiny pool: refused before a byte is sent, saying why; nothing made there.
    await pick(page, 'Upload into pool', new RegExp(`^${tiny}$`));
    await up.getByRole('button', { name: 'Upload', exact: true }).click();
    await expect(up.getByRole('alert')).toContainText(`Pool "${tiny}" on hv3 is full for this file`);
    expect((await inHost('hv3', 'ls', '-A', tinyDir)).trim()).toBe('');

    // Into default: progress seen moving in the wizard, then the upload is the install media.
    await pick(page, 'Upload into pool', /^default$/);
    await up.getByRole('button', { name: 'Upload', exact: true }).click();
    const percent = up.getByLabel(`Percent of Upload ${iso} to hv3:default`);
    const seen = new Set<string>();
    await expect
      .poll(async () => {
        const t = await percent.textContent({ timeout: 200 }).catch(() => null);
        if (t) seen.add(t);
        return (await up.getByRole('status').textContent({ timeout: 200 }).catch(() => null)) ?? '';
      }, { intervals: [100], timeout: 90_000 })
      .toContain('it is the install media now');
    expect(seen.size, `percentages seen: ${[...seen].join(', ')}`).toBeGreaterThanOrEqual(2);
    await expect(up.getByRole('status')).toContainText(`SHA-256 ${want}`);
    const path = (await hostVirsh('hv3', 'vol-path', '--pool', 'default', '--vol', iso)).trim();
    expect((await inHost('hv3', 'sha256sum', path)).split(' ')[0]).toBe(want);
    await expect(dialog(page).getByRole('combobox', { name: 'ISO volume' })).toHaveValue(new RegExp(`default/${iso.replace(/[$()]/g, '\\$&')}`));

    await smallGuest(page);
    await stepTo(page, 'Storage & network');
    await fill(page, 'Disk size (GiB)', '0.1');
    await stepTo(page, 'Name & review');
    await fill(page, 'VM name', name);
    await expect(dialog(page).getByLabel('Domain XML')).toContainText('$(x).iso');
    await dialog(page).getByRole('button', { name: 'Create', exact: true }).click();
    await expect(dialog(page)).toBeHidden({ timeout: 30_000 });
    await expect(row(page, name, 'hv3')).toBeVisible();
    const report = await guestReport('hv3', name);
    expect(report).toContain('VIRTDECK-GUEST hostname=virtdeck-install');
    expect(report).toMatch(/^DISK sr0 bus=sata type=cdrom/m);
    checkConsole();
  } finally {
    await removeVm('hv3', name, [vol, iso]);
    await hostVirsh('hv3', 'pool-destroy', tiny).catch(() => undefined);
    await inHost('hv3', 'sh', '-c', `umount ${tinyDir}; rmdir ${tinyDir}`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  expect(await exists('hv3', name)).toBe(false);
});
