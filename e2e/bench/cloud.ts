// cloud_vm_to_report_s: a VM from the lab's cloud image with cloud-init through the backend
// (cloud.create: checks, overlay, seed built and uploaded, define, start) until the guest's report
// is on its serial console, against the same image booted by hand (vol-create-as overlay + virsh
// define + start over one ssh, no seed) to its report. deploy_10_linked_ms: ten linked clones of
// a template with a seed each (cloud.deploy, one after the other), against `virsh vol-create-as
// --backing-vol` + `virsh define` for ten in one loop over one ssh. On hv2; everything removed.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Backend } from '../../electron/backend/backend.js';
import { BUILTIN_OSES, withOsDefaults, type HostOffer, type NewVmSpec } from '../../shared/new-vm/index.js';
import { hostVirsh, inHost, LAB_DIR, LAB_SSH_CONFIG } from '../support/lab.js';

const run = promisify(execFile);
const HV = 'hv2';
const P = 'cib-';
const IMAGES = '/var/lib/libvirt/images';
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKq7cloudinitE2eKeyCloudinitE2eKeyCloudin bench@laptop';

function sshStdin(command: string, input: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = execFile('ssh', ['-F', LAB_SSH_CONFIG, '-o', 'BatchMode=yes', HV, command], (err) => (err ? reject(err) : resolve()));
    child.stdin!.end(input);
  });
}

async function removeAll(): Promise<void> {
  const names = (await hostVirsh(HV, 'list', '--all', '--name')).split('\n').map((l) => l.trim()).filter((n) => n.startsWith(P));
  for (const n of names) await hostVirsh(HV, 'destroy', '--domain', n).catch(() => undefined);
  for (const n of names.sort().reverse()) await hostVirsh(HV, 'undefine', '--domain', n).catch(() => undefined);
  await hostVirsh(HV, 'pool-refresh', 'default').catch(() => undefined);
  const vols = (await inHost(HV, 'ls', '-1', IMAGES)).split('\n').filter((v) => v.startsWith(P));
  // Overlays before the template's disk they are backed by.
  for (const v of vols.sort((a, b) => Number(a.startsWith(`${P}tpl.`)) - Number(b.startsWith(`${P}tpl.`)))) await hostVirsh(HV, 'vol-delete', '--pool', 'default', '--vol', v).catch(() => undefined);
  await inHost(HV, 'sh', '-c', `rm -f /var/log/libvirt/qemu/${P}*-serial.log`).catch(() => undefined);
}

const report = (vm: string) => run('bash', [join(LAB_DIR, 'guest-report.sh'), HV, vm, '300']);

function spec(name: string, mac: string): NewVmSpec {
  const host: HostOffer = { arch: 'x86_64', kvm: false, machines: ['q35', 'pc'], uefi: false, secureBoot: false, tpmEmulator: false, cpus: 2, memoryKiB: 4 << 20, memoryFreeKiB: 2 << 20, numaCells: 1 };
  const os = BUILTIN_OSES.find((o) => o.shortId === 'linux2022')!;
  return withOsDefaults({
    name, os, arch: 'x86_64', machine: 'q35', domainType: 'qemu', vcpus: 1, memoryMiB: 192, firmware: 'bios', secureBoot: false, tpm: false,
    media: { kind: 'import' }, disk: { kind: 'none' }, diskBus: 'virtio', nic: { type: 'bridge', source: 'br-lan', mac, model: 'virtio' }, video: 'vga', serialLog: true, autostart: false,
  }, os, host);
}

export async function cloudBench(): Promise<{ toReport: number; toReportBaseline: number; deploy10: number; deploy10Baseline: number }> {
  await removeAll();
  const dataDir = mkdtempSync(join(tmpdir(), 'vd-bench-cloud-'));
  const backend = new Backend({ dataDir, sshConfigPath: LAB_SSH_CONFIG });
  try {
    const listed = new Promise<string>((resolve) => backend.onEvent((e) => e.type === 'host.vms' && resolve(e.hostId)));
    const added = await backend.request('hosts.add', { target: HV });
    if (!added.ok) throw new Error(added.error.message);
    const hostId = await listed;
    const cloud = { hostname: 'cib-vm', user: 'admin', sshKeys: [KEY] };
    const image = { pool: 'default', volume: 'virtdeck-cloud.qcow2' };

    // One VM from the image, Create to the guest's report.
    let t0 = performance.now();
    const made = await backend.request('cloud.create', { hostId, spec: spec(`${P}vm`, '52:54:00:c1:b0:01'), image, disk: { pool: 'default', volume: `${P}vm.qcow2`, sizeGiB: 1, linked: true }, cloud, start: true });
    if (!made.ok) throw new Error(made.error.message);
    await report(`${P}vm`);
    const toReport = (performance.now() - t0) / 1000;
    await hostVirsh(HV, 'destroy', '--domain', `${P}vm`).catch(() => undefined);
    // The same image booted by hand: an overlay and the VM's XML (no seed), over one ssh.
    const xml = (await hostVirsh(HV, 'dumpxml', '--inactive', '--domain', `${P}vm`)).replaceAll(`${P}vm`, `${P}by-hand`).replace(/<uuid>[^<]*<\/uuid>/, '').replace(/<mac address='[^']+'\/>/, '');
    const v = 'virsh -c qemu:///system';
    t0 = performance.now();
    await sshStdin(`${v} vol-create-as default ${P}by-hand.qcow2 1G --format qcow2 --backing-vol virtdeck-cloud.qcow2 --backing-vol-format qcow2 >/dev/null && ${v} define /dev/stdin >/dev/null && ${v} start ${P}by-hand >/dev/null`, xml);
    await report(`${P}by-hand`);
    const toReportBaseline = (performance.now() - t0) / 1000;
    await hostVirsh(HV, 'destroy', '--domain', `${P}by-hand`).catch(() => undefined);

    // A template (not started), then ten linked clones with a seed each.
    const tpl = await backend.request('cloud.create', { hostId, spec: spec(`${P}tpl`, '52:54:00:c1:b0:02'), image, disk: { pool: 'default', volume: `${P}tpl.qcow2`, sizeGiB: 1, linked: true }, cloud, start: false });
    if (!tpl.ok) throw new Error(tpl.error.message);
    const marked = await backend.request('vm.setTemplate', { hostId, name: `${P}tpl`, template: true });
    if (!marked.ok) throw new Error(marked.error.message);
    t0 = performance.now();
    for (let i = 1; i <= 10; i++) {
      const r = await backend.request('cloud.deploy', { hostId, template: `${P}tpl`, name: `${P}d-${i}`, linked: true, cloud: { ...cloud, hostname: `cib-d-${i}` }, start: false });
      if (!r.ok) throw new Error(r.error.message);
    }
    const deploy10 = performance.now() - t0;
    // By hand: for each, an overlay on the template's disk and a define (XML prepared), one ssh.
    const txml = await hostVirsh(HV, 'dumpxml', '--inactive', '--domain', `${P}tpl`);
    const script = Array.from({ length: 10 }, (_, j) => {
      const n = `${P}h-${j + 1}`;
      return `${v} vol-create-as default ${n}.qcow2 1G --format qcow2 --backing-vol ${P}tpl.qcow2 --backing-vol-format qcow2 >/dev/null && sed -e 's/${P}tpl/${n}/g' -e '/<uuid>/d' -e '/<mac /d' -e '/cidata/d' /tmp/${P}tpl.xml | ${v} define /dev/stdin >/dev/null`;
    }).join(' && ');
    await sshStdin(`cat > /tmp/${P}tpl.xml`, txml);
    t0 = performance.now();
    await sshStdin(script, '');
    const deploy10Baseline = performance.now() - t0;
    await sshStdin(`rm -f /tmp/${P}tpl.xml`, '');
    return { toReport, toReportBaseline, deploy10, deploy10Baseline };
  } finally {
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
    await removeAll();
  }
}
