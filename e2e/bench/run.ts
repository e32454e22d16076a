// `npm run bench`: one JSON line per figure, each with the baseline measured in the same run.
// Needs the lab (`sudo npm run lab:up`) and a build (`npm run bench` makes one first; VIRTDECK_DIST
// names another build folder, as for e2e): console_first_frame_ms runs the built web host in chromium.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Backend } from '../../electron/backend/backend.js';
import { vncTarget } from '../../electron/backend/consoles/console-manager.js';
import { rfbHandshake, rfbThroughput } from '../../electron/backend/consoles/rfb-probe.js';
import { cutLink, hostVirsh, LAB_DIR, LAB_HOSTS, LAB_SSH_CONFIG, labIsUp, restoreLink } from '../support/lab.js';
import { chromium } from '@playwright/test';
import { addConnection, startApp } from '../support/app.js';
import { CHROMIUM_LAUNCH } from '../support/chromium.js';
import { rendererEventLatency } from './fleet-events.js';
import { rendererInitialKb } from './renderer-size.js';
import { snapshotCreateBench } from './snapshots.js';
import { cloneBench } from './clone.js';
import { cloudBench } from './cloud.js';
import { migrateLiveBench } from './migration.js';
import { coldMoveBench } from './cold-move.js';
import { newVmBench } from './new-vm.js';
import { applyBench, planBench } from './tuning.js';

const run = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** What startApp runs: the built web host (VIRTDECK_DIST names another build folder). */
const WEB_HOST = join(process.env.VIRTDECK_DIST ?? join(import.meta.dirname, '..', '..', 'dist'), 'electron', 'web-host.cjs');

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
    // Warm, as an open connection is: the long-lived virsh starts as the host comes online.
    for (let i = 0; i < 10; i++) await backend.request('vm.dominfo', { hostId, name: 'legacy-a' });
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

/** Consoles, on hv2's running desk-1 (raw encoding, full-screen non-incremental updates, the same
 *  RFB probe both ways): console.open → first full frame through VirtDeck's tunnel (live XML,
 *  ssh2 forwardOut on the open connection, handshake, frame) against the same probe run directly
 *  on the VNC port inside hv2's namespace; then bulk throughput through the tunnel against direct. */
async function consoleBench(): Promise<{ firstFrame: number[]; directFirstFrame: number; tunnelMbps: number; directMbps: number }> {
  const SECONDS = Number(process.env.BENCH_VNC_SECONDS ?? 5);
  const dataDir = mkdtempSync(join(tmpdir(), 'vd-bench-data-'));
  const backend = new Backend({ dataDir, sshConfigPath: LAB_SSH_CONFIG });
  const openThroughTunnel = async (hostId: string) => {
    const ticket = await backend.request('console.open', { hostId, name: 'desk-1', kind: 'vnc' });
    if (!ticket.ok) throw new Error(ticket.error.message);
    let listener: ((d: Buffer) => void) | undefined;
    const early: Buffer[] = [];
    const stream = await backend.consoles.attach(ticket.value.consoleId, { send: (d) => (listener ? listener(d) : early.push(d)), close: () => undefined });
    const session = await rfbHandshake({
      write: (d) => stream.write(d),
      onData: (l) => {
        listener = l;
        early.splice(0).forEach(l);
      },
    });
    return { session, close: () => stream.close() };
  };
  try {
    const added = await backend.request('hosts.add', { target: 'hv2', autoconnect: false });
    if (!added.ok) throw new Error(added.error.message);
    const hostId = added.value.config.id;
    await backend.request('hosts.connect', { hostId });
    const firstFrame: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const { session, close } = await openThroughTunnel(hostId);
      await session.fullFrame();
      firstFrame.push(performance.now() - t0);
      close();
    }
    const { session, close } = await openThroughTunnel(hostId);
    const tunnel = await rfbThroughput(session, SECONDS);
    close();

    // Direct: the same probe in hv2's network namespace, on the port the live XML names.
    const { port } = vncTarget(await hostVirsh('hv2', 'dumpxml', 'desk-1'), 'desk-1');
    const probe = new URL('../../electron/backend/consoles/rfb-probe.ts', import.meta.url).pathname;
    const code = `import net from 'node:net';
      import { rfbHandshake, rfbThroughput } from ${JSON.stringify(probe)};
      const first = [];
      for (let i = 0; i < ${RUNS}; i++) {
        const t0 = performance.now();
        const sock = net.connect(${port}, '127.0.0.1');
        const s = await rfbHandshake({ write: (d) => sock.write(d), onData: (l) => sock.on('data', l) });
        await s.fullFrame();
        first.push(performance.now() - t0);
        sock.destroy();
      }
      const sock = net.connect(${port}, '127.0.0.1');
      const s = await rfbHandshake({ write: (d) => sock.write(d), onData: (l) => sock.on('data', l) });
      const t = await rfbThroughput(s, ${SECONDS});
      sock.destroy();
      console.log(JSON.stringify({ first, mbps: t.mbps }));`;
    const { stdout } = await run('ip', ['netns', 'exec', 'hv2', process.execPath, '--import', 'tsx', '--input-type=module', '-e', code], { cwd: process.cwd() });
    const direct = JSON.parse(stdout.trim().split('\n').at(-1)!) as { first: number[]; mbps: number };
    return { firstFrame, directFirstFrame: median(direct.first), tunnelMbps: tunnel.mbps, directMbps: direct.mbps };
  } finally {
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Fleet at scale: 300 shut-off VMs defined on each host (e2e/lab/many-vms.sh), then a fresh
 *  backend connects to all three and is timed until every host has listed its VMs and pushed its
 *  first stats sample; then it runs for BENCH_FLEET_SECONDS (default 60) at the default stats
 *  interval while this process's RSS and CPU time are sampled (the bench process is the backend). */
async function fleet900(): Promise<{ ms: number; rssMb: number; cpuPct: number; seconds: number; vms: number }> {
  const manyVms = (...args: string[]) => run('bash', [join(LAB_DIR, 'many-vms.sh'), ...args]);
  const seconds = Number(process.env.BENCH_FLEET_SECONDS ?? 60);
  await manyVms('define', '300');
  // The backend in a process of its own (fleet-backend.ts), measured from /proc: this bench
  // process also holds playwright and earlier parts' memory, which the app's backend does not.
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fleet-backend.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  let dataDir = '';
  try {
    const ready = await new Promise<{ readyMs: number; vms: number; dataDir: string }>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
      });
      child.once('exit', (code) => reject(new Error(`fleet backend exited with ${code}`)));
    });
    dataDir = ready.dataDir;
    const ticksPerSecond = Number((await run('getconf', ['CLK_TCK'])).stdout.trim());
    // /proc/PID/stat: utime and stime are fields 14 and 15, after the parenthesised command name.
    const cpuTicks = () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return Number(fields[11]) + Number(fields[12]);
    };
    const rssKiB = () => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]);
    const ticks0 = cpuTicks();
    const w0 = performance.now();
    let rssMax = 0;
    for (let s = 0; s < seconds; s++) {
      await new Promise((r) => setTimeout(r, 1000));
      rssMax = Math.max(rssMax, rssKiB());
    }
    const cpuPct = ((cpuTicks() - ticks0) / ticksPerSecond / ((performance.now() - w0) / 1000)) * 100;
    return { ms: ready.readyMs, rssMb: rssMax / 1024, cpuPct, seconds, vms: ready.vms };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await manyVms('undefine');
  }
}

/** Transfers (transfers-backend.ts, the backend in its own process): a 64 MiB upload into hv1's
 *  pool against \`ssh hv1 'cat > FILE'\` of the same file; its copy hv1 → hv3 through the backend
 *  against \`ssh hv1 'cat FILE' | ssh hv3 'cat > FILE'\` (a file the lab user may read: the
 *  volumes are root's); the backend's peak RSS sampled during a 256 MiB copy. */
async function reportTransfers(): Promise<void> {
  const MiB = 1024 * 1024;
  const dir = mkdtempSync(join(tmpdir(), 'vd-bench-xfer-'));
  const file = join(dir, 'up.img');
  const big = join(dir, 'big.img');
  writeFileSync(file, randomBytes(64 * MiB));
  writeFileSync(big, randomBytes(256 * MiB));
  const sh = (cmd: string) => run('bash', ['-c', cmd], { maxBuffer: 1024 });
  const ssh = `ssh -F '${LAB_SSH_CONFIG}' -o BatchMode=yes`;
  try {
    const upBase = await timed(() => sh(`${ssh} hv1 'cat > /tmp/vd-bench-up' < '${file}'`));
    const copyBase = await timed(() => sh(`${ssh} hv1 'cat /tmp/vd-bench-up' | ${ssh} hv3 'cat > /tmp/vd-bench-up'`));
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'transfers-backend.ts'), file, big], { stdio: ['ignore', 'pipe', 'inherit'] });
    const rssKiB = () => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]);
    let rssMax = 0;
    let sampler: NodeJS.Timeout | undefined;
    const lines: Array<Record<string, unknown>> = [];
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        for (let at = out.indexOf('\n'); at >= 0; at = out.indexOf('\n')) {
          const line = JSON.parse(out.slice(0, at)) as Record<string, unknown>;
          out = out.slice(at + 1);
          lines.push(line);
          if (line.bigCopy === 'start') sampler = setInterval(() => (rssMax = Math.max(rssMax, rssKiB())), 100);
          if (line.bigCopy === 'end') clearInterval(sampler);
        }
      });
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`transfers backend exited with ${code}`))));
    });
    const { uploadMs, copyMs } = lines[0] as { uploadMs: number; copyMs: number };
    const mbps = (ms: number) => (64 * 8 * 1.048576) / (ms / 1000);
    report('vol_upload_mbps', mbps(uploadMs), 'Mbit/s', { name: 'ssh_cat_upload_mbps', value: mbps(upBase) });
    report('vol_copy_host_to_host_mbps', mbps(copyMs), 'Mbit/s', { name: 'ssh_cat_pipe_copy_mbps', value: mbps(copyBase) });
    report('backend_rss_mb_during_transfer', rssMax / 1024, 'MiB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    for (const hv of ['hv1', 'hv3']) {
      await sh(`${ssh} ${hv} 'rm -f /tmp/vd-bench-up'`).catch(() => undefined);
      for (const v of ['vd-bench-up', 'vd-bench-big']) await hostVirsh(hv, 'vol-delete', '--pool', 'default', '--vol', v).catch(() => undefined);
    }
  }
}

async function reportFleet(opts: { eventsOnly?: boolean } = {}): Promise<void> {
  // In the renderer (chromium on the built web host): host's lifecycle event -> row's new state.
  const ev = await rendererEventLatency(RUNS * 2);
  const virshCmd = { name: 'virsh_start_destroy_p50_ms', value: median(ev.command) };
  report('event_p50_ms', percentile(ev.fromHostEvent, 50), 'ms', virshCmd);
  report('event_p95_ms', percentile(ev.fromHostEvent, 95), 'ms', virshCmd);
  report('event_after_virsh_return_p95_ms', percentile(ev.afterReturn, 95), 'ms', virshCmd);
  if (opts.eventsOnly) return;
  const f = await fleet900();
  report('fleet_900_ms', f.ms, 'ms');
  report('backend_rss_mb', f.rssMb, 'MiB');
  report('backend_cpu_pct', f.cpuPct, '%');
}

async function main(): Promise<void> {
  // Said plainly before anything starts: otherwise a missing lab or build surfaces as an ssh or
  // MODULE_NOT_FOUND error from deep inside a measurement.
  if (!labIsUp()) throw new Error(`lab is not up: run sudo npm run lab:up (${LAB_SSH_CONFIG} is missing)`);
  if (!existsSync(WEB_HOST)) throw new Error(`no build at ${WEB_HOST}: run npm run build (npm run bench builds first)`);
  // BENCH_ONLY names one part, or several separated by commas (BENCH_ONLY=migration,new-vm).
  const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (only.length) {
    for (const name of only) {
      const part = PARTS[name];
      if (!part) throw new Error(`BENCH_ONLY: no part "${name}" (parts: ${Object.keys(PARTS).join(', ')})`);
      await part();
    }
    return;
  }
  await reportRenderer();
  await reportCommands();
  await reportFleet();
  await reportConsoles();
  await reportSnapshots();
  await reportTransfers();
  await reportClone();
  await reportCloud();
  await reportMigration();
  await reportColdMove();
  await reportNewVm();
  await reportTuning();
}

/** The parts BENCH_ONLY can name. */
const PARTS: Record<string, () => Promise<void>> = {
  renderer: () => reportRenderer(),
  commands: () => reportCommands(),
  fleet: () => reportFleet(),
  // Only the event latency: touches hv3's tuned-1 alone (the 900-VM part defines VMs on every host).
  'fleet-events': () => reportFleet({ eventsOnly: true }),
  consoles: () => reportConsoles(),
  snapshots: () => reportSnapshots(),
  transfers: () => reportTransfers(),
  clone: () => reportClone(),
  migration: () => reportMigration(),
  'cold-move': () => reportColdMove(),
  'new-vm': () => reportNewVm(),
  tuning: () => reportTuning(),
  cloud: () => reportCloud(),
};

async function reportRenderer(): Promise<void> {
  const r = await rendererInitialKb(join(WEB_HOST, '..', '..'), LAB_SSH_CONFIG);
  report('renderer_initial_kb', r.initialKb, 'KiB', { name: 'renderer_all_assets_kb', value: r.allKb });
}

/** One small command on an open connection (the long-lived virsh) against a fresh `ssh host
 *  virsh`, and a warm listing of the three hosts against `virsh -c qemu+ssh://` for each. */
async function reportCommands(): Promise<void> {
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

async function reportClone(): Promise<void> {
  const { app, ssh } = await cloneBench(Math.min(RUNS, 5));
  report('clone_vm_ms', median(app), 'ms', { name: 'ssh_virsh_vol_clone_define_ms', value: median(ssh) });
}

/** Run once: a TCG boot each way, and ten deployments each way. */
async function reportCloud(): Promise<void> {
  const c = await cloudBench();
  report('cloud_vm_to_report_s', c.toReport, 's', { name: 'ssh_overlay_define_start_to_report_s', value: c.toReportBaseline });
  report('deploy_10_linked_ms', c.deploy10, 'ms', { name: 'ssh_virsh_vol_create_as_backing_define_10_ms', value: c.deploy10Baseline });
}

async function reportMigration(): Promise<void> {
  const { app, ssh } = await migrateLiveBench(Math.min(RUNS, 3));
  report('migrate_live_s', median(app), 's', { name: 'ssh_virsh_migrate_live_s', value: median(ssh) });
}

async function reportColdMove(): Promise<void> {
  const { app, ssh } = await coldMoveBench(Math.min(RUNS, 3));
  report('cold_move_mbps', median(app), 'Mbit/s', { name: 'ssh_virsh_vol_download_upload_mbps', value: median(ssh) });
}

async function reportNewVm(): Promise<void> {
  const r = await newVmBench(Math.min(RUNS, 3));
  report('create_vm_ms', median(r.createMs), 'ms', { name: 'ssh_virsh_vol_create_define_ms', value: median(r.sshCreateMs) });
  report('iso_upload_mbps', r.uploadMbps, 'Mbit/s', { name: 'ssh_cat_upload_mbps', value: r.sshCatMbps });
}

async function reportTuning(): Promise<void> {
  const { plan, advisor } = planBench(RUNS);
  report('tuning_plan_300_ms', median(plan), 'ms', { name: 'advisor_300_ms', value: median(advisor) });
  const { app, ssh } = await applyBench(10);
  report('tuning_apply_per_vm_ms', app, 'ms', { name: 'ssh_virsh_define_per_vm_ms', value: ssh });
}

async function reportSnapshots(): Promise<void> {
  const { app, ssh } = await snapshotCreateBench(Math.min(RUNS, 5));
  report('snapshot_create_ms', median(app), 'ms', { name: 'ssh_virsh_snapshot_create_as_ms', value: median(ssh) });
}

/** Run in the page before the click: resolves window.vdFirstFrame with the ms from the next click
 *  to the first animation frame in which VM_NAME's console canvas holds a drawn picture. */
const FIRST_FRAME_WATCH = `window.vdFirstFrame = new Promise((resolve, reject) => {
  let clickedAt;
  addEventListener('click', (e) => { clickedAt = e.timeStamp; }, { capture: true, once: true });
  const deadline = performance.now() + 60000;
  function tick() {
    const canvas = document.querySelector('[aria-label="Screen of ' + CSS.escape(VM_NAME) + '"] canvas');
    if (clickedAt !== undefined && canvas && canvas.width > 0 && canvas.height > 0) {
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let first = -1;
      for (let p = 0; p < data.length; p += 4) {
        if (data[p + 3] === 0) continue; // not drawn yet
        const v = (data[p] << 16) | (data[p + 1] << 8) | data[p + 2];
        if (first < 0) first = v;
        else if (v !== first) return resolve(performance.now() - clickedAt);
      }
    }
    if (performance.now() > deadline) return reject(new Error('no picture on the console within 60 s'));
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
}); undefined`;

/** In the real renderer: the built web host (VIRTDECK_DIST, like e2e) in Debian's chromium. From
 *  the click on the VM's Console tab (the click event's own timestamp) to the first frame in which
 *  the console's canvas holds a drawn picture (more than one colour), polled once per animation
 *  frame in the page. Each run closes the console's tab first, so every click opens a new one. */
async function rendererFirstFrame(hv: string, vm: string): Promise<number[]> {
  const app = await startApp({ sshConfig: LAB_SSH_CONFIG });
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(app.url);
    await addConnection(page, hv);
    await page.getByRole('button', { name: `Open ${vm} on ${hv}` }).click();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // A string, not a function: tsx would wrap named functions in a helper the page lacks.
      await page.evaluate(FIRST_FRAME_WATCH.replace('VM_NAME', JSON.stringify(vm)));
      await page.getByRole('tab', { name: 'Console', exact: true }).click();
      times.push(await page.evaluate(() => (window as unknown as { vdFirstFrame: Promise<number> }).vdFirstFrame));
      await page.getByRole('button', { name: `Close console of ${vm} on ${hv}` }).click();
      await page.getByRole('tab', { name: 'Overview', exact: true }).click();
    }
    return times;
  } finally {
    await browser.close();
    await app.stop();
  }
}

/** The same click-to-picture for hv3's rw-spice (virt-install's default SPICE display), booted
 *  for it (until its guest reports on the serial port) and stopped again if it was off. */
async function spiceFirstFrame(): Promise<number[]> {
  const wasRunning = (await hostVirsh('hv3', 'domstate', 'rw-spice')).trim() === 'running';
  const serial = join(LAB_DIR, 'state', 'hv3', 'log', 'qemu', 'rw-spice-serial.log');
  try {
    if (!wasRunning) {
      await hostVirsh('hv3', 'start', 'rw-spice');
      const deadline = Date.now() + 120_000;
      while (!(existsSync(serial) && readFileSync(serial, 'utf8').includes('VIRTDECK-READY'))) {
        if (Date.now() > deadline) throw new Error('rw-spice did not report within 120 s');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    return await rendererFirstFrame('hv3', 'rw-spice');
  } finally {
    if (!wasRunning) await hostVirsh('hv3', 'destroy', 'rw-spice').catch(() => undefined);
  }
}

async function reportConsoles(): Promise<void> {
  const c = await consoleBench();
  const clickToFrame = await rendererFirstFrame('hv2', 'desk-1');
  const direct = { name: 'vnc_direct_first_frame_ms', value: c.directFirstFrame };
  report('console_first_frame_ms', median(clickToFrame), 'ms', direct);
  // SPICE the same way, against VNC's figure of this run: both from the click to a picture.
  report('spice_first_frame_ms', median(await spiceFirstFrame()), 'ms', { name: 'console_first_frame_ms', value: median(clickToFrame) });
  // The backend's share: console.open → first full frame through the tunnel, no renderer.
  report('vnc_tunnel_first_frame_ms', median(c.firstFrame), 'ms', direct);
  report('vnc_tunnel_mbps', c.tunnelMbps, 'Mbit/s', { name: 'vnc_direct_mbps', value: c.directMbps });
}

main().catch((err) => {
  console.error(`bench: ${(err as Error).message}`);
  process.exit(1);
});
