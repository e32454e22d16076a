// `npm run bench`: one JSON line per figure, each with the baseline measured in the same run.
// Needs the lab (`npm run lab:up`).
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Backend } from '../../electron/backend/backend.js';
import { cutLink, LAB_HOSTS, LAB_SSH_CONFIG, labIsUp, restoreLink } from '../support/lab.js';

const run = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

/** The p-th percentile (nearest rank) of a sample. */
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const median = (xs: number[]) => percentile(xs, 50);
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

/** Baseline for one command: what a script does today, a fresh `ssh … virsh` each time. */
async function sshExecDominfo(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS * 3; i++) {
    times.push(await timed(() => run('ssh', ['-F', LAB_SSH_CONFIG, 'hv1', 'virsh', '-c', 'qemu:///system', 'dominfo', 'legacy-a'])));
  }
  return times;
}

async function waitFor(backend: Backend, hostId: string, state: string): Promise<void> {
  await new Promise<void>((resolve) => {
    const off = backend.onEvent((e) => {
      if (e.type === 'host.status' && e.status.config.id === hostId && e.status.state === state) {
        off();
        resolve();
      }
    });
  });
}

/** One command on an open connection, and how long a host takes to be online after its link returns. */
async function commandsAndReconnect(): Promise<{ cmd: number[]; reconnect: number[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vd-bench-data-'));
  const backend = new Backend({ dataDir, sshConfigPath: LAB_SSH_CONFIG });
  try {
    const added = await backend.request('hosts.add', { target: 'hv1', autoconnect: false });
    if (!added.ok) throw new Error(added.error.message);
    const hostId = added.value.config.id;
    await backend.request('hosts.connect', { hostId });
    const cmd: number[] = [];
    for (let i = 0; i < RUNS * 10; i++) {
      cmd.push(await timed(async () => {
        const r = await backend.request('vm.dominfo', { hostId, name: 'legacy-a' });
        if (!r.ok) throw new Error(r.error.message);
      }));
    }
    const reconnect: number[] = [];
    for (let i = 0; i < 3; i++) {
      const offline = waitFor(backend, hostId, 'offline');
      await cutLink('hv1');
      await offline;
      const online = waitFor(backend, hostId, 'online');
      await restoreLink('hv1');
      reconnect.push(await timed(() => online));
    }
    return { cmd, reconnect };
  } finally {
    await restoreLink('hv1').catch(() => undefined);
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!labIsUp()) throw new Error('The lab is not up: run `npm run lab:up` first');
  const baseline = { name: 'virsh_qemu_ssh_list_ms', value: await virshOverSshList() };
  const sshExec = { name: 'ssh_exec_p50_ms', value: median(await sshExecDominfo()) };
  const { cmd, reconnect } = await commandsAndReconnect();
  report('cmd_p50_ms', percentile(cmd, 50), 'ms', sshExec);
  report('cmd_p95_ms', percentile(cmd, 95), 'ms', sshExec);
  report('reconnect_ms', median(reconnect), 'ms');

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
