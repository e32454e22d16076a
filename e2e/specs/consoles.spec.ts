// Consoles against the lab: the VNC screen of hv2's desk-1 through the app's one SSH connection
// (asserted on its pixels and on what the guest writes to its serial log), Ctrl+Alt+Del, the
// serial console, two consoles on two hosts at once, and a cut link that heals by itself.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { addConnection, failOnConsoleErrors, startApp, type RunningApp } from '../support/app';
import { cutLink, hostVirsh, LAB_DIR, LAB_SSH_CONFIG, labIsUp, restoreLink } from '../support/lab';

test.skip(!labIsUp(), 'the lab is not up: run `npm run lab:up` (Linux, root) first');

const serialLog = (hv: string, vm: string) => join(LAB_DIR, 'state', hv, 'log', 'qemu', `${vm}-serial.log`);
const readSerial = (hv: string, vm: string) => {
  try {
    return readFileSync(serialLog(hv, vm), 'utf8');
  } catch {
    return '';
  }
};
const count = (text: string, marker: string) => text.split(marker).length - 1;

/** What the canvas shows: its size, how many pixels differ from the most common colour, a hash. */
async function screen(page: Page, vm: string) {
  return page
    .getByRole('img', { name: `Screen of ${vm}` })
    .locator('canvas')
    .evaluate((c: HTMLCanvasElement) => {
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      const counts = new Map<number, number>();
      let hash = 0;
      for (let i = 0; i < data.length; i += 4) {
        const v = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
        counts.set(v, (counts.get(v) ?? 0) + 1);
        hash = (Math.imul(hash, 31) + v) | 0;
      }
      const background = Math.max(...counts.values());
      return { width: c.width, height: c.height, colors: counts.size, foreground: data.length / 4 - background, hash };
    });
}

/** The guest's text screen is drawn: a real picture, not a blank or uniform canvas. */
async function expectGuestScreen(page: Page, vm: string): Promise<void> {
  await expect
    .poll(async () => {
      const s = await screen(page, vm);
      return s.width >= 640 && s.height >= 350 && s.colors >= 2 && s.foreground > 2000;
    }, { timeout: 30_000 })
    .toBe(true);
}

async function openConsole(page: Page, vm: string, hv: string): Promise<void> {
  await page.getByRole('button', { name: `Open ${vm} on ${hv}` }).click();
  await page.getByRole('tab', { name: 'Console' }).click();
}

const status = (page: Page) => page.getByRole('status', { name: 'Console status' });

let app: RunningApp;
test.beforeEach(async () => {
  app = await startApp({ sshConfig: LAB_SSH_CONFIG });
});
test.afterEach(async () => {
  await app.stop();
});

test('the graphical console shows desk-1, takes keys, and Ctrl+Alt+Del reboots the guest', async ({ page }) => {
  const checkConsole = failOnConsoleErrors(page);
  expect((await hostVirsh('hv2', 'domstate', 'desk-1')).trim()).toBe('running');
  await page.goto(app.url);
  await addConnection(page, 'hv2');
  await openConsole(page, 'desk-1', 'hv2');
  await expect(status(page)).toHaveText('connected');
  await expectGuestScreen(page, 'desk-1');
  await page.screenshot({ path: 'test-results/consoles-vnc.png' });

  // A key typed on the canvas reaches the guest's shell on tty1, and the picture changes.
  const before = await screen(page, 'desk-1');
  await page.getByRole('img', { name: 'Screen of desk-1' }).click();
  await page.keyboard.type('echo typed-over-vnc');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await screen(page, 'desk-1')).hash, { timeout: 15_000 }).not.toBe(before.hash);

  // Ctrl+Alt+Del from the toolbar: the guest says so on its serial port, reboots, and is back.
  const log = readSerial('hv2', 'desk-1');
  const cads = count(log, 'VIRTDECK-CAD');
  const readies = count(log, 'VIRTDECK-READY');
  await page.getByRole('toolbar', { name: 'Console of desk-1' }).getByRole('button', { name: 'Send Ctrl+Alt+Del' }).click();
  await expect.poll(() => count(readSerial('hv2', 'desk-1'), 'VIRTDECK-CAD'), { timeout: 20_000 }).toBe(cads + 1);
  await expect.poll(() => count(readSerial('hv2', 'desk-1'), 'VIRTDECK-READY'), { timeout: 90_000 }).toBe(readies + 1);
  expect((await hostVirsh('hv2', 'domstate', 'desk-1')).trim()).toBe('running');
  await expect(status(page)).toHaveText('connected');
  await expectGuestScreen(page, 'desk-1');
  checkConsole();
});

test('the send-key menu, type clipboard and screenshot work from the toolbar', async ({ page }) => {
  const checkConsole = failOnConsoleErrors(page);
  await page.goto(app.url);
  await addConnection(page, 'hv2');
  await openConsole(page, 'desk-1', 'hv2');
  await expect(status(page)).toHaveText('connected');
  const toolbar = page.getByRole('toolbar', { name: 'Console of desk-1' });
  await toolbar.getByRole('button', { name: 'Send key' }).click();
  for (const key of ['Ctrl+Alt+F1', 'Ctrl+Alt+F12', 'PrintScreen']) await expect(page.getByRole('menuitem', { name: key, exact: true })).toBeVisible();
  await page.screenshot({ path: 'test-results/consoles-sendkey.png' });
  await page.keyboard.press('Escape');

  const download = page.waitForEvent('download');
  await toolbar.getByRole('button', { name: 'Screenshot' }).click();
  expect((await download).suggestedFilename()).toMatch(/^desk-1-.*\.png$/);

  // Typed into the guest as key presses: the shell on its screen runs it and its output shows.
  const before = await screen(page, 'desk-1');
  await toolbar.getByRole('button', { name: 'Type clipboard' }).click();
  const dialog = page.getByRole('dialog', { name: 'Type into desk-1' });
  await dialog.getByRole('textbox', { name: 'Text to type' }).fill('echo typed-from-clipboard\n');
  await dialog.getByRole('button', { name: 'Type' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(async () => (await screen(page, 'desk-1')).hash, { timeout: 15_000 }).not.toBe(before.hash);
  checkConsole();
});

test('the serial console runs a command and shows its output', async ({ page }) => {
  const checkConsole = failOnConsoleErrors(page);
  await page.goto(app.url);
  await addConnection(page, 'hv2');
  await openConsole(page, 'desk-1', 'hv2');
  await page.getByRole('toolbar', { name: 'Console of desk-1' }).getByRole('button', { name: 'Serial console' }).click();
  const term = page.getByRole('region', { name: 'Serial console of desk-1' });
  await expect(status(page)).toHaveText('connected');
  await term.click();
  // A fresh prompt first: busybox asks the terminal where its cursor is (ESC[6n) after each
  // prompt, and drops what is typed before xterm's answer arrives — as a person would wait.
  const rows = term.locator('.xterm-rows');
  await expect(rows).toContainText('Escape character is ^]');
  // virsh flushes what was typed while it set its terminal to raw mode: press Enter until a prompt shows.
  await expect(async () => {
    await page.keyboard.press('Enter');
    await expect(rows).toContainText('desk-1:/#', { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await page.waitForTimeout(500);
  await page.keyboard.type('echo virtdeck-$((6*7))', { delay: 20 });
  await page.keyboard.press('Enter');
  await expect(rows).toContainText('virtdeck-42');
  await page.screenshot({ path: 'test-results/consoles-serial.png' });
  // Back to the screen: the graphical console reconnects.
  await page.getByRole('toolbar', { name: 'Console of desk-1' }).getByRole('button', { name: 'Graphical console' }).click();
  await expect(status(page)).toHaveText('connected');
  await expectGuestScreen(page, 'desk-1');
  checkConsole();
});

test('a SPICE-only VM says so plainly and gets a VNC display on request', async ({ page }) => {
  const checkConsole = failOnConsoleErrors(page);
  const name = 'vd-spice-probe';
  const xml = `<domain type='qemu'><name>${name}</name><memory unit='KiB'>65536</memory><vcpu>1</vcpu>
    <os><type arch='x86_64' machine='pc'>hvm</type></os>
    <devices><graphics type='spice' autoport='yes' listen='127.0.0.1'/><video><model type='qxl'/></video></devices></domain>`;
  const dir = mkdtempSync(join(tmpdir(), 'vd-spice-'));
  writeFileSync(join(dir, 'dom.xml'), xml);
  await hostVirsh('hv2', 'define', join(dir, 'dom.xml'));
  try {
    await page.goto(app.url);
    await addConnection(page, 'hv2');
    await openConsole(page, name, 'hv2');
    const alert = page.getByRole('alert').filter({ hasText: 'only a SPICE display' });
    await expect(alert).toBeVisible();
    await page.screenshot({ path: 'test-results/consoles-spice.png' });
    await alert.getByRole('button', { name: 'Add a VNC display' }).click();
    await expect(alert.getByRole('status')).toContainText('A VNC display was added');
    expect(await hostVirsh('hv2', 'dumpxml', '--inactive', name)).toMatch(/<graphics type='vnc'/);
    checkConsole();
  } finally {
    await hostVirsh('hv2', 'undefine', name).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a shell on the hypervisor runs in the same terminal', async ({ page }) => {
  const checkConsole = failOnConsoleErrors(page);
  await page.goto(app.url);
  await addConnection(page, 'hv2');
  await openConsole(page, 'desk-1', 'hv2');
  await page.getByRole('toolbar', { name: 'Console of desk-1' }).getByRole('button', { name: 'Shell on hv2' }).click();
  const rows = page.getByRole('region', { name: 'Shell on hv2' }).locator('.xterm-rows');
  await expect(status(page)).toHaveText('connected');
  await expect(rows).toContainText('$');
  await page.getByRole('region', { name: 'Shell on hv2' }).click();
  await page.keyboard.type('echo "shell-$((6*7)) on $(hostname) as $(id -un)"', { delay: 10 });
  await page.keyboard.press('Enter');
  await expect(rows).toContainText('shell-42 on hv2 as virtdeck');
  await page.screenshot({ path: 'test-results/consoles-shell.png' });
  checkConsole();
});

test('consoles of two VMs on two hosts are open at once and both update', async ({ page, context }) => {
  const checkFirst = failOnConsoleErrors(page);
  expect((await hostVirsh('hv1', 'domstate', 'legacy-b')).trim()).toBe('shut off');
  await hostVirsh('hv1', 'start', 'legacy-b');
  try {
    await page.goto(app.url);
    await addConnection(page, 'hv1');
    await addConnection(page, 'hv2');
    await openConsole(page, 'desk-1', 'hv2');
    await expect(status(page)).toHaveText('connected');

    const second = await context.newPage();
    const checkSecond = failOnConsoleErrors(second);
    await second.goto(app.url);
    await openConsole(second, 'legacy-b', 'hv1');
    await expect(status(second)).toHaveText('connected');
    // legacy-b boots while we watch: its screen changes on its own until the report is up.
    const booting = await screen(second, 'legacy-b');
    await expect.poll(async () => (await screen(second, 'legacy-b')).hash, { timeout: 30_000 }).not.toBe(booting.hash);
    await expect.poll(() => readSerial('hv1', 'legacy-b').includes('VIRTDECK-READY'), { timeout: 90_000 }).toBe(true);
    await expectGuestScreen(second, 'legacy-b');

    // Both take input and redraw, one after the other, each still connected.
    for (const [p, vm] of [[page, 'desk-1'], [second, 'legacy-b']] as const) {
      await p.bringToFront();
      const before = await screen(p, vm);
      await p.getByRole('img', { name: `Screen of ${vm}` }).click();
      await p.keyboard.type(`echo two-at-once-${vm}`);
      await p.keyboard.press('Enter');
      await expect.poll(async () => (await screen(p, vm)).hash, { timeout: 15_000 }).not.toBe(before.hash);
    }
    await expect(status(page)).toHaveText('connected');
    await expect(status(second)).toHaveText('connected');
    await second.screenshot({ path: 'test-results/consoles-legacy-b.png' });
    checkSecond();
    checkFirst();
  } finally {
    await hostVirsh('hv1', 'destroy', 'legacy-b').catch(() => undefined);
  }
});

test('a cut link shows disconnected, and the console reconnects on its own when it returns', async ({ page }) => {
  const checkConsole = failOnConsoleErrors(page);
  await page.goto(app.url);
  await addConnection(page, 'hv2');
  await openConsole(page, 'desk-1', 'hv2');
  await expect(status(page)).toHaveText('connected');
  await expectGuestScreen(page, 'desk-1');
  try {
    await cutLink('hv2');
    await expect(status(page)).toHaveText('disconnected – reconnecting…', { timeout: 30_000 });
    await page.screenshot({ path: 'test-results/consoles-disconnected.png' });
  } finally {
    await restoreLink('hv2');
  }
  await expect(status(page)).toHaveText('connected', { timeout: 60_000 });
  await expectGuestScreen(page, 'desk-1');
  checkConsole();
});
