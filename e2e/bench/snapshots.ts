// snapshot_create_ms: an internal snapshot with memory of a running 128 MiB guest taken through the
// backend (snapshot.create: checks, domain read, XML on stdin), against `ssh host virsh
// snapshot-create-as` in the same run. Uses a VM of its own on hv2, removed afterwards.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Backend } from '../../electron/backend/backend.js';
import { hostVirsh, inHost, LAB_DIR, LAB_SSH_CONFIG } from '../support/lab.js';

const run = promisify(execFile);
const HV = 'hv2';
const VM = 'snap-bench';

async function removeVm(): Promise<void> {
  await hostVirsh(HV, 'destroy', VM).catch(() => undefined);
  await hostVirsh(HV, 'undefine', VM, '--snapshots-metadata').catch(() => undefined);
  await inHost(HV, 'sh', '-c', `rm -f /var/lib/libvirt/images/${VM}.*`);
  await hostVirsh(HV, 'pool-refresh', 'default').catch(() => undefined);
}

async function booted(): Promise<void> {
  const log = join(LAB_DIR, 'state', HV, 'log', 'qemu', `${VM}-serial.log`);
  for (let i = 0; i < 600; i++) {
    try {
      if (readFileSync(log, 'utf8').includes('VIRTDECK-READY')) return;
    } catch {
      // not written yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${VM} did not boot`);
}

export async function snapshotCreateBench(runs: number): Promise<{ app: number[]; ssh: number[] }> {
  await removeVm();
  const xml = readFileSync(join(LAB_DIR, 'guests', 'desk.xml'), 'utf8').replaceAll('@NAME@', VM).replaceAll('@MAC@', '52:54:00:d0:0e:b1');
  writeFileSync(`/tmp/${VM}.xml`, xml);
  await hostVirsh(HV, 'vol-create-as', 'default', `${VM}.qcow2`, '16M', '--format', 'qcow2');
  await hostVirsh(HV, 'define', `/tmp/${VM}.xml`);
  await hostVirsh(HV, 'start', VM);
  const dataDir = mkdtempSync(join(tmpdir(), 'vd-bench-snap-'));
  const backend = new Backend({ dataDir, sshConfigPath: LAB_SSH_CONFIG });
  try {
    await booted();
    const listed = new Promise<string>((resolve) => backend.onEvent((e) => e.type === 'host.vms' && e.vms.some((v) => v.name === VM) && resolve(e.hostId)));
    const added = await backend.request('hosts.add', { target: HV });
    if (!added.ok) throw new Error(added.error.message);
    const hostId = await listed;
    const app: number[] = [];
    const ssh: number[] = [];
    for (let i = 0; i < runs; i++) {
      let t0 = performance.now();
      const r = await backend.request('snapshot.create', { hostId, name: VM, snapshot: { name: `app-${i}`, memory: true } });
      app.push(performance.now() - t0);
      if (!r.ok) throw new Error(r.error.message);
      t0 = performance.now();
      await run('ssh', ['-F', LAB_SSH_CONFIG, HV, 'virsh', '-c', 'qemu:///system', 'snapshot-create-as', '--domain', VM, '--name', `ssh-${i}`]);
      ssh.push(performance.now() - t0);
    }
    return { app, ssh };
  } finally {
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
    await removeVm();
  }
}
