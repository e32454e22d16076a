import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  hardenSession,
  hardenWindow,
  isAllowedNavigation,
  isAppUrl,
  isPermissionAllowed,
  isTrustedSender,
  isConsoleWindowUrl,
  mimeTypeFor,
  resolveAppAsset,
  secureWebPreferences,
  withCspHeader,
  type SenderFrame,
} from './window-security';

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences('/app/dist/electron/preload.cjs');

  it('isolates and sandboxes the renderer', () => {
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('turns on nothing experimental', () => {
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.additionalArguments).toBeUndefined();
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('has exactly the directives we mean', () => {
    expect(Object.fromEntries(directives)).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
      'form-action': ["'none'"],
    });
  });

  it('never allows inline or eval scripts', () => {
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('*');
  });
});

describe('withCspHeader', () => {
  it('adds the CSP and keeps other headers', () => {
    expect(withCspHeader({ 'Content-Type': ['text/html'] })).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  it('replaces a weaker CSP whatever its case', () => {
    const out = withCspHeader({ 'content-security-policy': ["default-src *"], 'X-A': 'b' });
    expect(out).toEqual({ 'X-A': ['b'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('copes with no headers', () => {
    expect(withCspHeader(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('isAppUrl / isAllowedNavigation', () => {
  it('allows our own pages', () => {
    expect(isAllowedNavigation(APP_ENTRY_URL, APP_ORIGIN)).toBe(true);
    expect(isAllowedNavigation(`${APP_ORIGIN}/`, APP_ORIGIN)).toBe(true);
    expect(isAllowedNavigation(`${APP_ORIGIN}/index.html#/vm/hv1/abc`, APP_ORIGIN)).toBe(true);
  });

  it('blocks everything else', () => {
    for (const url of [
      'https://example.com/',
      'http://virtdeck/index.html',
      'app://evil/index.html',
      'app://virtdeck.evil/index.html',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      'chrome://gpu',
      '',
      'not a url',
    ]) {
      expect(isAllowedNavigation(url, APP_ORIGIN), url).toBe(false);
    }
  });

  it('for file:// allows only the same file', () => {
    const index = 'file:///opt/VirtDeck/resources/app.asar/dist/renderer/index.html';
    expect(isAppUrl(`${index}#/fleet`, index)).toBe(true);
    expect(isAppUrl('file:///opt/VirtDeck/resources/app.asar/dist/renderer/other.html', index)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', index)).toBe(false);
  });

  it('for http compares host and port (browser mode)', () => {
    expect(isAppUrl('http://127.0.0.1:4173/x', 'http://127.0.0.1:4173/')).toBe(true);
    expect(isAppUrl('http://127.0.0.1:4174/x', 'http://127.0.0.1:4173/')).toBe(false);
    expect(isAppUrl('https://127.0.0.1:4173/x', 'http://127.0.0.1:4173/')).toBe(false);
  });

  it('rejects an app URL without a host', () => {
    expect(isAppUrl('app:/index.html', 'app:/index.html')).toBe(false);
  });
});

describe('isTrustedSender', () => {
  const mainFrame = (url: string, extra: Partial<SenderFrame> = {}): SenderFrame => ({
    url,
    parent: null,
    isDestroyed: () => false,
    ...extra,
  });

  it('trusts the main frame showing our page', () => {
    expect(isTrustedSender(mainFrame(APP_ENTRY_URL), APP_ORIGIN)).toBe(true);
    expect(isTrustedSender(mainFrame(`${APP_ORIGIN}/index.html#/host/hv2`), APP_ENTRY_URL)).toBe(true);
  });

  it('rejects a missing or destroyed frame', () => {
    expect(isTrustedSender(null, APP_ORIGIN)).toBe(false);
    expect(isTrustedSender(undefined, APP_ORIGIN)).toBe(false);
    expect(isTrustedSender(mainFrame(APP_ENTRY_URL, { isDestroyed: () => true }), APP_ORIGIN)).toBe(false);
  });

  it('rejects sub-frames, even of our origin', () => {
    const top = mainFrame(APP_ENTRY_URL);
    const child = { url: APP_ENTRY_URL, parent: top } as unknown as SenderFrame;
    expect(isTrustedSender(child, APP_ORIGIN)).toBe(false);
  });

  it('rejects frames showing anything else', () => {
    for (const url of ['https://example.com/', 'file:///tmp/x.html', 'about:blank', '', 'app://other/index.html']) {
      expect(isTrustedSender(mainFrame(url), APP_ORIGIN), url).toBe(false);
    }
  });
});

describe('resolveAppAsset', () => {
  const root = path.resolve('/srv/virtdeck/dist/renderer');

  it('serves files under the root, "/" as index.html', () => {
    expect(resolveAppAsset(`${APP_ORIGIN}/`, root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset(`${APP_ORIGIN}`, root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset(`${APP_ORIGIN}/assets/index-abc.js?v=1#x`, root)).toBe(
      path.join(root, 'assets', 'index-abc.js'),
    );
    expect(resolveAppAsset(`${APP_ORIGIN}/assets/a%20b.css`, root)).toBe(path.join(root, 'assets', 'a b.css'));
  });

  it('never escapes the root', () => {
    for (const url of [
      `${APP_ORIGIN}/../../etc/passwd`,
      `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`,
      `${APP_ORIGIN}/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd`,
    ]) {
      const file = resolveAppAsset(url, root);
      if (file !== null) expect(file.startsWith(root + path.sep), `${url} -> ${file}`).toBe(true);
    }
    expect(resolveAppAsset(`${APP_ORIGIN}/assets/..%5C..%5Csecret`, root)).toBeNull();
    expect(resolveAppAsset(`${APP_ORIGIN}/a%00.js`, root)).toBeNull();
    expect(resolveAppAsset(`${APP_ORIGIN}/%E0%A4%A`, root)).toBeNull();
  });

  it('serves nothing for other hosts or schemes', () => {
    expect(resolveAppAsset('app://other/index.html', root)).toBeNull();
    expect(resolveAppAsset('file:///srv/virtdeck/dist/renderer/index.html', root)).toBeNull();
  });

  it('knows the content types a Vite build produces', () => {
    expect(mimeTypeFor('/x/index.html')).toMatch(/^text\/html/);
    expect(mimeTypeFor('/x/a.JS')).toMatch(/^text\/javascript/);
    expect(mimeTypeFor('/x/a.css')).toMatch(/^text\/css/);
    expect(mimeTypeFor('/x/a.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('/x/a.unknown')).toBe('application/octet-stream');
  });
});

describe('hardenSession / hardenWindow (with fakes)', () => {
  it('denies every permission and sets the CSP on responses', () => {
    const calls: Record<string, unknown> = {};
    const fakeSession = {
      setPermissionRequestHandler: (h: unknown) => (calls.request = h),
      setPermissionCheckHandler: (h: unknown) => (calls.check = h),
      setDevicePermissionHandler: (h: unknown) => (calls.device = h),
      setDisplayMediaRequestHandler: (h: unknown) => (calls.display = h),
      webRequest: { onHeadersReceived: (h: unknown) => (calls.headers = h) },
    };
    hardenSession(fakeSession as never);

    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'hid']) {
      expect(isPermissionAllowed(p)).toBe(false);
      let granted: boolean | undefined;
      (calls.request as (wc: unknown, p: string, cb: (g: boolean) => void) => void)({}, p, (g) => (granted = g));
      expect(granted).toBe(false);
      expect((calls.check as (wc: unknown, p: string) => boolean)({}, p)).toBe(false);
    }
    expect((calls.device as () => boolean)()).toBe(false);

    let headers: unknown;
    (calls.headers as (d: unknown, cb: (r: { responseHeaders: unknown }) => void) => void)(
      { responseHeaders: { 'Content-Security-Policy': ["default-src *"] } },
      (r) => (headers = r.responseHeaders),
    );
    expect(headers).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('blocks foreign navigation, window.open and <webview>', () => {
    const listeners = new Map<string, (event: { url?: string; preventDefault(): void }) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    const fakeWindow = {
      webContents: {
        on: (name: string, l: (e: { url?: string; preventDefault(): void }) => void) => listeners.set(name, l),
        setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => (openHandler = h),
      },
    };
    hardenWindow(fakeWindow as never, APP_ORIGIN);

    const fire = (name: string, url?: string): boolean => {
      let prevented = false;
      listeners.get(name)!({ url, preventDefault: () => (prevented = true) });
      return prevented;
    };
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(fire(name, 'https://example.com/'), name).toBe(true);
      expect(fire(name, `${APP_ORIGIN}/index.html`), name).toBe(false);
    }
    expect(fire('will-attach-webview')).toBe(true);
    expect(openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    // Without a preload path (a detached console's own window) not even our console pages open.
    expect(openHandler?.({ url: `${APP_ENTRY_URL}#console=hv2/desk-1` })).toEqual({ action: 'deny' });
  });

  it('hands a web link to the system browser, and nothing else', () => {
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    const fakeWindow = { webContents: { on: () => undefined, setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h) } };
    const opened: string[] = [];
    hardenWindow(fakeWindow as never, APP_ORIGIN, undefined, (url) => opened.push(url));
    for (const url of ['https://example.com/docs', 'http://192.0.2.11:8080/', 'https://user:pw@example.com/', 'file:///etc/passwd', 'javascript:alert(1)', `${APP_ORIGIN}/index.html`, 'not a url']) {
      expect(openHandler?.({ url }), url).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://example.com/docs', 'http://192.0.2.11:8080/']);
  });

  it('lets the main window open a detached console of ours, as locked down as itself', () => {
    let openHandler: ((d: { url: string }) => { action: string; overrideBrowserWindowOptions?: { webPreferences?: unknown } }) | undefined;
    const fakeWindow = { webContents: { on: () => undefined, setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h) } };
    hardenWindow(fakeWindow as never, APP_ORIGIN, '/app/preload.cjs');
    const allowed = openHandler!({ url: `${APP_ENTRY_URL}#console=hv2/desk-1` });
    expect(allowed.action).toBe('allow');
    expect(allowed.overrideBrowserWindowOptions?.webPreferences).toEqual(secureWebPreferences('/app/preload.cjs'));
    for (const url of [`${APP_ENTRY_URL}`, `${APP_ENTRY_URL}#fleet`, 'https://example.com/#console=hv2/desk-1', 'app://other/index.html#console=a/b', 'file:///index.html#console=a/b']) {
      expect(openHandler!({ url }), url).toEqual({ action: 'deny' });
    }
    expect(isConsoleWindowUrl(`${APP_ORIGIN}/index.html#console=h%2F1/vm%20x`, APP_ORIGIN)).toBe(true);
    expect(isConsoleWindowUrl(`${APP_ORIGIN}/index.html#console=onlyhost`, APP_ORIGIN)).toBe(false);
  });
});
