// tuning_plan_300_ms: scan, group and plan (every disk to virtio-scsi, every NIC to virtio) for 300
// VMs of one host from their XML (shared/tuning), against the advisor alone over the same XML.
// tuning_apply_per_vm_ms: a plan run through the backend (tuning.apply, one VM at a time: the
// guard's read, the define, the read back) per shut-off VM, against `ssh host virsh define` of
// the same change per VM in the same run. Uses VMs of its own on hv2 (tune-bench-*), removed after.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Backend } from '../../electron/backend/backend.js';
import { advise, applyEdits, readDomain } from '../../shared/domain-xml/index.js';
import { buildPlan, groupFindings, pickKind, picksOf, scanVm } from '../../shared/tuning/index.js';
import { hostVirsh, LAB_DIR, LAB_SSH_CONFIG } from '../support/lab.js';

const run = promisify(execFile);
const HV = 'hv2';
const template = () => readFileSync(join(LAB_DIR, 'guests', 'legacy.xml'), 'utf8');
const mac = (i: number) => `52:54:00:d0:1b:${i.toString(16).padStart(2, '0')}`;
const render = (name: string, i: number) => template().replaceAll('@NAME@', name).replaceAll('@MAC@', mac(i));

export function planBench(runs: number): { plan: number[]; advisor: number[] } {
  const xmls = Array.from({ length: 300 }, (_, i) => render(`vm-${i}`, i % 256));
  const plan: number[] = [];
  const advisor: number[] = [];
  for (let r = 0; r < runs; r++) {
    let t0 = performance.now();
    const vms = xmls.map((xml, i) => scanVm({ hostId: 'h', hostLabel: 'h', name: `vm-${i}`, running: false, xml, facts: { volumes: [] } }));
    groupFindings(vms);
    const p = buildPlan(vms, picksOf([...pickKind(vms, 'disk-bus'), ...pickKind(vms, 'nic-model')]));
    plan.push(performance.now() - t0);
    if (p.items.length !== 300) throw new Error(`planned ${p.items.length} of 300 VMs`);
    t0 = performance.now();
    for (const xml of xmls) advise(readDomain(xml), { volumes: [] });
    advisor.push(performance.now() - t0);
  }
  return { plan, advisor };
}

async function removeVm(name: string): Promise<void> {
  await hostVirsh(HV, 'undefine', '--domain', name, '--snapshots-metadata').catch(() => undefined);
}

export async function applyBench(count: number): Promise<{ app: number; ssh: number }> {
  const names = Array.from({ length: count }, (_, i) => `tune-bench-${i}`);
  for (const [i, n] of names.entries()) {
    await removeVm(n);
    writeFileSync(`/tmp/${n}.xml`, render(n, 0x40 + i));
    await hostVirsh(HV, 'define', `/tmp/${n}.xml`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'vd-bench-tuning-'));
  const backend = new Backend({ dataDir, sshConfigPath: LAB_SSH_CONFIG });
  try {
    const listed = new Promise<string>((resolve) => backend.onEvent((e) => e.type === 'host.vms' && e.vms.some((v) => v.name === names[0]) && resolve(e.hostId)));
    const added = await backend.request('hosts.add', { target: HV });
    if (!added.ok) throw new Error(added.error.message);
    const hostId = await listed;
    const edits = [{ kind: 'set-nic-model' as const, index: 0, model: 'virtio' }];
    const items = await Promise.all(
      names.map(async (name) => ({ hostId, name, baseXml: await hostVirsh(HV, 'dumpxml', '--inactive', '--security-info', name), edits, snapshot: false, changes: ['NIC to virtio'] })),
    );
    const ended = new Promise<void>((resolve, reject) =>
      backend.onEvent((e) => {
        if (e.type !== 'tuning.progress' || e.run.state !== 'done') return;
        const bad = e.run.items.filter((i) => i.status !== 'applied');
        if (bad.length) reject(new Error(`not applied: ${bad.map((i) => `${i.name} ${i.status} ${i.message ?? ''}`).join('; ')}`));
        else resolve();
      }),
    );
    const t0 = performance.now();
    const started = await backend.request('tuning.apply', { items, options: { snapshotFirst: false, restart: 'leave-pending', perHost: 1 } });
    if (!started.ok) throw new Error(started.error.message);
    await ended;
    const app = (performance.now() - t0) / count;

    // The same change the way an admin would script it: one `ssh host virsh define` per VM.
    const t1 = performance.now();
    for (const [i, item] of items.entries()) {
      const xml = applyEdits(item.baseXml, [{ kind: 'set-nic-model', index: 0, model: 'e1000' }]);
      writeFileSync(`/tmp/tune-bench-ssh-${i}.xml`, xml);
      await run('sh', ['-c', `ssh -F '${LAB_SSH_CONFIG}' ${HV} virsh -c qemu:///system define /dev/stdin < /tmp/tune-bench-ssh-${i}.xml`]);
    }
    const ssh = (performance.now() - t1) / count;
    return { app, ssh };
  } finally {
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
    for (const n of names) await removeVm(n);
  }
}
