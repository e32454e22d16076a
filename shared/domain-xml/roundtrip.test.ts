import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { applyEdits, readDomain } from './index';
import { canonicalize } from './test-support';

// The shared corpus lives next to the repo: <repo>/../shared/corpus/domains.
const CORPUS = fileURLToPath(new URL('../../../shared/corpus/domains/', import.meta.url));
const files = readdirSync(CORPUS).filter((f) => f.endsWith('.xml')).sort();
const read = (f: string): string => readFileSync(CORPUS + f, 'utf8');

describe('round trip with no edits (every corpus file)', () => {
  const notByteEqual: string[] = [];

  test('the corpus is there', () => {
    expect(files.length).toBeGreaterThanOrEqual(48);
  });

  test.each(files)('%s', (f) => {
    const xml = read(f);
    const out = applyEdits(xml, []);
    expect(canonicalize(out)).toBe(canonicalize(xml));
    if (out !== xml) notByteEqual.push(f);
    // Everything in this corpus is reproducible byte for byte.
    expect(out).toBe(xml);
  });

  afterAll(() => {
    console.log(`round trip: ${files.length - notByteEqual.length}/${files.length} corpus files byte-identical` +
      (notByteEqual.length ? `; not byte-identical: ${notByteEqual.join(', ')}` : ''));
  });
});

describe('round trip of awkward but legal XML', () => {
  const cases: Record<string, string> = {
    'xml declaration, doctype, comments and PIs outside the root':
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- head -->\n<!DOCTYPE domain>\n<?tool  keep  spacing ?>\n<domain type="kvm"><name>a</name></domain>\n<!-- tail -->\n\n',
    'entities, character references and CDATA kept as written':
      "<domain type='kvm'>\n  <name>a&amp;b</name>\n  <description>x &gt; y &#233; &#x41; \"q\" 'a'<![CDATA[<raw> & ]]>end</description>\n</domain>",
    'attributes across lines, odd spacing, mixed quotes, empty element pairs':
      "<domain  type = \"kvm\"\n        id='3' >\n  <name>a</name>\n  <os><type arch=\"x86_64\" machine='q35'>hvm</type></os>\n  <devices></devices>\n  <seclabel type='none' />\n</domain>",
    'attribute values with entities and tabs':
      '<domain type="kvm"><name>a</name><description a="x &amp; &quot;y&quot; &lt; z&#10;" b=\'it&apos;s\'/></domain>',
    'CRLF line endings': '<domain type="kvm">\r\n  <name>a</name>\r\n  <vcpu>1</vcpu>\r\n</domain>\r\n',
    'byte order mark': '\uFEFF<domain type="kvm"><name>a</name></domain>',
    'snapshot wrapping a domain': '<domainsnapshot>\n  <name>s1</name>\n  <domain type="kvm">\n    <name>a</name>\n  </domain>\n</domainsnapshot>\n',
    'unicode text': '<domain type="kvm"><name>ünïcödé-😀</name><title>Ω</title></domain>',
  };
  test.each(Object.entries(cases))('%s', (_name, xml) => {
    expect(applyEdits(xml, [])).toBe(xml);
  });

  test('an edit next to CRLF text keeps CRLF', () => {
    const xml = '<domain type="kvm">\r\n  <name>a</name>\r\n  <vcpu>1</vcpu>\r\n</domain>\r\n';
    expect(applyEdits(xml, [{ kind: 'set-title', title: 'T' }])).toBe(
      '<domain type="kvm">\r\n  <name>a</name>\r\n  <title>T</title>\r\n  <vcpu>1</vcpu>\r\n</domain>\r\n',
    );
  });

  test('malformed XML throws a clear error', () => {
    expect(() => applyEdits('<domain><name>a</domain>', [])).toThrow(/invalid XML/);
    expect(() => readDomain('not xml at all')).toThrow(/invalid XML/);
  });

  test('a non-domain document is refused', () => {
    expect(() => readDomain('<network><name>default</name></network>')).toThrow(/not a libvirt domain.*<network>/);
  });
});

describe('readDomain over the corpus', () => {
  test.each(files)('%s reads without throwing', (f) => {
    const v = readDomain(read(f));
    expect(Array.isArray(v.disks)).toBe(true);
    for (const d of v.disks) expect(d.index).toBe(v.disks.indexOf(d));
  });

  test('controller-attached-devices.xml: the full picture', () => {
    const v = readDomain(read('controller-attached-devices.xml'));
    expect(v).toMatchObject({
      domainType: 'kvm',
      name: 'f30',
      uuid: '20b3a909-805e-4170-8698-4be84f194736',
      description: 'f30 for f30 testing',
      title: null,
      memory: { currentKiB: 8294400, maxKiB: 8294400 },
      vcpus: { current: 5, max: 5 },
      cpu: { mode: 'custom', match: 'exact', model: 'Skylake-Client-IBRS', topology: null },
      os: { type: 'hvm', arch: 'x86_64', machine: 'pc-q35-3.1', bootDevs: ['hd'], bootMenu: null },
      features: ['acpi', 'apic', 'vmport'],
      memballoon: { model: 'virtio' },
      metadata: { libosinfoId: 'http://fedoraproject.org/fedora/30' },
      hasQemuCommandline: false,
    });
    expect(v.disks.map((d) => [d.target, d.bus, d.device])).toEqual([
      ['vda', 'virtio', 'disk'],
      ['sda', 'sata', 'cdrom'],
    ]);
    expect(v.disks[0]!.source?.file).toBe('/mnt/data/devel/images/f30.qcow2');
    expect(v.disks[0]!.driver).toEqual({ name: 'qemu', type: 'qcow2', cache: null, io: null, discard: null, detectZeroes: null });
    expect(v.disks[1]!.readonly).toBe(true);
    expect(v.disks[1]!.address).toEqual({ type: 'drive', controller: '0', bus: '0', target: '0', unit: '3' });
    const sata = v.controllers.find((c) => c.type === 'sata');
    expect(sata).toMatchObject({ index: 0, model: null, disks: ['sda'] });
    expect(v.controllers.filter((c) => c.type === 'pci')).toHaveLength(10);
    expect(v.interfaces).toEqual([
      {
        index: 0, type: 'network', source: 'default', sourceMode: null, portgroup: null, model: 'virtio',
        mac: '52:54:00:86:20:1c', link: 'up', bootOrder: null,
        address: { type: 'pci', domain: '0x0000', bus: '0x01', slot: '0x00', function: '0x0' },
      },
    ]);
    expect(v.graphics).toEqual([
      { index: 0, type: 'spice', port: null, autoport: true, listen: null, listenType: 'address', hasPassword: false },
    ]);
    expect(v.videos[0]).toMatchObject({ model: 'qxl', vram: 65536, heads: 1, primary: true });
    expect(v.inputs.map((i) => `${i.type}/${i.bus}`)).toEqual(['tablet/usb', 'mouse/ps2', 'keyboard/ps2']);
    expect(v.serials[0]).toMatchObject({ type: 'pty', targetType: 'isa-serial', targetPort: '0' });
    expect(v.consoles[0]).toMatchObject({ type: 'pty', targetType: 'virtio' });
    expect(v.channels.map((c) => c.targetName)).toEqual(['org.qemu.guest_agent.0', 'com.redhat.spice.0', 'org.spice-space.webdav.0']);
    expect(v.rngs).toEqual([{ index: 0, model: 'virtio', backendModel: 'random', backend: '/dev/urandom' }]);
    expect(v.watchdog).toBeNull();
    expect(v.metadata.xml).toMatch(/^<libosinfo:libosinfo xmlns:libosinfo=".*">[\s\S]*<\/libosinfo:libosinfo>$/);
  });

  test('change-disk-in.xml: every kind of disk source', () => {
    const v = readDomain(read('change-disk-in.xml'));
    expect(v.memory).toEqual({ currentKiB: 204800, maxKiB: 409600 });
    expect(v.vcpus).toEqual({ current: 5, max: 5 });
    const byTarget = Object.fromEntries(v.disks.map((d) => [d.target ?? '', d] as const));
    expect(byTarget.hda).toMatchObject({ type: 'file', bus: 'ide', serial: 'WD-WMAP9A966149', source: { file: '/tmp/test.img' } });
    expect(byTarget.hdb).toMatchObject({ type: 'block', source: { dev: '/dev/null' } });
    expect(byTarget.hdd).toMatchObject({ device: 'lun', bus: 'scsi', readonly: true });
    expect(byTarget.sda).toMatchObject({ device: 'cdrom', source: null });
    expect(byTarget.fda).toMatchObject({ device: 'floppy', bus: 'fdc' });
    expect(byTarget.vda!.driver.cache).toBe('none');
    expect(byTarget.vdb).toMatchObject({ type: 'volume', source: { pool: 'defaultPool', volume: 'foobar' } });
    expect(byTarget.vdc!.source).toMatchObject({ protocol: 'rbd', name: 'pool/image' });
    expect(byTarget.vdc!.source!.hosts.map((h) => `${h.name}:${h.port}`)).toEqual([
      'mon1.example.org:6321', 'mon2.example.org:6322', 'mon3.example.org:6322',
    ]);
    expect(byTarget.vdd!.source).toMatchObject({ protocol: 'nbd', hosts: [{ transport: 'unix', socket: '/var/run/nbdsock' }] });
    expect(v.graphics[0]).toMatchObject({ type: 'vnc', port: null });
  });

  test('change-guest-in.xml: CPU topology and features', () => {
    const v = readDomain(read('change-guest-in.xml'));
    expect(v.cpu).toEqual({ mode: null, match: 'exact', model: 'footest', topology: { sockets: 4, dies: null, cores: 5, threads: 2 }, numaCells: 0 });
    expect(v.features).toEqual(['acpi', 'apic', 'hyperv', 'vmport']);
    expect(v.metadata.libosinfoId).toBe('http://fedoraproject.org/fedora/17');
  });

  test('change-nics-in.xml: every kind of NIC source', () => {
    const v = readDomain(read('change-nics-in.xml'));
    expect(v.interfaces.map((n) => [n.type, n.source, n.sourceMode, n.model, n.mac])).toEqual([
      ['user', null, null, null, '22:11:11:11:11:11'],
      ['network', 'default', null, 'e1000', '22:22:33:44:55:66'],
      ['bridge', 'foobr0', null, null, '22:22:22:22:22:22'],
      ['ethernet', null, null, null, '00:11:22:33:44:55'],
      ['direct', 'eth0.1', 'vepa', null, '00:11:22:33:44:55'],
    ]);
  });

  test('convert-to-vnc-spice-manyopts-in.xml: graphics listen and password', () => {
    const v = readDomain(read('convert-to-vnc-spice-manyopts-in.xml'));
    expect(v.graphics[0]).toEqual({
      index: 0, type: 'spice', port: 5907, autoport: false, listen: '127.0.0.1', listenType: 'socket', hasPassword: true,
    });
    expect(v.graphics[1]).toMatchObject({ type: 'sdl', hasPassword: false });
    expect(v.videos.map((x) => [x.model, x.accel3d])).toEqual([['virtio', true], ['qxl', false]]);
  });

  test('bootorder-out.xml: per-device boot order', () => {
    const v = readDomain(read('bootorder-out.xml'));
    expect(v.os.bootDevs).toEqual([]);
    expect(v.disks.map((d) => [d.target, d.bootOrder])).toEqual([['vda', 1], ['sda', 3], ['fda', 2]]);
    expect(v.interfaces[0]!.bootOrder).toBe(4);
  });

  test('domain-roundtrip.xml: metadata with foreign namespaces is returned raw', () => {
    const v = readDomain(read('domain-roundtrip.xml'));
    expect(v.vcpus).toEqual({ current: 1, max: 1 });
    expect(v.metadata.libosinfoId).toBeNull();
    expect(v.metadata.xml).toContain('<nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.0">');
    expect(v.metadata.xml).toContain('<app2:bar xmlns:app2="http://bar.com/" maman="baz">barish</app2:bar>');
    expect(v.metadata.xml!.startsWith('<herp2erp')).toBe(true);
  });

  test('change-xmlns-qemu-in.xml: qemu:commandline is noticed', () => {
    const v = readDomain(read('change-xmlns-qemu-in.xml'));
    expect(v.hasQemuCommandline).toBe(true);
    expect(v.memory).toEqual({ currentKiB: 2097152, maxKiB: 8388608 });
  });

  test('change-snapshot-in.xml: the domain inside a snapshot', () => {
    const v = readDomain(read('change-snapshot-in.xml'));
    expect(v.name).toBe('test-internal-snapshots');
    expect(v.disks[0]).toMatchObject({ target: 'hda', bus: 'ide' });
    expect(v.controllers[0]).toMatchObject({ type: 'ide', disks: ['hda'] });
  });

  test('replace-child-parse.xml: no name, no memory — nulls, not guesses', () => {
    const v = readDomain(read('replace-child-parse.xml'));
    expect(v.name).toBeNull();
    expect(v.memory).toEqual({ currentKiB: null, maxKiB: null });
    expect(v.disks.map((d) => d.target)).toEqual(['sda', 'sdb', 'sdz', 'sdd', 'sdw', 'sdf']);
  });

  test('memory units are converted to KiB', () => {
    const v = readDomain('<domain><name>m</name><memory unit="GiB">4</memory><currentMemory unit="MiB">512</currentMemory></domain>');
    expect(v.memory).toEqual({ currentKiB: 524288, maxKiB: 4194304 });
  });
});
