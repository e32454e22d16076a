// Browser mode's token from the user's side: it leaves the address bar (and so the history) once
// the page has loaded, the page keeps working without it (also after a reload), and nothing is
// served outside the run's own path prefix.
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection, connectionItem } from '../support/app';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv1');

test('security: the token leaves the address bar after load, and the page still works and reloads', async ({ page, app, checkConsole }) => {
  const printed = new URL(app.url);
  const token = printed.searchParams.get('token')!;
  expect(token.length).toBeGreaterThanOrEqual(32);
  expect(printed.pathname).toMatch(/^\/[A-Za-z0-9_-]{16,}\/$/);

  await page.goto(app.url);
  await expect(page.getByRole('button', { name: 'Add connection' })).toBeVisible();
  // What the address bar shows, and what history keeps, after load: no token.
  await expect.poll(() => page.url()).toBe(`${printed.origin}${printed.pathname}`);
  expect(await page.evaluate(() => location.href)).not.toContain(token);

  // The page still talks to the backend without the token in its URL.
  await addConnection(page, 'hv1');
  await expect(connectionItem(page, 'hv1')).toContainText('online');

  // A reload (the address bar now has no token) is authorised by the prefix-scoped cookie.
  await page.reload();
  await expect(connectionItem(page, 'hv1')).toBeVisible();
  expect(page.url()).not.toContain(token);

  // For the record: the page with its address, as the address bar shows it.
  await page.evaluate(() => {
    const bar = document.createElement('output');
    bar.setAttribute('aria-label', 'page.url() after load');
    bar.textContent = `page.url() after load: ${location.href}`;
    bar.style.cssText = 'position:fixed;top:0;left:0;right:0;z-index:99999;padding:6px 10px;font:14px monospace;background:#ffd;color:#000;border-bottom:2px solid #c90';
    document.body.append(bar);
  });
  await page.screenshot({ path: 'test-results/security-address-bar.png' });
  checkConsole();
});

test('security: nothing is served outside the run prefix, with no-referrer and a prefix-scoped cookie', async ({ request, app }) => {
  const printed = new URL(app.url);
  const token = printed.searchParams.get('token')!;
  expect((await request.get(`${printed.origin}/?token=${token}`)).status()).toBe(404);
  const page = await request.get(app.url);
  expect(page.status()).toBe(200);
  expect(page.headers()['referrer-policy']).toBe('no-referrer');
  expect(page.headers()['set-cookie']).toContain(`Path=${printed.pathname}`);
});
