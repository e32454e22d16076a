// Containers against the lab: hv5 runs libvirt's LXC driver (e2e/lab/containers.sh) with box-1 on
// a busybox root filesystem. From the UI: the fleet's Type column and filter, start, a command on
// the container's console, force off; its CPU and memory from its cgroup (fleet and page); its
// hardware tab and an XML edit on the LXC driver; a second container created from the UI (hostile name, NIC
// on hv5's br-lan), started and deleted; the host page's architectures and container facts; the
// aarch64 VM arm-1 (e2e/lab/arm-guest.sh): its arch and TCG, no SATA offered, boot and report.
// Each step is checked against the host's own virsh.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection, failOnConsoleErrors, replaceCode } from '../support/app';
import { atSerialPrompt } from '../support/serial';
import { hostVirsh, inHost, LAB_DIR } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv5');

const HV = 'hv5';
const BOX = 'box-1';
const lxc = (...args: string[]) => hostVirsh(HV, '-c', 'lxc:///system', ...args);
const lxcState = (name: string) => lxc('domstate', '--domain', name).then((s) => s.trim(), () => 'absent');
const row = (page: Page, name: string) => page.getByRole('row', { name: `${name} (container) on ${HV}` });
const task = (page: Page, title: string) => page.getByRole('log', { name: 'Tasks' }).getByRole('listitem', { name: title });

async function forceOff(page: Page, name: string): Promise<void> {
  await page.getByRole('toolbar', { name: `Actions for ${name}` }).getByRole('button', { name: 'Force off' }).click();
  await page.getByRole('dialog', { name: `Force off ${name}?` }).getByRole('button', { name: `Force off ${name}` }).click();
  await expect.poll(() => lxcState(name), { timeout: 15_000 }).toBe('shut off');
}

test('a container is listed as one, starts, answers on its console and is forced off', async ({ page, app }) => {
  const checkConsole = failOnConsoleErrors(page);
  try {
    await page.goto(app.url);
    await addConnection(page, HV);
    const box = row(page, BOX);
    await expect(box.getByRole('cell', { name: 'Type container' })).toBeVisible();
    // The type filter: containers only keeps it; VMs only hides it.
    await page.getByRole('radiogroup', { name: 'Type filter' }).getByText('VMs', { exact: true }).click();
    await expect(box).toBeHidden();
    await page.getByRole('radiogroup', { name: 'Type filter' }).getByText('Containers', { exact: true }).click();
    await expect(box).toBeVisible();

    await box.getByRole('button', { name: `Open ${BOX} on ${HV}` }).click();
    await expect(page.getByText('LXC container')).toBeVisible();
    await page.getByRole('toolbar', { name: `Actions for ${BOX}` }).getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => lxcState(BOX), { timeout: 15_000 }).toBe('running');

    await page.getByRole('tab', { name: 'Console' }).click();
    await expect(page.getByRole('status', { name: 'Console status' })).toHaveText('connected');
    const rows = await atSerialPrompt(page, BOX);
    await page.keyboard.type('echo in-$(hostname)-$((6*7))', { delay: 20 });
    await page.keyboard.press('Enter');
    await expect(rows).toContainText(`in-${BOX}-42`);
    await page.screenshot({ path: 'test-results/containers-console.png' });

    await page.getByRole('tab', { name: 'Overview' }).click();
    await forceOff(page, BOX);
    checkConsole();
  } finally {
    if ((await lxcState(BOX)) === 'running') await lxc('destroy', '--domain', BOX);
  }
});

/** A size as formatKiB writes it ("1.2 MiB", "824 KiB") in KiB. */
function kibOf(shown: string): number {
  const m = /([\d.]+)\s*(KiB|MiB|GiB)/.exec(shown);
  if (!m) throw new Error(`no size in "${shown}"`);
  return Number(m[1]) * { KiB: 1, MiB: 1024, GiB: 1024 ** 2 }[m[2] as 'KiB' | 'MiB' | 'GiB'];
}

/** The container's CPU time in s, as libvirt reads its cpuacct cgroup. */
const cpuSeconds = async (name: string) => Number(/cpu_time\s+([\d.]+)/.exec(await lxc('cpu-stats', '--domain', name, '--total'))![1]);

test("a running container's CPU and memory come from its cgroup, in the fleet and on its page; disk and network say not reported", async ({ page, app }) => {
  const checkConsole = failOnConsoleErrors(page);
  try {
    // The host's truth: libvirt's LXC driver has no bulk domstats, so figures come from the
    // per-container cgroup calls the driver does implement.
    const bulk = await lxc('domstats', '--raw', '--cpu-total', '--', BOX).then(() => 'answered', (e: Error) => e.message);
    expect(bulk).toMatch(/not supported/);
    await page.goto(app.url);
    await addConnection(page, HV);
    const box = row(page, BOX);
    await box.getByRole('button', { name: `Open ${BOX} on ${HV}` }).click();
    await page.getByRole('toolbar', { name: `Actions for ${BOX}` }).getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => lxcState(BOX), { timeout: 15_000 }).toBe('running');
    // A busy loop inside the container, typed on its console: its cgroup's CPU time climbs.
    await page.getByRole('tab', { name: 'Console' }).click();
    await atSerialPrompt(page, BOX);
    await page.keyboard.type('while :; do :; done &', { delay: 20 });
    await page.keyboard.press('Enter');
    const t0 = await cpuSeconds(BOX);
    await expect.poll(async () => (await cpuSeconds(BOX)) - t0, { timeout: 15_000 }).toBeGreaterThan(1);

    await page.getByRole('tab', { name: 'Overview' }).click();
    const figures = page.getByLabel('Live figures');
    await expect.poll(async () => Number(/CPU ([\d.]+) %/.exec((await figures.textContent()) ?? '')?.[1] ?? -1), { timeout: 20_000 }).toBeGreaterThan(20);
    await expect(figures).toContainText(/Memory in use \(cgroup\) [\d.]+ (KiB|MiB)/);
    await expect(figures.getByRole('note', { name: 'Disk I/O not reported' })).toBeVisible();
    await expect(figures.getByRole('note', { name: 'Network I/O not reported' })).toBeVisible();
    await page.screenshot({ path: 'test-results/containers-stats-page.png' });

    await page.getByRole('button', { name: 'All VMs' }).click();
    await expect(box.getByRole('cell', { name: 'Disk not reported' })).toBeVisible();
    await expect(box.getByRole('cell', { name: 'Network not reported' })).toBeVisible();
    await expect(box.getByRole('cell', { name: /^CPU \d/ })).toBeVisible();
    // The memory figure is the one libvirt reads from the memory cgroup (dominfo's Used memory).
    const mem = box.getByRole('cell', { name: /^Memory in use \(cgroup\)/ });
    await expect(mem).toBeVisible();
    await expect
      .poll(async () => {
        const shown = kibOf((await mem.getAttribute('aria-label')) ?? '');
        const used = Number(/^Used memory:\s+(\d+) KiB/m.exec(await lxc('dominfo', '--domain', BOX))![1]);
        return Math.abs(shown - used) <= Math.max(256, used * 0.15);
      }, { timeout: 15_000 })
      .toBe(true);
    await page.screenshot({ path: 'test-results/containers-stats-fleet.png' });
    checkConsole();
  } finally {
    if ((await lxcState(BOX)) === 'running') await lxc('destroy', '--domain', BOX);
  }
});

test("a container's hardware tab reads its XML; the XML tab defines an edit on the LXC driver and nothing else changes", async ({ page, app }) => {
  const name = 'vd-hw-e2e';
  const defined = `<domain type='lxc'>
  <name>${name}</name>
  <memory unit='MiB'>48</memory>
  <memtune><hard_limit unit='MiB'>40</hard_limit></memtune>
  <vcpu cpuset='0'>1</vcpu>
  <cputune><shares>512</shares></cputune>
  <os><type>exe</type><init>/sbin/init</init></os>
  <devices>
    <filesystem type='mount'><source dir='/var/lib/libvirt/lxc/spare'/><target dir='/'/></filesystem>
    <filesystem type='ram'><source usage='8192' units='KiB'/><target dir='/tmp'/></filesystem>
    <interface type='bridge'><mac address='00:16:3e:5d:e2:01'/><source bridge='br-lan'/></interface>
    <console type='pty'/>
  </devices>
</domain>`;
  const inactive = () => lxc('dumpxml', '--inactive', '--domain', name);
  try {
    await inHost(HV, 'sh', '-c', `printf '%s' "$1" | virsh -q -c lxc:///system define /dev/stdin`, 'sh', defined);
    const original = await inactive();
    await page.goto(app.url);
    await addConnection(page, HV);
    await row(page, name).getByRole('button', { name: `Open ${name} on ${HV}` }).click();
    await page.getByRole('tab', { name: 'Hardware' }).click();
    const fs = page.getByRole('table', { name: 'Filesystems' });
    await expect(fs.getByRole('row', { name: 'Filesystem /', exact: true })).toContainText('/var/lib/libvirt/lxc/spare');
    await expect(fs.getByRole('row', { name: 'Filesystem /tmp' })).toContainText('RAM (tmpfs, 8.0 MiB)');
    const memory = page.getByRole('table', { name: 'Memory' });
    await expect(memory.getByRole('row', { name: /^Memory limit 48/ })).toBeVisible();
    await expect(memory.getByRole('row', { name: /^Hard limit 40/ })).toBeVisible();
    const cpu = page.getByRole('table', { name: 'CPU' });
    await expect(cpu.getByRole('row', { name: /^CPU share 512/ })).toBeVisible();
    await expect(cpu.getByRole('row', { name: 'Pinned to host CPUs 0' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Network interfaces' }).getByRole('row', { name: 'NIC 1' })).toContainText('bridge br-lan00:16:3e:5d:e2:01');
    await page.screenshot({ path: 'test-results/containers-hardware.png', fullPage: true });

    // libvirt's own check refuses what its schema does not take; the definition stays as it was.
    await page.getByRole('tab', { name: 'XML' }).click();
    const editor = page.getByRole('textbox', { name: 'Domain XML' });
    await expect(editor).toContainText('<shares>512</shares>');
    await replaceCode(page, editor, original.replace('<shares>512</shares>', '<shares>many</shares>'));
    await page.getByRole('button', { name: 'Preview diff' }).click();
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('alert')).toContainText('Define XML: not applied');
    await expect(page.locator('.cm-lintRange-error')).toContainText('many');
    expect(await inactive()).toBe(original);

    // An edit of the memory limit: defined on the LXC driver, every other byte as it was.
    const edited = original.replace("<memory unit='KiB'>49152</memory>", "<memory unit='KiB'>81920</memory>").replace("<currentMemory unit='KiB'>49152</currentMemory>", "<currentMemory unit='KiB'>81920</currentMemory>");
    expect(edited).not.toBe(original);
    await replaceCode(page, editor, edited);
    await page.getByRole('button', { name: 'Preview diff' }).click();
    await expect(page.getByLabel('XML changes to apply')).toContainText("+   <memory unit='KiB'>81920</memory>");
    await page.screenshot({ path: 'test-results/containers-xml.png' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('status')).toContainText('Define XML: applied');
    expect(await inactive()).toBe(edited);
    await page.getByRole('tab', { name: 'Hardware' }).click();
    await expect(memory.getByRole('row', { name: /^Memory limit 80/ })).toBeVisible();
  } finally {
    if ((await lxcState(name)) !== 'absent') await lxc('undefine', '--domain', name);
  }
});

test('a container created from the UI on a root directory of the host starts and is deleted', async ({ page, app }) => {
  const name = `vd ct's "e2e"`;
  try {
    await page.goto(app.url);
    await addConnection(page, HV);
    await expect(row(page, BOX)).toBeVisible();
    await page.getByRole('button', { name: 'New container' }).click();
    const dialog = page.getByRole('dialog', { name: 'New container' });
    await dialog.getByRole('textbox', { name: 'Container name' }).fill(name);
    await dialog.getByRole('textbox', { name: 'Root filesystem directory' }).fill('relative/dir');
    await expect(dialog.getByRole('alert')).toContainText('absolute');
    await expect(dialog.getByRole('button', { name: 'Create' })).toBeDisabled();
    await dialog.getByRole('textbox', { name: 'Root filesystem directory' }).fill('/var/lib/libvirt/lxc/spare');
    await dialog.getByRole('textbox', { name: 'Memory limit (MiB)' }).fill('96');
    await dialog.getByRole('textbox', { name: 'Bridge name' }).fill('br-lan');
    await page.screenshot({ path: 'test-results/containers-new.png' });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeHidden();

    // The host's truth: an LXC domain on that directory, with that limit and a NIC on br-lan.
    const xml = await lxc('dumpxml', '--domain', name);
    expect(xml).toContain("<domain type='lxc'");
    expect(xml).toContain("<source dir='/var/lib/libvirt/lxc/spare'/>");
    expect(xml).toContain("<memory unit='KiB'>98304</memory>");
    expect(xml).toContain("<source bridge='br-lan'/>");

    const created = row(page, name);
    await created.getByRole('button', { name: `Open ${name} on ${HV}` }).click();
    await page.getByRole('toolbar', { name: `Actions for ${name}` }).getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => lxcState(name), { timeout: 15_000 }).toBe('running');
    await expect(page.getByRole('heading', { name })).toBeVisible();

    // Delete from the fleet: forced off and undefined; its root directory stays.
    await page.getByRole('button', { name: 'All VMs' }).click();
    await created.getByRole('checkbox', { name: `Select ${name} on ${HV}` }).check();
    await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: `Delete ${name}?` });
    await confirm.getByRole('button', { name: /^Delete/ }).click();
    await expect.poll(() => lxcState(name), { timeout: 15_000 }).toBe('absent');
    await expect(created).toBeHidden();
    await expect(task(page, `Delete ${name} on ${HV}: done`)).toBeVisible();
  } finally {
    if ((await lxcState(name)) === 'running') await lxc('destroy', '--domain', name);
    if ((await lxcState(name)) !== 'absent') await lxc('undefine', '--domain', name);
  }
});

test("the host page lists the architectures QEMU emulates and the container facts", async ({ page, app }) => {
  await page.goto(app.url);
  await addConnection(page, HV);
  await page.getByRole('button', { name: `Open host ${HV}` }).click();
  await page.getByRole('tab', { name: 'Architectures & containers' }).click();
  const arches = page.getByRole('table', { name: 'Architectures' });
  await expect(arches.getByRole('row', { name: 'Architecture aarch64' })).toContainText('TCG (emulated)');
  await expect(arches.getByRole('row', { name: 'Architecture aarch64' })).toContainText('virt');
  await expect(arches.getByRole('row', { name: 'Architecture x86_64' })).toContainText('pc');
  const facts = page.getByRole('region', { name: 'Containers' });
  await expect(facts).toContainText('present (lxc:///system)');
  await expect(facts).toContainText('v1 (one hierarchy per controller)');
  // The host's truth for user namespaces: the kernel's own limit.
  const max = (await inHost(HV, 'cat', '/proc/sys/user/max_user_namespaces')).trim();
  await expect(facts).toContainText(`user.max_user_namespaces = ${max}`);
  await page.screenshot({ path: 'test-results/containers-host.png' });
});

test('an aarch64 VM is listed with its arch under TCG, offers no SATA, and boots from the UI with its report on the serial console', async ({ page, app }) => {
  const ARM = 'arm-1';
  const serialLog = join(LAB_DIR, 'state', HV, 'log', 'qemu', `${ARM}-serial.log`);
  const state = () => hostVirsh(HV, 'domstate', '--domain', ARM).then((s) => s.trim());
  try {
    await page.goto(app.url);
    await addConnection(page, HV);
    const vmRow = page.getByRole('row', { name: `${ARM} on ${HV}` });
    await expect(vmRow.getByRole('cell', { name: 'Arch aarch64' })).toBeVisible();
    await expect(vmRow.getByRole('cell', { name: 'Type VM' })).toBeVisible();
    await page.getByRole('combobox', { name: 'Architecture filter' }).click();
    await page.getByRole('option', { name: 'aarch64' }).click();
    await expect(row(page, BOX)).toBeHidden();
    await expect(vmRow).toBeVisible();

    await vmRow.getByRole('button', { name: `Open ${ARM} on ${HV}` }).click();
    await expect(page.getByText('aarch64 guest: runs under TCG')).toBeVisible();

    // Hardware: the disk's buses are those of the virt machine; the advisor proposes nothing it lacks.
    await page.getByRole('tab', { name: 'Hardware' }).click();
    const advisor = page.getByRole('region', { name: 'Tuning advisor' });
    await expect(advisor.getByRole('listitem', { name: 'NIC 1 is an emulated e1000 card' })).toBeVisible();
    await expect(advisor).not.toContainText(/SATA|IDE|AHCI/);
    await page.getByRole('navigation', { name: 'Devices' }).getByRole('button', { name: 'Disk vda' }).click();
    const buses = await page.getByRole('region', { name: 'Disk vda' }).getByRole('combobox', { name: 'Bus' }).locator('option').allTextContents();
    expect(buses).toEqual(expect.arrayContaining(['virtio', 'scsi']));
    expect(buses.filter((b) => /sata|ide/i.test(b))).toEqual([]);

    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('toolbar', { name: `Actions for ${ARM}` }).getByRole('button', { name: 'Start' }).click();
    await expect.poll(state, { timeout: 15_000 }).toBe('running');
    // The host's truth: the guest's boot report on its serial line (ttyAMA0), logged by QEMU.
    await expect.poll(() => readFileSync(serialLog, 'utf8'), { timeout: 60_000 }).toContain(`VIRTDECK-GUEST hostname=${ARM}`);
    await page.getByRole('tab', { name: 'Console' }).click();
    await page.getByRole('toolbar', { name: `Console of ${ARM}` }).getByRole('button', { name: 'Serial console' }).click();
    await expect(page.getByRole('status', { name: 'Console status' })).toHaveText('connected');
    const rows = await atSerialPrompt(page, ARM);
    await page.keyboard.type('vdreport; uname -m', { delay: 20 });
    await page.keyboard.press('Enter');
    await expect(rows).toContainText(`VIRTDECK-GUEST hostname=${ARM} kernel=`);
    await expect(rows).toContainText('aarch64');
    await page.screenshot({ path: 'test-results/containers-arm-console.png' });
  } finally {
    if ((await state().catch(() => '')) === 'running') await hostVirsh(HV, 'destroy', '--domain', ARM);
  }
});
