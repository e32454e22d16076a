// SPICE consoles against the lab: hv3's rw-spice (its display exactly as virt-install gives it:
// SPICE with spicevmc, USB redirection and audio) and hv1's spice-pw (the same with a password),
// both through the app's one SSH connection per host. Asserted on the canvas's pixels, on what the
// guest writes to its serial log, on the host's own state and on its count of SSH connections.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection, openConsoleFromTree } from '../support/app';
import { inHost, LAB_DIR } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv1', 'hv3');
// Each test boots its guests (TCG): up to ~30 s each before a console opens.
test.setTimeout(180_000);

const readSerial = (hv: string, vm: string) => {
  try {
    return readFileSync(join(LAB_DIR, 'state', hv, 'log', 'qemu', `${vm}-serial.log`), 'utf8');
  } catch {
    return '';
  }
};
const count = (text: string, marker: string) => text.split(marker).length - 1;
const status = (page: Page) => page.getByRole('status', { name: 'Console status' });
const screenOf = (page: Page, vm: string) => page.getByRole('img', { name: `Screen of ${vm}` });

/** The guest's text screen is drawn: a canvas of a real picture, not blank or one colour. */
async function expectGuestScreen(page: Page, vm: string): Promise<void> {
  await expect
    .poll(
      () =>
        screenOf(page, vm)
          .locator('canvas')
          .evaluate((c: HTMLCanvasElement) => {
            const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
            const counts = new Map<number, number>();
            for (let i = 0; i < data.length; i += 4) {
              const v = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
              counts.set(v, (counts.get(v) ?? 0) + 1);
            }
            return c.width >= 640 && c.height >= 350 && counts.size >= 2 && data.length / 4 - Math.max(...counts.values()) > 2000;
          })
          .catch(() => false),
      { timeout: 30_000 },
    )
    .toBe(true);
}

/** Start a VM and wait for its guest to report on the serial port. */
async function boot(lab: { virsh(hv: string, ...a: string[]): Promise<string> }, hv: string, vm: string): Promise<void> {
  await lab.virsh(hv, 'destroy', vm).catch(() => undefined);
  await lab.virsh(hv, 'start', vm);
  await expect.poll(() => readSerial(hv, vm).includes('VIRTDECK-READY'), { timeout: 90_000 }).toBe(true);
}

async function openConsole(page: Page, vm: string, hv: string): Promise<void> {
  await page.getByRole('button', { name: `Open ${vm} on ${hv}` }).click();
  await page.getByRole('tab', { name: 'Console', exact: true }).click();
}

/** sshd's established connections on the host (inside its namespace). */
const sshdConnections = async (hv: string) => (await inHost(hv, 'ss', '-Htn', 'state', 'established', '( sport = :22 )')).split('\n').filter(Boolean).length;

/** Typed as on a real keyboard: Shift held down for capitals and shifted symbols. (Playwright's
 *  keyboard.type sends 'S' or '>' as the bare key with no Shift, which a scancode console rightly
 *  types as 's' and '.'.) Keys go at a person's pace: QEMU's PS/2 keyboard holds 16 bytes. */
async function typeOnKeyboard(page: Page, text: string): Promise<void> {
  for (const ch of text) {
    const shift = /[A-Z~!@#$%^&*()_+{}|:"<>?]/.test(ch);
    if (shift) await page.keyboard.down('Shift');
    await page.keyboard.type(ch, { delay: 30 });
    if (shift) await page.keyboard.up('Shift');
  }
}

/** A key as a German keyboard sends it: the key where a US keyboard has Y types 'z' there, so
 *  the event says key 'z', code 'KeyY'. A scancode console sends the physical key. */
const pressGermanZ = (page: Page, vm: string) =>
  screenOf(page, vm)
    .locator('canvas')
    .evaluate((c) => {
      for (const type of ['keydown', 'keyup']) c.dispatchEvent(new KeyboardEvent(type, { key: 'z', code: 'KeyY', bubbles: true, cancelable: true }));
    });

test("rw-spice's SPICE screen (virt-install's default display) shows the guest, takes keys as scancodes, reboots on Ctrl+Alt+Del and survives a cut link", async ({ page, app, lab, checkConsole }) => {
  try {
    await boot(lab, 'hv3', 'rw-spice');
    await page.goto(app.url);
    await addConnection(page, 'hv3');
    await openConsole(page, 'rw-spice', 'hv3');
    await expect(status(page)).toHaveText('connected');
    await expect(screenOf(page, 'rw-spice')).toHaveAttribute('data-display', 'spice');
    await expectGuestScreen(page, 'rw-spice');
    // SPICE only: no display choice, and adding a VNC display stays on offer.
    await expect(page.getByRole('radiogroup', { name: 'Display' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Add a VNC display' })).toBeVisible();
    await page.screenshot({ path: 'test-results/spice-console.png' });

    // Keys typed on the screen reach the shell on the guest's screen (tty1), whose command writes
    // to its serial port. Capitals and '>' need Shift; the German keyboard's Z key is the US
    // layout's Y in the guest (the physical key travels, not the character).
    const marker = `Spice-keys-${Date.now() % 100000}-`;
    await screenOf(page, 'rw-spice').click();
    await typeOnKeyboard(page, `echo ${marker}`);
    await pressGermanZ(page, 'rw-spice');
    await typeOnKeyboard(page, ' >/dev/ttyS0\n');
    await expect.poll(() => count(readSerial('hv3', 'rw-spice'), `${marker}y`), { timeout: 20_000 }).toBe(1);
    await page.screenshot({ path: 'test-results/spice-keys.png' });

    // Ctrl+Alt+Del from the toolbar: the guest says so, reboots, and is back on the same console.
    const cads = count(readSerial('hv3', 'rw-spice'), 'VIRTDECK-CAD');
    const readies = count(readSerial('hv3', 'rw-spice'), 'VIRTDECK-READY');
    await page.getByRole('toolbar', { name: 'Console of rw-spice' }).getByRole('button', { name: 'Send Ctrl+Alt+Del' }).click();
    await expect.poll(() => count(readSerial('hv3', 'rw-spice'), 'VIRTDECK-CAD'), { timeout: 20_000 }).toBe(cads + 1);
    await expect.poll(() => count(readSerial('hv3', 'rw-spice'), 'VIRTDECK-READY'), { timeout: 90_000 }).toBe(readies + 1);
    expect((await lab.virsh('hv3', 'domstate', 'rw-spice')).trim()).toBe('running');
    await expect(status(page)).toHaveText('connected');
    await expectGuestScreen(page, 'rw-spice');

    // A cut link: disconnected, then back on its own.
    try {
      await lab.cutLink('hv3');
      await expect(status(page)).toHaveText('disconnected – reconnecting…', { timeout: 30_000 });
    } finally {
      await lab.restoreLink('hv3');
    }
    await expect(status(page)).toHaveText('connected', { timeout: 60_000 });
    await expectGuestScreen(page, 'rw-spice');
    checkConsole();
  } finally {
    await lab.virsh('hv3', 'destroy', 'rw-spice').catch(() => undefined);
  }
});

test('a SPICE password from the XML, asked when refused and asked again when wrong; two SPICE consoles on two hosts use their one connection each', async ({ page, app, lab, checkConsole }) => {
  try {
    await Promise.all([boot(lab, 'hv1', 'spice-pw'), boot(lab, 'hv3', 'rw-spice')]);
    const before = { hv1: await sshdConnections('hv1'), hv3: await sshdConnections('hv3') };
    await page.goto(app.url);
    await addConnection(page, 'hv1');
    await addConnection(page, 'hv3');
    await expect(page.getByRole('button', { name: 'Open rw-spice on hv3' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Open spice-pw on hv1' })).toBeVisible();
    await expect.poll(async () => [await sshdConnections('hv1'), await sshdConnections('hv3')]).toEqual([before.hv1 + 1, before.hv3 + 1]);

    // Both consoles open (workspace tabs), each drawing: still one SSH connection per host.
    await openConsole(page, 'rw-spice', 'hv3');
    await expect(status(page)).toHaveText('connected');
    await expectGuestScreen(page, 'rw-spice');
    await openConsoleFromTree(page, 'spice-pw', 'hv1');
    // The password came from the domain XML: nothing asked.
    await expect(status(page)).toHaveText('connected');
    await expect(page.getByLabel('SPICE password')).toHaveCount(0);
    await expectGuestScreen(page, 'spice-pw');
    expect([await sshdConnections('hv1'), await sshdConnections('hv3')]).toEqual([before.hv1 + 1, before.hv3 + 1]);
    await page.screenshot({ path: 'test-results/spice-two-hosts.png' });

    // The display's password changed behind libvirt's back: the XML's is refused, so it is asked;
    // a wrong one is refused and asked again; the right one connects.
    await lab.virsh('hv1', 'qemu-monitor-command', 'spice-pw', '--hmp', 'set_password spice typedpw1');
    await page.getByRole('button', { name: 'Close console of spice-pw on hv1' }).click();
    await page.getByRole('tab', { name: 'Overview', exact: true }).click();
    await page.getByRole('tab', { name: 'Console', exact: true }).click();
    const password = page.getByLabel('SPICE password');
    await expect(password).toBeVisible();
    await expect(page.getByText('refused the password from its domain XML')).toBeVisible();
    await expect(status(page)).toHaveText('password needed');
    await password.fill('wrong-one');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(page.getByText('refused the password you typed')).toBeVisible();
    await expect(status(page)).toHaveText('password needed');
    await page.screenshot({ path: 'test-results/spice-password.png' });
    await password.fill('typedpw1');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(status(page)).toHaveText('connected');
    await expectGuestScreen(page, 'spice-pw');
    checkConsole();
  } finally {
    await lab.virsh('hv1', 'destroy', 'spice-pw').catch(() => undefined);
    await lab.virsh('hv3', 'destroy', 'rw-spice').catch(() => undefined);
  }
});
