import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { type DomainEdit, applyEdits, diffLines, formatDiff, readDomain } from './index';
import { RHEL7_LSI, RHEL9_Q35, canonicalize, changedLines } from './test-support';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/domains/', import.meta.url));
const read = (f: string): string => readFileSync(CORPUS + f, 'utf8');

/** The parts of RHEL9_Q35 no edit below names: they must come through byte for byte. */
const UNTOUCHED = [
  '<!-- managed by VirtDeck tests -->',
  "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>",
  `  <metadata>
    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
      <libosinfo:os id="http://redhat.com/rhel/9.2"/>
    </libosinfo:libosinfo>
    <acme:owner xmlns:acme="https://acme.example/vm/1">ops &amp; infra</acme:owner>
  </metadata>`,
  '    <!-- the installer ISO stays attached -->',
  `  <qemu:commandline>
    <qemu:arg value='-fw_cfg'/>
    <qemu:arg value='name=opt/acme/id,string=42'/>
  </qemu:commandline>`,
];

/** Applies edits to RHEL9_Q35, checks the untouched parts, returns exactly what changed. */
function changes(edits: DomainEdit[], xml = RHEL9_Q35): { removed: string[]; added: string[]; out: string } {
  const out = applyEdits(xml, edits);
  if (xml === RHEL9_Q35) for (const part of UNTOUCHED) expect(out).toContain(part);
  // What we write reads back to the same bytes (stable under a second round trip).
  expect(applyEdits(out, [])).toBe(out);
  return { ...changedLines(xml, out), out };
}

function throwsAndKeepsInput(edits: DomainEdit[], message: RegExp, xml = RHEL9_Q35): void {
  const copy = xml.slice();
  expect(() => applyEdits(xml, edits)).toThrow(message);
  expect(xml).toBe(copy);
}

describe('set-title / set-description', () => {
  test('adds a title after the uuid, on its own line', () => {
    const { removed, added, out } = changes([{ kind: 'set-title', title: 'App server <prod> & co' }]);
    expect(removed).toEqual([]);
    expect(added).toEqual(['<title>App server &lt;prod&gt; &amp; co</title>']);
    expect(out).toContain("  <uuid>4f5d2c1e-8a7b-4c3d-9e0f-123456789abc</uuid>\n  <title>App server &lt;prod&gt; &amp; co</title>\n  <metadata>");
    expect(readDomain(out).title).toBe('App server <prod> & co');
  });

  test('changes and removes a title', () => {
    const withTitle = applyEdits(RHEL9_Q35, [{ kind: 'set-title', title: 'a' }]);
    expect(changedLines(withTitle, applyEdits(withTitle, [{ kind: 'set-title', title: 'b' }]))).toEqual({
      removed: ['<title>a</title>'], added: ['<title>b</title>'],
    });
    expect(applyEdits(withTitle, [{ kind: 'set-title', title: null }])).toBe(RHEL9_Q35);
  });

  test('a title must be one line', () => {
    throwsAndKeepsInput([{ kind: 'set-title', title: 'two\nlines' }], /^invalid title: it must be a single line/);
  });

  test('description: multi-line, placed after the title, removable', () => {
    const { added, out } = changes([
      { kind: 'set-title', title: 'T' },
      { kind: 'set-description', description: 'line 1\nline 2' },
    ]);
    expect(added).toEqual(['<title>T</title>', '<description>line 1', 'line 2</description>']);
    expect(readDomain(out).description).toBe('line 1\nline 2');
    const corpus = read('change-controllers-in.xml');
    expect(changedLines(corpus, applyEdits(corpus, [{ kind: 'set-description', description: null }]))).toEqual({
      removed: ['<description>foooo barrrr somedesc</description>'], added: [],
    });
  });
});

describe('set-vcpus / set-cpu-mode / set-cpu-topology / set-memory', () => {
  test('set-vcpus writes max as the count and current as an attribute', () => {
    expect(changes([{ kind: 'set-vcpus', current: 2, max: 8 }])).toMatchObject({
      removed: ["<vcpu placement='static'>4</vcpu>"],
      added: ["<vcpu placement='static' current='2'>8</vcpu>"],
    });
    // current == max needs no attribute
    expect(changes([{ kind: 'set-vcpus', current: 6, max: 6 }]).added).toEqual(["<vcpu placement='static'>6</vcpu>"]);
  });

  test('set-vcpus validates', () => {
    throwsAndKeepsInput([{ kind: 'set-vcpus', current: 5, max: 4 }], /current 5 is greater than max 4/);
    throwsAndKeepsInput([{ kind: 'set-vcpus', current: 0, max: 4 }], /invalid vcpus current '0'/);
    throwsAndKeepsInput([{ kind: 'set-vcpus', current: 1, max: 2.5 }], /invalid vcpus max '2.5'/);
  });

  test('set-cpu-mode host-passthrough keeps check, drops nothing else', () => {
    expect(changes([{ kind: 'set-cpu-mode', mode: 'host-passthrough' }])).toMatchObject({
      removed: ["<cpu mode='host-model' check='partial'/>"],
      added: ["<cpu mode='host-passthrough' check='partial'/>"],
    });
  });

  test('set-cpu-mode custom matches virt-manager (corpus change-cpumode in -> out)', () => {
    const out = applyEdits(read('change-cpumode-in.xml'), [{ kind: 'set-cpu-mode', mode: 'custom', model: 'Skylake-Client-IBRS' }]);
    expect(canonicalize(out, { ignoreBlankText: true })).toBe(canonicalize(read('change-cpumode-out.xml'), { ignoreBlankText: true }));
    expect(out).toContain('  <cpu mode="custom" match="exact">\n    <model>Skylake-Client-IBRS</model>\n  </cpu>');
  });

  test('set-cpu-mode host-passthrough from custom drops model, vendor and features but keeps the rest', () => {
    const xml = read('change-guest-in.xml');
    const v = readDomain(applyEdits(xml, [{ kind: 'set-cpu-mode', mode: 'host-passthrough' }]));
    expect(v.cpu).toEqual({ mode: 'host-passthrough', match: null, model: null, topology: { sockets: 4, dies: null, cores: 5, threads: 2 }, numaCells: 0 });
  });

  test('set-cpu-mode validates', () => {
    throwsAndKeepsInput([{ kind: 'set-cpu-mode', mode: 'custom' }], /CPU mode 'custom' needs a model/);
    throwsAndKeepsInput([{ kind: 'set-cpu-mode', mode: 'host' as 'custom' }], /invalid CPU mode 'host'/);
  });

  test('set-cpu-topology opens the self-closed <cpu> and must match the vCPU count', () => {
    const { removed, added, out } = changes([{ kind: 'set-cpu-topology', topology: { sockets: 1, cores: 2, threads: 2 } }]);
    expect(removed).toEqual(["<cpu mode='host-model' check='partial'/>"]);
    expect(added).toEqual(["<cpu mode='host-model' check='partial'>", "<topology sockets='1' cores='2' threads='2'/>", '</cpu>']);
    expect(out).toContain("  <cpu mode='host-model' check='partial'>\n    <topology sockets='1' cores='2' threads='2'/>\n  </cpu>\n");
    throwsAndKeepsInput([{ kind: 'set-cpu-topology', topology: { sockets: 2, cores: 4, threads: 2 } }], /topology gives 16 vCPUs .* maximum vCPUs is 4/);
    // vcpus and topology change together, in either order
    const both = applyEdits(RHEL9_Q35, [
      { kind: 'set-cpu-topology', topology: { sockets: 2, cores: 4, threads: 2 } },
      { kind: 'set-vcpus', current: 16, max: 16 },
    ]);
    expect(readDomain(both).cpu?.topology).toEqual({ sockets: 2, dies: null, cores: 4, threads: 2 });
    expect(applyEdits(out, [{ kind: 'set-cpu-topology', topology: null }])).toBe(RHEL9_Q35);
  });

  test('set-memory writes KiB and validates', () => {
    expect(changes([{ kind: 'set-memory', currentKiB: 1048576, maxKiB: 8388608 }])).toMatchObject({
      removed: ["<memory unit='KiB'>4194304</memory>", "<currentMemory unit='KiB'>2097152</currentMemory>"],
      added: ["<memory unit='KiB'>8388608</memory>", "<currentMemory unit='KiB'>1048576</currentMemory>"],
    });
    const gib = '<domain><name>g</name><memory unit="GiB">4</memory></domain>';
    expect(applyEdits(gib, [{ kind: 'set-memory', currentKiB: 1024, maxKiB: 2048 }])).toBe(
      '<domain><name>g</name><memory unit="KiB">2048</memory><currentMemory>1024</currentMemory></domain>',
    );
    // Said in the editor's unit, never in KiB or the edit's internal names.
    throwsAndKeepsInput([{ kind: 'set-memory', currentKiB: 3072, maxKiB: 2048 }], /^Current memory \(3 MiB\) cannot be more than the maximum memory \(2 MiB\)$/);
    throwsAndKeepsInput([{ kind: 'set-memory', currentKiB: -5120, maxKiB: 2048 }], /^Current memory must be at least 1 MiB \(got -5 MiB\)$/);
  });
});

describe('boot', () => {
  test('set-boot-order renumbers devices and drops <os><boot dev> (corpus change-devices-bootorder)', () => {
    const xml = read('change-devices-bootorder-in.xml');
    const { removed, added } = changedLines(xml, applyEdits(xml, [{
      kind: 'set-boot-order',
      devices: [{ type: 'disk', target: 'fda' }, { type: 'disk', target: 'hdc' }, { type: 'interface', index: 0 }, { type: 'redirdev', index: 0 }],
    }]));
    expect(removed).toEqual(['<boot dev="hd"/>', '<boot order="10"/>', '<boot order="10"/>', '<boot order="1"/>', '<boot order="2"/>', '<boot order="3"/>']);
    expect(added).toEqual(['<boot order="1"/>', '<boot order="2"/>', '<boot order="3"/>', '<boot order="4"/>']);
  });

  test('set-boot-order puts <boot> before the address, as libvirt does', () => {
    const { out } = changes([{ kind: 'set-boot-order', devices: [{ type: 'interface', index: 0 }, { type: 'disk', target: 'sda' }] }]);
    expect(out).toContain("<model type='e1000'/>\n      <boot order='1'/>\n      <address type='pci'");
    const v = readDomain(out);
    expect(v.disks.map((d) => d.bootOrder)).toEqual([2, null]);
    throwsAndKeepsInput([{ kind: 'set-boot-order', devices: [{ type: 'interface', index: 2 }] }], /no <interface> at index 2 \(the domain has 1\)/);
    throwsAndKeepsInput([{ kind: 'set-boot-order', devices: [{ type: 'disk', target: 'sda' }, { type: 'disk', target: 'sda' }] }], /same device twice/);
  });

  test('set-boot-devs replaces <os><boot dev> lines and clears per-device orders', () => {
    const cdromFirst = applyEdits(RHEL7_LSI, [{ kind: 'set-boot-devs', devs: ['cdrom', 'hd'] }]);
    expect(cdromFirst).toContain('    <boot dev="cdrom"/>\n    <boot dev="hd"/>\n  </os>');
    expect(changedLines(RHEL7_LSI, cdromFirst)).toEqual({ removed: [], added: ['<boot dev="cdrom"/>'] });
    const { removed, added } = changes([{ kind: 'set-boot-devs', devs: ['network'] }]);
    expect(removed).toEqual(["<boot order='1'/>", "<boot order='2'/>"]);
    expect(added).toEqual(["<boot dev='network'/>"]);
    throwsAndKeepsInput([{ kind: 'set-boot-devs', devs: ['usb' as 'hd'] }], /invalid boot device 'usb'/);
  });

  test('set-boot-menu', () => {
    const { added, out } = changes([{ kind: 'set-boot-menu', enabled: true, timeoutMs: 5000 }]);
    expect(added).toEqual(["<bootmenu enable='yes' timeout='5000'/>"]);
    expect(out).toContain("<type arch='x86_64' machine='pc-q35-8.2'>hvm</type>\n    <bootmenu enable='yes' timeout='5000'/>\n  </os>");
    expect(changedLines(out, applyEdits(out, [{ kind: 'set-boot-menu', enabled: false }]))).toEqual({
      removed: ["<bootmenu enable='yes' timeout='5000'/>"], added: ["<bootmenu enable='no'/>"],
    });
    throwsAndKeepsInput([{ kind: 'set-boot-menu', enabled: true, timeoutMs: 70000 }], /invalid boot menu timeout/);
  });
});

describe('disk edits', () => {
  test('set-disk-driver: set, remove, leave alone', () => {
    expect(changes([{ kind: 'set-disk-driver', target: 'sda', cache: 'none', io: 'native', discard: null }])).toMatchObject({
      removed: ["<driver name='qemu' type='qcow2' discard='unmap'/>"],
      added: ["<driver name='qemu' type='qcow2' cache='none' io='native'/>"],
    });
    expect(applyEdits(RHEL9_Q35, [{ kind: 'set-disk-driver', target: 'sda' }])).toBe(RHEL9_Q35);
  });

  test('set-disk-driver creates <driver> when missing', () => {
    const xml = read('change-media-in.xml');
    const out = applyEdits(xml, [{ kind: 'set-disk-driver', target: 'hda', detect_zeroes: 'unmap' }]);
    expect(out).toContain('<disk type="block" device="cdrom">\n      <driver name="qemu" detect_zeroes="unmap"/>\n      <target dev="hda" bus="ide"/>');
    throwsAndKeepsInput([{ kind: 'set-disk-driver', target: 'sda', cache: 'fast' as 'none' }], /invalid disk cache 'fast'/);
    throwsAndKeepsInput([{ kind: 'set-disk-driver', target: 'nope', cache: 'none' }], /no disk with target 'nope'/);
  });

  test('set-disk-flags', () => {
    expect(changes([{ kind: 'set-disk-flags', target: 'sda', readonly: true, shareable: true, serial: 'DATA-01' }])).toMatchObject({
      removed: [],
      added: ['<readonly/>', '<shareable/>', '<serial>DATA-01</serial>'],
    });
    expect(changes([{ kind: 'set-disk-flags', target: 'sdb', readonly: false }]).removed).toEqual(['<readonly/>']);
    const withSerial = read('change-disk-in.xml');
    expect(changedLines(withSerial, applyEdits(withSerial, [{ kind: 'set-disk-flags', target: 'hda', serial: null }]))).toEqual({
      removed: ['<serial>WD-WMAP9A966149</serial>'], added: [],
    });
    throwsAndKeepsInput([{ kind: 'set-disk-flags', target: 'sda', serial: 'bad/serial' }], /invalid disk serial/);
  });

  test('change-media: insert, swap and eject', () => {
    expect(changes([{ kind: 'change-media', target: 'sdb', source: { file: '/isos/virtio-win.iso' } }])).toMatchObject({
      removed: ["<source file='/var/lib/libvirt/images/rhel-9.2-x86_64-dvd.iso'/>"],
      added: ["<source file='/isos/virtio-win.iso'/>"],
    });
    expect(changes([{ kind: 'change-media', target: 'sdb', source: null }])).toMatchObject({
      removed: ["<source file='/var/lib/libvirt/images/rhel-9.2-x86_64-dvd.iso'/>"],
      added: [],
    });
    const xml = read('change-media-in.xml'); // empty block CD-ROM
    const out = applyEdits(xml, [{ kind: 'change-media', target: 'hda', source: { file: '/x.iso' } }]);
    expect(changedLines(xml, out)).toEqual({
      removed: ['<disk type="block" device="cdrom">'],
      added: ['<disk type="file" device="cdrom">', '<source file="/x.iso"/>'],
    });
    const pool = applyEdits(xml, [{ kind: 'change-media', target: 'fda', source: { pool: 'isos', volume: 'boot.img' } }]);
    expect(readDomain(pool).disks.find((d) => d.target === 'fda')).toMatchObject({ type: 'volume', source: { pool: 'isos', volume: 'boot.img' } });
    throwsAndKeepsInput([{ kind: 'change-media', target: 'sda', source: { file: '/x.iso' } }], /disk 'sda' is a disk; media can only be changed on a cdrom or floppy/);
  });
});

describe('controllers', () => {
  test('add-controller appends after the last controller with the next free index', () => {
    const { removed, added, out } = changes([{ kind: 'add-controller', type: 'usb', model: 'qemu-xhci' }]);
    expect(removed).toEqual([]);
    expect(added).toEqual(["<controller type='usb' index='1' model='qemu-xhci'/>"]);
    expect(out).toContain("    </controller>\n    <controller type='usb' index='1' model='qemu-xhci'/>\n    <interface");
    throwsAndKeepsInput([{ kind: 'add-controller', type: 'sata', index: 0 }], /a sata controller with index 0 already exists/);
    throwsAndKeepsInput([{ kind: 'add-controller', type: 'nvme' }], /invalid controller type 'nvme'/);
    throwsAndKeepsInput([{ kind: 'add-controller', type: 'scsi', model: 'megaraid' }], /invalid scsi controller model 'megaraid'/);
  });

  test('replace-scsi-controller-with-virtio-scsi', () => {
    expect(changes([{ kind: 'replace-scsi-controller-with-virtio-scsi' }], RHEL7_LSI)).toMatchObject({
      removed: ['<controller type="scsi" index="0" model="lsilogic">'],
      added: ['<controller type="scsi" index="0" model="virtio-scsi">'],
    });
    throwsAndKeepsInput([{ kind: 'replace-scsi-controller-with-virtio-scsi' }], /no SCSI controller/);
    throwsAndKeepsInput([{ kind: 'replace-scsi-controller-with-virtio-scsi', index: 3 }], /no SCSI controller with index 3/, RHEL7_LSI);
  });
});

describe('network interfaces', () => {
  test('set-nic-model changes exactly the model line', () => {
    expect(changes([{ kind: 'set-nic-model', index: 0, model: 'virtio' }])).toMatchObject({
      removed: ["<model type='e1000'/>"],
      added: ["<model type='virtio'/>"],
    });
  });

  test('set-nic-model adds <model> when missing, before the address', () => {
    const xml = read('change-nics-in.xml');
    const out = applyEdits(xml, [{ kind: 'set-nic-model', index: 4, model: 'virtio' }]);
    expect(out).toContain('</virtualport>\n      <model type="virtio"/>\n      <address type="pci"');
    expect(changedLines(xml, out)).toEqual({ removed: [], added: ['<model type="virtio"/>'] });
  });

  test('set-nic-model away from virtio drops virtio-net driver options', () => {
    const xml = RHEL9_Q35.replace("<model type='e1000'/>", "<model type='virtio'/>\n      <driver name='vhost' queues='4'/>");
    const out = applyEdits(xml, [{ kind: 'set-nic-model', index: 0, model: 'e1000e' }]);
    expect(changedLines(xml, out)).toEqual({
      removed: ["<model type='virtio'/>", "<driver name='vhost' queues='4'/>"],
      added: ["<model type='e1000e'/>"],
    });
  });

  test('set-nic-model validates', () => {
    throwsAndKeepsInput([{ kind: 'set-nic-model', index: 0, model: 'virtio-net' }], /invalid NIC model 'virtio-net'/);
    throwsAndKeepsInput([{ kind: 'set-nic-model', index: 1, model: 'virtio' }], /no <interface> at index 1 \(the domain has 1\)/);
    throwsAndKeepsInput([{ kind: 'set-nic-model', index: -1, model: 'virtio' }], /no <interface> at index -1/);
  });

  test('set-nic-source: network -> bridge -> direct', () => {
    expect(changes([{ kind: 'set-nic-source', index: 0, source: { type: 'bridge', bridge: 'br-prod' } }])).toMatchObject({
      removed: ["<interface type='network'>", "<source network='default'/>"],
      added: ["<interface type='bridge'>", "<source bridge='br-prod'/>"],
    });
    expect(changes([{ kind: 'set-nic-source', index: 0, source: { type: 'direct', dev: 'eno1', mode: 'bridge' } }])).toMatchObject({
      added: ["<interface type='direct'>", "<source dev='eno1' mode='bridge'/>"],
    });
    expect(changes([{ kind: 'set-nic-source', index: 0, source: { type: 'network', network: 'lab', portgroup: 'vlan10' } }])).toMatchObject({
      removed: ["<source network='default'/>"],
      added: ["<source network='lab' portgroup='vlan10'/>"],
    });
  });

  test('set-nic-source drops a virtualport that belonged to the old connection type', () => {
    const xml = read('change-nics-in.xml');
    const v = readDomain(applyEdits(xml, [{ kind: 'set-nic-source', index: 4, source: { type: 'network', network: 'default' } }]));
    expect(v.interfaces[4]).toMatchObject({ type: 'network', source: 'default', sourceMode: null });
    expect(applyEdits(xml, [{ kind: 'set-nic-source', index: 4, source: { type: 'network', network: 'default' } }])).not.toContain('virtualport');
    throwsAndKeepsInput([{ kind: 'set-nic-source', index: 0, source: { type: 'bridge', bridge: '' } }], /invalid bridge name/);
  });

  test('set-nic-mac / set-nic-link', () => {
    expect(changes([{ kind: 'set-nic-mac', index: 0, mac: '52:54:00:12:34:56' }])).toMatchObject({
      removed: ["<mac address='52:54:00:6b:3c:01'/>"],
      added: ["<mac address='52:54:00:12:34:56'/>"],
    });
    expect(changes([{ kind: 'set-nic-mac', index: 0, mac: null }]).removed).toEqual(["<mac address='52:54:00:6b:3c:01'/>"]);
    throwsAndKeepsInput([{ kind: 'set-nic-mac', index: 0, mac: '52:54:00:12:34' }], /invalid MAC address/);
    throwsAndKeepsInput([{ kind: 'set-nic-mac', index: 0, mac: '01:00:5e:00:00:01' }], /multicast/);
    throwsAndKeepsInput([{ kind: 'set-nic-mac', index: 0, mac: '22:22:33:44:55:66' }], /already used by interface 1/, read('change-nics-in.xml'));

    const { added, out } = changes([{ kind: 'set-nic-link', index: 0, state: 'down' }]);
    expect(added).toEqual(["<link state='down'/>"]);
    expect(out).toContain("<model type='e1000'/>\n      <link state='down'/>\n      <address");
    throwsAndKeepsInput([{ kind: 'set-nic-link', index: 0, state: 'off' as 'down' }], /invalid link state 'off'/);
  });
});

describe('graphics, video, balloon', () => {
  test('set-graphics: listen, password, fixed port', () => {
    const { removed, added } = changes([{ kind: 'set-graphics', listen: '0.0.0.0', passwd: 's3cret', port: 5905 }]);
    expect(removed).toEqual(["<graphics type='vnc' port='-1' autoport='yes'>", "<listen type='address'/>"]);
    expect(added).toEqual(["<graphics type='vnc' port='5905' autoport='no' passwd='s3cret'>", "<listen type='address' address='0.0.0.0'/>"]);
  });

  test('set-graphics: back to autoport, remove listen and password (corpus spice with many options)', () => {
    const xml = read('convert-to-vnc-spice-manyopts-in.xml');
    const out = applyEdits(xml, [{ kind: 'set-graphics', listen: null, passwd: null, port: 'auto' }]);
    expect(changedLines(xml, out)).toEqual({
      removed: [
        "<graphics type='spice' port='5907' tlsPort='5901' autoport='no' passwd='sercet' passwdValidTo='2011-05-31T16:11:22' connected='disconnect' keymap='de' listen='127.0.0.1'>",
        "<listen type='address' address='127.0.0.1'/>",
      ],
      added: ["<graphics type='spice' tlsPort='5901' autoport='yes' connected='disconnect' keymap='de'>", "<listen type='address'/>"],
    });
    expect(readDomain(out).graphics[0]).toMatchObject({ listen: null, hasPassword: false, autoport: true, port: null });
    throwsAndKeepsInput([{ kind: 'set-graphics', index: 1, passwd: 'x' }], /graphics type 'sdl'/, xml);
    throwsAndKeepsInput([{ kind: 'set-graphics', port: 80 }], /invalid vnc port '80'/);
  });

  test('set-video-model drops qxl-only attributes', () => {
    expect(changes([{ kind: 'set-video-model', model: 'virtio' }])).toMatchObject({
      removed: ["<model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'/>"],
      added: ["<model type='virtio' heads='1' primary='yes'/>"],
    });
    expect(changes([{ kind: 'set-video-model', model: 'vga' }]).added).toEqual(["<model type='vga' vram='65536' primary='yes'/>"]);
    const xml = read('convert-to-vnc-spice-manyopts-in.xml');
    expect(changedLines(xml, applyEdits(xml, [{ kind: 'set-video-model', model: 'qxl' }]))).toEqual({
      removed: ["<model type='virtio'>", "<acceleration accel3d='yes'/>", '</model>'],
      added: ["<model type='qxl'/>"],
    });
    throwsAndKeepsInput([{ kind: 'set-video-model', model: 'voodoo' as 'vga' }], /invalid video model 'voodoo'/);
  });

  test('set-memballoon-model', () => {
    expect(changes([{ kind: 'set-memballoon-model', model: 'none' }])).toMatchObject({
      removed: ["<memballoon model='virtio'>", "<address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>", '</memballoon>'],
      added: ["<memballoon model='none'/>"],
    });
    const xml = read('change-media-in.xml');
    const out = applyEdits(xml, [{ kind: 'set-memballoon-model', model: 'virtio' }]);
    expect(out).toContain('<target dev="fdb" bus="fdc"/>\n    </disk>\n    <memballoon model="virtio"/>\n  </devices>');
    throwsAndKeepsInput([{ kind: 'set-memballoon-model', model: 'xen' as 'none' }], /invalid memballoon model 'xen'/);
  });

  test('set-memballoon-stats-period: <stats> first in the balloon, changed in place, refused without a balloon', () => {
    expect(changes([{ kind: 'set-memballoon-stats-period', periodS: 5 }])).toMatchObject({ removed: [], added: ["<stats period='5'/>"] });
    const once = applyEdits(read('change-media-in.xml'), [{ kind: 'set-memballoon-model', model: 'virtio' }, { kind: 'set-memballoon-stats-period', periodS: 5 }]);
    expect(readDomain(once).memballoon).toEqual({ model: 'virtio', statsPeriodS: 5 });
    const twice = applyEdits(once, [{ kind: 'set-memballoon-stats-period', periodS: 0 }]);
    expect(twice.match(/<stats /g)).toHaveLength(1);
    expect(readDomain(twice).memballoon?.statsPeriodS).toBe(0);
    throwsAndKeepsInput([{ kind: 'set-memballoon-stats-period', periodS: -1 }], /invalid balloon statistics period -1/);
    throwsAndKeepsInput([{ kind: 'set-memballoon-stats-period', periodS: 2.5 }], /whole seconds/);
    const none = applyEdits(read('change-media-in.xml'), [{ kind: 'set-memballoon-model', model: 'none' }]);
    expect(() => applyEdits(none, [{ kind: 'set-memballoon-stats-period', periodS: 5 }])).toThrow(/no memory balloon/);
  });
});

describe('adding and removing devices', () => {
  test('add-device inserts raw XML after the last device of its kind, re-indented', () => {
    const nic = `<interface type="bridge">
<source bridge="br1"/>
        <model type="virtio"/>
</interface>`;
    const { removed, added, out } = changes([{ kind: 'add-device', xml: nic }]);
    expect(removed).toEqual([]);
    // New attributes follow the document's quote style.
    expect(added).toEqual(["<interface type='bridge'>", "<source bridge='br1'/>", "<model type='virtio'/>", '</interface>']);
    expect(out).toContain(`    </interface>
    <interface type='bridge'>
      <source bridge='br1'/>
      <model type='virtio'/>
    </interface>
    <serial type='pty'>`);
    expect(readDomain(out).interfaces).toHaveLength(2);
  });

  test('add-device into an empty <devices>', () => {
    const xml = read('convert-to-vnc-empty-in.xml');
    const out = applyEdits(xml, [{ kind: 'add-device', xml: "<input type='tablet' bus='usb'/>" }]);
    expect(out).toContain("  <devices>\n    <input type='tablet' bus='usb'/>\n  </devices>\n");
  });

  test('add-device refuses what is not one device', () => {
    throwsAndKeepsInput([{ kind: 'add-device', xml: '<cpu mode="host-model"/>' }], /<cpu> is not a libvirt device element/);
    throwsAndKeepsInput([{ kind: 'add-device', xml: '<disk><target dev="vdb"></disk>' }], /^invalid XML: Opening and ending tag mismatch/);
  });

  test('remove-device by position or disk target', () => {
    // The serial port goes with the console that mirrors it (libvirt would re-add the port for it).
    expect(changes([{ kind: 'remove-device', device: 'serial', index: 0 }]).removed).toEqual([
      "<serial type='pty'>", "<target type='isa-serial' port='0'>", "<model name='isa-serial'/>", '</target>', '</serial>',
      "<console type='pty'>", "<target type='serial' port='0'/>", '</console>',
    ]);
    const { removed, out } = changes([{ kind: 'remove-device', device: 'disk', target: 'sda' }]);
    expect(removed[0]).toBe("<disk type='file' device='disk'>");
    expect(removed).toHaveLength(7);
    expect(readDomain(out).disks.map((d) => d.target)).toEqual(['sdb']);
    throwsAndKeepsInput([{ kind: 'remove-device', device: 'watchdog', index: 0 }], /no <watchdog> at index 0 \(the domain has 0\)/);
    throwsAndKeepsInput([{ kind: 'remove-device', device: 'disk', target: 'vdq' }], /no disk with target 'vdq'/);
    throwsAndKeepsInput([{ kind: 'remove-device', device: 'cpu' as 'disk', index: 0 }], /invalid device kind 'cpu'/);
  });

  test('add-guest-agent-channel', () => {
    const { added, out } = changes([{ kind: 'add-guest-agent-channel' }]);
    expect(added).toEqual(["<channel type='unix'>", "<target type='virtio' name='org.qemu.guest_agent.0'/>", '</channel>']);
    expect(out).toContain("    </console>\n    <channel type='unix'>\n      <target type='virtio' name='org.qemu.guest_agent.0'/>\n    </channel>\n    <input");
    expect(readDomain(out).channels.map((c) => c.targetName)).toEqual(['org.qemu.guest_agent.0']);
    throwsAndKeepsInput([{ kind: 'add-guest-agent-channel' }], /already has a guest agent channel/, read('bootorder-in.xml'));
  });

  test('add-rng', () => {
    const { added, out } = changes([{ kind: 'add-rng' }]);
    expect(added).toEqual(["<rng model='virtio'>", "<backend model='random'>/dev/urandom</backend>", '</rng>']);
    expect(out).toContain("    </memballoon>\n    <rng model='virtio'>\n      <backend model='random'>/dev/urandom</backend>\n    </rng>\n  </devices>");
    throwsAndKeepsInput([{ kind: 'add-rng', backend: '/dev/zero' as '/dev/random' }], /invalid RNG backend '\/dev\/zero'/);
  });

  test('set-watchdog: add, change, remove', () => {
    const { added, out } = changes([{ kind: 'set-watchdog', watchdog: { model: 'i6300esb', action: 'poweroff' } }]);
    expect(added).toEqual(["<watchdog model='i6300esb' action='poweroff'/>"]);
    expect(out).toContain("    </video>\n    <watchdog model='i6300esb' action='poweroff'/>\n    <memballoon");
    expect(changedLines(out, applyEdits(out, [{ kind: 'set-watchdog', watchdog: { model: 'itco', action: 'reset' } }]))).toEqual({
      removed: ["<watchdog model='i6300esb' action='poweroff'/>"], added: ["<watchdog model='itco' action='reset'/>"],
    });
    expect(applyEdits(out, [{ kind: 'set-watchdog', watchdog: null }])).toBe(RHEL9_Q35);
    throwsAndKeepsInput([{ kind: 'set-watchdog', watchdog: null }], /no watchdog to remove/);
    throwsAndKeepsInput([{ kind: 'set-watchdog', watchdog: { model: 'i6300esb', action: 'explode' as 'reset' } }], /invalid watchdog action 'explode'/);
  });
});

describe('adding devices of every kind (the Add hardware menu)', () => {
  test('add-disk from a volume on virtio: a free vdX, qcow2, volume source, after the last disk', () => {
    const { removed, added, out } = changes([{ kind: 'add-disk', bus: 'virtio', source: { pool: 'default', volume: 'data.qcow2' } }]);
    expect(removed).toEqual([]);
    expect(added).toEqual(["<disk type='volume' device='disk'>", "<driver name='qemu' type='qcow2'/>", "<source pool='default' volume='data.qcow2'/>", "<target dev='vda' bus='virtio'/>", '</disk>']);
    expect(readDomain(out).disks.map((d) => d.target)).toEqual(['sda', 'sdb', 'vda']);
  });

  test('add-disk on scsi lands on a virtio-scsi controller (added), never the default LSI one', () => {
    const { added, out } = changes([{ kind: 'add-disk', bus: 'scsi', source: { file: '/var/lib/libvirt/images/x.img' }, format: 'raw' }]);
    expect(added).toContain("<target dev='sdc' bus='scsi'/>");
    expect(readDomain(out).controllers.filter((c) => c.type === 'scsi').map((c) => c.model)).toEqual(['virtio-scsi']);
  });

  test('add-disk: an empty CD-ROM is read-only on sata; bad input is refused', () => {
    const { added } = changes([{ kind: 'add-disk', device: 'cdrom', bus: 'sata', source: null }]);
    expect(added).toEqual(["<disk type='file' device='cdrom'>", "<driver name='qemu' type='raw'/>", "<target dev='sdc' bus='sata'/>", '<readonly/>', '</disk>']);
    throwsAndKeepsInput([{ kind: 'add-disk', bus: 'virtio', source: null }], /a new disk needs a source/);
    throwsAndKeepsInput([{ kind: 'add-disk', device: 'cdrom', bus: 'virtio', source: null }], /the new disk is a CD-ROM; a CD-ROM cannot use bus virtio/);
    throwsAndKeepsInput([{ kind: 'add-disk', bus: 'ide', source: { file: '/x' } }], /q35 machine type has no IDE controller; use bus sata for the new disk/);
    throwsAndKeepsInput([{ kind: 'add-disk', bus: 'nvme' as 'virtio', source: { file: '/x' } }], /invalid disk bus 'nvme'/);
  });

  test('add-nic: virtio by default, MAC optional and checked', () => {
    const { added } = changes([{ kind: 'add-nic', source: { type: 'bridge', bridge: 'br-lan' } }]);
    expect(added).toEqual(["<interface type='bridge'>", "<source bridge='br-lan'/>", "<model type='virtio'/>", '</interface>']);
    const withMac = changes([{ kind: 'add-nic', source: { type: 'network', network: 'default' }, model: 'e1000e', mac: '52:54:00:aa:bb:cc' }]).added;
    expect(withMac).toEqual(["<interface type='network'>", "<mac address='52:54:00:aa:bb:cc'/>", "<source network='default'/>", "<model type='e1000e'/>", '</interface>']);
    throwsAndKeepsInput([{ kind: 'add-nic', source: { type: 'bridge', bridge: 'br0' }, mac: '01:00:00:00:00:01' }], /multicast/);
    throwsAndKeepsInput([{ kind: 'add-nic', source: { type: 'bridge', bridge: '' } }], /invalid bridge name/);
  });

  test('add-input / set-input: tablet on virtio; PS/2 rules', () => {
    const { added, out } = changes([{ kind: 'add-input', type: 'keyboard', bus: 'virtio' }]);
    expect(added).toEqual(["<input type='keyboard' bus='virtio'/>"]);
    expect(readDomain(out).inputs.map((i) => `${i.type}/${i.bus}`)).toEqual(['tablet/usb', 'keyboard/virtio']);
    throwsAndKeepsInput([{ kind: 'add-input', type: 'tablet', bus: 'ps2' }], /a tablet cannot be on PS\/2/);
    const moved = changes([{ kind: 'set-input', index: 0, type: 'tablet', bus: 'virtio' }]);
    expect(moved.removed).toContain("<input type='tablet' bus='usb'>");
    expect(moved.added).toContain("<input type='tablet' bus='virtio'/>"); // the USB address went with the bus
    const ps2 = applyEdits(RHEL9_Q35, [{ kind: 'add-input', type: 'mouse', bus: 'ps2' }]);
    throwsAndKeepsInput([{ kind: 'add-input', type: 'mouse', bus: 'ps2' }], /already has a PS\/2 mouse/, ps2);
    throwsAndKeepsInput([{ kind: 'set-input', index: 1, type: 'mouse', bus: 'usb' }], /built into the machine/, ps2);
  });

  test('add-serial on the next free port; removing it takes its console along', () => {
    const { added, out } = changes([{ kind: 'add-serial' }]);
    expect(added).toEqual(["<serial type='pty'>", "<target port='1'/>", '</serial>']);
    expect(readDomain(out).serials.map((s) => s.targetPort)).toEqual(['0', '1']);
    const gone = readDomain(applyEdits(RHEL9_Q35, [{ kind: 'remove-device', device: 'serial', index: 0 }]));
    expect([gone.serials.length, gone.consoles.length]).toEqual([0, 0]);
  });

  test('set-console-target: serial <-> virtio', () => {
    const { removed, added, out } = changes([{ kind: 'set-console-target', index: 0, targetType: 'virtio' }]);
    expect(removed).toEqual(["<target type='serial' port='0'/>"]);
    expect(added).toEqual(["<target type='virtio' port='0'/>"]);
    expect(applyEdits(out, [{ kind: 'set-console-target', index: 0, targetType: 'serial' }])).toBe(RHEL9_Q35);
    throwsAndKeepsInput([{ kind: 'set-console-target', index: 0, targetType: 'sclp' as 'serial' }], /invalid console target type 'sclp'/);
  });

  test('add-graphics: one VNC display on 127.0.0.1 with an automatic port', () => {
    const noVnc = applyEdits(RHEL9_Q35, [{ kind: 'remove-device', device: 'graphics', index: 0 }]);
    const out = applyEdits(noVnc, [{ kind: 'add-graphics', type: 'vnc' }]);
    expect(changedLines(noVnc, out).added).toEqual(["<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'>", "<listen type='address' address='127.0.0.1'/>", '</graphics>']);
    throwsAndKeepsInput([{ kind: 'add-graphics', type: 'vnc' }], /already has a vnc display/);
  });

  test('set-guest-numa: cells with vCPUs and memory split evenly; removed again', () => {
    const { added, out } = changes([{ kind: 'set-guest-numa', cells: 2 }]);
    expect(added).toContain("<cell id='0' cpus='0-1' memory='2097152' unit='KiB'/>");
    expect(added).toContain("<cell id='1' cpus='2-3' memory='2097152' unit='KiB'/>");
    expect(readDomain(out).cpu?.numaCells).toBe(2);
    expect(readDomain(applyEdits(out, [{ kind: 'set-guest-numa', cells: null }])).cpu?.numaCells).toBe(0);
    throwsAndKeepsInput([{ kind: 'set-guest-numa', cells: 8 }], /4 vCPUs cannot be split into 8 NUMA cells/);
    throwsAndKeepsInput([{ kind: 'set-guest-numa', cells: 1 }], /expected 2 or more/);
  });
});

describe('applyEdits as a whole', () => {
  test('unknown edit kinds are refused', () => {
    throwsAndKeepsInput([{ kind: 'set-colour' } as unknown as DomainEdit], /unknown edit kind 'set-colour'/);
  });

  test('many edits at once keep every untouched byte (the corpus file with the most variety)', () => {
    const xml = read('domain-roundtrip.xml');
    const out = applyEdits(xml, [
      { kind: 'set-title', title: 'T' },
      { kind: 'set-vcpus', current: 1, max: 2 },
      { kind: 'set-memory', currentKiB: 219100, maxKiB: 262144 },
    ]);
    expect(changedLines(xml, out)).toEqual({
      removed: ['<memory unit="KiB">219100</memory>', '<vcpu placement="static" cpuset="1-4,8-20,525">1</vcpu>'],
      added: ['<title>T</title>', '<memory unit="KiB">262144</memory>', '<vcpu placement="static" cpuset="1-4,8-20,525" current="1">2</vcpu>'],
    });
    // The unknown namespaced element, the comments and the mis-indented metadata are intact.
    expect(out).toContain('  <unknown:tagname>foo</unknown:tagname>\n  <!-- intentional mis-indentation -->\n  <!-- more comments -->\n  <metadata>\n      <herp2erp');
  });

  test('diffLines / formatDiff give a readable preview', () => {
    const out = applyEdits(RHEL9_Q35, [{ kind: 'set-nic-model', index: 0, model: 'virtio' }]);
    const d = diffLines(RHEL9_Q35, out);
    expect(d.filter((l) => l.op !== ' ')).toEqual([
      { op: '-', line: "      <model type='e1000'/>" },
      { op: '+', line: "      <model type='virtio'/>" },
    ]);
    expect(formatDiff(d, 1)).toBe(
      "  " + "      <source network='default'/>\n- " + "      <model type='e1000'/>\n+ " + "      <model type='virtio'/>\n  " +
        "      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n…",
    );
  });
});
