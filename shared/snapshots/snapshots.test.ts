import { hasVirsh } from '../test-support/virsh';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SnapshotInfo } from '../contract/snapshots';
import {
  buildSnapshot, defaultSnapshotName, descendants, flattenTree, parseBlockJobRaw, parseLibvirtVersion, parseSnapshotXml, planDomain, planSnapshot,
  snapshotNameProblem, snapshotTree, versionAtLeast,
} from './index';

// As libvirt 9.0 wrote them on the lab (snapshot-dumpxml, domains cut short).
const INTERNAL_RUNNING = `<domainsnapshot>
  <name>s1</name>
  <description>before the upgrade &amp; more</description>
  <state>running</state>
  <creationTime>1796122761</creationTime>
  <memory snapshot='internal'/>
  <disks>
    <disk name='vda' snapshot='internal'/>
    <disk name='sdb' snapshot='no'/>
  </disks>
  <domain type='qemu'><name>desk-1</name></domain>
</domainsnapshot>`;

const EXTERNAL_CHILD = `<domainsnapshot>
  <name>ext 1</name>
  <state>disk-snapshot</state>
  <parent>
    <name>s1</name>
  </parent>
  <creationTime>1796122791</creationTime>
  <memory snapshot='no'/>
  <disks>
    <disk name='vda' snapshot='external' type='file'>
      <driver type='qcow2'/>
      <source file='/var/lib/libvirt/images/snapprobe.ext 1'/>
    </disk>
  </disks>
  <domain type='qemu'><name>desk-1</name></domain>
</domainsnapshot>`;

const domainXml = (disks: string, os = '') => `<domain type='qemu'>
  <name>vm</name>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>${os}
  </os>
  <devices>${disks}
  </devices>
</domain>`;
const QCOW2 = `
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/vm.qcow2'/><target dev='vda' bus='virtio'/></disk>`;
const RAW = `
    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/srv/vm data/disk.img'/><target dev='vdb' bus='virtio'/></disk>`;
const EMPTY_CDROM = `
    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='sdb' bus='sata'/><readonly/></disk>`;
const BLOCK = `
    <disk type='block' device='disk'><driver name='qemu' type='raw'/><source dev='/dev/vg/vm'/><target dev='vdc' bus='virtio'/></disk>`;
const PFLASH = `
    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>
    <nvram>/var/lib/libvirt/qemu/nvram/vm_VARS.fd</nvram>`;

describe('snapshot-dumpxml', () => {
  it('reads an internal snapshot with memory, its description and disks', () => {
    expect(parseSnapshotXml(INTERNAL_RUNNING, true)).toEqual({
      name: 's1',
      description: 'before the upgrade & more',
      parent: null,
      creationTime: 1796122761,
      state: 'running',
      memory: 'internal',
      location: 'internal',
      disks: [
        { name: 'vda', snapshot: 'internal' },
        { name: 'sdb', snapshot: 'no' },
      ],
      current: true,
    } satisfies SnapshotInfo);
  });

  it('reads a disk-only external child with its overlay and parent', () => {
    expect(parseSnapshotXml(EXTERNAL_CHILD)).toMatchObject({
      name: 'ext 1',
      parent: 's1',
      state: 'disk-snapshot',
      memory: 'no',
      location: 'external',
      disks: [{ name: 'vda', snapshot: 'external', file: '/var/lib/libvirt/images/snapprobe.ext 1' }],
      current: false,
    });
  });

  it('refuses what is not a snapshot', () => {
    expect(() => parseSnapshotXml('<domain/>')).toThrow('not a snapshot');
  });
});

describe('the tree', () => {
  const s = (name: string, parent: string | null, t: number): SnapshotInfo => ({
    name, parent, creationTime: t, description: '', state: 'shutoff', memory: 'no', location: 'internal', disks: [], current: false,
  });
  const list = [s('c', 'a', 3), s('a', null, 1), s('b', 'a', 2), s('d', 'b', 4), s('orphan', 'gone', 5)];

  it('puts children under parents, oldest first; a missing parent makes a root', () => {
    const flat = flattenTree(snapshotTree(list)).map((n) => `${'  '.repeat(n.depth)}${n.snapshot.name}`);
    expect(flat).toEqual(['a', '  b', '    d', '  c', 'orphan']);
  });

  it('names the descendants a delete with children removes', () => {
    expect(descendants(list, 'a').sort()).toEqual(['b', 'c', 'd']);
    expect(descendants(list, 'd')).toEqual([]);
  });
});

describe('internal or external', () => {
  it('is internal for qcow2 disks (an empty CD-ROM left out)', () => {
    const dom = planDomain(domainXml(QCOW2 + EMPTY_CDROM));
    expect(planSnapshot(dom, { running: true, memory: true })).toEqual({ location: 'internal', reasons: [] });
    expect(planSnapshot(dom, { running: false, memory: false })).toEqual({ location: 'internal', reasons: [] });
  });

  it('is external for a raw disk, for pflash NVRAM and for a running VM without its memory, saying why', () => {
    expect(planSnapshot(planDomain(domainXml(QCOW2 + RAW)), { running: false, memory: false })).toEqual({
      location: 'external',
      reasons: ['disk vdb is raw, not qcow2: only qcow2 holds internal snapshots'],
    });
    expect(planSnapshot(planDomain(domainXml(QCOW2, PFLASH)), { running: true, memory: true }).reasons).toEqual([
      'UEFI firmware with pflash NVRAM: libvirt takes no internal snapshot of it',
    ]);
    expect(planSnapshot(planDomain(domainXml(QCOW2)), { running: true, memory: false })).toMatchObject({ location: 'external' });
  });

  it('refuses an external snapshot of a block device (no folder for the overlay)', () => {
    expect(planSnapshot(planDomain(domainXml(BLOCK)), { running: false, memory: false }).refusal).toMatch(/disk vdc is not a file \(block\)/);
  });
});

describe('the snapshot XML and flags', () => {
  it('internal with memory: every disk internal, the CD-ROM left out', () => {
    const cmd = buildSnapshot(planDomain(domainXml(QCOW2 + EMPTY_CDROM)), { name: 'a <b> & "c"', description: "it's", memory: true }, { running: true, stamp: 'T' });
    expect(cmd.flags).toEqual(['--atomic']);
    expect(cmd.files).toEqual([]);
    expect(cmd.xml).toContain('<name>a &lt;b&gt; &amp; "c"</name>');
    expect(cmd.xml).toContain("<memory snapshot='internal'/>");
    expect(cmd.xml).toContain("<disk name='vda' snapshot='internal'/>");
    expect(cmd.xml).toContain("<disk name='sdb' snapshot='no'/>");
  });

  it('external disk-only: overlays beside each disk, named safely, with quiesce', () => {
    const cmd = buildSnapshot(planDomain(domainXml(QCOW2 + RAW)), { name: "x'$(rm -rf /); ü", memory: false, quiesce: true }, { running: true, stamp: '20261201T1100' });
    expect(cmd.location).toBe('external');
    expect(cmd.flags).toEqual(['--atomic', '--disk-only', '--quiesce']);
    expect(cmd.files).toEqual(['/var/lib/libvirt/images/vm.x-rm-rf-20261201T1100.qcow2', '/srv/vm data/disk.x-rm-rf-20261201T1100.qcow2']);
    expect(cmd.xml).toContain("<name>x'$(rm -rf /); ü</name>");
    expect(cmd.xml).toContain("<source file='/srv/vm data/disk.x-rm-rf-20261201T1100.qcow2'/>");
  });

  it('external with memory: a memory file beside the first disk', () => {
    const cmd = buildSnapshot(planDomain(domainXml(QCOW2, PFLASH)), { name: 'm', memory: true }, { running: true, stamp: 'T' });
    expect(cmd.flags).toEqual(['--atomic']);
    expect(cmd.xml).toContain("<memory snapshot='external' file='/var/lib/libvirt/images/vm.m-T.mem'/>");
  });

  it('a shut-off VM: no memory, disk-only only when external', () => {
    expect(buildSnapshot(planDomain(domainXml(QCOW2)), { name: 'off', memory: true }, { running: false, stamp: 'T' }).flags).toEqual(['--atomic']);
    expect(buildSnapshot(planDomain(domainXml(RAW)), { name: 'off', memory: true }, { running: false, stamp: 'T' }).flags).toEqual(['--atomic', '--disk-only']);
  });
});

describe('names, versions, block jobs', () => {
  it('refuses empty, taken, slashed and control-character names', () => {
    expect(snapshotNameProblem('  ')).toBe('A snapshot needs a name');
    expect(snapshotNameProblem('a', ['a'])).toMatch(/already exists/);
    expect(snapshotNameProblem('a/b')).toMatch(/'\/'/);
    expect(snapshotNameProblem('a\nb')).toMatch(/control/);
    expect(snapshotNameProblem("it's $(x) ü")).toBeNull();
  });

  it('names a default after the time', () => {
    expect(defaultSnapshotName(new Date(2026, 11, 1, 9, 5, 7))).toBe('snapshot-2026-12-01-090507');
  });

  it('reads the library version whatever the language', () => {
    expect(parseLibvirtVersion('Compiled against library: libvirt 9.0.0\nUsing library: libvirt 9.0.0\n')).toBe('9.0.0');
    expect(parseLibvirtVersion('Gegen Bibliothek kompiliert: libvirt 9.0.0\nVerwende Bibliothek: libvirt 9.0.0\n')).toBe('9.0.0');
    expect(versionAtLeast('9.0.0', '9.9.0')).toBe(false);
    expect(versionAtLeast('10.0.0', '9.9.0')).toBe(true);
    expect(versionAtLeast('9.9.0', '9.9.0')).toBe(true);
    expect(versionAtLeast(null, '9.9.0')).toBe(false);
  });

  it('reads blockjob --raw', () => {
    expect(parseBlockJobRaw(' type=4,bandwidth=0,cur=1048576,end=16777216\n')).toEqual({ cur: 1048576, end: 16777216 });
    expect(parseBlockJobRaw('\n')).toBeNull();
  });
});

// libvirt's own parser: the test driver takes the XML we build and gives back what it stored.
describe.skipIf(!hasVirsh)('libvirt reads the snapshot XML we write (test:///default)', () => {
  it('keeps a hostile name and description as written', () => {
    const name = `it's "a" <b> & $(echo x); ü`;
    const cmd = buildSnapshot({ disks: [], pflash: false }, { name, description: 'line & more', memory: true }, { running: true, stamp: 'T' });
    const file = join(mkdtempSync(join(tmpdir(), 'vd-snap-')), 'snap.xml');
    writeFileSync(file, cmd.xml);
    // One virsh run: the test driver forgets everything between connections.
    const out = execFileSync('virsh', ['-q', '-c', 'test:///default', `snapshot-create test --xmlfile ${file} --atomic --no-metadata; snapshot-create test --xmlfile ${file}; snapshot-dumpxml test --snapshotname 'it'\\''s "a" <b> & $(echo x); ü'`], { encoding: 'utf8' });
    const xml = out.slice(out.indexOf('<domainsnapshot>'));
    expect(parseSnapshotXml(xml)).toMatchObject({ name, description: 'line & more', state: 'running', memory: 'internal' });
  });
});
