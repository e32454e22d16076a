// The hardware editor against the lab: hv1's legacy-a (q35, SATA disk + SATA CD-ROM, e1000) is
// tuned from the UI and checked on the host (dumpxml, the guest's own boot report, dommemstat).
// Every test restores legacy-a's original definition.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { readDomain } from '../../shared/domain-xml';
import { expect, needsLab, test as base, type RunningApp } from '../support/fixtures';
import { addConnection, replaceCode } from '../support/app';
import { hostVirsh, LAB_DIR } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv1');

const run = promisify(execFile);
const VM = 'legacy-a';
const ORIGINAL = '/tmp/hw-e2e-legacy-a-original.xml';
const PLANTED = '<vd:test xmlns:vd="https://virtdeck.dev/test">keep-me</vd:test>';

const persistent = () => hostVirsh('hv1', 'dumpxml', '--inactive', '--security-info', VM);
const state = async () => (await hostVirsh('hv1', 'domstate', VM)).trim();

/** Define XML on hv1 from outside the app (the host shares /tmp). */
async function defineOnHost(xml: string, file = '/tmp/hw-e2e-define.xml'): Promise<void> {
  writeFileSync(file, xml);
  await hostVirsh('hv1', 'define', file);
}

async function guestReport(timeoutS = 90): Promise<string> {
  const { stdout } = await run('bash', [join(LAB_DIR, 'guest-report.sh'), 'hv1', VM, String(timeoutS)], { timeout: (timeoutS + 10) * 1000 });
  return stdout;
}

/** legacy-a as it was, after each test and after its app has stopped (an automatic fixture is set
 *  up before `app`, so it is torn down after it). */
const test = base.extend<{ restoreLegacyA: void }>({
  restoreLegacyA: [
    async ({ lab }, use) => {
      await use();
      if ((await state()) !== 'shut off') await lab.virsh('hv1', 'destroy', VM);
      // Disk and controller changes take a snapshot first (ticked by default): drop them, with their data.
      for (const snap of (await lab.virsh('hv1', 'snapshot-list', '--domain', VM, '--name')).split('\n').filter(Boolean)) {
        await lab.virsh('hv1', 'snapshot-delete', '--domain', VM, '--snapshotname', snap);
      }
      await lab.virsh('hv1', 'define', ORIGINAL);
      expect(await persistent()).toBe(original);
    },
    { auto: true },
  ],
});

test.use({ viewport: { width: 1280, height: 1150 } });

let original: string;

test.beforeAll(async () => {
  original = await persistent();
  writeFileSync(ORIGINAL, original);
});

async function openHardware(page: Page, app: RunningApp): Promise<void> {
  await page.goto(app.url);
  await addConnection(page, 'hv1');
  await page.getByRole('button', { name: `Open ${VM} on hv1` }).click();
  await page.getByRole('tab', { name: 'Hardware' }).click();
  await expect(page.getByRole('region', { name: 'Tuning advisor' })).toBeVisible();
}

const devices = (page: Page) => page.getByRole('navigation', { name: 'Devices' });

async function addHardware(page: Page, item: string): Promise<void> {
  await page.getByRole('button', { name: 'Add hardware' }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

/** Remove the selected device through its editor's confirmation. */
async function removeDevice(page: Page, entry: string, region: string): Promise<void> {
  await devices(page).getByRole('button', { name: entry }).click();
  const r = page.getByRole('region', { name: region });
  await r.getByRole('button', { name: 'Remove device…' }).click();
  await r.getByRole('button', { name: 'Confirm remove' }).click();
  await expect(page.getByRole('status')).toContainText(`Remove ${region}: applied`);
}

test('apply all turns SATA + e1000 into virtio-scsi + virtio-net, the guest sees it, planted metadata survives', async ({ page, app, lab, checkConsole }) => {
  test.setTimeout(240_000); // includes a TCG guest boot
  await defineOnHost(original.replace(/(<\/uuid>\n)/, `$1  <metadata>\n    ${PLANTED}\n  </metadata>\n`));
  expect(await persistent()).toContain(PLANTED);

  await openHardware(page, app);
  const advisor = page.getByRole('region', { name: 'Tuning advisor' });
  await expect(advisor.getByRole('listitem', { name: 'Disk sda is on SATA' })).toBeVisible();
  await expect(advisor.getByRole('listitem', { name: 'NIC 1 is an emulated e1000 card' })).toBeVisible();
  await expect(devices(page).getByRole('button', { name: 'Disk sda' })).toBeVisible();
  await expect(devices(page).getByRole('button', { name: 'NIC 1 (e1000)' })).toBeVisible();
  await page.screenshot({ path: 'test-results/hardware-before.png' });

  await advisor.getByRole('button', { name: 'Apply all' }).click();
  await expect(page.getByRole('status')).toContainText('Apply all tuning: applied');
  await expect(advisor).toContainText('Nothing to tune');
  await expect(devices(page).getByRole('button', { name: 'NIC 1 (virtio)' })).toBeVisible();
  await expect(page.getByRole('log', { name: 'Tasks' }).getByRole('listitem', { name: `Apply all tuning: ${VM} on hv1: done` })).toBeVisible();

  const xml = await persistent();
  const v = readDomain(xml);
  expect(v.disks.find((d) => d.target === 'sda')).toMatchObject({ bus: 'scsi', driver: { discard: 'unmap' } });
  expect(v.disks.find((d) => d.device === 'cdrom')?.bus).toBe('sata');
  expect(v.controllers.filter((c) => c.type === 'scsi').map((c) => c.model)).toEqual(['virtio-scsi']);
  expect(v.interfaces[0]).toMatchObject({ model: 'virtio', mac: '52:54:00:d0:01:01' });
  expect(xml).toContain(PLANTED);

  await page.screenshot({ path: 'test-results/hardware-after-apply-all.png' });
  await lab.virsh('hv1', 'start', VM);
  const report = await guestReport();
  expect(report).toMatch(/^DISK sda bus=virtio-scsi type=disk/m);
  expect(report).toMatch(/^NIC eth0 driver=virtio_net mac=52:54:00:d0:01:01/m);
  expect(await lab.virsh('hv1', 'dumpxml', VM)).toContain(PLANTED);
  checkConsole();
});

test('a config changed behind the editor is not overwritten: apply refuses, shows the difference, writes nothing', async ({ page, app, checkConsole }) => {
  await openHardware(page, app);
  await devices(page).getByRole('button', { name: 'NIC 1 (e1000)' }).click();
  const nic = page.getByRole('region', { name: 'NIC 1' });
  await nic.getByRole('combobox', { name: 'Model' }).selectOption('virtio');

  // Someone else changes the VM meanwhile.
  await defineOnHost(original.replace(/(<\/uuid>\n)/, '$1  <description>changed behind your back</description>\n'));
  const theirs = await persistent();

  await nic.getByRole('button', { name: 'Apply' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('refused — the configuration changed on the host');
  await expect(alert.getByLabel('Changes made elsewhere')).toContainText(/\+\s+<description>changed behind your back<\/description>/);
  expect(await persistent()).toBe(theirs);
  await page.screenshot({ path: 'test-results/hardware-conflict.png' });

  // After reloading, the same change goes through and keeps theirs.
  await alert.getByRole('button', { name: 'Reload and review' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await devices(page).getByRole('button', { name: 'NIC 1 (e1000)' }).click();
  await page.getByRole('region', { name: 'NIC 1' }).getByRole('combobox', { name: 'Model' }).selectOption('virtio');
  await page.getByRole('region', { name: 'NIC 1' }).getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status')).toContainText('NIC 1: applied');
  const now = readDomain(await persistent());
  expect(now.interfaces[0]!.model).toBe('virtio');
  expect(now.description).toBe('changed behind your back');
  checkConsole();
});

test('invalid input gives a clear error and leaves the domain exactly as it was', async ({ page, app, checkConsole }) => {
  await openHardware(page, app);
  const alert = page.getByRole('alert');

  await devices(page).getByRole('button', { name: 'Memory', exact: true }).click();
  const memory = page.getByRole('region', { name: 'Memory' });
  await memory.getByRole('textbox', { name: 'Current memory (MiB)' }).fill('0');
  await memory.getByRole('textbox', { name: 'Maximum memory (MiB)' }).fill('0');
  await memory.getByRole('button', { name: 'Apply' }).click();
  await expect(alert).toContainText('Memory: not applied');
  await expect(alert).toContainText(/memory must be at least 1 MiB \(got 0 MiB\)/);
  expect(await persistent()).toBe(original);
  await alert.getByRole('button', { name: 'Dismiss' }).click();

  await devices(page).getByRole('button', { name: 'NIC 1 (e1000)' }).click();
  const nic = page.getByRole('region', { name: 'NIC 1' });
  await nic.getByRole('textbox', { name: 'MAC address' }).fill('52:54:00:zz:01:01');
  await nic.getByRole('button', { name: 'Apply' }).click();
  await expect(alert).toContainText("invalid MAC address '52:54:00:zz:01:01' (expected xx:xx:xx:xx:xx:xx)");
  expect(await persistent()).toBe(original);
  await alert.getByRole('button', { name: 'Dismiss' }).click();

  await devices(page).getByRole('button', { name: 'Disk sda' }).click();
  const disk = page.getByRole('region', { name: 'Disk sda' });
  // q35 has no IDE controller: the bus list does not offer it (the edit itself refuses it too,
  // naming the machine type; see edits.test.ts).
  const buses = await disk.getByRole('combobox', { name: 'Bus' }).locator('option').allTextContents();
  expect(buses).toContain('sata');
  expect(buses).not.toContain('ide');
  expect(await persistent()).toBe(original);
  await page.screenshot({ path: 'test-results/hardware-invalid.png' });

  // libvirt's own schema check: XML that parses but libvirt rejects keeps the old definition.
  await page.getByRole('tab', { name: 'XML' }).click();
  const editor = page.getByRole('textbox', { name: 'Domain XML' });
  await expect(editor).toContainText('<on_crash>destroy</on_crash>');
  await replaceCode(page, editor, original.replace('<on_crash>destroy</on_crash>', '<on_crash>explode</on_crash>'));
  await page.getByRole('button', { name: 'Preview diff' }).click();
  await expect(page.getByLabel('XML changes to apply')).toContainText('+   <on_crash>explode</on_crash>');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('alert')).toContainText('Define XML: not applied');
  await expect(page.getByRole('alert')).toContainText(/schema|on_crash|explode/i);
  // libvirt's error is marked in the editor at the line it refused.
  const crashLine = original.split('\n').findIndex((l) => l.includes('<on_crash>')) + 1;
  await expect(page.getByRole('region', { name: 'Domain XML editor' })).toContainText(`libvirt refused it (marked at line ${crashLine})`);
  await expect(page.locator('.cm-lintRange-error')).toContainText('explode');
  await page.screenshot({ path: 'test-results/hardware-xml-error.png' });
  expect(await persistent()).toBe(original);
  checkConsole();
});

test('the XML tab defines a hand edit after a diff preview', async ({ page, app, checkConsole }) => {
  await openHardware(page, app);
  await page.getByRole('tab', { name: 'XML' }).click();
  const editor = page.getByRole('textbox', { name: 'Domain XML' });
  await expect(editor).toContainText('</uuid>');
  await replaceCode(page, editor, original.replace(/(<\/uuid>\n)/, '$1  <title>edited by hand</title>\n'));
  await expect(page.getByRole('button', { name: 'Apply' })).toBeDisabled();
  await page.getByRole('button', { name: 'Preview diff' }).click();
  await expect(page.getByLabel('XML changes to apply')).toContainText('+   <title>edited by hand</title>');
  await page.screenshot({ path: 'test-results/hardware-xml-tab.png' });
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status')).toContainText('Define XML: applied');
  expect(readDomain(await persistent()).title).toBe('edited by hand');
  checkConsole();
});

test('a running VM: balloon target changed live shows in dommemstat; a NIC model change is pending until restart', async ({ page, app, lab, checkConsole }) => {
  test.setTimeout(240_000); // a TCG guest boot plus the balloon deflating, on a busy machine
  await lab.virsh('hv1', 'start', VM);
  await guestReport(); // the balloon driver is loaded once the guest has reported
  await openHardware(page, app);

  await devices(page).getByRole('button', { name: 'Memory', exact: true }).click();
  const memory = page.getByRole('region', { name: 'Memory' });
  await expect(memory).toContainText('changed live');
  await memory.getByRole('textbox', { name: 'Current memory (MiB)' }).fill('112');
  await memory.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status')).toContainText('Also changed in the running VM: balloon target 114688 KiB');
  await expect
    .poll(async () => /^actual (\d+)/m.exec(await lab.virsh('hv1', 'dommemstat', VM))?.[1], { timeout: 60_000 })
    .toBe('114688');
  expect(readDomain(await persistent()).memory.currentKiB).toBe(114688);

  await devices(page).getByRole('button', { name: 'NIC 1 (e1000)' }).click();
  await page.getByRole('region', { name: 'NIC 1' }).getByRole('combobox', { name: 'Model' }).selectOption('virtio');
  await page.getByRole('region', { name: 'NIC 1' }).getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status')).toContainText('NIC 1: applied');
  const pending = page.getByRole('region', { name: 'Pending until restart' });
  await expect(pending.getByLabel('Running vs next-boot configuration')).toContainText(/-\s+<model type='e1000'\/>/);
  await expect(pending.getByLabel('Running vs next-boot configuration')).toContainText(/\+\s+<model type='virtio'\/>/);
  await expect(devices(page).getByRole('button', { name: 'NIC 1 (virtio), pending until restart' })).toBeVisible();
  await expect(devices(page).getByRole('button', { name: 'Memory', exact: true })).toBeVisible(); // live = next boot: not pending
  await page.screenshot({ path: 'test-results/hardware-running-pending.png' });

  await devices(page).getByRole('button', { name: 'QEMU monitor (read-only)' }).click();
  const qmp = page.getByRole('region', { name: 'QEMU monitor' });
  await qmp.getByRole('combobox', { name: 'Query' }).selectOption('query-balloon');
  await qmp.getByRole('button', { name: 'Run query' }).click();
  await expect(qmp.getByLabel('QMP reply')).toContainText('"actual"');
  checkConsole();
});

test('more editors: CD-ROM medium, disk serial, NIC link, title, boot menu, VNC port, RNG, removing a NIC; a topology that does not add up is refused', async ({ page, app, checkConsole }) => {
  await openHardware(page, app);

  await devices(page).getByRole('button', { name: 'CD-ROM sdb' }).click();
  const cdrom = page.getByRole('region', { name: 'CD-ROM sdb' });
  await cdrom.getByRole('textbox', { name: 'Medium (image file on the host)' }).fill('/var/lib/libvirt/boot/virtdeck-initrd.img');
  await cdrom.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status')).toContainText('CD-ROM sdb: applied');
  expect(readDomain(await persistent()).disks[1]!.source?.file).toBe('/var/lib/libvirt/boot/virtdeck-initrd.img');

  await devices(page).getByRole('button', { name: 'Disk sda' }).click();
  const disk = page.getByRole('region', { name: 'Disk sda' });
  await disk.getByRole('textbox', { name: 'Serial' }).fill('VD-0001');
  await disk.getByRole('combobox', { name: 'Cache' }).selectOption('none');
  await disk.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status')).toContainText('Disk sda: applied');
  expect(readDomain(await persistent()).disks[0]).toMatchObject({ serial: 'VD-0001', driver: { cache: 'none' } });

  await devices(page).getByRole('button', { name: 'NIC 1 (e1000)' }).click();
  const nic = page.getByRole('region', { name: 'NIC 1' });
  await nic.getByRole('combobox', { name: 'Link state' }).selectOption('down');
  await nic.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status')).toContainText('NIC 1: applied');
  expect(readDomain(await persistent()).interfaces[0]!.link).toBe('down');

  await devices(page).getByRole('button', { name: 'Overview' }).click();
  const overview = page.getByRole('region', { name: 'Overview' });
  await overview.getByRole('textbox', { name: 'Title' }).fill('Legacy A (tuned by VirtDeck)');
  await overview.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status')).toContainText('Overview: applied');
  expect(readDomain(await persistent()).title).toBe('Legacy A (tuned by VirtDeck)');

  await devices(page).getByRole('button', { name: 'Boot' }).click();
  const boot = page.getByRole('region', { name: 'Boot' });
  await boot.getByRole('checkbox', { name: 'Show the firmware boot menu' }).check();
  await boot.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status')).toContainText('Boot: applied');
  expect(readDomain(await persistent()).os.bootMenu).toBe(true);

  await devices(page).getByRole('button', { name: 'Display 1 (vnc)' }).click();
  const display = page.getByRole('region', { name: 'Display 1 (vnc)' });
  await display.getByRole('textbox', { name: 'Port' }).fill('5907');
  await display.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status')).toContainText('Display 1 (vnc): applied');
  expect(readDomain(await persistent()).graphics[0]).toMatchObject({ port: 5907, autoport: false, listen: '127.0.0.1' });

  await addHardware(page, 'Random number generator');
  await page.getByRole('dialog', { name: 'Add random number generator' }).getByRole('button', { name: 'Add' }).click();
  await expect(page.getByRole('status')).toContainText('Add random number generator: applied');
  expect(readDomain(await persistent()).rngs).toMatchObject([{ model: 'virtio', backend: '/dev/urandom' }]);

  await devices(page).getByRole('button', { name: 'NIC 1 (e1000)' }).click();
  const nicToRemove = page.getByRole('region', { name: 'NIC 1' });
  await nicToRemove.getByRole('button', { name: 'Remove device…' }).click();
  await nicToRemove.getByRole('button', { name: 'Confirm remove' }).click();
  await expect(page.getByRole('status')).toContainText('Remove NIC 1: applied');
  await expect(devices(page).getByRole('button', { name: /^NIC/ })).toHaveCount(0);
  expect(readDomain(await persistent()).interfaces).toEqual([]);

  const before = await persistent();
  await devices(page).getByRole('button', { name: 'CPU' }).click();
  const cpu = page.getByRole('region', { name: 'CPU' });
  await cpu.getByRole('textbox', { name: 'Sockets' }).fill('2');
  await cpu.getByRole('textbox', { name: 'Cores' }).fill('1');
  await cpu.getByRole('textbox', { name: 'Threads' }).fill('1');
  await cpu.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('alert')).toContainText('CPU topology gives 2 vCPUs (sockets×dies×cores×threads) but the maximum vCPUs is 1');
  expect(await persistent()).toBe(before);
  await page.screenshot({ path: 'test-results/hardware-cpu-error.png' });
  checkConsole();
});

test('Windows guard: a Windows copy gets a warning and the safe path — a small virtio disk from a new volume and the driver ISO — never a disk bus move', async ({ page, app, lab, checkConsole }) => {
  const name = 'hw-win';
  const iso = 'hw-virtio-win.iso';
  const driverVol = `${name}-virtio-drivers.qcow2`;
  const vols = async () => lab.virsh('hv1', 'vol-list', 'default');
  await lab.virsh('hv1', 'vol-create-as', 'default', `${name}.qcow2`, '16M', '--format', 'qcow2');
  try {
    const xml = original
      .replace(/<name>legacy-a<\/name>/, `<name>${name}</name>`)
      .replace(/\s*<uuid>[^<]*<\/uuid>/, '')
      .replace(
        /(<\/name>\n)/,
        '$1  <metadata>\n    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">\n      <libosinfo:os id="http://microsoft.com/win/10"/>\n    </libosinfo:libosinfo>\n  </metadata>\n',
      )
      .replaceAll('legacy-a', name)
      .replace('52:54:00:d0:01:01', '52:54:00:d0:01:f1');
    await defineOnHost(xml, '/tmp/hw-e2e-win.xml');

    await page.goto(app.url);
    await addConnection(page, 'hv1');
    await page.getByRole('button', { name: `Open ${name} on hv1` }).click();
    await page.getByRole('tab', { name: 'Hardware' }).click();
    const advisor = page.getByRole('region', { name: 'Tuning advisor' });
    const guard = advisor.getByRole('listitem', { name: /^Windows guest: sda on sata — install virtio drivers first/ });
    await expect(guard).toContainText('INACCESSIBLE_BOOT_DEVICE');
    // (Every lab pool holds the New VM install ISO, so the guard already offers an ISO here; its
    // words for a host with none are unit-tested with the advisor.)
    await expect(advisor.getByRole('button', { name: /^Fix: Disk sda is on/ })).toHaveCount(0);
    await expect(advisor.getByRole('listitem', { name: 'NIC 1 is an emulated e1000 card' })).toContainText('NetKVM');

    // The admin uploads the driver ISO into a pool; the next load offers it.
    await lab.virsh('hv1', 'vol-create-as', 'default', iso, '1M', '--format', 'raw');
    await advisor.getByRole('button', { name: 'Apply all' }).click();
    await expect(page.getByRole('status')).toContainText('Apply all tuning: applied');
    let v = readDomain(await lab.virsh('hv1', 'dumpxml', '--inactive', name));
    expect(v.disks.map((d) => d.bus)).toEqual(['sata', 'sata']);
    expect(v.interfaces[0]!.model).toBe('e1000');
    expect(v.videos[0]!.model).toBe('qxl');

    await expect(guard).toContainText('attaches the virtio-win ISO you choose as a CD-ROM');
    await expect(guard.getByRole('button', { name: /^Fix: Windows guest/ })).toHaveText('Add virtio disk and driver ISO');
    await page.screenshot({ path: 'test-results/hardware-windows-guard.png' });
    await guard.getByRole('button', { name: /^Fix: Windows guest/ }).click();
    await expect(page.getByRole('status')).toContainText(/Fix: Windows guest.*: applied/);

    v = readDomain(await lab.virsh('hv1', 'dumpxml', '--inactive', name));
    expect(v.disks.map((d) => [d.target, d.bus, d.device])).toEqual([['sda', 'sata', 'disk'], ['sdb', 'sata', 'cdrom'], ['vda', 'virtio', 'disk']]);
    // The firmware keeps booting sda, never the new empty virtio disk.
    expect(v.disks.map((d) => d.bootOrder)).toEqual([1, null, null]);
    expect(v.os.bootDevs).toEqual([]);
    expect(v.disks[2]!.source).toMatchObject({ pool: 'default', volume: driverVol });
    expect(v.disks[1]!.source).toMatchObject({ pool: 'default', volume: iso });
    expect(await vols()).toContain(driverVol);
    const info = await lab.virsh('hv1', 'vol-dumpxml', '--pool', 'default', driverVol);
    expect(info).toMatch(/<capacity unit='bytes'>1073741824<\/capacity>/);
    expect(info).toMatch(/<format type='qcow2'\/>/);
    await expect(guard).toContainText('install the virtio drivers from the CD-ROM');
    await expect(guard.getByRole('button')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/hardware-windows-safe-path-done.png' });
    checkConsole();
  } finally {
    await lab.virsh('hv1', 'undefine', '--domain', name, '--snapshots-metadata').catch(() => undefined);
    for (const vol of [`${name}.qcow2`, driverVol, iso]) await lab.virsh('hv1', 'vol-delete', '--pool', 'default', vol).catch(() => undefined);
  }
});

test('a disk on a block device that accepts discard (a loop device here) gets the discard advice, and the fix writes it', async ({ page, app, lab, checkConsole }) => {
  const name = 'hw-block';
  const image = '/tmp/hw-e2e-block.img';
  await run('truncate', ['-s', '16M', image]);
  // The lab hosts share the machine's /dev: a loop device made here is a block device on hv1.
  const loop = (await run('losetup', ['--find', '--show', image])).stdout.trim();
  try {
    const xml = original
      .replace(/<name>legacy-a<\/name>/, `<name>${name}</name>`)
      .replace(/\s*<uuid>[^<]*<\/uuid>/, '')
      .replace(/<disk type='file' device='disk'>([\s\S]*?)<source file='[^']*'\/>/, `<disk type='block' device='disk'>$1<source dev='${loop}'/>`)
      .replace("<driver name='qemu' type='qcow2'/>", "<driver name='qemu' type='raw'/>")
      .replace('52:54:00:d0:01:01', '52:54:00:d0:01:f2');
    await defineOnHost(xml, '/tmp/hw-e2e-block.xml');
    expect(readDomain(await lab.virsh('hv1', 'dumpxml', '--inactive', name)).disks[0]).toMatchObject({ type: 'block', source: { dev: loop }, driver: { type: 'raw', discard: null } });

    await page.goto(app.url);
    await addConnection(page, 'hv1');
    await page.getByRole('button', { name: `Open ${name} on hv1` }).click();
    await page.getByRole('tab', { name: 'Hardware' }).click();
    const advisor = page.getByRole('region', { name: 'Tuning advisor' });
    // A loop device spins as far as the kernel knows (ROTA 1) and takes discard: thin storage.
    const finding = `Disk sda: discard is off on thin-provisioned block storage (${loop})`;
    await expect(advisor.getByRole('listitem', { name: finding })).toContainText("TRIM reaches it");
    await advisor.getByRole('button', { name: `Fix: ${finding}` }).click();
    await expect(page.getByRole('status')).toContainText(': applied');
    expect(readDomain(await lab.virsh('hv1', 'dumpxml', '--inactive', name)).disks[0]!.driver).toMatchObject({ discard: 'unmap', detectZeroes: 'unmap' });
    await expect(advisor.getByRole('listitem', { name: finding })).toHaveCount(0);
    checkConsole();
  } finally {
    await lab.virsh('hv1', 'undefine', '--domain', name, '--snapshots-metadata').catch(() => undefined);
    await run('losetup', ['--detach', loop]).catch(() => undefined);
    await run('rm', ['-f', image]);
  }
});

test('Add hardware adds each kind of device, and each can be removed again; the CPU gets a named model from the host list', async ({ page, app, lab, checkConsole }) => {
  test.setTimeout(120_000);
  const vol = 'hw-e2e-data.qcow2';
  try {
    await openHardware(page, app);
    const now = async () => readDomain(await persistent());

    await addHardware(page, 'Disk');
    let dialog = page.getByRole('dialog', { name: 'Add disk' });
    await dialog.getByRole('textbox', { name: 'Volume name' }).fill(vol);
    await dialog.getByRole('textbox', { name: 'Size (MiB)' }).fill('32');
    await page.screenshot({ path: 'test-results/hardware-add-disk.png' });
    await dialog.getByRole('button', { name: 'Add' }).click();
    await expect(page.getByRole('status')).toContainText('Add disk: applied');
    expect((await now()).disks.at(-1)).toMatchObject({ target: 'vda', bus: 'virtio', source: { pool: 'default', volume: vol } });
    expect(await lab.virsh('hv1', 'vol-list', 'default')).toContain(vol);

    await addHardware(page, 'Network interface');
    dialog = page.getByRole('dialog', { name: 'Add network interface' });
    await expect(dialog.getByRole('combobox', { name: 'Bridge' })).toHaveValue('br-lan');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await expect(page.getByRole('status')).toContainText('Add network interface: applied');
    expect((await now()).interfaces.map((n) => n.model)).toEqual(['e1000', 'virtio']);

    await addHardware(page, 'Input device');
    dialog = page.getByRole('dialog', { name: 'Add input device' });
    await dialog.getByRole('combobox', { name: 'Input type' }).selectOption('keyboard');
    await dialog.getByRole('combobox', { name: 'Input bus' }).selectOption('virtio');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await expect(page.getByRole('status')).toContainText('Add input device: applied');

    for (const [item, title] of [
      ['Serial port', 'Add serial port'],
      ['Watchdog', 'Add watchdog'],
      ['Guest agent channel', 'Add guest agent channel'],
      ['Controller', 'Add controller'],
      ['CD-ROM', 'Add CD-ROM drive'],
    ] as const) {
      await addHardware(page, item);
      await page.getByRole('dialog', { name: title }).getByRole('button', { name: 'Add' }).click();
      await expect(page.getByRole('status')).toContainText(`${title}: applied`);
    }
    let v = await now();
    expect(v.inputs.map((i) => `${i.type}/${i.bus}`)).toEqual(['tablet/usb', 'mouse/ps2', 'keyboard/ps2', 'keyboard/virtio']);
    expect(v.serials.map((x) => x.targetPort)).toEqual(['0', '1']);
    expect(v.watchdog).toMatchObject({ model: 'i6300esb', action: 'reset' });
    expect(v.channels.map((c) => c.targetName)).toEqual(['org.qemu.guest_agent.0']);
    expect(v.controllers.filter((c) => c.type === 'scsi').map((c) => c.model)).toEqual(['virtio-scsi']);
    expect(v.disks.filter((d) => d.device === 'cdrom').map((d) => d.target)).toEqual(['sdb', 'sdc']);

    // A second VNC display is refused with a clear message, and nothing changes.
    const before = await persistent();
    await addHardware(page, 'VNC display');
    await page.getByRole('dialog', { name: 'Add VNC display' }).getByRole('button', { name: 'Add' }).click();
    await expect(page.getByRole('alert')).toContainText('already has a vnc display');
    expect(await persistent()).toBe(before);
    await page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
    await page.screenshot({ path: 'test-results/hardware-added-devices.png' });

    await removeDevice(page, 'Input keyboard (virtio)', 'Input 4');
    await removeDevice(page, 'Serial 1 (pty)', 'Serial port 2');
    await removeDevice(page, 'Channel guest agent', 'Channel org.qemu.guest_agent.0');
    await removeDevice(page, 'Watchdog (i6300esb)', 'Watchdog');
    await removeDevice(page, 'NIC 2 (virtio)', 'NIC 2');
    await removeDevice(page, 'Disk vda', 'Disk vda');
    await removeDevice(page, 'CD-ROM sdc', 'CD-ROM sdc');
    v = await now();
    expect(v.inputs).toHaveLength(3);
    expect(v.serials).toHaveLength(1);
    expect(v.consoles).toHaveLength(1);
    expect([v.channels.length, v.watchdogs.length, v.interfaces.length]).toEqual([0, 0, 1]);
    expect(v.disks.map((d) => d.target)).toEqual(['sda', 'sdb']);
    // The PS/2 devices are part of the machine: no remove offered.
    await devices(page).getByRole('button', { name: 'Input mouse (ps2)' }).click();
    await expect(page.getByRole('region', { name: 'Input 2' }).getByRole('button', { name: 'Remove device…' })).toHaveCount(0);

    // CPU: a named model from the host's own list (virsh domcapabilities).
    await devices(page).getByRole('button', { name: 'CPU' }).click();
    const cpu = page.getByRole('region', { name: 'CPU' });
    const model = cpu.getByRole('combobox', { name: 'CPU model' });
    await expect(model).toHaveValue('qemu64');
    await expect(model.locator('option', { hasText: 'qemu32' })).toHaveCount(1);
    await model.selectOption('qemu32');
    await page.screenshot({ path: 'test-results/hardware-cpu-model.png' });
    await cpu.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('status')).toContainText('CPU: applied');
    expect((await now()).cpu).toMatchObject({ mode: 'custom', model: 'qemu32' });
    await page.getByRole('region', { name: 'CPU' }).getByRole('combobox', { name: 'CPU mode', exact: true }).selectOption('host-model');
    await page.getByRole('region', { name: 'CPU' }).getByRole('button', { name: 'Apply' }).click();
    // The notice still reads 'CPU: applied' from the first write: wait for the host instead.
    await expect.poll(async () => (await now()).cpu?.mode).toBe('host-model');
    expect((await now()).cpu).toMatchObject({ mode: 'host-model', model: null });
    checkConsole();
  } finally {
    await lab.virsh('hv1', 'vol-delete', '--pool', 'default', vol).catch(() => undefined);
  }
});

test('a running VM: an added NIC is plugged in live (domiflist, the guest sees it) and kept for the next boot; removing it unplugs it; a CD-ROM medium changes live; a SCSI disk brings its controller live', async ({ page, app, lab, checkConsole }) => {
  test.setTimeout(240_000);
  await lab.virsh('hv1', 'start', VM);
  await guestReport();
  await openHardware(page, app);

  await addHardware(page, 'Network interface');
  const dialog = page.getByRole('dialog', { name: 'Add network interface' });
  await expect(dialog).toContainText('It is plugged into the running VM too.');
  await dialog.getByRole('textbox', { name: 'MAC address' }).fill('52:54:00:d0:01:a1');
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByRole('status')).toContainText('Also changed in the running VM: NIC 52:54:00:d0:01:a1 attached');
  expect(await lab.virsh('hv1', 'domiflist', VM)).toMatch(/br-lan\s+virtio\s+52:54:00:d0:01:a1/);
  expect(readDomain(await persistent()).interfaces.map((n) => n.mac)).toEqual(['52:54:00:d0:01:01', '52:54:00:d0:01:a1']);
  // The guest reports the hot-plugged card on its serial console.
  await expect.poll(async () => (await guestReport()).match(/^NIC \S+ driver=virtio_net mac=52:54:00:d0:01:a1/m)?.[0] ?? '', { timeout: 90_000 }).not.toBe('');
  // Running and next boot agree: nothing pending for the NIC.
  await expect(devices(page).getByRole('button', { name: 'NIC 2 (virtio)', exact: true })).toBeVisible();
  await page.screenshot({ path: 'test-results/hardware-live-nic.png' });

  await devices(page).getByRole('button', { name: 'CD-ROM sdb' }).click();
  const cdrom = page.getByRole('region', { name: 'CD-ROM sdb' });
  await cdrom.getByRole('textbox', { name: 'Medium (image file on the host)' }).fill('/var/lib/libvirt/boot/virtdeck-initrd.img');
  await cdrom.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status')).toContainText('medium inserted in sdb');
  expect(await lab.virsh('hv1', 'domblklist', VM)).toMatch(/sdb\s+\/var\/lib\/libvirt\/boot\/virtdeck-initrd\.img/);

  await removeDevice(page, 'NIC 2 (virtio)', 'NIC 2');
  await expect(page.getByRole('status')).toContainText('NIC 52:54:00:d0:01:a1 detached');
  await expect.poll(async () => lab.virsh('hv1', 'domiflist', VM), { timeout: 30_000 }).not.toContain('52:54:00:d0:01:a1');
  expect(readDomain(await persistent()).interfaces).toHaveLength(1);

  // A virtio RNG and a USB tablet are plugged in live too; removing the RNG unplugs it.
  await addHardware(page, 'Random number generator');
  await page.getByRole('dialog', { name: 'Add random number generator' }).getByRole('button', { name: 'Add' }).click();
  await expect(page.getByRole('status')).toContainText('Also changed in the running VM: RNG 1 attached');
  expect(readDomain(await lab.virsh('hv1', 'dumpxml', VM)).rngs).toMatchObject([{ model: 'virtio', backend: '/dev/urandom' }]);
  await removeDevice(page, 'RNG 1 (virtio)', 'RNG 1');
  await expect(page.getByRole('status')).toContainText('RNG 1 detached');
  await expect.poll(async () => readDomain(await lab.virsh('hv1', 'dumpxml', VM)).rngs, { timeout: 30_000 }).toEqual([]);

  // A SCSI disk on a VM with no SCSI controller: the virtio-scsi controller goes in live first.
  const vol = 'hw-e2e-live-scsi.qcow2';
  try {
    await addHardware(page, 'Disk');
    const disk = page.getByRole('dialog', { name: 'Add disk' });
    await disk.getByRole('textbox', { name: 'Volume name' }).fill(vol);
    await disk.getByRole('textbox', { name: 'Size (MiB)' }).fill('8');
    await disk.getByRole('combobox', { name: 'Bus' }).selectOption('scsi');
    await disk.getByRole('button', { name: 'Add' }).click();
    await expect(page.getByRole('status')).toContainText('SCSI controller 0 (virtio-scsi) attached');
    await expect(page.getByRole('status')).toContainText('disk sdc attached');
    expect(await lab.virsh('hv1', 'domblklist', VM)).toMatch(new RegExp(`sdc\\s+\\S*${vol}`));
    expect(readDomain(await lab.virsh('hv1', 'dumpxml', VM)).controllers.find((c) => c.type === 'scsi')?.model).toBe('virtio-scsi');
    // The guest sees the new disk on virtio-scsi.
    await expect.poll(async () => (await guestReport()).match(/^DISK \S+ bus=virtio-scsi type=disk size_mib=8/m)?.[0] ?? '', { timeout: 90_000 }).not.toBe('');
  } finally {
    await lab.virsh('hv1', 'destroy', VM).catch(() => undefined);
    await lab.virsh('hv1', 'define', ORIGINAL);
    await lab.virsh('hv1', 'vol-delete', '--pool', 'default', vol).catch(() => undefined);
  }
  checkConsole();
});
