// cold_move_mbps: a cold move through the backend (migration.start, mode cold: pre-flight on both
// hosts, the disk streamed host to host through the app, size and SHA-256 read on both hosts,
// define --validate on the destination) of a shut-off VM whose raw 64 MiB disk is random bytes,
// hv2 → hv5 (no route between them), against the storage copy typed by hand in the same run:
// `ssh hv2 virsh vol-download … | ssh hv5 virsh vol-upload …` of the same volume (the lab user
// may not read the image file itself, so `cat` cannot be the baseline). The source is kept
// (keepSource), each copy removed before the next run; everything is removed afterwards.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Backend } from '../../electron/backend/backend.js';
import { hostVirsh, inHost, LAB_DIR, LAB_SSH_CONFIG } from '../support/lab.js';

const run = promisify(execFile);
const VM = 'cold-bench';
const FROM = 'hv2';
const TO = 'hv5';
const MiB = 1024 * 1024;
export const COLD_DISK_MIB = 64;
const IMAGES = '/var/lib/libvirt/images';

async function removeOn(hv: string): Promise<void> {
  await hostVirsh(hv, 'destroy', VM).catch(() => undefined);
  await hostVirsh(hv, 'undefine', VM).catch(() => undefined);
  await inHost(hv, 'sh', '-c', `rm -f ${IMAGES}/${VM}.* ${IMAGES}/${VM}-ssh.*`);
  await hostVirsh(hv, 'pool-refresh', 'default').catch(() => undefined);
}

export async function coldMoveBench(runs: number): Promise<{ app: number[]; ssh: number[] }> {
  for (const hv of [FROM, TO]) await removeOn(hv);
  const xml = readFileSync(join(LAB_DIR, 'guests', 'desk.xml'), 'utf8')
    .replaceAll('@NAME@', VM)
    .replaceAll('@MAC@', '52:54:00:d0:0c:b1')
    .replace(`${VM}.qcow2`, `${VM}.raw`)
    .replace("type='qcow2'", "type='raw'");
  await hostVirsh(FROM, 'vol-create-as', 'default', `${VM}.raw`, `${COLD_DISK_MIB}M`, '--format', 'raw');
  await inHost(FROM, 'dd', 'if=/dev/urandom', `of=${IMAGES}/${VM}.raw`, 'bs=1M', `count=${COLD_DISK_MIB}`, 'conv=notrunc', 'status=none');
  const dir = mkdtempSync(join(tmpdir(), 'vd-bench-cold-'));
  writeFileSync(join(dir, 'vm.xml'), xml);
  await hostVirsh(FROM, 'define', join(dir, 'vm.xml'));
  const backend = new Backend({ dataDir: dir, sshConfigPath: LAB_SSH_CONFIG });
  try {
    const ids: Record<string, string> = {};
    for (const hv of [FROM, TO]) {
      const added = await backend.request('hosts.add', { target: hv, autoconnect: false });
      if (!added.ok) throw new Error(added.error.message);
      ids[hv] = added.value.config.id;
      const c = await backend.request('hosts.connect', { hostId: ids[hv]! });
      if (!c.ok) throw new Error(c.error.message);
    }
    // The VM must be in the source's list before a move of it is accepted.
    for (let i = 0; i < 100; i++) {
      const l = await backend.request('vms.list', { fresh: true });
      if (l.ok && l.value.some((v) => v.hostId === ids[FROM] && v.name === VM)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const ssh = `ssh -F '${LAB_SSH_CONFIG}' -o BatchMode=yes`;
    const v = 'virsh -q -c qemu:///system';
    const app: number[] = [];
    const byHand: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const done = new Promise<string>((resolve) =>
        backend.onEvent((e) => e.type === 'migration.progress' && e.migration.vm === VM && e.migration.state !== 'running' && resolve(e.migration.state + (e.migration.error ? `: ${e.migration.error}` : ''))),
      );
      const started = await backend.request('migration.start', { hostId: ids[FROM]!, name: VM, toHostId: ids[TO]!, mode: 'cold', keepSource: true, startAfter: false });
      if (!started.ok) throw new Error(started.error.message);
      const end = await done;
      if (end !== 'done') throw new Error(`cold move ${end}`);
      app.push(performance.now() - t0);
      await removeOn(TO);

      // By hand: the same volume's bytes, one ssh reading it out, one writing it in.
      await hostVirsh(TO, 'vol-create-as', 'default', `${VM}-ssh.raw`, `${COLD_DISK_MIB}M`, '--format', 'raw');
      const t1 = performance.now();
      await run('bash', ['-c', `set -o pipefail; ${ssh} ${FROM} '${v} vol-download --pool default --vol ${VM}.raw --file /dev/stdout' | ${ssh} ${TO} '${v} vol-upload --pool default --vol ${VM}-ssh.raw --file /dev/stdin'`]);
      byHand.push(performance.now() - t1);
      await removeOn(TO);
    }
    const mbps = (ms: number) => (COLD_DISK_MIB * MiB * 8) / 1e6 / (ms / 1000);
    return { app: app.map(mbps), ssh: byHand.map(mbps) };
  } finally {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
    for (const hv of [FROM, TO]) await removeOn(hv);
  }
}
