// Containers of the LXC tools (not libvirt's) against the lab: hv5 has lxc-box (x86_64 busybox,
// NIC on br-lxc, the lxc-lan network's bridge) and lxc-arm (arm64 busybox, run through
// qemu-user-static's binfmt handler), made by e2e/lab/lxc-tools.sh, and the lab user may run the
// lxc-* tools as root through sudo there. From the UI: the fleet's rows with type, architecture,
// state, PID, memory and IPv4, live after lxc-start/lxc-stop run on the host from outside; freeze
// and unfreeze; the arm64 one's shell says aarch64; create (bad input refused first) on the bridge
// with its address; destroy with its directory gone; the host page's binfmt handlers. Each step is
// checked against the host's own lxc-info / file system.
import type { Page } from '@playwright/test';
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection, failOnConsoleErrors } from '../support/app';
import { inHost } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv2', 'hv5');

const HV = 'hv5';
const BOX = 'lxc-box';
const ARM = 'lxc-arm';
/** The tool's own state word on the host (RUNNING, FROZEN, STOPPED), or 'absent'. */
const lxcState = (name: string) => inHost(HV, 'lxc-info', '-n', name, '-s').then((s) => /State:\s*(\S+)/.exec(s)?.[1] ?? '?', () => 'absent');
const stopOutside = (name: string) => inHost(HV, 'lxc-stop', '-n', name, '-k').catch(() => '');
const row = (page: Page, name: string) => page.getByRole('row', { name: `${name} (LXC container) on ${HV}` });
const task = (page: Page, title: string) => page.getByRole('log', { name: 'Tasks' }).getByRole('listitem', { name: title }).first();

test('lxc: the fleet lists the LXC tools containers with type and arch, live after lxc-start and lxc-stop outside, frozen and thawed from the toolbar', async ({ page, app }) => {
  const checkConsole = failOnConsoleErrors(page);
  try {
    await page.goto(app.url);
    await addConnection(page, HV);
    const box = row(page, BOX);
    const arm = row(page, ARM);
    await expect(box.getByRole('cell', { name: 'Type LXC container' })).toBeVisible();
    await expect(arm.getByRole('cell', { name: 'Type LXC container' })).toBeVisible();
    await expect(box.getByRole('cell', { name: 'Arch x86_64' })).toBeVisible();
    await expect(arm.getByRole('cell', { name: 'Arch aarch64, emulated' })).toBeVisible();
    await expect(box.getByRole('cell', { name: 'State shut off' })).toBeVisible();

    // Started on the host, not in the app: the row follows by itself, with PID, memory and the
    // address lxc-lan's DHCP gave it.
    await inHost(HV, 'lxc-start', '-n', BOX, '-d');
    await expect(box.getByRole('cell', { name: 'State running' })).toBeVisible({ timeout: 10_000 });
    const pid = /PID:\s*(\d+)/.exec(await inHost(HV, 'lxc-info', '-n', BOX, '-p'))?.[1];
    await expect(box.getByLabel(`PID ${pid}`)).toBeVisible();
    await expect(box.getByLabel(/^IPv4 198\.51\.100\.\d+$/)).toBeVisible({ timeout: 20_000 });
    await expect(box.getByLabel(/^Memory in use /)).toBeVisible();

    await box.getByRole('checkbox', { name: `Select ${BOX} on ${HV}` }).check();
    const toolbar = page.getByRole('toolbar', { name: 'VM actions' });
    await toolbar.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => lxcState(BOX), { timeout: 10_000 }).toBe('FROZEN');
    await expect(box.getByRole('cell', { name: 'State paused' })).toBeVisible();
    await toolbar.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => lxcState(BOX), { timeout: 10_000 }).toBe('RUNNING');
    await expect(task(page, `Resume ${BOX} on ${HV}: done`)).toBeVisible();
    await page.screenshot({ path: 'test-results/lxc-fleet.png' });

    // Autostart is a key of the container's config file (lxc.start.auto), written with the
    // previous copy kept beside it.
    const autostart = () => inHost(HV, 'lxc-info', '-n', BOX, '-c', 'lxc.start.auto').then((o) => o.trim());
    await toolbar.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Autostart on' }).click();
    await expect.poll(autostart, { timeout: 10_000 }).toBe('lxc.start.auto = 1');
    expect(await inHost(HV, 'test', '-s', `/var/lib/lxc/${BOX}/config.bak`).then(() => true, () => false)).toBe(true);
    await toolbar.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Autostart off' }).click();
    await expect.poll(autostart, { timeout: 10_000 }).toBe('lxc.start.auto = 0');

    await stopOutside(BOX);
    await expect(box.getByRole('cell', { name: 'State shut off' })).toBeVisible({ timeout: 10_000 });
    checkConsole();
  } finally {
    if ((await lxcState(BOX)) !== 'STOPPED') await stopOutside(BOX);
    await inHost(HV, 'sed', '-i', 's/^lxc.start.auto = 1$/lxc.start.auto = 0/', `/var/lib/lxc/${BOX}/config`).catch(() => '');
  }
});

test("lxc: the arm64 container starts from the UI, its shell says aarch64, and it stops", async ({ page, app }) => {
  const checkConsole = failOnConsoleErrors(page);
  try {
    await page.goto(app.url);
    await addConnection(page, HV);
    await row(page, ARM).getByRole('button', { name: `Open ${ARM} on ${HV}` }).click();
    await expect(page.getByText('LXC container (LXC tools)').first()).toBeVisible();
    await page.getByRole('toolbar', { name: `Actions for ${ARM}` }).getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => lxcState(ARM), { timeout: 15_000 }).toBe('RUNNING');
    await expect(page.getByRole('table', { name: 'Container facts' })).toContainText('emulated by QEMU user mode');

    await page.getByRole('tab', { name: 'Console' }).click();
    await page.getByRole('button', { name: `Shell in ${ARM}` }).click();
    const terminal = page.getByRole('region', { name: `Shell in ${ARM}` });
    const rows = terminal.locator('.xterm-rows');
    await expect(page.getByRole('status', { name: 'Console status' })).toHaveText('connected');
    await terminal.click();
    // The shell's first prompt may come before the terminal listens: type until the answer shows.
    await expect(async () => {
      await page.keyboard.type('uname -m\n', { delay: 20 });
      await expect(rows).toContainText('aarch64', { timeout: 3_000 });
    }).toPass({ timeout: 30_000 });
    await page.screenshot({ path: 'test-results/lxc-arm-shell.png' });

    await page.getByRole('tab', { name: 'Config' }).click();
    await expect(page.getByRole('table', { name: 'Config keys' }).getByRole('row', { name: /^lxc\.rootfs\.path = / })).toBeVisible();

    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('toolbar', { name: `Actions for ${ARM}` }).getByRole('button', { name: 'Shut down' }).click();
    await expect.poll(() => lxcState(ARM), { timeout: 20_000 }).toBe('STOPPED');
    checkConsole();
  } finally {
    if ((await lxcState(ARM)) !== 'STOPPED') await stopOutside(ARM);
  }
});

test('lxc: bad input is refused, a container made on the bridge gets its IPv4, and destroying it removes its directory', async ({ page, app }) => {
  const name = `vd-ü$(x);'q'`;
  const dir = `/var/lib/lxc/${name}`;
  const exists = () => inHost(HV, 'test', '-e', dir).then(() => true, () => false);
  try {
    await page.goto(app.url);
    await addConnection(page, HV);
    await expect(row(page, BOX)).toBeVisible();
    await page.getByRole('button', { name: 'New LXC container' }).click();
    const dialog = page.getByRole('dialog', { name: 'New LXC container' });
    await expect(dialog.getByRole('combobox', { name: 'Host' })).toHaveValue(HV);
    const nameBox = dialog.getByRole('textbox', { name: 'Container name' });
    const create = dialog.getByRole('button', { name: 'Create' });
    await nameBox.fill('a/b');
    await expect(dialog.getByRole('alert')).toContainText('cannot contain "/"');
    await expect(create).toBeDisabled();
    await nameBox.fill(BOX);
    await expect(dialog.getByRole('alert')).toContainText('already has an LXC container');
    await expect(create).toBeDisabled();
    await nameBox.fill(name);
    await dialog.getByRole('textbox', { name: 'Memory limit' }).fill('abc');
    await expect(dialog.getByRole('alert')).toContainText('not a memory size');
    await expect(create).toBeDisabled();
    await dialog.getByRole('textbox', { name: 'Memory limit' }).fill('96');
    await dialog.getByRole('combobox', { name: 'Bridge' }).click();
    await page.getByRole('option', { name: 'br-lxc' }).click();
    await page.screenshot({ path: 'test-results/lxc-new.png' });
    await create.click();
    await expect(task(page, `Create LXC container ${name} on ${HV}: done`)).toBeVisible({ timeout: 30_000 });
    const made = row(page, name);
    await expect(made.getByRole('cell', { name: 'Arch x86_64' })).toBeVisible();
    const config = await inHost(HV, 'cat', `${dir}/config`);
    expect(config).toContain('lxc.net.0.link = br-lxc');
    expect(config).toContain(`lxc.cgroup.memory.limit_in_bytes = ${96 * 1024 * 1024}`);

    await made.getByRole('checkbox', { name: `Select ${name} on ${HV}` }).check();
    await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Start' }).click();
    await expect(made.getByLabel(/^IPv4 198\.51\.100\.\d+$/)).toBeVisible({ timeout: 30_000 });
    expect(await inHost(HV, 'cat', `/sys/fs/cgroup/memory/lxc.payload.${name}/memory.limit_in_bytes`).catch(() => '')).toContain(String(96 * 1024 * 1024));

    await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: `Delete ${name}?` });
    await expect(confirm.getByRole('note')).toContainText('root filesystem');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(exists, { timeout: 20_000 }).toBe(false);
    await expect(made).toBeHidden({ timeout: 10_000 });
  } finally {
    if (await exists()) await inHost(HV, 'lxc-destroy', '-n', name, '-f').catch(() => '');
  }
});

test('lxc: the host page lists the binfmt handlers with their flags, and a host without the LXC tools shows none and no error', async ({ page, app }) => {
  await page.goto(app.url);
  await addConnection(page, HV);
  await expect(row(page, BOX)).toBeVisible();
  await page.getByRole('navigation', { name: 'Connections' }).getByRole('button', { name: `Open host ${HV}` }).click();
  await page.getByRole('tab', { name: 'Architectures & containers' }).click();
  const handlers = page.getByRole('table', { name: 'binfmt handlers' });
  await expect(handlers.getByRole('row', { name: 'qemu-aarch64 enabled' })).toContainText('PF');
  await expect(page.getByRole('region', { name: 'LXC tools' })).toContainText('Runs as root');
  await page.screenshot({ path: 'test-results/lxc-binfmt.png' });

  // hv2 has the tools' files (the lab's hosts share this machine's /usr) but no sudo rule: no
  // rows and no error in the fleet; its host page says why.
  await page.getByRole('navigation', { name: 'Connections' }).getByRole('button', { name: `Open host ${HV}` }).click();
  await addConnection(page, 'hv2');
  await page.getByRole('navigation', { name: 'Connections' }).getByRole('button', { name: 'Open host hv2' }).click();
  await page.getByRole('tab', { name: 'Architectures & containers' }).click();
  await expect(page.getByRole('region', { name: 'LXC tools' }).getByRole('note')).toContainText('sudo');
  await page.getByRole('button', { name: 'All VMs' }).click().catch(() => undefined);
  await expect(page.getByRole('row', { name: /\(LXC container\) on hv2$/ })).toHaveCount(0);
});
