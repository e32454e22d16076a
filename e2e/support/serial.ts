// The app's serial console, driven as a person would: focus it, then wait for the guest's prompt.
import { expect, type Page } from '@playwright/test';

/** Focus the serial console of `vm` and press Enter until its busybox prompt (`vm:/#`) shows.
 *  virsh drops what is typed while it sets its terminal to raw mode, and busybox asks the terminal
 *  where its cursor is after each prompt (ESC[6n), dropping what is typed before xterm's answer:
 *  so a fresh prompt, then a short pause, before typing. Returns the terminal's text rows. */
export async function atSerialPrompt(page: Page, vm: string) {
  const terminal = page.getByRole('region', { name: `Serial console of ${vm}` });
  const rows = terminal.locator('.xterm-rows');
  await expect(rows).toContainText('Escape character is ^]');
  await terminal.click();
  await expect(async () => {
    await page.keyboard.press('Enter');
    await expect(rows).toContainText(`${vm}:/#`, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await page.waitForTimeout(500);
  return rows;
}
