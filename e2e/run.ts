// Runs the e2e suite, several spec files at once but never two on the same lab host.
//
//   node --import tsx e2e/run.ts [name-part …]      (E2E_PARALLEL=2 by default)
//
// Each file declares its hosts with `usesLabHosts(…)` (e2e/support/host-locks.ts); a file whose
// declaration is missing or not made of plain names runs alone. When a slot frees, the first
// file left whose hosts are all free starts, as its own Playwright process (own output folder);
// its output is printed whole when it ends, so the log reads file by file. The files that hold
// the most busy hosts go first, longest first among equals: a host is busy when the files on it
// take more than a quarter of the suite's seconds with two slots (1/(2·slots)), by their times in
// the last run (e2e/spec-times.json, kept in the repository so that a fresh clone starts in a good
// order too; each whole run updates it). Longest-first alone left the files that hold hv1–hv3
// together for the end, each running with nothing beside it: replayed on the last two runs'
// times, 1880 and 1977 s against 1605 and 1810 s (the busiest host's own sum) in this order.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allLabHosts, heldHosts } from './support/host-locks';

const E2E = dirname(fileURLToPath(import.meta.url));
const ROOT = join(E2E, '..');
const TIMES = join(E2E, 'spec-times.json');
const slots = Math.max(1, Number(process.env.E2E_PARALLEL ?? 2));

interface Spec {
  file: string;
  /** null: run alone. */
  hosts: string[] | null;
}

/** The hosts a file names in `usesLabHosts('hv1', 'hv3')`; null when it names none plainly. */
export function declaredHosts(source: string): string[] | null {
  const call = /^usesLabHosts\(([^)]*)\);/m.exec(source);
  if (!call) return null;
  const args = call[1]!.split(',').map((a) => a.trim()).filter(Boolean);
  const names = args.map((a) => /^'([a-z][a-z0-9-]*)'$/.exec(a)?.[1]);
  return names.length && names.every(Boolean) ? heldHosts(names as string[]) : null;
}

/** Each file's seconds in the last run (longest first next time). */
const readTimes = (): Record<string, number> => (existsSync(TIMES) ? JSON.parse(readFileSync(TIMES, 'utf8')) : {});

/** The files in the order they are offered a free slot (see the top of this file). */
export function runOrder(list: Spec[], times: Record<string, number>, everyHost: string[]): Spec[] {
  const seconds = (s: Spec) => times[basename(s.file)] ?? 0;
  const held = (s: Spec) => s.hosts ?? everyHost;
  const demand = new Map<string, number>();
  for (const s of list) for (const h of held(s)) demand.set(h, (demand.get(h) ?? 0) + seconds(s));
  const total = list.reduce((sum, s) => sum + seconds(s), 0);
  const busy = (s: Spec) => held(s).filter((h) => (demand.get(h) ?? 0) > total / (2 * slots)).length;
  return [...list].sort((a, b) => busy(b) - busy(a) || seconds(b) - seconds(a) || a.file.localeCompare(b.file));
}

function specs(filters: string[], times: Record<string, number>): Spec[] {
  const files = [...readdirSync(join(E2E, 'specs')).map((f) => join(E2E, 'specs', f)), join(E2E, 'electron.spec.ts')].filter((f) => f.endsWith('.spec.ts'));
  const list = files.filter((f) => !filters.length || filters.some((p) => basename(f).includes(p))).map((file) => ({ file, hosts: declaredHosts(readFileSync(file, 'utf8')) }));
  return runOrder(list, times, allLabHosts());
}

function runOne(spec: Spec): Promise<{ rc: number; out: string; seconds: number }> {
  const started = Date.now();
  const rel = relative(ROOT, spec.file);
  const output = join('test-results', basename(spec.file, '.spec.ts'));
  const child = spawn('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', '--output', output, rel], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ rc: code ?? 1, out, seconds: (Date.now() - started) / 1000 })));
}

async function main(): Promise<number> {
  const times = readTimes();
  const filters = process.argv.slice(2);
  const pending = specs(filters, times);
  const busy = new Set<string>();
  let running = 0;
  const failed: string[] = [];
  const t0 = Date.now();
  const stamp = () => `[e2e ${((Date.now() - t0) / 1000).toFixed(0).padStart(5)}s]`;
  console.log(`${stamp()} ${pending.length} spec files, up to ${slots} at once`);

  await new Promise<void>((done) => {
    const next = () => {
      if (!pending.length && !running) return done();
      while (running < slots) {
        const i = pending.findIndex((s) => (s.hosts ? !busy.has('*alone*') && s.hosts.every((h) => !busy.has(h)) : !running));
        if (i < 0) return;
        const spec = pending.splice(i, 1)[0]!;
        const hosts = spec.hosts ?? allLabHosts();
        hosts.forEach((h) => busy.add(h));
        if (!spec.hosts) busy.add('*alone*');
        running++;
        console.log(`${stamp()} ▶ ${basename(spec.file)} (${spec.hosts ? hosts.join(' ') : 'alone'})`);
        void runOne(spec).then(({ rc, out, seconds }) => {
          running--;
          hosts.forEach((h) => busy.delete(h));
          busy.delete('*alone*');
          times[basename(spec.file)] = Math.round(seconds);
          if (rc !== 0) failed.push(basename(spec.file));
          console.log(`${stamp()} ${rc === 0 ? '✓' : '✘'} ${basename(spec.file)} in ${seconds.toFixed(0)} s\n${out.trimEnd()}\n`);
          next();
        });
        // A file that runs alone takes the whole lab: nothing starts beside it.
        if (!spec.hosts) return;
      }
    };
    next();
  });

  // Only a whole run records: a few files run by hand leave the kept times (a tracked file) alone.
  if (!filters.length) writeFileSync(TIMES, `${JSON.stringify(Object.fromEntries(Object.entries(times).sort(([a], [b]) => a.localeCompare(b))), null, 1)}\n`);
  console.log(`${stamp()} done: ${failed.length ? `failed: ${failed.join(', ')}` : 'every spec file passed'}`);
  return failed.length ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main().then((rc) => process.exit(rc));
