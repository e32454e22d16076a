import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Element } from '@xmldom/xmldom';
import { describe, expect, test } from 'vitest';
import { applyEdits, readDomain } from './index';
import { RHEL7_LSI, RHEL9_Q35, canonicalize, changedLines } from './test-support';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/domains/', import.meta.url));
const read = (f: string): string => readFileSync(CORPUS + f, 'utf8');

const targetOf = (el: Element): string | null => {
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeName === 'target') return (c as Element).getAttribute('dev');
  }
  return null;
};

/** Canonical form without the given disks and without SCSI controllers: "everything else". */
const restOf = (xml: string, disks: string[]): string =>
  canonicalize(xml, {
    ignoreBlankText: true,
    skip: (el) =>
      (el.nodeName === 'disk' && disks.includes(targetOf(el) ?? '')) ||
      (el.nodeName === 'controller' && el.getAttribute('type') === 'scsi'),
  });

describe('set-disk-bus sata -> scsi', () => {
  test('no SCSI controller: adds virtio-scsi, drops the address, keeps boot order and everything else', () => {
    const out = applyEdits(RHEL9_Q35, [{ kind: 'set-disk-bus', target: 'sda', bus: 'scsi' }]);
    const v = readDomain(out);
    // sda stays sda: the first sdX not used by another disk (sdb is the CD-ROM).
    const disk = v.disks[0]!;
    // The drive address is written, never left for libvirt to choose.
    expect(disk).toMatchObject({ target: 'sda', bus: 'scsi', address: { type: 'drive', controller: '0', bus: '0', target: '0', unit: '0' }, bootOrder: 1 });
    expect(v.controllers.filter((c) => c.type === 'scsi')).toEqual([
      { position: 3, type: 'scsi', index: 0, model: 'virtio-scsi', address: null, disks: ['sda'] },
    ]);
    expect(changedLines(RHEL9_Q35, out)).toEqual({
      removed: ["<target dev='sda' bus='sata'/>"],
      added: ["<target dev='sda' bus='scsi'/>", "<controller type='scsi' index='0' model='virtio-scsi'/>"],
    });
    // The new controller sits after the last controller, indented like its siblings.
    expect(out).toContain(
      "      <address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/>\n    </controller>\n" +
        "    <controller type='scsi' index='0' model='virtio-scsi'/>\n    <interface type='network'>",
    );
    expect(restOf(out, ['sda'])).toBe(restOf(RHEL9_Q35, ['sda']));
  });

  test('names: the first sdX not used by another disk, shared by sata/scsi/usb', () => {
    // Both disks move; each keeps its letter because no other disk uses it.
    const out = applyEdits(RHEL9_Q35, [
      { kind: 'set-disk-bus', target: 'sdb', bus: 'scsi' },
      { kind: 'set-disk-bus', target: 'sda', bus: 'usb' },
    ]);
    expect(readDomain(out).disks.map((d) => [d.target, d.bus, d.bootOrder])).toEqual([
      ['sda', 'usb', 1],
      ['sdb', 'scsi', 2],
    ]);
    // A virtio disk moving to scsi next to them gets the first free letter, sdc.
    const withVirtio = RHEL9_Q35.replace("<target dev='sda' bus='sata'/>", "<target dev='vda' bus='virtio'/>")
      .replace("<target dev='sdb' bus='sata'/>", "<target dev='sda' bus='sata'/>");
    const v = readDomain(applyEdits(withVirtio, [{ kind: 'set-disk-bus', target: 'vda', bus: 'scsi' }]));
    expect(v.disks.map((d) => d.target)).toEqual(['sdb', 'sda']);
  });

  test('corpus bootorder-out.xml: sata CD-ROM with boot order 3 onto a new virtio-scsi controller', () => {
    const xml = read('bootorder-out.xml');
    const out = applyEdits(xml, [{ kind: 'set-disk-bus', target: 'sda', bus: 'scsi' }]);
    const v = readDomain(out);
    expect(v.disks[1]).toMatchObject({ target: 'sda', bus: 'scsi', device: 'cdrom', bootOrder: 3, address: { type: 'drive', controller: '0', bus: '0', target: '0', unit: '0' }, readonly: true });
    expect(v.controllers.filter((c) => c.type === 'scsi').map((c) => [c.index, c.model, c.disks])).toEqual([[0, 'virtio-scsi', ['sda']]]);
    // The SATA controller is now empty, and stays.
    expect(v.controllers.find((c) => c.type === 'sata')).toMatchObject({ index: 0, disks: [] });
    expect(restOf(out, ['sda'])).toBe(restOf(xml, ['sda']));
  });

  test('existing lsilogic controller becomes virtio-scsi in place (index and PCI address kept)', () => {
    const out = applyEdits(RHEL7_LSI, [{ kind: 'set-disk-bus', target: 'hda', bus: 'scsi' }]);
    expect(changedLines(RHEL7_LSI, out)).toEqual({
      removed: [
        '<target dev="hda" bus="ide"/>',
        '<address type="drive" controller="0" bus="0" target="0" unit="0"/>',
        '<controller type="scsi" index="0" model="lsilogic">',
      ],
      // sda holds unit 0 by libvirt's default (no address): the moved disk takes unit 1.
      added: ['<target dev="sdb" bus="scsi"/>', '<address type="drive" controller="0" bus="0" target="0" unit="1"/>', '<controller type="scsi" index="0" model="virtio-scsi">'],
    });
    const v = readDomain(out);
    expect(v.controllers.find((c) => c.type === 'scsi')).toMatchObject({
      index: 0, model: 'virtio-scsi', address: { type: 'pci', slot: '0x05' }, disks: ['sdb', 'sda'],
    });
    // The IDE controller loses its only disk but is not deleted.
    expect(v.controllers.find((c) => c.type === 'ide')).toMatchObject({ disks: [] });
  });

  test('a controller with no model (hypervisor default = LSI) becomes virtio-scsi', () => {
    const xml = RHEL7_LSI.replace(' model="lsilogic"', '');
    const out = applyEdits(xml, [{ kind: 'set-disk-bus', target: 'hda', bus: 'scsi' }]);
    expect(readDomain(out).controllers.find((c) => c.type === 'scsi')!.model).toBe('virtio-scsi');
  });

  test('an existing virtio-scsi controller is reused; nothing is added', () => {
    const xml = RHEL7_LSI.replace('model="lsilogic"', 'model="virtio-scsi"');
    const out = applyEdits(xml, [{ kind: 'set-disk-bus', target: 'hda', bus: 'scsi' }]);
    expect(readDomain(out).controllers.filter((c) => c.type === 'scsi')).toHaveLength(1);
    expect(changedLines(xml, out).added).toEqual(['<target dev="sdb" bus="scsi"/>', '<address type="drive" controller="0" bus="0" target="0" unit="1"/>']);
  });

  test('a non-LSI, non-virtio SCSI controller (vmpvscsi) is left alone; a virtio-scsi one is added', () => {
    const xml = RHEL7_LSI.replace('model="lsilogic"', 'model="vmpvscsi"');
    const out = applyEdits(xml, [{ kind: 'set-disk-bus', target: 'hda', bus: 'scsi' }]);
    const v = readDomain(out);
    expect(v.controllers.filter((c) => c.type === 'scsi').map((c) => [c.index, c.model])).toEqual([
      [0, 'vmpvscsi'],
      [1, 'virtio-scsi'],
    ]);
    // libvirt would put an addressless sdb on controller 0, so the disk says where it goes.
    expect(v.disks[0]).toMatchObject({ target: 'sdb', address: { type: 'drive', controller: '1', bus: '0', target: '0', unit: '0' } });
    expect(v.controllers.find((c) => c.index === 1 && c.type === 'scsi')!.disks).toEqual(['sdb']);
  });

  test('a name past the first 7 units still lands on the virtio-scsi controller', () => {
    // sda..sdg taken by SATA disks; the moved disk becomes sdh, which libvirt maps to controller 1.
    const sata = ['a', 'b', 'c', 'd', 'e', 'f', 'g']
      .map((l) => `<disk type="file" device="disk"><source file="/x/${l}"/><target dev="sd${l}" bus="sata"/></disk>`)
      .join('');
    const xml = `<domain type="kvm"><name>many</name><devices>${sata}<disk type="file" device="disk"><source file="/x/v"/><target dev="vda" bus="virtio"/></disk></devices></domain>`;
    const out = applyEdits(xml, [{ kind: 'set-disk-bus', target: 'vda', bus: 'scsi' }]);
    const v = readDomain(out);
    expect(v.disks[7]).toMatchObject({ target: 'sdh', bus: 'scsi', address: { type: 'drive', controller: '0', unit: '0' } });
    expect(v.controllers).toMatchObject([{ type: 'scsi', index: 0, model: 'virtio-scsi', disks: ['sdh'] }]);
  });

  test('virtio-only driver options are dropped when leaving virtio', () => {
    const xml = `<domain type="kvm"><name>q</name><devices><disk type="file" device="disk" model="virtio-non-transitional"><driver name="qemu" type="raw" queues="4" iothread="1"/><source file="/x"/><target dev="vda" bus="virtio"/></disk></devices></domain>`;
    const out = applyEdits(xml, [{ kind: 'set-disk-bus', target: 'vda', bus: 'scsi' }]);
    expect(out).toContain('<disk type="file" device="disk"><driver name="qemu" type="raw"/><source file="/x"/><target dev="sda" bus="scsi"/><address type="drive" controller="0" bus="0" target="0" unit="0"/></disk>');
  });
});

describe('set-disk-bus to virtio, sata, ide', () => {
  test('sata -> virtio gives vdX and drops the drive address, boot order kept', () => {
    const out = applyEdits(RHEL9_Q35, [{ kind: 'set-disk-bus', target: 'sda', bus: 'virtio' }]);
    expect(changedLines(RHEL9_Q35, out)).toEqual({
      removed: ["<target dev='sda' bus='sata'/>", "<address type='drive' controller='0' bus='0' target='0' unit='0'/>"],
      added: ["<target dev='vda' bus='virtio'/>"],
    });
    expect(readDomain(out).disks[0]).toMatchObject({ target: 'vda', bus: 'virtio', bootOrder: 1, address: null });
  });

  test('ide -> virtio picks the first free vdX', () => {
    const xml = read('change-disk-in.xml'); // vda..vdd already used
    const out = applyEdits(xml, [{ kind: 'set-disk-bus', target: 'hda', bus: 'virtio' }]);
    expect(readDomain(out).disks[0]).toMatchObject({ target: 'vde', bus: 'virtio', serial: 'WD-WMAP9A966149' });
  });

  test('corpus disk-change-bus-in.xml: virtio disk -> ide becomes hdb (hda is taken)', () => {
    const xml = read('disk-change-bus-in.xml');
    const out = applyEdits(xml, [{ kind: 'set-disk-bus', target: 'vda', bus: 'ide' }]);
    expect(changedLines(xml, out)).toEqual({
      removed: [
        "<target dev='vda' bus='virtio'/>",
        "<address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>",
      ],
      added: ["<target dev='hdb' bus='ide'/>"],
    });
  });

  test('virtio -> sata on q35 gives sdX after the used ones', () => {
    const out = applyEdits(read('controller-attached-devices.xml'), [{ kind: 'set-disk-bus', target: 'vda', bus: 'sata' }]);
    const v = readDomain(out);
    expect(v.disks[0]).toMatchObject({ target: 'sdb', bus: 'sata', address: null });
    expect(v.controllers.find((c) => c.type === 'sata')!.disks).toEqual(['sdb', 'sda']);
  });

  test('the same bus is a no-op', () => {
    expect(applyEdits(RHEL9_Q35, [{ kind: 'set-disk-bus', target: 'sda', bus: 'sata' }])).toBe(RHEL9_Q35);
  });
});

describe('set-disk-bus refusals leave the input untouched', () => {
  const cases: [string, string, Parameters<typeof applyEdits>[1][number], RegExp][] = [
    ['CD-ROM to virtio', RHEL9_Q35, { kind: 'set-disk-bus', target: 'sdb', bus: 'virtio' }, /CD-ROM cannot use bus virtio/],
    ['unknown target', RHEL9_Q35, { kind: 'set-disk-bus', target: 'vdz', bus: 'scsi' }, /no disk with target 'vdz' \(disks: sda, sdb\)/],
    ['invalid bus', RHEL9_Q35, { kind: 'set-disk-bus', target: 'sda', bus: 'nvme' as 'scsi' }, /invalid disk bus 'nvme'/],
    ['IDE on q35', RHEL9_Q35, { kind: 'set-disk-bus', target: 'sda', bus: 'ide' }, /q35 machine type has no IDE/],
    ['floppy', read('change-disk-in.xml'), { kind: 'set-disk-bus', target: 'fda', bus: 'sata' }, /floppy/],
    ['LUN to sata', read('change-disk-in.xml'), { kind: 'set-disk-bus', target: 'hdd', bus: 'sata' }, /LUN/],
  ];
  test.each(cases)('%s', (_name, xml, edit, message) => {
    const before = xml.slice();
    expect(() => applyEdits(xml, [edit])).toThrow(message);
    expect(xml).toBe(before);
  });

  test('no fifth IDE slot', () => {
    const disks = ['hda', 'hdb', 'hdc', 'hdd']
      .map((t) => `<disk device="disk" type="file"><source file="/${t}"/><target dev="${t}" bus="ide"/></disk>`)
      .join('');
    const xml = `<domain type="kvm"><name>i</name><os><type machine="pc">hvm</type></os><devices>${disks}<disk device="disk" type="file"><source file="/v"/><target dev="vda" bus="virtio"/></disk></devices></domain>`;
    expect(() => applyEdits(xml, [{ kind: 'set-disk-bus', target: 'vda', bus: 'ide' }])).toThrow(/no free IDE slot/);
  });

  test('a failing edit after a good one returns nothing half-done', () => {
    let result: string | undefined;
    expect(() => {
      result = applyEdits(RHEL9_Q35, [
        { kind: 'set-disk-bus', target: 'sda', bus: 'scsi' },
        { kind: 'set-disk-bus', target: 'sdb', bus: 'virtio' },
      ]);
    }).toThrow(/edit 2 \(set-disk-bus\): .*CD-ROM/);
    expect(result).toBeUndefined();
  });
});

// SCSI drive addresses against host devices and explicit addresses, each result checked with
// libvirt's own parser (virsh -c test:///default define) where virsh is installed.
const virshDefines = (() => {
  const has = spawnSync('virsh', ['--version']).status === 0;
  if (!has) console.log('skipping virsh define checks of SCSI addresses: virsh not installed');
  const dir = has ? mkdtempSync(join(tmpdir(), 'vd-scsi-')) : '';
  let n = 0;
  return (xml: string): string | true => {
    if (!has) return true;
    const file = join(dir, `d${n++}.xml`);
    writeFileSync(file, xml);
    const r = spawnSync('virsh', ['-q', '-c', 'test:///default', 'define', file], { encoding: 'utf8' });
    return r.status === 0 ? true : r.stderr.trim();
  };
})();

const scsiDomain = (devices: string) =>
  `<domain type="kvm"><name>scsi-units</name><memory>65536</memory><os><type arch="x86_64" machine="pc">hvm</type></os><devices>` +
  `<controller type="scsi" index="0" model="virtio-scsi"/>${devices}` +
  `<disk type="file" device="disk"><source file="/x/v"/><target dev="vda" bus="virtio"/></disk></devices></domain>`;
const hostdev = (unit?: number) =>
  `<hostdev mode="subsystem" type="scsi"><source><adapter name="scsi_host0"/><address bus="0" target="0" unit="${unit ?? 0}"/></source>${unit === undefined ? '' : `<address type="drive" controller="0" bus="0" target="0" unit="${unit}"/>`}</hostdev>`;
const scsiDisk = (dev: string, unit?: number) =>
  `<disk type="file" device="disk"><source file="/x/${dev}"/><target dev="${dev}" bus="scsi"/>${unit === undefined ? '' : `<address type="drive" controller="0" bus="0" target="0" unit="${unit}"/>`}</disk>`;
const unitOf = (xml: string, target: string) => readDomain(xml).disks.find((d) => d.target === target)!.address;

describe('SCSI drive addresses', () => {
  test('a SCSI host device on unit 0 and a disk with an explicit unit 1: the moved disk takes unit 2', () => {
    const xml = scsiDomain(hostdev(0) + scsiDisk('sdz', 1));
    expect(virshDefines(xml)).toBe(true);
    const out = applyEdits(xml, [{ kind: 'set-disk-bus', target: 'vda', bus: 'scsi' }]);
    expect(unitOf(out, 'sda')).toMatchObject({ type: 'drive', controller: '0', unit: '2' });
    expect(virshDefines(out)).toBe(true);
  });

  test('a SCSI host device without an address takes the first free unit, as libvirt assigns it', () => {
    const xml = scsiDomain(scsiDisk('sda') + hostdev());
    const out = applyEdits(xml, [{ kind: 'add-disk', bus: 'scsi', source: { file: '/x/new' }, format: 'raw' }]);
    // sda is unit 0 (libvirt's default for its name), the host device unit 1: the new disk unit 2.
    expect(readDomain(out).disks.at(-1)!.address).toMatchObject({ controller: '0', unit: '2' });
    expect(virshDefines(out)).toBe(true);
  });

  test('a SCSI disk named hdd counts as unit 3, as libvirt reads any disk name', () => {
    const xml = scsiDomain(['sda', 'sdb', 'sdc'].map((d) => scsiDisk(d)).join('') + scsiDisk('hdd'));
    const out = applyEdits(xml, [{ kind: 'set-disk-bus', target: 'vda', bus: 'scsi' }]);
    expect(unitOf(out, 'sdd')).toMatchObject({ controller: '0', unit: '4' });
    expect(virshDefines(out)).toBe(true);
  });

  test('a full virtio-scsi controller (7 units): a second one is added and the disk goes there', () => {
    const xml = scsiDomain([0, 1, 2, 3, 4, 5].map((u) => scsiDisk(`sd${'abcdef'[u]}`, u)).join('') + hostdev(6));
    const out = applyEdits(xml, [{ kind: 'set-disk-bus', target: 'vda', bus: 'scsi' }]);
    const v = readDomain(out);
    expect(v.controllers.filter((c) => c.type === 'scsi').map((c) => [c.index, c.model])).toEqual([[0, 'virtio-scsi'], [1, 'virtio-scsi']]);
    expect(unitOf(out, 'sdg')).toMatchObject({ controller: '1', unit: '0' });
    expect(virshDefines(out)).toBe(true);
  });

  test('vmpvscsi: 64 units with unit 7 kept for the controller', async () => {
    const { scsiUnits } = await import('./devices/scsi-address');
    expect(scsiUnits('vmpvscsi')).toEqual({ count: 64, reserved: 7 });
    expect(scsiUnits('virtio-scsi')).toEqual({ count: 7 });
    expect(scsiUnits(null)).toEqual({ count: 7 });
  });

  test('two disks with the same target: any edit of that target is refused as ambiguous, nothing changed', () => {
    const xml = scsiDomain(scsiDisk('sdb', 0) + scsiDisk('sdb', 1));
    for (const e of [
      { kind: 'set-disk-bus', target: 'sdb', bus: 'virtio' },
      { kind: 'set-disk-flags', target: 'sdb', readonly: true },
      { kind: 'change-media', target: 'sdb', source: null },
    ] as const) {
      expect(() => applyEdits(xml, [e])).toThrow("2 disks have target 'sdb': the edit is ambiguous");
    }
  });
});
