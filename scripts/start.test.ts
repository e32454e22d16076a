// `npm start`'s choice between Electron and browser mode, run for real: the script's first line.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const START = join(dirname(fileURLToPath(import.meta.url)), 'start.mjs');

/** The first line start.mjs prints with `env`; whatever it started is stopped then. */
function firstLine(env: Record<string, string>): Promise<string> {
  const { DISPLAY: _d, WAYLAND_DISPLAY: _w, ELECTRON_OVERRIDE_DIST_PATH: _o, ...base } = process.env;
  const child = spawn(process.execPath, [START, '--port', '0'], { env: { ...base, VIRTDECK_NO_ELECTRON_DOWNLOAD: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        child.kill('SIGTERM');
        resolve(out.slice(0, nl));
      }
    });
    child.once('exit', () => resolve(out));
    child.once('error', reject);
  });
}

describe('npm start without a usable Electron', () => {
  it('names the missing runtime first, and how to get it, when there is no display either', async () => {
    const line = await firstLine({ ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron-dist' });
    expect(line).toMatch(/^VirtDeck: Electron runtime not available \(\/nonexistent\/electron-dist\/\S+ does not exist; .*`npx electron --version`.* downloads it\), and no graphical display/);
    expect(line).toMatch(/starting browser mode instead\.$/);
  });

  it.runIf(process.platform === 'linux')('says the display is what is missing when the runtime is there', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'virtdeck-electron-dist-'));
    try {
      writeFileSync(join(dist, 'electron'), ''); // present; never run without a display
      const line = await firstLine({ ELECTRON_OVERRIDE_DIST_PATH: dist });
      expect(line).toBe('VirtDeck: Electron cannot start here: no graphical display: DISPLAY and WAYLAND_DISPLAY are unset; starting browser mode instead.');
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
