// renderer_initial_kb: the gzip'd JS and CSS the first screen (the fleet, no host yet) loads in
// chromium from the built web host, against every JS and CSS file of the renderer build (what
// one bundle made the first screen load before pages and consoles were split off).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { startApp } from '../support/app.js';
import { CHROMIUM_LAUNCH } from '../support/chromium.js';

const gzipKb = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length / 1024;

export async function rendererInitialKb(distDir: string, sshConfig: string): Promise<{ initialKb: number; allKb: number; files: string[] }> {
  const assets = join(distDir, 'renderer', 'assets');
  const app = await startApp({ sshConfig });
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const loaded = new Set<string>();
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (/\.(js|css)$/.test(path)) loaded.add(basename(path));
    });
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Add connection' }).waitFor();
    await page.waitForLoadState('networkidle');
    const all = readdirSync(assets).filter((f) => /\.(js|css)$/.test(f));
    const sum = (files: string[]) => files.reduce((kb, f) => kb + gzipKb(join(assets, f)), 0);
    return { initialKb: sum([...loaded]), allKb: sum(all), files: [...loaded] };
  } finally {
    await browser.close();
    await app.stop();
  }
}
