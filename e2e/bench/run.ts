// `npm run bench`: one JSON line per figure, each with the baseline measured in the same run.
// Needs the lab (`npm run lab:up`).
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Backend } from '../../electron/backend/backend.js';
import { LAB_HOSTS, LAB_SSH_CONFIG, labIsUp } from '../support/lab.js';

const run = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const round = (x: number) => Math.round(x * 10) / 10;

function report(name: string, value: number, unit: string, baseline?: { name: string; value: number }): void {
  console.log(JSON.stringify({ name, value: round(value), unit, ...(baseline && { baseline: { name: baseline.name, value: round(baseline.value) } }) }));
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Baseline: what an admin runs today, `virsh -c qemu+ssh://…` for each host, one after another. */
async function virshOverSshList(): Promise<number> {
  // libvirt's ssh transport runs `ssh`; the `command` URI parameter lets it use the lab's config.
  const dir = mkdtempSync(join(tmpdir(), 'vd-bench-'));
  const wrapper = join(dir, 'ssh');
  writeFileSync(wrapper, `#!/bin/sh\nexec ssh -F '${LAB_SSH_CONFIG}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  try {
    const once = () =>
      timed(async () => {
        for (const hv of LAB_HOSTS) await run('virsh', ['-c', `qemu+ssh://${hv}/system?command=${wrapper}`, 'list', '--all']);
      });
    await once(); // warm the page cache, as for the app
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push(await once());
    return median(times);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Connect a fresh backend to the three hosts and wait until each has reported its VMs. */
async function connectAndList(): Promise<{ ms: number; backend: Backend; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vd-bench-data-'));
  const backend = new Backend({ dataDir, sshConfigPath: LAB_SSH_CONFIG });
  const t0 = performance.now();
  const listed = new Set<string>();
  const done = new Promise<void>((resolve) =>
    backend.onEvent((e) => {
      if (e.type === 'host.vms' && e.vms.length > 0) listed.add(e.hostId);
      if (listed.size === LAB_HOSTS.length) resolve();
    }),
  );
  for (const hv of LAB_HOSTS) {
    const added = await backend.request('hosts.add', { target: hv });
    if (!added.ok) throw new Error(added.error.message);
  }
  await done;
  return { ms: performance.now() - t0, backend, dataDir };
}

async function main(): Promise<void> {
  if (!labIsUp()) throw new Error('The lab is not up: run `npm run lab:up` first');
  const baseline = { name: 'virsh_qemu_ssh_list_ms', value: await virshOverSshList() };

  const cold: number[] = [];
  let warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { ms, backend, dataDir } = await connectAndList();
    cold.push(ms);
    if (i === RUNS - 1) {
      warm = [];
      for (let j = 0; j < RUNS * 3; j++) {
        warm.push(
          await timed(async () => {
            const r = await backend.request('vms.list', { fresh: true });
            if (!r.ok) throw new Error(r.error.message);
          }),
        );
      }
    }
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  report('list_cold_ms', median(cold), 'ms', baseline);
  report('list_warm_ms', median(warm), 'ms', baseline);
}

main().catch((err) => {
  console.error(`bench: ${(err as Error).message}`);
  process.exit(1);
});
