import { describe, expect, test } from 'vitest';
import { readDomain, type DomainEdit } from '../../../shared/domain-xml/index.js';
import { DomainEditError, applyDomainEdits, defineDomainXml, qmpQuery, sameXml } from './domain-editor.js';

const BASE = `<domain type='qemu'>
  <name>vm1</name>
  <uuid>fdc9556c-6ccc-4726-8784-74d18bae7064</uuid>
  <metadata>
    <vd:test xmlns:vd="https://virtdeck.dev/test">keep-me</vd:test>
  </metadata>
  <memory unit='KiB'>262144</memory>
  <currentMemory unit='KiB'>262144</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/images/vm1.qcow2'/>
      <target dev='sda' bus='sata'/>
    </disk>
    <interface type='bridge'>
      <mac address='52:54:00:d0:01:01'/>
      <source bridge='br-lan'/>
      <model type='e1000'/>
    </interface>
  </devices>
</domain>
`;

/** A host with one domain: dumpxml answers what was last defined; every command is recorded. */
function fakeHost(opts: { persistent?: string; running?: boolean; failDefine?: string; failLive?: string; onDefine?: (xml: string) => string; live?: string } = {}) {
  let persistent = opts.persistent ?? BASE;
  const calls: string[][] = [];
  const defined: string[] = [];
  const stdins: string[] = [];
  const virsh = {
    async run(args: readonly string[], o: { stdin?: string } = {}): Promise<string> {
      calls.push([...args]);
      if (o.stdin !== undefined) stdins.push(o.stdin);
      switch (args[0]) {
        case 'dumpxml':
          return args.includes('--inactive') ? persistent : (opts.live ?? persistent.replace("<domain type='qemu'>", "<domain type='qemu' id='7'>"));
        case 'domstats':
          // What `virsh domstats --raw --state -- NAME` prints: codes, the same in every locale.
          return `Domain: '${args.at(-1)}'\n  state.state=${opts.running ? 1 : 5}\n  state.reason=1\n\n`;
        case 'define':
          if (opts.failDefine) throw new Error(opts.failDefine);
          defined.push(o.stdin!);
          persistent = opts.onDefine ? opts.onDefine(o.stdin!) : o.stdin!;
          return 'Domain defined\n';
        case 'vol-create-as':
        case 'vol-delete':
        case 'attach-device':
        case 'detach-device':
        case 'update-device':
        case 'setmem':
        case 'setvcpus':
        case 'domif-setlink':
        case 'desc':
          if (opts.failLive === args[0]) throw new Error(`${args[0]} refused`);
          return '';
        case 'qemu-monitor-command':
          return '{"return":{}}';
        default:
          throw new Error(`unexpected virsh ${args.join(' ')}`);
      }
    },
  };
  return { virsh, calls, defined, stdins, setPersistent: (x: string) => (persistent = x) };
}

describe('applyDomainEdits', () => {
  test('edits the current XML and defines it with --validate on stdin, keeping what it does not name', async () => {
    const h = fakeHost();
    const r = await applyDomainEdits(h.virsh, { name: 'vm1', baseXml: BASE, edits: [{ kind: 'set-nic-model', index: 0, model: 'virtio' }] });
    expect(r.status).toBe('applied');
    expect(h.calls.find((c) => c[0] === 'define')).toEqual(['define', '--validate', '/dev/stdin']);
    expect(h.defined).toHaveLength(1);
    expect(readDomain(h.defined[0]!).interfaces[0]!.model).toBe('virtio');
    expect(h.defined[0]).toContain('<vd:test xmlns:vd="https://virtdeck.dev/test">keep-me</vd:test>');
    if (r.status === 'applied') expect(r.xml.persistent).toBe(h.defined[0]);
  });

  test('formatting differences in the base are not a conflict', async () => {
    const h = fakeHost();
    const base = BASE.replace(/\n  /g, '\n    ').replace(/\n/g, '\r\n');
    expect(sameXml(base, BASE)).toBe(true);
    const r = await applyDomainEdits(h.virsh, { name: 'vm1', baseXml: base, edits: [{ kind: 'set-title', title: 'x' }] });
    expect(r.status).toBe('applied');
  });

  test('a changed persistent XML is a conflict: nothing written, the difference returned', async () => {
    const h = fakeHost();
    const changed = BASE.replace('  <memory', '  <description>changed behind your back</description>\n  <memory');
    h.setPersistent(changed);
    const r = await applyDomainEdits(h.virsh, { name: 'vm1', baseXml: BASE, edits: [{ kind: 'set-nic-model', index: 0, model: 'virtio' }] });
    expect(r.status).toBe('conflict');
    expect(h.defined).toEqual([]);
    if (r.status === 'conflict') {
      expect(r.diff.filter((d) => d.op === '+').map((d) => d.line.trim())).toEqual(['<description>changed behind your back</description>']);
      expect(r.xml.persistent).toBe(changed);
    }
  });

  test.each([
    [{ kind: 'set-memory', currentKiB: 0, maxKiB: 0 }, /memory/],
    [{ kind: 'set-nic-mac', index: 0, mac: '52:54:00:zz:01:01' }, /invalid MAC/],
    [{ kind: 'set-disk-bus', target: 'sda', bus: 'ide' }, /q35.*no IDE/],
  ] as const)('invalid input %j is refused before anything is read or written', async (edit, message) => {
    const h = fakeHost();
    await expect(applyDomainEdits(h.virsh, { name: 'vm1', baseXml: BASE, edits: [edit as never] })).rejects.toThrow(message);
    await expect(applyDomainEdits(h.virsh, { name: 'vm1', baseXml: BASE, edits: [edit as never] })).rejects.toBeInstanceOf(DomainEditError);
    expect(h.calls).toEqual([]);
  });

  test('no edits is refused', async () => {
    const h = fakeHost();
    await expect(applyDomainEdits(h.virsh, { name: 'vm1', baseXml: BASE, edits: [] })).rejects.toBeInstanceOf(DomainEditError);
  });

  test("a failed define passes libvirt's message on", async () => {
    const h = fakeHost({ failDefine: "XML document failed to validate against schema: Element interface failed to validate" });
    await expect(applyDomainEdits(h.virsh, { name: 'vm1', baseXml: BASE, edits: [{ kind: 'set-title', title: 't' }] })).rejects.toThrow(/failed to validate/);
  });

  test('on a running VM: balloon, vCPUs, link and title applied live too; the rest waits for the boot', async () => {
    const h = fakeHost({ running: true });
    const r = await applyDomainEdits(h.virsh, {
      name: 'vm1',
      baseXml: BASE,
      edits: [
        { kind: 'set-memory', currentKiB: 131072, maxKiB: 262144 },
        { kind: 'set-vcpus', current: 1, max: 2 },
        { kind: 'set-nic-link', index: 0, state: 'down' },
        { kind: 'set-nic-model', index: 0, model: 'virtio' },
      ],
    });
    expect(r.status).toBe('applied');
    expect(h.calls).toContainEqual(['setmem', '--domain', 'vm1', '--size', '131072KiB', '--live']);
    expect(h.calls).toContainEqual(['setvcpus', '--domain', 'vm1', '--count', '1', '--live']);
    expect(h.calls).toContainEqual(['domif-setlink', '--domain', 'vm1', '--interface', '52:54:00:d0:01:01', '--state', 'down']);
    if (r.status === 'applied') expect(r.appliedLive).toHaveLength(3);
  });

  test('a live change libvirt refuses is reported, the persistent config stays written', async () => {
    const h = fakeHost({ running: true, failLive: 'setvcpus' });
    const r = await applyDomainEdits(h.virsh, { name: 'vm1', baseXml: BASE, edits: [{ kind: 'set-vcpus', current: 1, max: 2 }] });
    expect(r.status).toBe('applied');
    if (r.status === 'applied') expect(r.liveErrors[0]).toMatch(/setvcpus refused/);
    expect(h.defined).toHaveLength(1);
  });

  test('a balloon target above the running maximum is not attempted live', async () => {
    const h = fakeHost({ running: true });
    const r = await applyDomainEdits(h.virsh, { name: 'vm1', baseXml: BASE, edits: [{ kind: 'set-memory', currentKiB: 524288, maxKiB: 524288 }] });
    expect(h.calls.some((c) => c[0] === 'setmem')).toBe(false);
    if (r.status === 'applied') expect(r.liveErrors[0]).toMatch(/maximum/);
  });
});

describe('defineDomainXml', () => {
  test('defines hand-edited XML after the conflict check', async () => {
    const h = fakeHost();
    const xml = BASE.replace('<vcpu placement=\'static\'>2</vcpu>', "<vcpu placement='static'>3</vcpu>");
    const r = await defineDomainXml(h.virsh, { name: 'vm1', baseXml: BASE, xml });
    expect(r.status).toBe('applied');
    expect(h.defined).toEqual([xml]);
  });

  test('refuses malformed XML, another name or another uuid without writing', async () => {
    const h = fakeHost();
    await expect(defineDomainXml(h.virsh, { name: 'vm1', baseXml: BASE, xml: '<domain><name>vm1</name' })).rejects.toThrow(/invalid XML/);
    await expect(defineDomainXml(h.virsh, { name: 'vm1', baseXml: BASE, xml: BASE.replace('<name>vm1', '<name>vm2') })).rejects.toThrow(/renaming/);
    await expect(defineDomainXml(h.virsh, { name: 'vm1', baseXml: BASE, xml: BASE.replace('fdc9556c', 'adc9556c') })).rejects.toThrow(/uuid/);
    expect(h.defined).toEqual([]);
  });

  test('conflict when the VM changed meanwhile', async () => {
    const h = fakeHost();
    h.setPersistent(BASE.replace("'2'", "'2'").replace('<vcpu placement=\'static\'>2', "<vcpu placement='static'>4"));
    const r = await defineDomainXml(h.virsh, { name: 'vm1', baseXml: BASE, xml: BASE.replace('<name>vm1</name>', '<name>vm1</name>\n  <title>t</title>') });
    expect(r.status).toBe('conflict');
    expect(h.defined).toEqual([]);
  });
});

test('QMP: read-only queries only', async () => {
  const h = fakeHost({ running: true });
  expect(await qmpQuery(h.virsh, 'vm1', 'query-status')).toContain('return');
  expect(h.calls.at(-1)).toEqual(['qemu-monitor-command', '--domain', 'vm1', '--pretty', '--cmd', '{"execute":"query-status"}']);
  await expect(qmpQuery(h.virsh, 'vm1', 'quit')).rejects.toBeInstanceOf(DomainEditError);
});

describe('devices added or removed while the VM runs', () => {
  // libvirt gives a new NIC a MAC and a PCI slot on define; the live attach must use those.
  const assign = (xml: string) =>
    xml.replace("<interface type='bridge'>\n      <source bridge='br-lan'/>\n      <model type='virtio'/>", "<interface type='bridge'>\n      <mac address='52:54:00:12:34:56'/>\n      <source bridge='br-lan'/>\n      <model type='virtio'/>\n      <address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/>");

  test('an added NIC is attached live as libvirt defined it (its MAC and slot), XML on stdin', async () => {
    const h = fakeHost({ running: true, onDefine: assign });
    const r = await applyDomainEdits(h.virsh, { name: 'vm1', baseXml: BASE, edits: [{ kind: 'add-nic', source: { type: 'bridge', bridge: 'br-lan' } }] });
    expect(r.status === 'applied' && r.appliedLive).toEqual(['NIC 52:54:00:12:34:56 attached']);
    expect(h.calls).toContainEqual(['attach-device', '--domain', 'vm1', '--file', '/dev/stdin', '--live']);
    expect(h.stdins.at(-1)).toMatch(/^<interface type="bridge">.*<mac address="52:54:00:12:34:56"\/>.*<address type="pci"[^>]*bus="0x05"/s);
  });

  test('a slot the running VM cannot take: retried without the address', async () => {
    const h = fakeHost({ running: true, onDefine: assign });
    let first = true;
    const run = h.virsh.run.bind(h.virsh);
    h.virsh.run = async (args, o) => {
      if (args[0] === 'attach-device' && first) {
        first = false;
        throw new Error('PCI slot 0000:05:00.0 in use');
      }
      return run(args, o);
    };
    const r = await applyDomainEdits(h.virsh, { name: 'vm1', baseXml: BASE, edits: [{ kind: 'add-nic', source: { type: 'bridge', bridge: 'br-lan' } }] });
    expect(r.status === 'applied' && r.appliedLive).toEqual(['NIC 52:54:00:12:34:56 attached']);
    expect(h.stdins.at(-1)).not.toContain('<address');
    expect(h.stdins.at(-1)).toContain('52:54:00:12:34:56');
  });

  test('a removed NIC is detached live by its MAC; a SATA disk is not hot-pluggable and stays pending', async () => {
    const h = fakeHost({ running: true });
    const r = await applyDomainEdits(h.virsh, {
      name: 'vm1', baseXml: BASE,
      edits: [{ kind: 'remove-device', device: 'interface', index: 0 }, { kind: 'remove-device', device: 'disk', target: 'sda' }],
    });
    expect(r.status === 'applied' && r.appliedLive).toEqual(['NIC 52:54:00:d0:01:01 detached']);
    expect(h.calls.filter((c) => c[0] === 'detach-device')).toHaveLength(1);
    expect(h.stdins.at(-1)).toContain('<mac address="52:54:00:d0:01:01"/>');
  });

  test('a virtio disk added from a new volume: the volume is created first (sparse), then attached live', async () => {
    const h = fakeHost({ running: true });
    const r = await applyDomainEdits(h.virsh, {
      name: 'vm1', baseXml: BASE,
      edits: [{ kind: 'add-disk', bus: 'virtio', source: { pool: 'default', volume: 'vm1-data.qcow2' } }],
      newVolumes: [{ pool: 'default', name: 'vm1-data.qcow2', capacityMiB: 64, format: 'qcow2' }],
    });
    expect(h.calls.map((c) => c[0])).toEqual(expect.arrayContaining(['vol-create-as', 'define', 'attach-device']));
    expect(h.calls.find((c) => c[0] === 'vol-create-as')).toEqual(['vol-create-as', '--pool', 'default', '--name', 'vm1-data.qcow2', '--capacity', '64M', '--allocation', '0', '--format', 'qcow2']);
    expect(h.calls.findIndex((c) => c[0] === 'vol-create-as')).toBeLessThan(h.calls.findIndex((c) => c[0] === 'define'));
    expect(r.status === 'applied' && r.appliedLive).toEqual(['disk vda attached']);
  });

  test('a SCSI disk on a running VM without a SCSI controller: the new virtio-scsi controller is attached first', async () => {
    const h = fakeHost({ running: true });
    const r = await applyDomainEdits(h.virsh, { name: 'vm1', baseXml: BASE, edits: [{ kind: 'add-disk', bus: 'scsi', source: { pool: 'default', volume: 'vm1-data.qcow2' } }] });
    expect(r.status === 'applied' && r.appliedLive).toEqual(['SCSI controller 0 (virtio-scsi) attached', 'disk sdb attached']);
    const attached = h.calls.flatMap((c, i) => (c[0] === 'attach-device' ? [i] : []));
    expect(attached).toHaveLength(2);
    expect(h.stdins.at(-2)).toMatch(/^<controller type="scsi" index="0" model="virtio-scsi"/);
    expect(h.stdins.at(-1)).toMatch(/^<disk .*<target dev="sdb" bus="scsi"\/>/s);
  });

  test('a SCSI disk on a running VM that has its controller already: only the disk is attached', async () => {
    const running = BASE.replace('<devices>', "<devices>\n    <controller type='scsi' index='0' model='virtio-scsi'/>");
    const h = fakeHost({ running: true, persistent: running });
    const r = await applyDomainEdits(h.virsh, { name: 'vm1', baseXml: running, edits: [{ kind: 'add-disk', bus: 'scsi', source: { pool: 'default', volume: 'vm1-data.qcow2' } }] });
    expect(r.status === 'applied' && r.appliedLive).toEqual(['disk sdb attached']);
  });

  test('a virtio RNG and a USB tablet go in live; a PS/2 mouse would not, and waits for the boot', async () => {
    const h = fakeHost({ running: true });
    const r = await applyDomainEdits(h.virsh, {
      name: 'vm1', baseXml: BASE,
      edits: [{ kind: 'add-rng' }, { kind: 'add-input', type: 'tablet', bus: 'usb' }, { kind: 'add-input', type: 'mouse', bus: 'ps2' }],
    });
    expect(r.status === 'applied' && r.appliedLive).toEqual(['RNG 1 attached', 'tablet (usb) attached']);
    expect(h.stdins.filter((x) => x.startsWith('<rng') || x.startsWith('<input'))).toEqual([
      expect.stringMatching(/^<rng model="virtio">/),
      expect.stringMatching(/^<input type="tablet" bus="usb"/),
    ]);
  });

  test('a removed RNG is detached as the running VM has it; one the running VM lacks is not tried', async () => {
    const withRng = BASE.replace('</devices>', "  <rng model='virtio'>\n      <backend model='random'>/dev/urandom</backend>\n    </rng>\n  </devices>");
    const h = fakeHost({ running: true, persistent: withRng });
    const r = await applyDomainEdits(h.virsh, { name: 'vm1', baseXml: withRng, edits: [{ kind: 'remove-device', device: 'rng', index: 0 }] });
    expect(r.status === 'applied' && r.appliedLive).toEqual(['RNG 1 detached']);
    expect(h.calls).toContainEqual(['detach-device', '--domain', 'vm1', '--file', '/dev/stdin', '--live']);
    const notRunning = fakeHost({ running: true, persistent: withRng, live: BASE.replace("<domain type='qemu'>", "<domain type='qemu' id='7'>") });
    const r2 = await applyDomainEdits(notRunning.virsh, { name: 'vm1', baseXml: withRng, edits: [{ kind: 'remove-device', device: 'rng', index: 0 }] });
    expect(r2.status === 'applied' && r2.appliedLive).toEqual([]);
    expect(notRunning.calls.map((c) => c[0])).not.toContain('detach-device');
  });

  test('a USB redirector and a host device added live are attached; removed ones detached as the running VM has them', async () => {
    const spice = BASE.replace('</devices>', "  <graphics type='spice' autoport='yes'/>\n  </devices>");
    const h = fakeHost({ running: true, persistent: spice });
    const r = await applyDomainEdits(h.virsh, {
      name: 'vm1', baseXml: spice,
      edits: [{ kind: 'add-redirdev' }, { kind: 'add-hostdev', source: { type: 'usb', vendor: '0x046d', product: '0xc52b' } }],
    });
    expect(r.status === 'applied' && r.appliedLive).toEqual(['USB redirector 1 attached', 'host usb device 1 attached']);
    expect(h.stdins.filter((x) => /^<(redirdev|hostdev)/.test(x))).toEqual([
      '<redirdev bus="usb" type="spicevmc"/>',
      expect.stringMatching(/^<hostdev mode="subsystem" type="usb" managed="yes">.*<vendor id="0x046d"\/>/s),
    ]);
    const both = h.defined.at(-1)!;
    const h2 = fakeHost({ running: true, persistent: both });
    const r2 = await applyDomainEdits(h2.virsh, {
      name: 'vm1', baseXml: both,
      edits: [{ kind: 'remove-device', device: 'hostdev', index: 0 }, { kind: 'remove-device', device: 'redirdev', index: 0 }],
    });
    expect(r2.status === 'applied' && r2.appliedLive).toEqual(['host usb device 1 detached', 'USB redirector 1 detached']);
    expect(h2.calls.filter((c) => c[0] === 'detach-device')).toHaveLength(2);
  });

  test('a failed define deletes the volume it created; a bad volume name creates nothing', async () => {
    const h = fakeHost({ failDefine: 'XML error: bad' });
    const edits: DomainEdit[] = [{ kind: 'add-disk', bus: 'virtio', source: { pool: 'default', volume: 'v.qcow2' } }];
    await expect(applyDomainEdits(h.virsh, { name: 'vm1', baseXml: BASE, edits, newVolumes: [{ pool: 'default', name: 'v.qcow2', capacityMiB: 8, format: 'qcow2' }] })).rejects.toThrow('XML error: bad');
    expect(h.calls.find((c) => c[0] === 'vol-delete')).toEqual(['vol-delete', '--pool', 'default', '--vol', 'v.qcow2']);
    const h2 = fakeHost();
    await expect(applyDomainEdits(h2.virsh, { name: 'vm1', baseXml: BASE, edits, newVolumes: [{ pool: 'default', name: '../etc/passwd', capacityMiB: 8, format: 'qcow2' }] })).rejects.toBeInstanceOf(DomainEditError);
    expect(h2.calls).toEqual([]);
  });

  test('CD-ROM media change goes live with update-device on the running CD-ROM', async () => {
    const withCd = BASE.replace('  </devices>', "    <disk type='file' device='cdrom'>\n      <driver name='qemu' type='raw'/>\n      <target dev='sdb' bus='sata'/>\n      <readonly/>\n    </disk>\n  </devices>");
    const live = withCd.replace("<domain type='qemu'>", "<domain type='qemu' id='7'>").replace("<target dev='sdb' bus='sata'/>", "<target dev='sdb' bus='sata'/>\n      <alias name='sata0-0-1'/>");
    const h = fakeHost({ running: true, persistent: withCd, live });
    const r = await applyDomainEdits(h.virsh, { name: 'vm1', baseXml: withCd, edits: [{ kind: 'change-media', target: 'sdb', source: { file: '/isos/a.iso' } }] });
    expect(r.status === 'applied' && r.appliedLive).toEqual(['medium inserted in sdb']);
    expect(h.calls).toContainEqual(['update-device', '--domain', 'vm1', '--file', '/dev/stdin', '--live']);
    expect(h.stdins.at(-1)).toMatch(/<source file="\/isos\/a.iso"\/>.*<alias name="sata0-0-1"\/>/s);
  });
});
