// Consoles against the lab: the VNC screen of hv2's desk-1 through the app's one SSH connection
// (asserted on its pixels and on what the guest writes to its serial log), Ctrl+Alt+Del, the
// serial console, two consoles on two hosts at once, and a cut link that heals by itself.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection, failOnConsoleErrors, openConsoleFromTree } from '../support/app';
import { LAB_DIR } from '../support/lab';
import { atSerialPrompt } from '../support/serial';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv1', 'hv2');

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

test('the graphical console shows desk-1, takes keys, and Ctrl+Alt+Del reboots the guest', async ({ page, app, lab, checkConsole }) => {
  expect((await lab.virsh('hv2', 'domstate', 'desk-1')).trim()).toBe('running');
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
  expect((await lab.virsh('hv2', 'domstate', 'desk-1')).trim()).toBe('running');
  await expect(status(page)).toHaveText('connected');
  await expectGuestScreen(page, 'desk-1');
  checkConsole();
});

test('the send-key menu, type clipboard and screenshot work from the toolbar', async ({ page, app, checkConsole }) => {
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

  // Fullscreen: the console (toolbar and screen) fills the screen, and the picture grows with it.
  const small = await page.getByRole('img', { name: 'Screen of desk-1' }).boundingBox();
  await toolbar.getByRole('button', { name: 'Fullscreen' }).click();
  await expect(toolbar.getByRole('button', { name: 'Exit fullscreen' })).toBeVisible();
  expect(await page.evaluate(() => document.fullscreenElement?.querySelector('[role="toolbar"]')?.getAttribute('aria-label'))).toBe('Console of desk-1');
  await expect.poll(async () => (await page.getByRole('img', { name: 'Screen of desk-1' }).boundingBox())!.height).toBeGreaterThan(small!.height + 50);
  await expectGuestScreen(page, 'desk-1');
  await page.screenshot({ path: 'test-results/consoles-fullscreen.png' });
  await toolbar.getByRole('button', { name: 'Exit fullscreen' }).click();
  await expect(toolbar.getByRole('button', { name: 'Fullscreen' })).toBeVisible();
  expect(await page.evaluate(() => document.fullscreenElement)).toBeNull();
  checkConsole();
});

test('the serial console runs a command and shows its output', async ({ page, app, checkConsole }) => {
  await page.goto(app.url);
  await addConnection(page, 'hv2');
  await openConsole(page, 'desk-1', 'hv2');
  await page.getByRole('toolbar', { name: 'Console of desk-1' }).getByRole('button', { name: 'Serial console' }).click();
  await expect(status(page)).toHaveText('connected');
  const rows = await atSerialPrompt(page, 'desk-1');
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

test('a SPICE-only VM says so plainly and still gets a VNC display on request', async ({ page, app, lab, checkConsole }) => {
  const name = 'vd-spice-probe';
  const xml = `<domain type='qemu'><name>${name}</name><memory unit='KiB'>65536</memory><vcpu>1</vcpu>
    <os><type arch='x86_64' machine='pc'>hvm</type></os>
    <devices><graphics type='spice' autoport='yes' listen='127.0.0.1'/><video><model type='qxl'/></video></devices></domain>`;
  const dir = mkdtempSync(join(tmpdir(), 'vd-spice-'));
  writeFileSync(join(dir, 'dom.xml'), xml);
  await lab.virsh('hv2', 'define', join(dir, 'dom.xml'));
  try {
    // Running, so its SPICE display has a port (with nothing to boot it sits in the firmware).
    await lab.virsh('hv2', 'start', name);
    await page.goto(app.url);
    await addConnection(page, 'hv2');
    await openConsole(page, name, 'hv2');
    // The console opens over SPICE now; adding a VNC display stays on offer beside it.
    await expect(page.getByText(`${name} has only a SPICE display.`)).toBeVisible();
    await page.screenshot({ path: 'test-results/consoles-spice.png' });
    await page.getByRole('button', { name: 'Add a VNC display' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'A VNC display was added' })).toBeVisible();
    expect(await lab.virsh('hv2', 'dumpxml', '--inactive', name)).toMatch(/<graphics type='vnc'/);
    checkConsole();
  } finally {
    await lab.virsh('hv2', 'destroy', name).catch(() => undefined);
    await lab.virsh('hv2', 'undefine', name).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a shell on the hypervisor runs in the same terminal', async ({ page, app, checkConsole }) => {
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

  // A hyperlink printed by anything on the host (OSC 8) opens only after the person saw where to.
  await page.keyboard.type("printf '\\033]8;;https://example.invalid/from-hv2\\033\\\\open-me\\033]8;;\\033\\\\\\n'", { delay: 5 });
  await page.keyboard.press('Enter');
  const linkText = rows.getByText('open-me', { exact: true });
  await expect(linkText).toBeVisible();
  // xterm takes the pointer on its screen layer: move there as a person would, then click.
  const box = (await linkText.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2 + 1, box.y + box.height / 2);
  await page.mouse.click(box.x + box.width / 2 + 1, box.y + box.height / 2);
  const ask = page.getByRole('dialog', { name: 'Open a link from the console?' });
  await expect(ask.getByLabel('Link address')).toHaveText('https://example.invalid/from-hv2');
  const opened = page.context().waitForEvent('page');
  await ask.getByRole('button', { name: 'Open link' }).click();
  const tab = await opened;
  await tab.waitForLoadState().catch(() => undefined);
  expect(tab.url()).toMatch(/^https:\/\/example\.invalid\/from-hv2|^chrome-error:/);
  // noopener: the tab cannot reach back to this page.
  expect(await tab.evaluate(() => window.opener)).toBeNull();
  await tab.close();
  checkConsole();
});

/** The canvas behind a console's screen, found whether its tab is on screen or not. */
const canvasOf = (page: Page, vm: string) => page.locator(`[aria-label="Screen of ${vm}"] canvas`);
const hashOf = (page: Page, vm: string) =>
  canvasOf(page, vm).evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) hash = (Math.imul(hash, 31) + ((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!)) | 0;
    return hash;
  });

test('consoles of two VMs on two hosts are open at once as tabs, both update, and one detaches to its own window', async ({ page, app, lab, checkConsole }) => {
  expect((await lab.virsh('hv1', 'domstate', 'legacy-b')).trim()).toBe('shut off');
  try {
    await page.goto(app.url);
    await addConnection(page, 'hv1');
    await addConnection(page, 'hv2');
    await openConsole(page, 'desk-1', 'hv2');
    await expect(status(page)).toHaveText('connected');
    await expectGuestScreen(page, 'desk-1');
    // Mark desk-1's canvas: if its console were torn down and rebuilt, the mark would be gone.
    await canvasOf(page, 'desk-1').evaluate((c) => ((c as HTMLCanvasElement & { vdMark?: number }).vdMark = 1));

    await lab.virsh('hv1', 'start', 'legacy-b');
    await openConsoleFromTree(page, 'legacy-b', 'hv1');
    // The list owns its tabs (aria-owns; each tab's close button sits beside it, outside the list).
    await expect(page.getByRole('tablist', { name: 'Open consoles' })).toHaveAttribute('aria-owns', /^console-tab-\S+ console-tab-\S+$/);
    const tabs = page;
    await expect(page.getByRole('tab', { name: / on hv\d+/ })).toHaveText(['desk-1 on hv2', 'legacy-b on hv1']);
    await expect(tabs.getByRole('tab', { name: 'legacy-b on hv1' })).toHaveAttribute('aria-selected', 'true');
    await expect(status(page)).toHaveText('connected');
    await expect.poll(() => readSerial('hv1', 'legacy-b').includes('VIRTDECK-READY'), { timeout: 90_000 }).toBe(true);
    await expectGuestScreen(page, 'legacy-b');
    await page.screenshot({ path: 'test-results/consoles-tabs.png' });

    // Back to desk-1 from the app shell's Consoles page: the same session, still connected.
    await page.getByRole('button', { name: /^Consoles \(2\)$/ }).click();
    await tabs.getByRole('tab', { name: 'desk-1 on hv2' }).click();
    await expect(status(page)).toHaveText('connected');
    expect(await canvasOf(page, 'desk-1').evaluate((c) => (c as HTMLCanvasElement & { vdMark?: number }).vdMark)).toBe(1);
    await page.screenshot({ path: 'test-results/consoles-page.png' });

    // The hidden one keeps drawing: type into legacy-b's screen on the serial side (virsh
    // send-key from outside), and watch its canvas change while desk-1's tab is in front.
    const hiddenBefore = await hashOf(page, 'legacy-b');
    await lab.virsh('hv1', 'send-key', 'legacy-b', 'KEY_E', 'KEY_C', 'KEY_H', 'KEY_O', 'KEY_SPACE', 'KEY_H', 'KEY_I', 'KEY_ENTER');
    await expect.poll(() => hashOf(page, 'legacy-b'), { timeout: 15_000 }).not.toBe(hiddenBefore);
    // And the one in front takes input.
    const before = await hashOf(page, 'desk-1');
    await page.getByRole('img', { name: 'Screen of desk-1' }).click();
    await page.keyboard.type('echo two-at-once');
    await page.keyboard.press('Enter');
    await expect.poll(() => hashOf(page, 'desk-1'), { timeout: 15_000 }).not.toBe(before);

    // Detach legacy-b: its own window shows just that console, the tab says so.
    await tabs.getByRole('tab', { name: 'legacy-b on hv1' }).click();
    const popupOpened = page.waitForEvent('popup');
    await page.getByRole('toolbar', { name: 'Console of legacy-b' }).getByRole('button', { name: 'Open in new window' }).click();
    const popup = await popupOpened;
    const checkPopup = failOnConsoleErrors(popup);
    await expect(popup.getByRole('main', { name: 'Console of legacy-b on hv1' })).toBeVisible();
    await expect(status(popup)).toHaveText('connected');
    await expectGuestScreen(popup, 'legacy-b');
    expect(await popup.getByRole('tab').count()).toBe(0);
    await popup.screenshot({ path: 'test-results/consoles-detached.png' });
    await expect(tabs.getByRole('tab', { name: 'legacy-b on hv1 (detached)' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'Screen of legacy-b' })).toHaveCount(0);
    await page.screenshot({ path: 'test-results/consoles-detached-tab.png' });

    // Bring it back: the window closes, the console is in its tab again.
    await page.getByRole('button', { name: 'Bring back here' }).click();
    await expect.poll(() => popup.isClosed()).toBe(true);
    await expect(status(page)).toHaveText('connected');
    await expectGuestScreen(page, 'legacy-b');
    checkPopup();

    // Detach again and close that window: the console closes with it.
    const again = page.waitForEvent('popup');
    await page.getByRole('toolbar', { name: 'Console of legacy-b' }).getByRole('button', { name: 'Open in new window' }).click();
    const popup2 = await again;
    await expect(status(popup2)).toHaveText('connected');
    await popup2.close();
    await expect(page.getByRole('tab', { name: / on hv\d+/ })).toHaveText(['desk-1 on hv2']);

    // The close button of the last tab leaves the workspace empty.
    await page.getByRole('button', { name: 'Close console of desk-1 on hv2' }).click();
    await expect(page.getByText('No console is open.')).toBeVisible();
    await expect(page.getByRole('button', { name: /^Consoles \(0\)$/ })).toBeVisible();
    checkConsole();
  } finally {
    await lab.virsh('hv1', 'destroy', 'legacy-b').catch(() => undefined);
  }
});

test('a cut link shows disconnected, and the console reconnects on its own when it returns', async ({ page, app, lab, checkConsole }) => {
  await page.goto(app.url);
  await addConnection(page, 'hv2');
  await openConsole(page, 'desk-1', 'hv2');
  await expect(status(page)).toHaveText('connected');
  await expectGuestScreen(page, 'desk-1');
  try {
    await lab.cutLink('hv2');
    await expect(status(page)).toHaveText('disconnected – reconnecting…', { timeout: 30_000 });
    await page.screenshot({ path: 'test-results/consoles-disconnected.png' });
  } finally {
    await lab.restoreLink('hv2');
  }
  await expect(status(page)).toHaveText('connected', { timeout: 60_000 });
  await expectGuestScreen(page, 'desk-1');
  checkConsole();
});

/** The canvas's CSS box against its framebuffer, in the page's device pixels. */
const canvasGeometry = (page: Page, vm: string) =>
  canvasOf(page, vm).evaluate((c: HTMLCanvasElement) => {
    const r = c.getBoundingClientRect();
    const box = c.closest('[role="img"]')!.getBoundingClientRect();
    return { fbW: c.width, fbH: c.height, cssW: r.width, cssH: r.height, dpr: window.devicePixelRatio, boxW: box.width, boxH: box.height };
  });

test('on a 1.5x screen, 1:1 maps one framebuffer pixel to one device pixel and fit fills the box', async ({ browser, app }) => {
  const context = await browser.newContext({ deviceScaleFactor: 1.5, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const checkConsole = failOnConsoleErrors(page);
  try {
    await page.goto(app.url);
    await addConnection(page, 'hv2');
    await openConsole(page, 'desk-1', 'hv2');
    await expect(status(page)).toHaveText('connected');
    await expectGuestScreen(page, 'desk-1');
    const toolbar = page.getByRole('toolbar', { name: 'Console of desk-1' });
    await expect(toolbar.getByRole('radio', { name: 'Fit to window' })).toBeChecked();

    // Fit: the picture fills the box on one side (scaled by CSS, not 1:1 in device pixels).
    await expect
      .poll(async () => {
        const g = await canvasGeometry(page, 'desk-1');
        return Math.abs(g.cssW - g.boxW) < 1.5 || Math.abs(g.cssH - g.boxH) < 1.5;
      })
      .toBe(true);
    const fit = await canvasGeometry(page, 'desk-1');
    expect(fit.dpr).toBe(1.5);
    expect(Math.abs(fit.cssW * fit.dpr - fit.fbW)).toBeGreaterThan(2);

    // 1:1 (crisp): CSS size × devicePixelRatio = framebuffer size, both ways.
    await toolbar.getByText('1:1 (crisp)').click();
    await expect(toolbar.getByRole('radio', { name: '1:1 (crisp)' })).toBeChecked();
    await expect
      .poll(async () => {
        const g = await canvasGeometry(page, 'desk-1');
        return Math.abs(g.cssW * g.dpr - g.fbW) < 1 && Math.abs(g.cssH * g.dpr - g.fbH) < 1;
      })
      .toBe(true);
    const crisp = await canvasGeometry(page, 'desk-1');
    expect(crisp.fbW).toBe(fit.fbW); // the guest was not resized, only its presentation
    await expectGuestScreen(page, 'desk-1');
    await page.screenshot({ path: 'test-results/consoles-crisp-1.5x.png' });

    // The guest's std VGA cannot follow a window size, whatever QEMU's resize notices say (it sends
    // one whenever the card changes mode), and the control says so rather than pretending.
    await toolbar.getByText('Fit to window').click();
    const resize = toolbar.getByRole('checkbox', { name: 'Resize guest to window' });
    await expect(resize).toBeDisabled();
    await expect(resize).toHaveAttribute('title', /video card cannot take a window's size/);
    checkConsole();
  } finally {
    await context.close();
  }
});

test('a powered-off and restarted guest: the console says disconnected and comes back to the new display', async ({ page, app, lab, checkConsole }) => {
  await page.goto(app.url);
  await addConnection(page, 'hv2');
  await openConsole(page, 'desk-1', 'hv2');
  await expect(status(page)).toHaveText('connected');
  await expectGuestScreen(page, 'desk-1');
  const readies = count(readSerial('hv2', 'desk-1'), 'VIRTDECK-READY');
  try {
    await lab.virsh('hv2', 'destroy', 'desk-1');
    await expect(status(page)).toHaveText('disconnected – reconnecting…');
  } finally {
    await lab.virsh('hv2', 'start', 'desk-1');
  }
  // A new QEMU (a new VNC server, its serial log rewritten): the console finds it by itself.
  await expect(status(page)).toHaveText('connected', { timeout: 30_000 });
  await expect.poll(() => count(readSerial('hv2', 'desk-1'), 'VIRTDECK-READY'), { timeout: 90_000 }).toBeGreaterThanOrEqual(readies > 0 ? 1 : 1);
  await expectGuestScreen(page, 'desk-1');
  checkConsole();
});

test('the VNC password comes from the domain XML; a refused one is asked for', async ({ page, app, lab }) => {
  // noVNC logs the refusal it is made to meet here with console.error: that one line is expected.
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  const checkConsole = () => expect(errors.filter((e) => !/Security negotiation failed .*Authentication failed/.test(e)), 'console errors').toEqual([]);
  const original = await lab.virsh('hv2', 'dumpxml', '--inactive', '--security-info', 'desk-2');
  expect(original).not.toMatch(/passwd=/);
  const dir = mkdtempSync(join(tmpdir(), 'vd-vncpw-'));
  writeFileSync(join(dir, 'dom.xml'), original.replace(/<graphics type='vnc'/, "<graphics type='vnc' passwd='xmlpw123'"));
  await lab.virsh('hv2', 'define', join(dir, 'dom.xml'));
  try {
    await lab.virsh('hv2', 'start', 'desk-2');
    await page.goto(app.url);
    await addConnection(page, 'hv2');
    await openConsole(page, 'desk-2', 'hv2');
    // Taken from the XML: no question asked, the screen comes.
    await expect(status(page)).toHaveText('connected');
    await expect(page.getByLabel('VNC password')).toHaveCount(0);
    await expectGuestScreen(page, 'desk-2');

    // The display's password changed behind libvirt's back: the XML's is refused, so it is asked.
    await lab.virsh('hv2', 'qemu-monitor-command', 'desk-2', '--hmp', 'set_password vnc typedpw1');
    await page.getByRole('button', { name: 'Close console of desk-2 on hv2' }).click();
    await page.getByRole('tab', { name: 'Overview', exact: true }).click();
    await page.getByRole('tab', { name: 'Console', exact: true }).click();
    const password = page.getByLabel('VNC password');
    await expect(password).toBeVisible();
    await expect(page.getByText('refused the password from its domain XML')).toBeVisible();
    await expect(status(page)).toHaveText('password needed');
    await page.screenshot({ path: 'test-results/consoles-vnc-password.png' });
    await password.fill('typedpw1');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(status(page)).toHaveText('connected');
    await expectGuestScreen(page, 'desk-2');
    checkConsole();
  } finally {
    await lab.virsh('hv2', 'destroy', 'desk-2').catch(() => undefined);
    writeFileSync(join(dir, 'dom.xml'), original);
    await lab.virsh('hv2', 'define', join(dir, 'dom.xml'));
    rmSync(dir, { recursive: true, force: true });
  }
  expect(await lab.virsh('hv2', 'dumpxml', '--inactive', '--security-info', 'desk-2')).not.toMatch(/passwd=/);
});

test('terminals copy and paste through the clipboard, and the pty follows the terminal size', async ({ browser, app }) => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url).origin });
  const page = await context.newPage();
  const checkConsole = failOnConsoleErrors(page);
  try {
    await page.goto(app.url);
    await addConnection(page, 'hv2');
    await openConsole(page, 'desk-1', 'hv2');
    const toolbar = page.getByRole('toolbar', { name: 'Console of desk-1' });

    // Serial console: Paste types the clipboard into the guest's shell; Copy takes the screen.
    await toolbar.getByRole('button', { name: 'Serial console' }).click();
    await expect(status(page)).toHaveText('connected');
    const rows = await atSerialPrompt(page, 'desk-1');
    await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((40+2))\n'));
    await toolbar.getByRole('button', { name: 'Paste' }).click();
    await expect(rows).toContainText('pasted-42');
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await toolbar.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('pasted-42');
    await page.screenshot({ path: 'test-results/consoles-serial-paste.png' });

    // Shell on the host: the pty's size is the terminal's, and follows the window.
    await toolbar.getByRole('button', { name: 'Shell on hv2' }).click();
    const shell = page.getByRole('region', { name: 'Shell on hv2' });
    await expect(status(page)).toHaveText('connected');
    await expect(shell.locator('.xterm-rows')).toContainText('$');
    const sttySize = async (): Promise<[number, number]> => {
      await shell.click();
      await page.keyboard.type('echo "SIZE:$(stty size | tr \' \' x)"', { delay: 5 });
      await page.keyboard.press('Enter');
      let found: [number, number] | undefined;
      await expect
        .poll(async () => {
          const m = [...(await shell.locator('.xterm-rows').innerText()).matchAll(/SIZE:(\d+)x(\d+)/g)].at(-1);
          found = m ? [Number(m[1]), Number(m[2])] : undefined;
          return found;
        })
        .toBeTruthy();
      return found!;
    };
    const cells = () => shell.evaluate((el) => {
      const screen = el.querySelector('.xterm-screen')!.getBoundingClientRect();
      return screen.width;
    });
    const [rows1, cols1] = await sttySize();
    expect(rows1).toBeGreaterThan(5);
    expect(cols1).toBeGreaterThan(40);
    const width1 = await cells();
    await page.setViewportSize({ width: 1400, height: 900 });
    await expect.poll(cells).toBeGreaterThan(width1 + 100);
    await page.keyboard.press('Control+L');
    const [rows2, cols2] = await sttySize();
    expect(cols2).toBeGreaterThan(cols1);
    expect(rows2).toBeGreaterThan(rows1);
    await page.screenshot({ path: 'test-results/consoles-shell-resized.png' });
    checkConsole();
  } finally {
    await context.close();
  }
});

test('resize guest to window where the display can follow: a virtio-gpu guest takes the window size', async ({ page, app, lab, checkConsole }) => {
  const original = await lab.virsh('hv2', 'dumpxml', '--inactive', '--security-info', 'desk-2');
  const dir = mkdtempSync(join(tmpdir(), 'vd-resize-'));
  writeFileSync(join(dir, 'dom.xml'), original.replace(/<model type='vga'[^>]*\/>/, "<model type='virtio' heads='1' primary='yes'/>"));
  await lab.virsh('hv2', 'define', join(dir, 'dom.xml'));
  try {
    await lab.virsh('hv2', 'start', 'desk-2');
    await page.goto(app.url);
    await addConnection(page, 'hv2');
    await openConsole(page, 'desk-2', 'hv2');
    await expect(status(page)).toHaveText('connected');
    await expect.poll(() => readSerial('hv2', 'desk-2').includes('VIRTDECK-READY'), { timeout: 90_000 }).toBe(true);
    await expectGuestScreen(page, 'desk-2');
    const toolbar = page.getByRole('toolbar', { name: 'Console of desk-2' });
    const resize = toolbar.getByRole('checkbox', { name: 'Resize guest to window' });
    await expect(resize).toBeEnabled();
    const before = await canvasGeometry(page, 'desk-2');
    await resize.check();
    // The guest's framebuffer becomes the box's size (CSS px), so fit shows it at scale 1.
    await expect
      .poll(async () => {
        const g = await canvasGeometry(page, 'desk-2');
        return Math.abs(g.fbW - Math.floor(g.boxW)) <= 1 && Math.abs(g.fbH - Math.floor(g.boxH)) <= 1;
      }, { timeout: 30_000 })
      .toBe(true);
    expect((await canvasGeometry(page, 'desk-2')).fbW).not.toBe(before.fbW);
    // …and the guest redraws its text console at that size (not a blank or stretched picture).
    await expect
      .poll(async () => {
        const shown = await screen(page, 'desk-2');
        return shown.colors >= 2 && shown.foreground > 1000;
      })
      .toBe(true);
    await page.screenshot({ path: 'test-results/consoles-resized-guest.png' });
    checkConsole();
  } finally {
    await lab.virsh('hv2', 'destroy', 'desk-2').catch(() => undefined);
    writeFileSync(join(dir, 'dom.xml'), original);
    await lab.virsh('hv2', 'define', join(dir, 'dom.xml'));
    rmSync(dir, { recursive: true, force: true });
  }
});
