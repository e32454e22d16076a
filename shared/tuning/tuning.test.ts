import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readDomain } from '../domain-xml/read';
import { hasVirsh } from '../test-support/virsh';
import { buildPlan, groupFindings, pickKind, picksOf, planVm, reportCsv, reportMarkdown, runSummary, scanSummary, scanVm, type TuningRun, type VmFindings } from './index';

const FIXTURES = join(__dirname, '..', 'domain-xml', 'fixtures', 'real-world');
const WIN10 = readFileSync(join(FIXTURES, 'rw-win10-inactive.xml'), 'utf8');

/** A VM as a fresh install leaves it (the lab's legacy template): SATA disk + CD-ROM, e1000, VGA. */
const legacy = (name: string, mac = '52:54:00:aa:00:01') => `<domain type='qemu'>
  <name>${name}</name>
  <uuid>0b6a1f0e-0000-4000-8000-${mac.replace(/:/g, '').slice(0, 12)}</uuid>
  <memory unit='KiB'>131072</memory>
  <currentMemory unit='KiB'>131072</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/${name}.qcow2'/>
      <target dev='sda' bus='sata'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <target dev='sdb' bus='sata'/>
      <readonly/>
    </disk>
    <interface type='network'>
      <mac address='${mac}'/>
      <source network='default'/>
      <model type='e1000'/>
    </interface>
    <video>
      <model type='vga' vram='16384' heads='1' primary='yes'/>
    </video>
  </devices>
</domain>
`;

const scan = (hostId: string, name: string, xml: string, running = false): VmFindings =>
  scanVm({ hostId, hostLabel: hostId, name, running, xml, facts: { volumes: [] } });

describe('scan: the advisor over a fleet, grouped by kind and host', () => {
  const fleet = [scan('hv1', 'a', legacy('a')), scan('hv1', 'b', legacy('b', '52:54:00:aa:00:02'), true), scan('hv2', 'c', legacy('c', '52:54:00:aa:00:03')), scan('hv2', 'win', WIN10)];

  test('each legacy VM has a disk-bus and a nic-model finding; the Windows guest gets the safe path, never a bus move', () => {
    const kinds = (v: VmFindings) => v.findings.map((f) => f.kind);
    for (const v of fleet.slice(0, 3)) expect(kinds(v)).toEqual(expect.arrayContaining(['disk-bus', 'nic-model', 'memballoon', 'video-model', 'guest-agent', 'disk-discard']));
    const win = fleet[3]!;
    expect(win.windows).toBe(true);
    expect(kinds(win)).toContain('windows-virtio-drivers');
    expect(kinds(win)).not.toContain('disk-bus');
    expect(win.findings.filter((f) => f.kind === 'nic-model').every((f) => !f.inBulk && f.severity === 'warn')).toBe(true);
  });

  test('counts per kind and per host', () => {
    const groups = groupFindings(fleet);
    const bus = groups.find((g) => g.kind === 'disk-bus')!;
    expect(bus).toMatchObject({ findings: 3, vms: 3, byHost: { hv1: { findings: 2, vms: 2 }, hv2: { findings: 1, vms: 1 } } });
    const nic = groups.find((g) => g.kind === 'nic-model')!;
    expect(nic.vms).toBe(fleet.filter((v) => v.findings.some((f) => f.kind === 'nic-model')).length);
    expect(groups[0]!.kind).toBe('disk-bus');
    expect(groups.find((g) => g.kind === 'windows-virtio-drivers')).toMatchObject({ findings: 1, byHost: { hv2: { vms: 1 } } });
    expect(scanSummary(fleet, groups)).toMatch(/^4 VMs on 2 hosts can be tuned: 3 × Disks on SATA\/IDE → virtio-scsi/);
  });

  test('select all of a kind takes only bulk-safe findings (no Windows NIC), optionally of one host', () => {
    expect(pickKind(fleet, 'nic-model').map((p) => p.name)).toEqual(['a', 'b', 'c']);
    expect(pickKind(fleet, 'disk-bus', 'hv2')).toEqual([{ hostId: 'hv2', name: 'c', findingId: 'disk-bus:sda' }]);
  });
});

describe('plan', () => {
  const a = scan('hv1', 'a', legacy('a'));
  const b = scan('hv1', 'b', legacy('b', '52:54:00:aa:00:02'), true);

  test('disk to virtio-scsi + NIC to virtio: edits, diff, timing, risks, snapshot advised; the base XML is the undo data', () => {
    const item = planVm(a, ['nic-model:0', 'disk-bus:sda']);
    if (typeof item === 'string') throw new Error(item);
    expect(item.edits.map((e) => e.kind)).toEqual(['set-nic-model', 'set-disk-bus']);
    const after = readDomain(item.afterXml);
    expect(after.disks.find((d) => d.target === 'sda')?.bus).toBe('scsi');
    expect(after.controllers.some((c) => c.type === 'scsi' && c.model === 'virtio-scsi')).toBe(true);
    expect(after.interfaces[0]).toMatchObject({ model: 'virtio', mac: '52:54:00:aa:00:01' });
    expect(item.diff).toContain("-       <target dev='sda' bus='sata'/>");
    expect(item.diff).toMatch(/\+ .*<model type='virtio'\/>/);
    expect(item.timing).toBe('next-start');
    expect(item.snapshotAdvised).toBe(true);
    expect(item.baseXml).toBe(a.xml);
    expect(item.risks.join('\n')).toMatch(/virtio_scsi/);
  });

  test('a running VM needs a restart for a bus move; balloon statistics alone on a running VM are live', () => {
    const item = planVm(b, ['disk-bus:sda']);
    if (typeof item === 'string') throw new Error(item);
    expect(item.timing).toBe('restart');
    expect(item.risks.join('\n')).toMatch(/b is running: 1 change\(s\) wait for a restart/);
    const withBalloon = scan('hv1', 'x', legacy('x').replace('<video>', "<memballoon model='virtio'/>\n    <video>"), true);
    const stats = planVm(withBalloon, ['memballoon-stats']);
    if (typeof stats === 'string') throw new Error(stats);
    expect(stats).toMatchObject({ timing: 'live', snapshotAdvised: false });
  });

  test('picks of one VM merge; unknown VMs and vanished findings are dropped with a reason', () => {
    const plan = buildPlan([a, b], [
      { hostId: 'hv1', name: 'a', findingIds: ['disk-bus:sda'] },
      { hostId: 'hv1', name: 'a', findingIds: ['nic-model:0'] },
      { hostId: 'hv1', name: 'gone', findingIds: ['nic-model:0'] },
      { hostId: 'hv1', name: 'b', findingIds: ['disk-bus:vdz'] },
    ]);
    expect(plan.items.map((i) => [i.name, i.findings.map((f) => f.id)])).toEqual([['a', ['disk-bus:sda', 'nic-model:0']]]);
    expect(plan.dropped).toEqual([
      { hostId: 'hv1', name: 'gone', reason: 'not found on its host' },
      { hostId: 'hv1', name: 'b', reason: 'no longer found: disk-bus:vdz' },
    ]);
    expect(picksOf([{ hostId: 'h', name: 'v', findingId: 'x' }, { hostId: 'h', name: 'v', findingId: 'x' }, { hostId: 'h', name: 'v', findingId: 'y' }])).toEqual([{ hostId: 'h', name: 'v', findingIds: ['x', 'y'] }]);
  });

  test('300 VMs on one host: scan, group and plan every disk and NIC', () => {
    const vms = Array.from({ length: 300 }, (_, i) => scan('hv1', `vm-${i}`, legacy(`vm-${i}`, `52:54:00:bb:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`), i % 2 === 0));
    const groups = groupFindings(vms);
    expect(groups.find((g) => g.kind === 'disk-bus')).toMatchObject({ findings: 300, vms: 300, byHost: { hv1: { vms: 300 } } });
    const plan = buildPlan(vms, picksOf([...pickKind(vms, 'disk-bus'), ...pickKind(vms, 'nic-model')]));
    expect(plan.items).toHaveLength(300);
    expect(plan.dropped).toEqual([]);
    expect(plan.items.filter((i) => i.timing === 'restart')).toHaveLength(150);
    expect(new Set(plan.items.map((i) => readDomain(i.afterXml).interfaces[0]!.model))).toEqual(new Set(['virtio']));
  });
});

describe('report', () => {
  const run: TuningRun = {
    runId: 'tune-1',
    kind: 'apply',
    title: 'Tuning plan: 2 VMs',
    state: 'done',
    options: { snapshotFirst: true, restart: 'restart-now', perHost: 2 },
    startedAt: Date.UTC(2026, 0, 1),
    endedAt: Date.UTC(2026, 0, 1, 0, 1),
    undoable: true,
    items: [
      { hostId: 'h1', hostLabel: 'hv1', name: 'a, "quoted"', status: 'restarted', changes: ['Disk sda is on SATA', 'NIC 1 is an emulated e1000 card'], snapshot: 'before tuning' },
      { hostId: 'h1', hostLabel: 'hv1', name: 'b|pipe', status: 'skipped', changes: ['NIC 1 is an emulated e1000 card'], message: 'changed since the plan' },
    ],
  };
  test('Markdown and CSV list every change and every skip', () => {
    expect(runSummary(run)).toBe('1 applied and restarted, 1 skipped');
    const md = reportMarkdown(run);
    expect(md).toContain('| hv1 | a, "quoted" | applied and restarted | Disk sda is on SATA; NIC 1 is an emulated e1000 card | before tuning |  |');
    expect(md).toContain('| hv1 | b\\|pipe | skipped | not made (planned: NIC 1 is an emulated e1000 card) |  | changed since the plan |');
    const csv = reportCsv(run).split('\r\n');
    expect(csv[0]).toBe('host,vm,status,changes,snapshot,message,started,ended');
    expect(csv[1]).toBe('hv1,"a, ""quoted""",restarted,Disk sda is on SATA; NIC 1 is an emulated e1000 card,before tuning,,,');
    expect(csv).toHaveLength(4);
  });
});

describe.skipIf(!hasVirsh)("libvirt's parser takes the planned XML (test:///default, define --validate)", () => {
  test('the after-XML of a legacy VM defines', () => {
    const item = planVm(scan('hv1', 'tune-parse', legacy('tune-parse')), ['disk-bus:sda', 'nic-model:0', 'memballoon', 'video-model:0', 'guest-agent']);
    if (typeof item === 'string') throw new Error(item);
    const dir = mkdtempSync('/tmp/tuning-');
    try {
      writeFileSync(`${dir}/d.xml`, item.afterXml);
      const r = spawnSync('virsh', ['-q', '-c', 'test:///default'], { input: `define --validate ${dir}/d.xml\ndumpxml --inactive --domain tune-parse\n`, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain("bus='scsi'");
      expect(r.stdout).toContain("<model type='virtio'/>");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
