import { afterEach, beforeEach, expect, test, vi } from 'vitest';

/** The page's address, history and sessionStorage, as far as page-token.ts uses them. */
function fakePage(href: string, storage = new Map<string, string>()) {
  const page = { href, replaced: [] as string[] };
  vi.stubGlobal('location', {
    get href() {
      return page.href;
    },
  });
  vi.stubGlobal('history', {
    state: { keep: 1 },
    replaceState: (_state: unknown, _title: string, url: string) => {
      page.replaced.push(url);
      page.href = new URL(url, page.href).href;
    },
  });
  vi.stubGlobal('sessionStorage', { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) });
  return { page, storage };
}

beforeEach(() => vi.resetModules());
afterEach(() => vi.unstubAllGlobals());

test('security: the token is taken out of the address bar at startup, keeping the rest of the address', async () => {
  const { page } = fakePage('http://127.0.0.1:4000/Xy_9-abcdefghijklmn/?token=T0KEN&view=fleet#console=h1/vm');
  const { pageToken, socketQuery } = await import('./page-token');
  expect(pageToken()).toBe('T0KEN');
  expect(page.href).toBe('http://127.0.0.1:4000/Xy_9-abcdefghijklmn/?view=fleet#console=h1/vm');
  expect(page.replaced).toHaveLength(1);
  expect(pageToken()).toBe('T0KEN');
  expect(socketQuery({ id: 'c1' })).toBe('token=T0KEN&id=c1');
});

test('security: after a reload (no token in the address) the token comes from this tab’s sessionStorage', async () => {
  const storage = new Map([['virtdeck.token', 'T0KEN']]);
  const { page } = fakePage('http://127.0.0.1:4000/Xy_9-abcdefghijklmn/', storage);
  const { pageToken } = await import('./page-token');
  expect(pageToken()).toBe('T0KEN');
  expect(page.replaced).toEqual([]);
});

test('without any token the sockets go without one (the cookie authorises them)', async () => {
  fakePage('http://127.0.0.1:4000/Xy_9-abcdefghijklmn/');
  const { socketQuery } = await import('./page-token');
  expect(socketQuery()).toBe('');
  expect(socketQuery({ id: 'c1' })).toBe('id=c1');
});
