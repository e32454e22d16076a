// The Electron shell's security, checked in the running app: what the page can reach (only
// window.virtdeck), what the window was created with, and what the CSP and navigation guards do.
// Runs the dev build (node_modules/electron + dist/electron/main.cjs): a packaged build has the
// inspect fuse off, so Playwright cannot drive it.
import { expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN_ENTRY = join(ROOT, 'dist', 'electron', 'main.cjs');

/** The runtime binary, found without require('electron') (which would try to download it). */
function electronRuntime(): { bin: string } | { absent: string } {
  const pkg = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const bin = override ? join(override, rel || 'electron') : rel ? join(pkg, 'dist', rel) : '';
  if (!bin) return { absent: 'node_modules/electron/dist is missing (the electron package downloads it on first use)' };
  return existsSync(bin) ? { bin } : { absent: `${bin} does not exist` };
}

const runtime = electronRuntime();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
// Say it where a person reads the run, not only in the report's annotations.
if ('absent' in runtime) console.log(`e2e/electron.spec.ts: SKIPPED — Electron runtime absent: ${runtime.absent}`);
else if (noDisplay) console.log('e2e/electron.spec.ts: SKIPPED — no display (DISPLAY/WAYLAND_DISPLAY unset)');

test.describe('Electron shell security', () => {
  test.skip('absent' in runtime, `Electron runtime absent: ${'absent' in runtime ? runtime.absent : ''}`);
  test.skip(noDisplay, 'Electron needs a display: DISPLAY and WAYLAND_DISPLAY are unset (try xvfb-run)');

  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  test.beforeAll(async () => {
    if (!('bin' in runtime)) return;
    expect(existsSync(MAIN_ENTRY), 'dist/electron/main.cjs: run `npm run build` first').toBe(true);
    dataDir = mkdtempSync(join(tmpdir(), 'virtdeck-electron-'));
    app = await electron.launch({
      executablePath: runtime.bin,
      // Chromium refuses to run as root with its OS sandbox; the renderer stays Node-free and
      // context-isolated either way, which is what this spec checks.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), MAIN_ENTRY],
      env: { ...process.env, VIRTDECK_DATA_DIR: dataDir } as Record<string, string>,
      timeout: 60_000,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('the window shows the app from the app:// scheme', async () => {
    expect(page.url()).toBe('app://virtdeck/index.html');
  });

  test('the window was created with the secure preferences', async () => {
    // getLastWebPreferences is Electron's own (undocumented, untyped) record of what the window
    // was created with; the page-side checks below do not depend on it.
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const [win] = BrowserWindow.getAllWindows();
      const wc = win?.webContents as unknown as { getLastWebPreferences?: () => Record<string, unknown> } | undefined;
      return wc?.getLastWebPreferences?.() ?? null;
    });
    expect(prefs, 'webContents.getLastWebPreferences() gave nothing').not.toBeNull();
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  test('the page reaches no Node and no Electron, only window.virtdeck', async () => {
    const seen = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const api = w.virtdeck as Record<string, unknown> | undefined;
      return {
        process: typeof w.process,
        require: typeof w.require,
        module: typeof w.module,
        Buffer: typeof w.Buffer,
        ipcRenderer: typeof w.ipcRenderer,
        electron: typeof w.electron,
        apiKeys: api ? Object.keys(api).sort() : null,
        apiFrozen: api ? Object.isFrozen(api) : null,
        callType: typeof api?.call,
        onEventType: typeof api?.onEvent,
      };
    });
    expect(seen).toEqual({
      process: 'undefined',
      require: 'undefined',
      module: 'undefined',
      Buffer: 'undefined',
      ipcRenderer: 'undefined',
      electron: 'undefined',
      apiKeys: ['call', 'onEvent'],
      apiFrozen: true,
      callType: 'function',
      onEventType: 'function',
    });
  });

  test('calls reach the backend and errors come back as data', async () => {
    const [unknown, hosts] = await page.evaluate(async () => {
      const api = (window as unknown as { virtdeck: { call(m: string, p: unknown): Promise<unknown> } }).virtdeck;
      return [await api.call('no.such.method', {}), await api.call('hosts.list', {})];
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(hosts).toEqual({ ok: true, value: [] });
  });

  test('onEvent returns an unsubscribe function and hands over no IPC event object', async () => {
    const result = await page.evaluate(() => {
      const api = (window as unknown as { virtdeck: { onEvent(l: (...a: unknown[]) => void): unknown } }).virtdeck;
      const off = api.onEvent(() => undefined);
      const type = typeof off;
      if (typeof off === 'function') off();
      return type;
    });
    expect(result).toBe('function');
  });

  test('the CSP forbids eval and is sent with the page', async () => {
    const [evalResult, csp] = await page.evaluate(async () => {
      let evalResult = 'allowed';
      try {
        // eslint-disable-next-line no-eval
        (0, eval)('1');
      } catch (e) {
        evalResult = (e as Error).name;
      }
      const res = await fetch('app://virtdeck/index.html');
      return [evalResult, res.headers.get('content-security-policy')];
    });
    expect(evalResult).toBe('EvalError');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
  });

  test('the page cannot open windows or navigate away', async () => {
    const opened = await page.evaluate(() => window.open('https://example.com/') === null);
    expect(opened).toBe(true);
    expect(app.windows()).toHaveLength(1);

    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500); // a blocked navigation has no event to wait for
    expect(page.url()).toBe('app://virtdeck/index.html');
  });

  test("a detached console opens as a window of ours with the same preferences, and can open none itself", async () => {
    const popup = app.waitForEvent('window');
    await page.evaluate(() => window.open('app://virtdeck/index.html#console=h1/vm1', 'virtdeck-console-test'));
    const child = await popup;
    await child.waitForLoadState('domcontentloaded');
    expect(child.url()).toBe('app://virtdeck/index.html#console=h1/vm1');
    const prefs = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((w) => (w.webContents as unknown as { getLastWebPreferences?: () => Record<string, unknown> }).getLastWebPreferences?.() ?? null),
    );
    expect(prefs).toHaveLength(2);
    for (const p of prefs) expect(p).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    // The detached window reaches the backend through the same bridge, and opens nothing further.
    expect(await child.evaluate(() => typeof (window as unknown as { virtdeck?: unknown }).virtdeck)).toBe('object');
    expect(await child.evaluate(() => window.open('app://virtdeck/index.html#console=h1/vm2') === null)).toBe(true);
    expect(app.windows()).toHaveLength(2);
    await child.close();
  });
});
