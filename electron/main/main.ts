// Electron main process: the main window (plus detached console windows), one backend utility
// process, and a relay between them.
// The main thread does no I/O of its own beyond serving the renderer's static files.
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  MessageChannelMain,
  nativeTheme,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  utilityProcess,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
  type MessagePortMain,
  type UtilityProcess,
} from 'electron';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pickFile } from './file-dialogs.js';
import {
  IPC,
  type BackendEvent,
  type ConsoleAttachMessage,
  type FromBackend,
  type KeychainRequest,
  type Outcome,
  type ToBackend,
} from '../../shared/contract/index.js';
import { SafeStorageKeychain } from './keychain.js';
import { loadWindowState, MIN_SIZE, placeWindow, saveWindowState } from './window-state.js';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  hardenSession,
  hardenWindow,
  isTrustedSender,
  mimeTypeFor,
  resolveAppAsset,
  secureWebPreferences,
} from './window-security.js';

// Bundled to dist/electron/main.cjs: siblings are preload.cjs and backend.cjs, the renderer
// build is dist/renderer.
const HERE = __dirname;
const RENDERER_ROOT = path.join(HERE, '..', 'renderer');
const PRELOAD = path.join(HERE, 'preload.cjs');
const BACKEND_ENTRY = path.join(HERE, 'backend.cjs');
const ICON = path.join(HERE, 'icon.png');

const failure = (code: string, message: string): Outcome<never> => ({ ok: false, error: { code, message } });

/** Runs the backend in a utility process and matches its answers to requests by id. */
class BackendRelay {
  private child: UtilityProcess | null = null;
  private spawned = false;
  private queue: ToBackend[] = [];
  private readonly pending = new Map<number, (outcome: Outcome<unknown>) => void>();
  private nextId = 1;
  private stopping = false;
  private crashes: number[] = [];

  constructor(
    private readonly args: () => string[],
    private readonly onEvent: (event: BackendEvent) => void,
  ) {}

  start(): void {
    const child = utilityProcess.fork(BACKEND_ENTRY, this.args(), {
      serviceName: 'VirtDeck backend',
      stdio: 'inherit',
    });
    this.child = child;
    this.spawned = false;
    child.once('spawn', () => {
      this.spawned = true;
      for (const msg of this.queue.splice(0)) child.postMessage(msg);
    });
    child.on('message', (msg: FromBackend) => this.receive(msg));
    child.once('exit', (code) => this.exited(child, code));
  }

  /** Relay a window's call as it came: the backend's dispatcher checks the method and parameters. */
  call(method: unknown, params: unknown): Promise<Outcome<unknown>> {
    if (this.stopping || !this.child) return Promise.resolve(failure('internal', 'The VirtDeck backend is not running.'));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.post({ id, method, params });
    });
  }

  /** One end of a console's MessageChannel to the backend, with the one-time id it must spend. */
  attachConsole(msg: ConsoleAttachMessage, port: MessagePortMain): void {
    if (!this.child || !this.spawned || this.stopping) return port.close();
    this.child.postMessage(msg, [port]);
  }

  /** Lets the backend close its SSH sessions, then makes sure the process is gone. */
  async stop(timeoutMs = 3000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.post({ shutdown: true });
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
    if ((await Promise.race([exited, timer])) === 'timeout') {
      child.kill();
      await exited;
    }
  }

  private post(msg: ToBackend): void {
    if (this.child && this.spawned) this.child.postMessage(msg);
    else this.queue.push(msg);
  }

  private receive(msg: unknown): void {
    if (typeof msg !== 'object' || msg === null) return;
    if ('keychain' in msg) {
      this.child?.postMessage(keychain().handle(msg as KeychainRequest));
      return;
    }
    if ('event' in msg) {
      this.onEvent((msg as { event: BackendEvent }).event);
      return;
    }
    const { id, outcome } = msg as { id?: unknown; outcome?: Outcome<unknown> };
    if (typeof id !== 'number') return;
    const resolve = this.pending.get(id);
    if (!resolve) return;
    this.pending.delete(id);
    resolve(outcome ?? failure('internal', 'The VirtDeck backend sent an empty answer.'));
  }

  private exited(child: UtilityProcess, code: number): void {
    if (this.child !== child) return;
    this.child = null;
    this.spawned = false;
    this.queue = [];
    const message = this.stopping
      ? 'VirtDeck is shutting down.'
      : `The VirtDeck backend stopped unexpectedly (exit code ${code}); it is being restarted.`;
    for (const resolve of this.pending.values()) resolve(failure('internal', message));
    this.pending.clear();
    if (this.stopping) return;
    // Restart, but do not spin if it dies on start: at most 5 crashes a minute.
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < 60_000), now];
    if (this.crashes.length > 5) {
      console.error('VirtDeck: the backend keeps crashing; not restarting it.');
      return;
    }
    setTimeout(() => {
      if (!this.stopping) this.start();
    }, 1000).unref();
  }
}

let keychainInstance: SafeStorageKeychain | undefined;
const keychain = () => (keychainInstance ??= new SafeStorageKeychain(safeStorage, app.getPath('userData')));

function backendArgs(): string[] {
  const args = [`--data-dir=${app.getPath('userData')}`];
  const refusal = keychain().refusal;
  args.push(refusal ? `--keychain-refused=${refusal}` : '--keychain');
  const sshConfig = process.env.VIRTDECK_SSH_CONFIG;
  if (sshConfig) args.push(`--ssh-config=${sshConfig}`);
  return args;
}

async function serveRendererFile(request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
  let file = resolveAppAsset(request.url, RENDERER_ROOT, APP_ORIGIN);
  if (!file) return new Response('Not found', { status: 404 });
  // Client-side routes ("/vm/…", no extension) get the app shell, like a dev server would.
  if (path.extname(file) === '' && !existsSync(file)) file = path.join(RENDERER_ROOT, 'index.html');
  try {
    const body = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body.buffer, body.byteOffset, body.byteLength), {
      status: 200,
      headers: {
        'Content-Type': mimeTypeFor(file),
        // webRequest does not see custom-protocol responses everywhere; set the CSP here too.
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}

/** The renderer's own shortcut, pressed for it: menu items that only name a key the page handles. */
function pressInPage(key: string, shift = false): void {
  const win = BrowserWindow.getFocusedWindow() ?? mainWindow;
  if (!win || win.isDestroyed()) return;
  const modifiers: Array<'meta' | 'control' | 'shift'> = [process.platform === 'darwin' ? 'meta' : 'control', ...(shift ? (['shift'] as const) : [])];
  for (const type of ['keyDown', 'keyUp'] as const) win.webContents.sendInputEvent({ type, keyCode: key, modifiers });
}

/** The lifecycle shortcuts the page handles (renderer/ui/vm-actions.ts): on the fleet's selection
 *  or the open VM. */
const VM_MENU: Array<[string, string]> = [
  ['Start', 'S'],
  ['Shut Down', 'D'],
  ['Reboot', 'E'],
  ['Pause', 'P'],
  ['Resume', 'U'],
  ['Force Off…', 'X'],
];

function buildMenu(): Menu {
  const isMac = process.platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    ...(app.isPackaged ? [] : ([{ role: 'toggleDevTools' }] as MenuItemConstructorOptions[])),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  const file: MenuItemConstructorOptions[] = [
    // The page handles Ctrl/Cmd+K itself (browser mode has no menu): the item shows the key and
    // presses it, without taking it from the page.
    { label: 'Command Palette…', accelerator: 'CmdOrCtrl+K', registerAccelerator: false, click: () => pressInPage('K') },
    { type: 'separator' },
    isMac ? { role: 'close' } : { role: 'quit' },
  ];
  const help: MenuItemConstructorOptions[] = [
    { label: 'Keyboard Shortcuts', click: () => pressInPage('K') },
    ...(isMac ? [] : ([{ role: 'about' }] as MenuItemConstructorOptions[])),
  ];
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? ([{ role: 'appMenu' }] as MenuItemConstructorOptions[]) : []),
    { label: 'File', submenu: file },
    // Needed on macOS for copy/paste shortcuts to work at all.
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { label: 'VM', submenu: VM_MENU.map(([label, key]) => ({ label, accelerator: `CmdOrCtrl+Shift+${key}`, registerAccelerator: false, click: () => pressInPage(key, true) })) },
    { role: 'windowMenu' },
    { role: 'help', submenu: help },
  ];
  return Menu.buildFromTemplate(template);
}

let mainWindow: BrowserWindow | null = null;
/** Every window showing our page: the main one and detached consoles. IPC is taken from these only. */
const appWindows = new Set<BrowserWindow>();

/** The app window whose page sent `event`, when it is one of ours showing our origin. */
function trustedWindow(event: IpcMainEvent | IpcMainInvokeEvent): BrowserWindow | null {
  const win = BrowserWindow.fromWebContents(event.sender);
  if (!win || win.isDestroyed() || !appWindows.has(win) || event.sender !== win.webContents || !isTrustedSender(event.senderFrame, APP_ORIGIN)) return null;
  return win;
}

function createWindow(): BrowserWindow {
  const profile = app.getPath('userData');
  const place = placeWindow(loadWindowState(profile), screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...place.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'VirtDeck',
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1a1b1e' : '#ffffff',
    ...(process.platform === 'linux' && existsSync(ICON) ? { icon: ICON } : {}),
    webPreferences: secureWebPreferences(PRELOAD),
  });
  // Console links reach here only after the person saw the address and chose Open link.
  const openInBrowser = (url: string) => void shell.openExternal(url);
  hardenWindow(win, APP_ORIGIN, PRELOAD, openInBrowser);
  appWindows.add(win);
  // "Open in new window" of a console: window-security allowed it with the same preferences;
  // lock it down the same way (it may open no further windows).
  win.webContents.on('did-create-window', (child) => {
    hardenWindow(child, APP_ORIGIN, undefined, openInBrowser);
    appWindows.add(child);
    child.on('closed', () => appWindows.delete(child));
  });
  win.once('ready-to-show', () => {
    if (place.maximized) win.maximize();
    win.show();
  });
  // The size and place it had before being maximized, so a restart restores both.
  win.on('close', () => saveWindowState(profile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() }));
  win.on('closed', () => {
    appWindows.delete(win);
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

function sendEvent(event: BackendEvent): void {
  for (const win of appWindows) {
    if (win.isDestroyed()) continue;
    // Only to our own page; navigation elsewhere is blocked, this is the second lock.
    if (!isTrustedSender(win.webContents.mainFrame, APP_ORIGIN)) continue;
    win.webContents.send(IPC.event, event);
  }
}

async function handleCall(event: IpcMainInvokeEvent, method: unknown, params: unknown): Promise<Outcome<unknown>> {
  if (!trustedWindow(event)) return failure('forbidden', 'This request did not come from a VirtDeck window.');
  return relay.call(method, params);
}

/** A console's byte stream: a MessageChannel between the window and the backend, no socket. */
function handleConsoleAttach(event: IpcMainEvent, consoleId: unknown, size: unknown): void {
  if (!trustedWindow(event) || typeof consoleId !== 'string') return;
  const { port1, port2 } = new MessageChannelMain();
  const s = size as { cols?: unknown; rows?: unknown } | undefined;
  relay.attachConsole({ consoleAttach: consoleId, ...(s && { size: { cols: Number(s.cols), rows: Number(s.rows) } }) }, port1);
  event.sender.postMessage(IPC.console, consoleId, [port2]);
}

// ---- start-up -------------------------------------------------------------------------------

// Tests and the lab point VirtDeck at a throw-away profile; it must be set before the
// single-instance lock, which is keyed on the userData directory.
if (process.env.VIRTDECK_DATA_DIR) app.setPath('userData', path.resolve(process.env.VIRTDECK_DATA_DIR));

const relay = new BackendRelay(backendArgs, sendEvent);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
  if (process.platform === 'win32') app.setAppUserModelId('dev.virtdeck.app');

  // Belt and braces for any web contents besides our window (there should be none).
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => {
    // macOS apps stay alive without windows; the backend keeps its connections meanwhile.
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (app.isReady() && !mainWindow) mainWindow = createWindow();
  });

  let backendStopped = false;
  app.on('will-quit', (event) => {
    if (backendStopped) return;
    event.preventDefault();
    backendStopped = true;
    void relay.stop().finally(() => app.quit());
  });

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession);
    protocol.handle(APP_SCHEME, serveRendererFile);
    Menu.setApplicationMenu(buildMenu());
    ipcMain.handle(IPC.call, handleCall);
    ipcMain.on(IPC.console, handleConsoleAttach);
    ipcMain.handle(IPC.pickFile, (event, mode: unknown, name: unknown) => {
      const win = trustedWindow(event);
      return win ? pickFile(win, mode, name) : null;
    });
    relay.start();
    mainWindow = createWindow();
  });
}
