// Bundles the Node/Electron side into dist/electron/*.cjs with esbuild, one runtime a folder:
//   main.cjs      Electron main process             electron/main/main.ts
//   preload.cjs   sandboxed preload: may require nothing but 'electron'   electron/main/preload.ts
//   backend.cjs   backend utility process           electron/backend/utility-entry.ts
//   web-host.cjs  browser mode (plain Node)         electron/web/web-host.ts
// The outputs sit side by side in dist/electron whatever folder their source is in: main.cjs
// finds preload.cjs and backend.cjs next to itself, and the renderer build at ../renderer.
// Each entry is built on its own so one broken entry names itself and the others still appear.
import * as esbuild from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// VIRTDECK_DIST puts a whole build elsewhere (parallel work on one machine); dist/ by default.
const outdir = path.join(process.env.VIRTDECK_DIST ? path.resolve(process.env.VIRTDECK_DIST) : path.join(root, 'dist'), 'electron');

// ssh2 stays a real node_modules package: it loads an optional native binding (and cpu-features)
// by relative path, which a bundle would break; electron-builder rebuilds both for Electron.
// bufferutil / utf-8-validate are ws's optional native speed-ups, absent on purpose.
const NODE_EXTERNALS = ['electron', 'ssh2', 'cpu-features', 'bufferutil', 'utf-8-validate', '*.node'];

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
  // Sources are ESM; in a CJS bundle import.meta is empty, so give import.meta.url its value.
  // The directive goes first again: esbuild's own "use strict" would land after the banner.
  banner: { js: "'use strict';\nconst __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl' },
};

const entries = [
  { in: 'electron/main/main.ts', out: 'main.cjs', options: { external: NODE_EXTERNALS } },
  {
    in: 'electron/main/preload.ts',
    out: 'preload.cjs',
    // A sandboxed preload gets a tiny require() (electron, events, timers, url): bundle all else.
    options: { external: ['electron'], platform: 'browser', target: 'chrome140', banner: {}, define: {} },
    onlyRequires: ['electron'],
  },
  { in: 'electron/backend/utility-entry.ts', out: 'backend.cjs', options: { external: NODE_EXTERNALS } },
  { in: 'electron/web/web-host.ts', out: 'web-host.cjs', options: { external: NODE_EXTERNALS } },
];

async function buildOne(entry) {
  const outfile = path.join(outdir, entry.out);
  if (!existsSync(path.join(root, entry.in))) throw new Error(`${entry.in} does not exist`);
  const result = await esbuild.build({ ...common, ...entry.options, entryPoints: [entry.in], outfile });
  if (entry.onlyRequires) {
    const output = result.metafile.outputs[path.relative(root, outfile).split(path.sep).join('/')];
    const extra = (output?.imports ?? []).filter((i) => i.external && !entry.onlyRequires.includes(i.path));
    if (extra.length) throw new Error(`${entry.out} must only require ${entry.onlyRequires.join(', ')}; it requires ${extra.map((i) => i.path).join(', ')}`);
  }
  return outfile;
}

await mkdir(outdir, { recursive: true });
const results = await Promise.allSettled(entries.map(buildOne));
let failed = 0;
results.forEach((r, i) => {
  const entry = entries[i];
  if (r.status === 'fulfilled') console.log(`built ${path.relative(root, r.value)}`);
  else {
    failed++;
    console.error(`FAILED ${entry.in} -> dist/electron/${entry.out}: ${r.reason?.message ?? r.reason}`);
  }
});

// The window icon on Linux (packaged builds get theirs from electron-builder).
const icon = path.join(root, 'assets', 'icon.png');
if (existsSync(icon)) await copyFile(icon, path.join(outdir, 'icon.png'));

if (failed) process.exit(1);
