import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import type { Element } from '@xmldom/xmldom';
import { readDomain } from '../domain-xml/read';
import { canonicalize } from '../domain-xml/test-support';
import { hasVirsh } from '../test-support/virsh';
import { CloneInputError, cloneDomainXml, cloneVolumeName, expandNamePattern, isTemplateXml, newMac, nvramOf, planDisks, type CloneSpec, type DiskAction, type NewDiskSource } from './index';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/domains/', import.meta.url));
// The shared corpus, and the repo's real-world and lab domains (the definitions VirtDeck meets).
const FIXTURES = fileURLToPath(new URL('../domain-xml/fixtures/', import.meta.url));
const files = [
  ...readdirSync(CORPUS).filter((f) => f.endsWith('.xml')).sort(),
  ...['real-world', 'lab-pairs'].flatMap((d) => readdirSync(FIXTURES + d).filter((f) => f.endsWith('.xml')).sort().map((f) => `${d}/${f}`)),
];
const read = (f: string): string => readFileSync(f.includes('/') ? FIXTURES + f : CORPUS + f, 'utf8');

const UUID = '0b7e4d5c-1f7a-4a61-9c1e-2a3b4c5d6e7f';

/** A clone spec for any domain: new name/uuid, a MAC per NIC, every copyable disk to a new source. */
function specFor(xml: string, name = 'clone-1'): { spec: CloneSpec; copied: Set<number> } {
  const v = readDomain(xml);
  const taken = new Set<string>();
  let plan: DiskAction[];
  try {
    plan = planDisks(xml);
  } catch (err) {
    if (!(err instanceof CloneInputError)) throw err;
    plan = [];
  }
  const disks = new Map<number, { source: NewDiskSource }>();
  for (const d of plan) {
    if (d.action !== 'copy') continue;
    disks.set(d.index, { source: d.source.volume ? { pool: d.source.pool ?? 'default', volume: `${name}-${d.target}` } : { path: `/var/lib/libvirt/images/${name}-${d.target}.img` } });
  }
  return { spec: { name, uuid: UUID, macs: v.interfaces.map(() => newMac(taken)), disks }, copied: new Set(disks.keys()) };
}

describe('the clone of every corpus domain', () => {
  test.each(files)('%s: name, uuid, MACs and copied disks change; nothing else', (f) => {
    const xml = read(f);
    const { spec, copied } = specFor(xml);
    const out = cloneDomainXml(xml, spec);
    const before = readDomain(xml);
    const after = readDomain(out);
    expect(after.name).toBe('clone-1');
    expect(after.uuid).toBe(UUID);
    expect(after.interfaces.map((i) => i.mac)).toEqual(spec.macs);
    expect(after.interfaces.map((i) => i.source)).toEqual(before.interfaces.map((i) => i.source));
    after.disks.forEach((d, i) => {
      const b = before.disks[i]!;
      if (copied.has(i)) {
        const want = spec.disks.get(i)!.source;
        if ('path' in want) expect(d.source?.file ?? d.source?.dev).toBe(want.path);
        else expect(d.source?.volume).toBe(want.volume);
      } else {
        expect(d.source).toEqual(b.source);
      }
      expect(d.device).toBe(b.device);
      expect(d.target).toBe(b.target);
    });
    // Every other element, attribute, comment and namespace is as it was.
    const changed = (el: Element) =>
      (el.parentNode as Element | null)?.nodeName === 'domain' && (el.nodeName === 'name' || el.nodeName === 'uuid') ||
      el.nodeName === 'mac' ||
      el.nodeName === 'backingStore' ||
      (el.nodeName === 'entry' && el.getAttribute('name') === 'uuid') ||
      (el.nodeName === 'source' && (el.parentNode as Element).nodeName === 'disk');
    const strip = (s: string) => canonicalize(s.replace(/(<domain\b[^>]*?)\s+id=(["'])\d+\2/, '$1'), { ignoreBlankText: true, skip: changed });
    expect(strip(out)).toBe(strip(xml));
  });

  test('a NIC without a MAC gets one; SMBIOS uuid follows; the domain id goes', () => {
    const xml = `<domain type='kvm' id='7'><name>a</name><uuid>11111111-2222-3333-4444-555555555555</uuid>
  <sysinfo type='smbios'><system><entry name='manufacturer'>X</entry><entry name='uuid'>11111111-2222-3333-4444-555555555555</entry></system></sysinfo>
  <devices>
    <interface type='network'>
      <source network='default'/>
    </interface>
    <serial type='pty'><log file='/var/log/libvirt/qemu/a-serial.log' append='off'/></serial>
  </devices>
</domain>`;
    const out = cloneDomainXml(xml, { name: 'b', uuid: UUID, macs: ['52:54:00:aa:bb:cc'], disks: new Map(), sourceName: 'a' });
    expect(out).not.toContain("id='7'");
    expect(out).toContain("<log file='/var/log/libvirt/qemu/b-serial.log' append='off'/>");
    expect(out).toContain(`<entry name='uuid'>${UUID}</entry>`);
    expect(out).toContain("<entry name='manufacturer'>X</entry>");
    expect(out).toContain("    <interface type='network'>\n      <mac address='52:54:00:aa:bb:cc'/>\n      <source network='default'/>");
  });
});

const UEFI = `<domain type='kvm'>
  <name>uefi-1</name>
  <uuid>11111111-2222-3333-4444-555555555555</uuid>
  <metadata>
    <virtdeck:template xmlns:virtdeck="https://virtdeck.dev/xmlns/template/1"/>
  </metadata>
  <memory unit='KiB'>65536</memory>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
    <nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>/var/lib/libvirt/qemu/nvram/uefi-1_VARS.fd</nvram>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='/var/lib/libvirt/images/uefi-1.img'/>
      <backingStore/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='volume' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source pool='default' volume='shared.qcow2'/>
      <target dev='vdb' bus='virtio'/>
      <shareable/>
    </disk>
    <disk type='file' device='disk'>
      <source file='/srv/base.img'/>
      <target dev='vdc' bus='virtio'/>
      <readonly/>
    </disk>
    <disk type='file' device='cdrom'>
      <source file='/srv/install.iso'/>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
    <disk type='file' device='cdrom'>
      <target dev='sdb' bus='sata'/>
      <readonly/>
    </disk>
  </devices>
</domain>
`;

describe('disks, NVRAM and the template mark', () => {
  test('the plan: copy the writable disk, share read-only and shareable, keep CD-ROMs', () => {
    expect(planDisks(UEFI).map((d) => [d.target, d.action])).toEqual([
      ['vda', 'copy'],
      ['vdb', 'share'],
      ['vdc', 'share'],
      ['sda', 'keep'],
      ['sdb', 'keep'],
    ]);
  });

  test('a linked clone points at its overlay as qcow2; NVRAM at its copy; the mark is gone', () => {
    const out = cloneDomainXml(UEFI, {
      name: 'web-01',
      uuid: UUID,
      macs: [],
      disks: new Map([[0, { source: { path: '/var/lib/libvirt/images/web-01.qcow2' }, format: 'qcow2' }]]),
      nvram: '/var/lib/libvirt/qemu/nvram/web-01_VARS.fd',
    });
    expect(out).toContain("<nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>/var/lib/libvirt/qemu/nvram/web-01_VARS.fd</nvram>");
    expect(out).toContain("      <driver name='qemu' type='qcow2'/>\n      <source file='/var/lib/libvirt/images/web-01.qcow2'/>\n      <target dev='vda' bus='virtio'/>");
    expect(out).not.toContain('<backingStore/>');
    expect(out).toContain("<source pool='default' volume='shared.qcow2'/>");
    expect(out).toContain("<source file='/srv/install.iso'/>");
    expect(nvramOf(UEFI)).toBe('/var/lib/libvirt/qemu/nvram/uefi-1_VARS.fd');
    expect(nvramOf(out)).toBe('/var/lib/libvirt/qemu/nvram/web-01_VARS.fd');
    expect(isTemplateXml(UEFI)).toBe(true);
    expect(isTemplateXml(out)).toBe(false);
    expect(out).not.toContain('<metadata>');
  });

  test('network disks and LUNs refuse the clone, naming the disk', () => {
    const net = `<domain type='kvm'><name>a</name><devices><disk type='network' device='disk'><source protocol='rbd' name='p/img'/><target dev='vda'/></disk></devices></domain>`;
    expect(() => planDisks(net)).toThrow(/vda is a network disk/);
    const lun = `<domain type='kvm'><name>a</name><devices><disk type='block' device='lun'><source dev='/dev/sdz'/><target dev='sda' bus='scsi'/></disk></devices></domain>`;
    expect(() => planDisks(lun)).toThrow(/sda is a passed-through LUN/);
  });
});

describe('names, volume names and MACs', () => {
  test('patterns', () => {
    expect(expandNamePattern({ pattern: 'web-{n}', count: 3 })).toEqual(['web-1', 'web-2', 'web-3']);
    expect(expandNamePattern({ pattern: 'web-{n}', count: 3, first: 9, pad: 2 })).toEqual(['web-09', 'web-10', 'web-11']);
    expect(expandNamePattern({ pattern: `it's $(x) "ü" {n}`, count: 1 })).toEqual([`it's $(x) "ü" 1`]);
    expect(expandNamePattern({ pattern: 'solo', count: 1 })).toEqual(['solo']);
    expect(() => expandNamePattern({ pattern: 'web', count: 2 })).toThrow(/need \{n\}/);
    expect(() => expandNamePattern({ pattern: 'a/{n}', count: 2 })).toThrow(/may not contain "\/"/);
    expect(() => expandNamePattern({ pattern: 'w{n}', count: 0 })).toThrow(/at least 1/);
    expect(() => expandNamePattern({ pattern: 'w{n}', count: 51 })).toThrow(/At most 50/);
    expect(() => expandNamePattern({ pattern: ' ', count: 1 })).toThrow(/needs a name/);
  });

  test('volume names follow the VM name and stay unique', () => {
    const taken = new Set(['web-1.qcow2']);
    expect(cloneVolumeName('lab-1.qcow2', 'lab-1', 'web-1', 'vda', taken)).toBe('web-1-1.qcow2');
    expect(cloneVolumeName('lab-1-data.img', 'lab-1', 'web-1', 'vdb', taken)).toBe('web-1-data.img');
    expect(cloneVolumeName('disk0', 'lab-1', 'web-1', 'vda', taken)).toBe('web-1-vda');
    expect(cloneVolumeName('disk0', 'lab-1', 'web-1', 'vda', taken)).toBe('web-1-vda-1');
  });

  test('MACs have the libvirt prefix and never repeat one taken', () => {
    const taken = new Set(['52:54:00:00:00:01']);
    const bytes = [
      [0, 0, 1],
      [0, 0, 1],
      [0xab, 0xcd, 0xef],
    ];
    const mac = newMac(taken, () => new Uint8Array(bytes.shift()!));
    expect(mac).toBe('52:54:00:ab:cd:ef');
    expect(taken.has(mac)).toBe(true);
    for (let i = 0; i < 50; i++) expect(newMac(taken)).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    expect(taken.size).toBe(52);
  });
});

// libvirt's own parser: each corpus domain the test driver accepts, defined next to its clone in
// one virsh session (a clone with the source's uuid or name would be refused there).
describe.skipIf(!hasVirsh)('virsh -c test:///default define', () => {
  const dir = hasVirsh ? mkdtempSync(join(tmpdir(), 'clone-define-')) : '';
  const accepted: string[] = [];
  const defineBoth = (f: string, xml: string, clone: string) => {
    const a = join(dir, `${f.replace('/', '-')}.in.xml`);
    const b = join(dir, `${f.replace('/', '-')}.out.xml`);
    writeFileSync(a, xml);
    writeFileSync(b, clone);
    return spawnSync('virsh', ['-q', '-c', 'test:///default', `define ${a}; define ${b}`], { encoding: 'utf8' });
  };
  test.each([...files, 'UEFI'])('%s', (f) => {
    const xml = f === 'UEFI' ? UEFI : read(f);
    const only = join(dir, `${f.replace('/', '-')}.only.xml`);
    writeFileSync(only, xml);
    const alone = spawnSync('virsh', ['-q', '-c', 'test:///default', 'define', only], { encoding: 'utf8' });
    if (alone.status !== 0) return; // the test driver refuses the source itself (e.g. a device it lacks)
    const out = cloneDomainXml(xml, specFor(xml, `clone 'ü' $(x); ${f.replace('/', '-')}`).spec);
    const r = defineBoth(f, xml, out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    accepted.push(f);
  });
  afterAll(() => {
    console.log(`clone define: ${accepted.length} of ${files.length + 1} sources accepted by test:///default, each clone beside it`);
  });
  test('a clone that kept the uuid would be refused (the check above means something)', () => {
    const xml = read(files.find((f) => f.startsWith('change-disk'))!);
    const spec = specFor(xml, 'same-uuid').spec;
    const r = defineBoth('same', xml, cloneDomainXml(xml, { ...spec, uuid: readDomain(xml).uuid! }));
    if (readDomain(xml).uuid) expect(r.status).not.toBe(0);
  });
});
