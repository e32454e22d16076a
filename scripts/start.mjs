// `npm start` (after the build): run VirtDeck in Electron, or in browser mode when no Electron
// runtime can be had here. Extra arguments go to whichever starts.
//   VIRTDECK_NO_ELECTRON_DOWNLOAD=1   never try to download the runtime
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronPkg = path.join(root, 'node_modules', 'electron');
const mainEntry = path.join(root, 'dist', 'electron', 'main.cjs');
const webHost = path.join(root, 'dist', 'electron', 'web-host.cjs');
const args = process.argv.slice(2);
// An Electron that dies this soon did not start (missing libraries, no display, bad sandbox).
const STARTUP_GRACE_MS = 5000;

/** The runtime binary, found the way the electron package does it, but without its implicit
 *  download (require('electron') downloads synchronously and throws when that fails). */
function electronBinary() {
  if (!existsSync(path.join(electronPkg, 'package.json'))) return { reason: 'the electron package is not installed' };
  const pathFile = path.join(electronPkg, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const bin = path.join(override, rel || 'electron');
    return existsSync(bin) ? { bin } : { reason: `${bin} does not exist` };
  }
  if (!rel) return { reason: 'node_modules/electron/dist is missing' };
  const bin = path.join(electronPkg, 'dist', rel);
  return existsSync(bin) ? { bin } : { reason: `${display(bin)} is missing` };
}

/** One quiet attempt at the electron package's own download; says how it went. */
function tryDownloadOnce() {
  if (process.env.VIRTDECK_NO_ELECTRON_DOWNLOAD) return 'download disabled by VIRTDECK_NO_ELECTRON_DOWNLOAD';
  const installer = path.join(electronPkg, 'install.js');
  if (!existsSync(installer)) return 'no installer to download it with';
  const r = spawnSync(process.execPath, [installer], { cwd: electronPkg, stdio: 'ignore', timeout: 30_000 });
  if (r.error?.code === 'ETIMEDOUT') return 'the download timed out';
  return r.status === 0 ? 'downloaded, yet still missing' : 'the download failed';
}

/** How to get the runtime where it can run: the electron package downloads it on first use. */
const GET_RUNTIME = 'on a machine with a display and network access, `npx electron --version` in this folder downloads it';

function runBrowserMode(reason) {
  console.log(`VirtDeck: ${reason}; starting browser mode instead.`);
  if (!existsSync(webHost)) {
    console.error(`VirtDeck: ${path.relative(root, webHost)} is missing; run \`npm run build\` first.`);
    process.exit(1);
  }
  const child = spawn(process.execPath, [webHost, ...args], { stdio: 'inherit' });
  forwardSignals(child);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function forwardSignals(child) {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (child.exitCode === null) child.kill(sig);
    });
  }
}

const display = (p) => (path.relative(root, p).startsWith('..') ? p : path.relative(root, p));

function firstLine(text) {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('[')); // skip Chromium's "[pid:…:ERROR:…]" noise when possible
  const chosen = line ?? text.trim().split('\n')[0] ?? '';
  return chosen.length > 160 ? `${chosen.slice(0, 157)}…` : chosen;
}

function runElectron(bin) {
  if (!existsSync(mainEntry)) {
    console.error(`VirtDeck: ${path.relative(root, mainEntry)} is missing; run \`npm run build\` first.`);
    process.exit(1);
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would turn the app into a plain Node process
  const child = spawn(bin, [mainEntry, ...args], { stdio: ['inherit', 'inherit', 'pipe'], env });

  // Hold stderr back during start-up: if Electron cannot start, one line explains it instead of
  // a page of Chromium errors; once it is up, stderr passes through.
  let startingUp = true;
  let held = '';
  child.stderr.on('data', (chunk) => {
    if (startingUp) held += chunk.toString();
    else process.stderr.write(chunk);
  });
  const upTimer = setTimeout(() => {
    startingUp = false;
    if (held) process.stderr.write(held);
    held = '';
  }, STARTUP_GRACE_MS);

  forwardSignals(child);
  let fellBack = false;
  child.once('error', (err) => {
    clearTimeout(upTimer);
    if (fellBack) return;
    fellBack = true;
    runBrowserMode(`Electron runtime not available (${display(bin)} cannot run: ${err.code ?? err.message})`);
  });
  child.once('exit', (code, signal) => {
    clearTimeout(upTimer);
    if (fellBack) return;
    if (startingUp && code !== 0 && !signal) {
      fellBack = true;
      startingUp = false;
      runBrowserMode(`Electron cannot start (it exited with code ${code}${held ? `: ${firstLine(held)}` : ''})`);
      return;
    }
    if (held) process.stderr.write(held);
    process.exit(code ?? (signal ? 1 : 0));
  });
}

function main() {
  const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  const noDisplayReason = 'no graphical display: DISPLAY and WAYLAND_DISPLAY are unset';
  let found = electronBinary();
  // The missing runtime is said first: a display alone would not be enough to run the app.
  if (!found.bin && noDisplay) {
    runBrowserMode(`Electron runtime not available (${found.reason}; ${GET_RUNTIME}), and ${noDisplayReason}`);
    return;
  }
  if (noDisplay) {
    runBrowserMode(`Electron cannot start here: ${noDisplayReason}`);
    return;
  }
  if (!found.bin) {
    const download = tryDownloadOnce();
    const again = electronBinary();
    if (!again.bin) {
      runBrowserMode(`Electron runtime not available (${found.reason}; ${download}; ${GET_RUNTIME})`);
      return;
    }
    found = again;
  }
  runElectron(found.bin);
}

main();
