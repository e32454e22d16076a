// migrate_live_s: a live migration with copied storage of a running 128 MiB guest with a 16 MiB
// disk through the backend (migration.start: pre-flight on both hosts, the lent key, known_hosts
// written and removed, domjobinfo polled), against the same `virsh migrate` typed by hand over
// `ssh -A` with an ssh-agent holding the lab key, in the same run. The VM goes hv2 → hv3 through
// the app and back hv3 → hv2 by hand (each removing the source's copy of the disk, which libvirt
// leaves behind), so both directions are measured alike. It is removed after.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Backend } from '../../electron/backend/backend.js';
import { hostVirsh, inHost, LAB_DIR, LAB_SSH_CONFIG } from '../support/lab.js';

const run = promisify(execFile);
const VM = 'mig-bench';
const MIG_IP = { hv2: '198.51.100.12', hv3: '198.51.100.13' } as const;

async function removeVm(): Promise<void> {
  for (const hv of ['hv2', 'hv3']) {
    await hostVirsh(hv, 'destroy', VM).catch(() => undefined);
    await hostVirsh(hv, 'undefine', VM).catch(() => undefined);
    await inHost(hv, 'sh', '-c', `rm -f /var/lib/libvirt/images/${VM}.*`);
    await hostVirsh(hv, 'pool-refresh', 'default').catch(() => undefined);
  }
}

async function booted(hv: string): Promise<void> {
  const log = join(LAB_DIR, 'state', hv, 'log', 'qemu', `${VM}-serial.log`);
  for (let i = 0; i < 600; i++) {
    if ((() => { try { return readFileSync(log, 'utf8'); } catch { return ''; } })().includes('VIRTDECK-READY')) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${VM} did not boot`);
}

/** An ssh-agent of our own holding the lab key, for the hand-typed baseline's `ssh -A`. */
async function startAgent(dir: string): Promise<{ sock: string; stop: () => void }> {
  const sock = join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try {
      await run('ssh-add', [join(LAB_DIR, 'state', 'id_ed25519')], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      return { sock, stop: () => agent.kill() };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  agent.kill();
  throw new Error('ssh-agent did not start');
}

export async function migrateLiveBench(runs: number): Promise<{ app: number[]; ssh: number[] }> {
  await removeVm();
  const xml = readFileSync(join(LAB_DIR, 'guests', 'desk.xml'), 'utf8').replaceAll('@NAME@', VM).replaceAll('@MAC@', '52:54:00:d0:0f:b1');
  writeFileSync(`/tmp/${VM}.xml`, xml);
  await hostVirsh('hv2', 'vol-create-as', 'default', `${VM}.qcow2`, '16M', '--format', 'qcow2');
  await hostVirsh('hv2', 'define', `/tmp/${VM}.xml`);
  await hostVirsh('hv2', 'start', VM);
  const dir = mkdtempSync(join(tmpdir(), 'vd-bench-mig-'));
  const agent = await startAgent(dir);
  const backend = new Backend({ dataDir: dir, sshConfigPath: LAB_SSH_CONFIG });
  try {
    await booted('hv2');
    const ids: Record<string, string> = {};
    const online = new Promise<void>((resolve) =>
      backend.onEvent((e) => {
        if (e.type === 'host.vms') ids[e.hostId] = e.hostId;
        if (Object.keys(ids).length === 2) resolve();
      }),
    );
    const hostIds: Record<string, string> = {};
    for (const hv of ['hv2', 'hv3']) {
      const added = await backend.request('hosts.add', { target: hv });
      if (!added.ok) throw new Error(added.error.message);
      hostIds[hv] = added.value.config.id;
    }
    await online;
    // hv2's host key, for the hand-typed run's known_hosts on hv3 (towards hv2).
    const hv2Key = readFileSync(join(LAB_DIR, 'state', 'hv2', 'ssh', 'ssh_host_ed25519_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    await run('ssh', ['-F', LAB_SSH_CONFIG, 'hv3', `umask 077; printf '%s\\n' '${MIG_IP.hv2} ${hv2Key}' > /tmp/vd-bench-kh`]);
    const app: number[] = [];
    const ssh: number[] = [];
    for (let i = 0; i < runs; i++) {
      let t0 = performance.now();
      const done = new Promise<string>((resolve) => backend.onEvent((e) => e.type === 'migration.progress' && e.migration.state !== 'running' && resolve(e.migration.state + (e.migration.error ? `: ${e.migration.error}` : ''))));
      const started = await backend.request('migration.start', { hostId: hostIds.hv2!, name: VM, toHostId: hostIds.hv3!, mode: 'live' });
      if (!started.ok) throw new Error(started.error.message);
      const end = await done;
      if (end !== 'done') throw new Error(`app migration ${end}`);
      app.push((performance.now() - t0) / 1000);
      t0 = performance.now();
      const uri = `qemu+libssh://virtdeck@${MIG_IP.hv2}/system?known_hosts=/tmp/vd-bench-kh&known_hosts_verify=normal&sshauth=agent`;
      // libvirt leaves the source's copy of the disk behind; the app removes it, so the hand does too.
      const migrate = `virsh -c qemu:///system migrate --live --persistent --undefinesource --copy-storage-all ${VM} '${uri}' --migrateuri tcp://${MIG_IP.hv2}`;
      await run('ssh', ['-A', '-F', LAB_SSH_CONFIG, 'hv3', `${migrate} && virsh -q -c qemu:///system vol-delete --vol /var/lib/libvirt/images/${VM}.qcow2`], {
        env: { ...process.env, SSH_AUTH_SOCK: agent.sock },
      });
      ssh.push((performance.now() - t0) / 1000);
    }
    return { app, ssh };
  } finally {
    await backend.close();
    agent.stop();
    await run('ssh', ['-F', LAB_SSH_CONFIG, 'hv3', 'rm -f /tmp/vd-bench-kh']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    await removeVm();
  }
}
