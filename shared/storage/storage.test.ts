// Pool and volume XML: built for each kind and checked by libvirt's own parsers where they are
// installed (virt-xml-validate's schemas and the test driver's pool-define / vol-create); read
// back from dumpxml-shaped documents; and the used-by / orphan join.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildPoolXml, buildVolumeXml, describePoolSource, isIsoVolume, isThin, parsePoolXml, parseVolumeXml, poolUsers, volumeKey, volumeUses, type PoolSpec } from './index';

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const hasVirsh = has('virsh');
const hasValidate = has('virt-xml-validate') && has('xmllint');
if (!hasVirsh) console.log('skipping the test driver checks of pool/volume XML: virsh not installed (apt-get install libvirt-clients)');
const dir = mkdtempSync(join(tmpdir(), 'storage-xml-'));
let seq = 0;
const file = (xml: string) => {
  const f = join(dir, `x${seq++}.xml`);
  writeFileSync(f, xml);
  return f;
};
/** Run virsh against a fresh test driver (each process gets its own). */
const virsh = (...args: string[]) => spawnSync('virsh', ['-q', '-c', 'test:///default', ...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });

const HOSTILE = `it's "a" $(touch x); ü €`;
const SPECS: PoolSpec[] = [
  { kind: 'dir', name: 'images', targetPath: '/var/lib/libvirt/images/x' },
  { kind: 'dir', name: HOSTILE, targetPath: `/srv/${HOSTILE}` },
  { kind: 'fs', name: 'fs1', sourceDevice: '/dev/sdb1', sourceFormat: 'ext4', targetPath: '/mnt/fs1' },
  { kind: 'logical', name: 'vg-pool', sourceName: 'vg0', sourceDevice: '/dev/loop7' },
  { kind: 'logical', name: 'existing' },
  { kind: 'netfs', name: 'nfs', sourceHost: 'nfs.example.com', sourceDir: '/srv/images', targetPath: '/mnt/nfs' },
  { kind: 'iscsi', name: 'san', sourceHost: '192.0.2.50', iqn: 'iqn.2024-01.com.example:t1' },
];

describe('pool XML', () => {
  test.each(SPECS.map((s) => [`${s.kind} ${s.name}`, s] as const))('%s: built, read back the same', (_n, spec) => {
    const view = parsePoolXml(buildPoolXml(spec));
    expect(view.name).toBe(spec.name);
    expect(view.type).toBe(spec.kind);
    if (spec.kind === 'logical') expect(view.targetPath).toBe(`/dev/${spec.sourceName ?? spec.name}`);
    else if (spec.targetPath) expect(view.targetPath).toBe(spec.targetPath);
    if (spec.sourceDevice) expect(view.source.devices).toEqual([spec.sourceDevice]);
    if (spec.sourceHost) expect(view.source.hosts).toEqual([spec.sourceHost]);
  });

  test('each kind asks what it needs and refuses what is wrong, saying what', () => {
    expect(() => buildPoolXml({ kind: 'dir', name: 'x' })).toThrow(/needs: Folder on the host/);
    expect(() => buildPoolXml({ kind: 'netfs', name: 'x', sourceHost: 'h', targetPath: '/m' })).toThrow(/needs: Export/);
    expect(() => buildPoolXml({ kind: 'dir', name: 'a/b', targetPath: '/x' })).toThrow(/may not contain "\/"/);
    expect(() => buildPoolXml({ kind: 'dir', name: 'x', targetPath: 'relative' })).toThrow(/absolute/);
    expect(() => buildPoolXml({ kind: 'netfs', name: 'x', sourceHost: 'h;rm -rf', sourceDir: '/e', targetPath: '/m' })).toThrow(/host name/);
    expect(() => buildPoolXml({ kind: 'iscsi', name: 'x', sourceHost: 'h', iqn: 'target1' })).toThrow(/iqn\./);
    expect(() => buildPoolXml({ kind: 'dir', name: 'x\ny', targetPath: '/x' })).toThrow(/control/);
  });

  test('a hostile name is escaped, not interpreted', () => {
    const xml = buildPoolXml(SPECS[1]!);
    expect(xml).toContain('<name>it&apos;s &quot;a&quot; $(touch x); ü €</name>');
  });

  test('the source line says where the storage is', () => {
    expect(describePoolSource(parsePoolXml(buildPoolXml(SPECS[5]!)))).toBe('nfs.example.com:/srv/images');
    expect(describePoolSource(parsePoolXml(buildPoolXml(SPECS[3]!)))).toBe('vg0 on /dev/loop7');
    expect(describePoolSource(parsePoolXml(buildPoolXml(SPECS[0]!)))).toBe('');
  });

  test('pool-dumpxml of an active pool: sizes in bytes whatever the unit', () => {
    const view = parsePoolXml(`<pool type='dir'>
  <name>default</name>
  <uuid>1b2c3d4e-0000-4000-8000-000000000001</uuid>
  <capacity unit='bytes'>270549282816</capacity>
  <allocation unit='KiB'>2</allocation>
  <available>1024</available>
  <source>
  </source>
  <target>
    <path>/var/lib/libvirt/images</path>
  </target>
</pool>`);
    expect(view).toMatchObject({ name: 'default', capacity: 270549282816, allocation: 2048, available: 1024, targetPath: '/var/lib/libvirt/images' });
  });

  test('not a pool document: a clear error', () => {
    expect(() => parsePoolXml('<volume/>')).toThrow(/not a <pool>/);
  });

  describe.skipIf(!hasVirsh)('accepted by libvirt (test driver pool-define)', () => {
    test.each(SPECS.map((s) => [`${s.kind} ${s.name}`, s] as const))('%s', (_n, spec) => {
      const r = virsh('pool-define', file(buildPoolXml(spec)));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  });

  describe.skipIf(!hasValidate)('valid against libvirt schema (virt-xml-validate storagepool)', () => {
    test.each(SPECS.map((s) => [`${s.kind} ${s.name}`, s] as const))('%s', (_n, spec) => {
      const r = spawnSync('virt-xml-validate', [file(buildPoolXml(spec)), 'storagepool'], { encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`).toMatch(/validates/);
    });
  });
});

describe('volume XML', () => {
  const cases = [
    ['thin qcow2', { name: 'a.qcow2', format: 'qcow2', capacityBytes: 1 << 30, preallocate: false }, 'dir'],
    ['full raw', { name: 'b.img', format: 'raw', capacityBytes: 64 << 20, preallocate: true }, 'dir'],
    ['qcow2 overlay', { name: 'c.qcow2', format: 'qcow2', capacityBytes: 1 << 30, preallocate: false, backing: { path: '/var/lib/libvirt/images/base.qcow2', format: 'qcow2' } }, 'dir'],
    ['logical volume', { name: 'lv1', format: 'raw', capacityBytes: 8 << 20, preallocate: false }, 'logical'],
    ['hostile name', { name: HOSTILE, format: 'raw', capacityBytes: 1 << 20, preallocate: false }, 'dir'],
  ] as const;

  test.each(cases)('%s: built, read back the same', (_n, spec, poolType) => {
    const v = parseVolumeXml(buildVolumeXml(spec, poolType));
    expect(v.name).toBe(spec.name);
    expect(v.capacity).toBe(spec.capacityBytes);
    // Raw in full, and LVM always, is allocated up front; qcow2 grows.
    expect(v.allocation).toBe((spec.preallocate && spec.format === 'raw') || poolType === 'logical' ? spec.capacityBytes : 0);
    expect(v.format).toBe(poolType === 'logical' ? null : spec.format);
    expect(v.backingPath).toBe('backing' in spec ? spec.backing.path : null);
  });

  test('what a pool cannot hold is refused', () => {
    expect(() => buildVolumeXml({ name: 'x', format: 'qcow2', capacityBytes: 1, preallocate: false }, 'logical')).toThrow(/raw/);
    expect(() => buildVolumeXml({ name: 'x', format: 'raw', capacityBytes: 0, preallocate: false }, 'dir')).toThrow(/above 0/);
    expect(() => buildVolumeXml({ name: 'x', format: 'raw', capacityBytes: 1, preallocate: false, backing: { path: '/a', format: 'raw' } }, 'dir')).toThrow(/qcow2/);
    expect(() => buildVolumeXml({ name: '..', format: 'raw', capacityBytes: 1, preallocate: false }, 'dir')).toThrow(/may not be/);
  });

  test('vol-dumpxml: path, format, backing store', () => {
    const v = parseVolumeXml(`<volume type='file'>
  <name>desk-1.qcow2</name>
  <key>/var/lib/libvirt/images/desk-1.qcow2</key>
  <capacity unit='bytes'>16777216</capacity>
  <allocation unit='bytes'>204800</allocation>
  <physical unit='bytes'>197632</physical>
  <target>
    <path>/var/lib/libvirt/images/desk-1.qcow2</path>
    <format type='qcow2'/>
  </target>
  <backingStore>
    <path>/var/lib/libvirt/images/base.qcow2</path>
    <format type='qcow2'/>
  </backingStore>
</volume>`);
    expect(v).toEqual({
      name: 'desk-1.qcow2', key: '/var/lib/libvirt/images/desk-1.qcow2', type: 'file', capacity: 16777216, allocation: 204800,
      path: '/var/lib/libvirt/images/desk-1.qcow2', format: 'qcow2', backingPath: '/var/lib/libvirt/images/base.qcow2',
    });
  });

  test('ISO by libvirt\'s probe or by name; thin when less is allocated than offered', () => {
    expect(isIsoVolume({ name: 'debian.ISO', format: 'raw' })).toBe(true);
    expect(isIsoVolume({ name: 'cd', format: 'iso' })).toBe(true);
    expect(isIsoVolume({ name: 'disk.qcow2', format: 'qcow2' })).toBe(false);
    expect(isThin({ capacity: 100, allocation: 10 })).toBe(true);
    expect(isThin({ capacity: 100, allocation: 100 })).toBe(false);
    expect(isThin({ capacity: null, allocation: 0 })).toBe(false);
  });

  describe.skipIf(!hasVirsh)('accepted by libvirt (test driver vol-create in its dir pool)', () => {
    test.each(cases.filter(([, , t]) => t === 'dir'))('%s', (_n, spec, poolType) => {
      const r = virsh('vol-create', '--pool', 'default-pool', file(buildVolumeXml(spec, poolType)));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  });

  describe.skipIf(!hasValidate)('valid against libvirt schema (virt-xml-validate storagevol)', () => {
    test.each(cases)('%s', (_n, spec, poolType) => {
      const r = spawnSync('virt-xml-validate', [file(buildVolumeXml(spec, poolType)), 'storagevol'], { encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`).toMatch(/validates/);
    });
  });
});

describe('which VM uses which volume', () => {
  const vols = [
    { pool: 'default', name: 'a.qcow2', path: '/img/a.qcow2' },
    { pool: 'default', name: 'shared.img', path: '/img/shared.img' },
    { pool: 'default', name: 'base.qcow2', path: '/img/base.qcow2' },
    { pool: 'default', name: 'overlay.qcow2', path: '/img/overlay.qcow2', backingPath: '/img/base.qcow2' },
    { pool: 'default', name: 'lost.raw', path: '/img/lost.raw' },
    { pool: 'vg', name: 'lv0', path: '/dev/vg/lv0' },
  ];
  const uses = volumeUses(vols, [
    { vm: 'web', disks: [{ file: '/img/a.qcow2' }, { file: '/img//shared.img' }] },
    { vm: 'db', disks: [{ pool: 'default', volume: 'shared.img' }, { dev: '/dev/vg/lv0' }, { file: null }] },
    { vm: 'app', disks: [{ file: '/img/overlay.qcow2' }] },
  ]);
  const use = (pool: string, name: string) => uses.get(volumeKey({ pool, name }))!;

  test('by path (file or block) and by pool/volume, a shared volume naming each VM once', () => {
    expect(use('default', 'a.qcow2')).toEqual({ usedBy: ['web'], backingOf: [], orphan: false });
    expect(use('default', 'shared.img').usedBy).toEqual(['db', 'web']);
    expect(use('vg', 'lv0').usedBy).toEqual(['db']);
  });

  test('a backing volume is not an orphan; a volume nothing names is', () => {
    expect(use('default', 'base.qcow2')).toEqual({ usedBy: [], backingOf: ['default/overlay.qcow2'], orphan: false });
    expect(use('default', 'lost.raw').orphan).toBe(true);
  });

  test('a pool is used by the VMs of all its volumes', () => {
    const full = vols.map((v) => ({ ...v, ...use(v.pool, v.name) }));
    expect(poolUsers('default', full)).toEqual(['app', 'db', 'web']);
    expect(poolUsers('vg', full)).toEqual(['db']);
    expect(poolUsers('other', full)).toEqual([]);
  });
});
