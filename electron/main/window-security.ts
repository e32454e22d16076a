// The one place where the window's security lives. Everything that decides "is this allowed?" is a
// pure function over plain values so it can be unit-tested without an Electron runtime; the
// functions that wire those decisions into Electron objects only use `import type`.
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebFrameMain, WebPreferences } from 'electron';
import path from 'node:path';

/** The custom scheme the app is served from (registered as standard + secure in main.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'virtdeck';
/** Origin of the app's pages; the entry page is `${APP_ORIGIN}/index.html`. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

const CSP_DIRECTIVES: ReadonlyArray<readonly [string, ...string[]]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  // Mantine injects <style> elements at runtime.
  ['style-src', "'self'", "'unsafe-inline'"],
  ['img-src', "'self'", 'data:', 'blob:'],
  // 'self' also covers ws:/wss: to the same host (CSP3), which browser mode needs.
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['frame-ancestors', "'none'"],
  ['form-action', "'none'"],
];

export const CONTENT_SECURITY_POLICY: string = CSP_DIRECTIVES.map((d) => d.join(' ')).join('; ');

/** Response headers with our CSP, replacing any CSP header already there (whatever its case). */
export function withCspHeader(
  headers: Record<string, string | string[]> | undefined,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}

/** Scheme + host (+ port) of a URL, or null when it does not parse. Node's URL gives custom
 *  schemes an opaque origin ("null"), so compare the parts ourselves. */
function originParts(url: string): { protocol: string; host: string; pathname: string } | null {
  try {
    const u = new URL(url);
    return { protocol: u.protocol, host: u.host, pathname: u.pathname };
  } catch {
    return null;
  }
}

/**
 * True when `url` belongs to the app whose pages live at `appUrl`: same scheme and host for the
 * custom scheme or http(s), and the very same file for file:// (every file:// URL would otherwise
 * share one origin with the whole disk).
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  const got = originParts(url);
  const want = originParts(appUrl);
  if (!got || !want) return false;
  if (got.protocol !== want.protocol) return false;
  if (want.protocol === 'file:') return got.pathname === want.pathname;
  // An empty host would make "app:" match any other hostless URL of that scheme.
  return want.host !== '' && got.host === want.host;
}

/** will-navigate / will-redirect / will-frame-navigate: only our own pages. */
export const isAllowedNavigation = (url: string, appUrl: string): boolean => isAppUrl(url, appUrl);

/** The parts of a WebFrameMain the sender check reads (fakes in tests implement just these). */
export type SenderFrame = Pick<WebFrameMain, 'url' | 'parent'> & { isDestroyed?: () => boolean };

/**
 * Every IPC message is checked with this: it must come from a live main frame (not an iframe)
 * showing one of our pages. main.ts additionally checks the sender is our window's webContents.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, expectedUrl: string): boolean {
  if (!frame) return false;
  if (typeof frame.isDestroyed === 'function' && frame.isDestroyed()) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url, expectedUrl);
}

/**
 * Maps a request URL of the app scheme to a file under `rootDir`, or null when it points elsewhere
 * (wrong scheme/host, `..` escapes, encoded separators, NUL bytes). "/" serves index.html.
 */
export function resolveAppAsset(requestUrl: string, rootDir: string, appUrl: string = APP_ORIGIN): string | null {
  if (!isAppUrl(requestUrl, appUrl)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname === '' || pathname.endsWith('/')) pathname += 'index.html';
  const root = path.resolve(rootDir);
  const file = path.resolve(root, '.' + path.posix.normalize('/' + pathname));
  const rel = path.relative(root, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return file;
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export const mimeTypeFor = (file: string): string =>
  MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

/** Permissions (camera, notifications, geolocation, clipboard-read, HID, …): none, ever. */
export const isPermissionAllowed = (_permission: string): boolean => false;

/** Denies every permission and puts our CSP on every response of the session. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, permission, callback) => callback(isPermissionAllowed(permission)));
  session.setPermissionCheckHandler((_wc, permission) => isPermissionAllowed(permission));
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders) });
  });
}

/** A page of ours that shows one console alone (the renderer's "Open in new window"). */
export function isConsoleWindowUrl(url: string, appOrigin: string): boolean {
  if (!isAppUrl(url, appOrigin)) return false;
  try {
    return /^#console=[^/]+\/.+$/.test(new URL(url).hash);
  } catch {
    return false;
  }
}

/** What window.open may create: a detached console of ours, locked down like the main window
 *  (same preferences, same preload); anything else is denied. */
export function windowOpenDecision(
  url: string,
  appOrigin: string,
  preloadPath: string | undefined,
): { action: 'deny' } | { action: 'allow'; overrideBrowserWindowOptions: BrowserWindowConstructorOptions } {
  if (!preloadPath || !isConsoleWindowUrl(url, appOrigin)) return { action: 'deny' };
  return {
    action: 'allow',
    overrideBrowserWindowOptions: { width: 1100, height: 820, minWidth: 480, minHeight: 360, autoHideMenuBar: true, webPreferences: secureWebPreferences(preloadPath) },
  };
}

/** A web address the renderer may hand to the system browser (a console link the person chose
 *  to open after seeing it): http(s), no credentials in it, not one of our own pages. */
export function isExternalWebLink(url: string, appOrigin: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && u.origin !== appOrigin;
}

/** Keeps the window on our pages: no navigation away, no new windows but detached consoles of
 *  ours (only when `preloadPath` is given, i.e. from the main window), no <webview>. A web link
 *  the page opens goes to `openExternal` (the system browser), never into an app window. */
export function hardenWindow(win: BrowserWindow, appOrigin: string, preloadPath?: string, openExternal?: (url: string) => void): void {
  const wc = win.webContents;
  const blockForeign = (event: { url: string; preventDefault(): void }): void => {
    if (!isAllowedNavigation(event.url, appOrigin)) event.preventDefault();
  };
  wc.on('will-navigate', blockForeign);
  wc.on('will-frame-navigate', blockForeign);
  wc.on('will-redirect', blockForeign);
  wc.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url, appOrigin, preloadPath);
    if (decision.action === 'deny' && openExternal && isExternalWebLink(url, appOrigin)) openExternal(url);
    return decision;
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
}
