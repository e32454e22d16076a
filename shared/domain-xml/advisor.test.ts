import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { advise, applyAllEdits, isWindows } from './advisor';
import { applyEdits, readDomain } from './index';

// hv1's legacy-a as the lab defines it: q35, SATA disk + SATA CD-ROM, e1000, vga, virtio balloon.
const LEGACY = `<domain type='qemu'>
  <name>legacy-a</name>
  <uuid>fdc9556c-6ccc-4726-8784-74d18bae7064</uuid>
  <metadata>
    <vd:test xmlns:vd="https://virtdeck.dev/test">keep-me</vd:test>
  </metadata>
  <memory unit='KiB'>131072</memory>
  <currentMemory unit='KiB'>131072</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
    <boot dev='hd'/>
  </os>
  <cpu mode='custom' match='exact' check='none'>
    <model fallback='forbid'>qemu64</model>
  </cpu>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/legacy-a.qcow2'/>
      <target dev='sda' bus='sata'/>
      <address type='drive' controller='0' bus='0' target='0' unit='0'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <target dev='sdb' bus='sata'/>
      <readonly/>
      <address type='drive' controller='0' bus='0' target='0' unit='1'/>
    </disk>
    <controller type='sata' index='0'/>
    <interface type='bridge'>
      <mac address='52:54:00:d0:01:01'/>
      <source bridge='br-lan'/>
      <model type='e1000'/>
      <address type='pci' domain='0x0000' bus='0x02' slot='0x01' function='0x0'/>
    </interface>
    <video>
      <model type='vga' vram='16384' heads='1' primary='yes'/>
    </video>
    <memballoon model='virtio'/>
  </devices>
</domain>
`;

const WINDOWS = LEGACY.replace(
  '<vd:test xmlns:vd="https://virtdeck.dev/test">keep-me</vd:test>',
  '<libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0"><libosinfo:os id="http://microsoft.com/win/10"/></libosinfo:libosinfo>',
).replace("<memballoon model='virtio'/>", '');

const ids = (xml: string, facts = {}) => advise(readDomain(xml), facts).map((f) => f.id);

describe('advisor', () => {
  test('a SATA + e1000 Linux VM: disk bus, NIC, video, discard, guest agent, balloon statistics — not the CD-ROM', () => {
    expect(ids(LEGACY).sort()).toEqual(['disk-bus:sda', 'disk-discard:sda', 'guest-agent', 'memballoon-stats', 'nic-model:0', 'video-model:0']);
    const f = advise(readDomain(LEGACY));
    for (const x of f) {
      expect(x.reason.length).toBeGreaterThan(20);
      expect(x.edits.length).toBeGreaterThan(0);
    }
    expect(f.find((x) => x.id === 'disk-bus:sda')!.edits).toEqual([{ kind: 'set-disk-bus', target: 'sda', bus: 'scsi' }]);
  });

  test('apply all fixes everything it found, keeps metadata, and a second look finds nothing', () => {
    const out = applyEdits(LEGACY, applyAllEdits(advise(readDomain(LEGACY))));
    const v = readDomain(out);
    expect(v.disks[0]).toMatchObject({ target: 'sda', bus: 'scsi', driver: { discard: 'unmap', detectZeroes: 'unmap' } });
    expect(v.controllers.find((c) => c.type === 'scsi')?.model).toBe('virtio-scsi');
    expect(v.interfaces[0]!.model).toBe('virtio');
    expect(v.videos[0]!.model).toBe('virtio');
    expect(v.channels.some((c) => c.targetName === 'org.qemu.guest_agent.0')).toBe(true);
    expect(out).toContain('<vd:test xmlns:vd="https://virtdeck.dev/test">keep-me</vd:test>');
    expect(ids(out)).toEqual([]);
  });

  test('bus moves come last in apply all, so driver edits still find the disk by its old name', () => {
    const all = applyAllEdits(advise(readDomain(LEGACY)));
    const kinds = all.map((e) => e.kind);
    expect(kinds.indexOf('set-disk-driver')).toBeLessThan(kinds.indexOf('set-disk-bus'));
  });

  test('missing or disabled balloon', () => {
    expect(ids(LEGACY.replace("<memballoon model='virtio'/>", ''))).toContain('memballoon');
    expect(ids(LEGACY.replace("<memballoon model='virtio'/>", "<memballoon model='none'/>"))).toContain('memballoon');
  });

  test('CPU mode only on a KVM domain (TCG has no host-passthrough)', () => {
    expect(ids(LEGACY)).not.toContain('cpu-mode');
    const kvm = LEGACY.replace("<domain type='qemu'>", "<domain type='kvm'>");
    expect(ids(kvm)).toContain('cpu-mode');
    expect(ids(kvm.replace(/<cpu [\s\S]*?<\/cpu>/, "<cpu mode='host-passthrough'/>"))).not.toContain('cpu-mode');
  });

  test('raw disks have no discard finding; virtio disks no bus finding', () => {
    const raw = LEGACY.replace("type='qcow2'", "type='raw'").replace("dev='sda' bus='sata'", "dev='vda' bus='virtio'");
    expect(ids(raw).filter((i) => i.startsWith('disk'))).toEqual([]);
  });

  test('a block disk gets the discard finding only where the host says its device accepts discard', () => {
    const block = (dev: string) =>
      LEGACY.replace("type='qcow2'", "type='raw'").replace("<disk type='file' device='disk'>", "<disk type='block' device='disk'>").replace("<source file='/var/lib/libvirt/images/legacy-a.qcow2'/>", `<source dev='${dev}'/>`);
    const blockDevices = { '/dev/nvme0n1p3': { discard: true, rotational: false }, '/dev/vg0/thin-lv': { discard: true, rotational: true }, '/dev/sdb': { discard: false, rotational: true } };
    const finding = (dev: string) => advise(readDomain(block(dev)), { blockDevices }).find((f) => f.id === 'disk-discard:sda');
    expect(finding('/dev/nvme0n1p3')?.title).toBe('Disk sda: discard is off on SSD-backed storage (/dev/nvme0n1p3)');
    expect(finding('/dev/vg0/thin-lv')?.title).toBe('Disk sda: discard is off on thin-provisioned block storage (/dev/vg0/thin-lv)');
    expect(finding('/dev/sdb')).toBeUndefined();
    // Not known (no lsblk answer): no advice rather than a guess.
    expect(finding('/dev/sdc')).toBeUndefined();
    const fixed = readDomain(applyEdits(block('/dev/nvme0n1p3'), finding('/dev/nvme0n1p3')!.edits));
    expect(fixed.disks[0]!.driver).toMatchObject({ discard: 'unmap', detectZeroes: 'unmap' });
    expect(advise(fixed, { blockDevices }).map((f) => f.id)).not.toContain('disk-discard:sda');
  });

  test('Windows: warns about virtio drivers, never offers the disk bus move, keeps it out of apply all', () => {
    const v = readDomain(WINDOWS);
    expect(isWindows(v)).toBe(true);
    const f = advise(v);
    expect(f.map((x) => x.id)).not.toContain('disk-bus:sda');
    const guard = f.find((x) => x.id === 'windows-virtio-drivers')!;
    expect(guard.severity).toBe('warn');
    expect(guard.inApplyAll).toBe(false);
    // Until the host's volumes are known there is no fix to offer.
    expect(guard.edits).toEqual([]);
    const nic = f.find((x) => x.id === 'nic-model:0')!;
    expect(nic.severity).toBe('warn');
    expect(nic.inApplyAll).toBe(false);
    expect(f.find((x) => x.id === 'video-model:0')!.edits).toEqual([{ kind: 'set-video-model', index: 0, model: 'qxl' }]);
    // Apply all leaves every disk where it is.
    const out = readDomain(applyEdits(WINDOWS, applyAllEdits(f)));
    expect(out.disks.map((d) => d.bus)).toEqual(['sata', 'sata']);
    expect(out.interfaces[0]!.model).toBe('e1000');
  });

  test('every corpus domain: advice applies cleanly', () => {
    const dir = new URL('../../../shared/corpus/domains/', import.meta.url);
    const files = ['change-disk-in.xml', 'change-nics-in.xml', 'disk-change-bus-in.xml', 'convert-to-q35-win10-in.xml', 'change-cpumode-in.xml'];
    for (const file of files) {
      const xml = readFileSync(new URL(file, dir), 'utf8');
      const findings = advise(readDomain(xml));
      expect(() => applyEdits(xml, applyAllEdits(findings)), file).not.toThrow();
    }
  });

  describe('Windows safe path: a small virtio disk and the driver ISO', () => {
    const volumes = [
      { pool: 'default', name: 'legacy-a.qcow2', path: '/var/lib/libvirt/images/legacy-a.qcow2' },
      { pool: 'isos', name: 'debian.iso', path: '/srv/isos/debian.iso' },
      { pool: 'isos', name: 'virtio-win-0.1.240.iso', path: '/srv/isos/virtio-win-0.1.240.iso' },
    ];

    test('creates a sparse qcow2 volume in the boot disk pool, adds it on virtio, puts virtio-win in the empty CD-ROM', () => {
      const guard = advise(readDomain(WINDOWS), { volumes }).find((x) => x.id === 'windows-virtio-drivers')!;
      expect(guard.newVolumes).toEqual([{ pool: 'default', name: 'legacy-a-virtio-drivers.qcow2', capacityMiB: 1024, format: 'qcow2' }]);
      expect(guard.edits).toEqual([
        { kind: 'add-disk', bus: 'virtio', source: { pool: 'default', volume: 'legacy-a-virtio-drivers.qcow2' }, format: 'qcow2' },
        { kind: 'change-media', target: 'sdb', source: { pool: 'isos', volume: 'virtio-win-0.1.240.iso' } },
        // <boot dev='hd'> would leave "the first hard disk" to the firmware: the boot disk is pinned.
        { kind: 'set-boot-order', devices: [{ type: 'disk', target: 'sda' }] },
      ]);
      expect(guard.choice?.options).toEqual(['isos/virtio-win-0.1.240.iso', 'isos/debian.iso']);
      expect(guard.choice!.fix('isos/debian.iso').edits[1]).toEqual({ kind: 'change-media', target: 'sdb', source: { pool: 'isos', volume: 'debian.iso' } });
      const out = readDomain(applyEdits(WINDOWS, guard.edits));
      expect(out.disks.map((d) => [d.target, d.bus, d.device, d.bootOrder])).toEqual([['sda', 'sata', 'disk', 1], ['sdb', 'sata', 'cdrom', null], ['vda', 'virtio', 'disk', null]]);
      expect(out.os.bootDevs).toEqual([]);
      // Done: the finding stays as a warning with what to do next, and no fix.
      const after = advise(out, { volumes }).find((x) => x.id === 'windows-virtio-drivers')!;
      expect(after.edits).toEqual([]);
      expect(after.reason).toMatch(/install the virtio drivers from the CD-ROM/);
    });

    test('the boot order pinned keeps the legacy sequence; per-device orders already there are left alone', () => {
      const cdFirst = WINDOWS.replace("<boot dev='hd'/>", "<boot dev='cdrom'/>\n    <boot dev='hd'/>");
      const pin = (xml: string) => advise(readDomain(xml), { volumes }).find((x) => x.id === 'windows-virtio-drivers')!.edits.find((e) => e.kind === 'set-boot-order');
      expect(pin(cdFirst)).toEqual({ kind: 'set-boot-order', devices: [{ type: 'disk', target: 'sdb' }, { type: 'disk', target: 'sda' }] });
      const ordered = applyEdits(WINDOWS, [{ kind: 'set-boot-order', devices: [{ type: 'disk', target: 'sda' }] }]);
      expect(pin(ordered)).toBeUndefined();
    });

    test('no .iso volume: says so plainly and still offers the virtio disk; no empty CD-ROM: adds one', () => {
      const noCdrom = WINDOWS.replace(/<disk type='file' device='cdrom'>[\s\S]*?<\/disk>\n\s*/, '');
      const bare = advise(readDomain(noCdrom), { volumes: volumes.slice(0, 1) }).find((x) => x.id === 'windows-virtio-drivers')!;
      expect(bare.reason).toMatch(/no storage pool on this host has a volume ending in \.iso/);
      expect(bare.edits.map((e) => e.kind)).toEqual(['add-disk', 'set-boot-order']);
      const withIso = advise(readDomain(noCdrom), { volumes }).find((x) => x.id === 'windows-virtio-drivers')!;
      expect(withIso.edits[1]).toEqual({ kind: 'add-disk', device: 'cdrom', bus: 'sata', source: { pool: 'isos', volume: 'virtio-win-0.1.240.iso' }, format: 'raw' });
      expect(withIso.choice).toBeDefined();
      const taken = advise(readDomain(noCdrom), { volumes: [...volumes, { pool: 'default', name: 'legacy-a-virtio-drivers.qcow2', path: '/x' }] });
      expect(taken.find((x) => x.id === 'windows-virtio-drivers')!.newVolumes![0]!.name).toBe('legacy-a-virtio-drivers-2.qcow2');
    });
  });

  describe('NUMA', () => {
    // A two-socket host: two cells of 4 CPUs and 8 GiB each (hardware-facts.test.ts reads these
    // from `virsh capabilities`).
    const numaCells = [{ id: 0, cpus: 4, memoryKiB: 8388608 }, { id: 1, cpus: 4, memoryKiB: 8388608 }];
    const sized = (vcpus: number, memKiB: number) =>
      LEGACY.replace("<vcpu placement='static'>1</vcpu>", `<vcpu placement='static'>${vcpus}</vcpu>`).replace(/131072/g, String(memKiB));

    test('a VM that fits one cell, or a one-cell host: no finding', () => {
      expect(ids(sized(4, 4194304), { numaCells })).not.toContain('numa');
      expect(ids(sized(8, 4194304), { numaCells: numaCells.slice(0, 1) })).not.toContain('numa');
    });

    test('more vCPUs than a cell has: a guest topology of two cells, which libvirt-valid XML carries', () => {
      const xml = sized(6, 4194304);
      const f = advise(readDomain(xml), { numaCells }).find((x) => x.id === 'numa')!;
      expect(f.title).toBe('vCPUs or memory spanning NUMA cells');
      expect(f.reason).toMatch(/6 vCPUs \(a cell has 4 CPUs\)/);
      expect(f.edits).toEqual([{ kind: 'set-guest-numa', cells: 2 }]);
      expect(f.inApplyAll).toBe(false);
      const out = applyEdits(xml, f.edits);
      expect(out).toContain("<numa>\n      <cell id='0' cpus='0-2' memory='2097152' unit='KiB'/>\n      <cell id='1' cpus='3-5' memory='2097152' unit='KiB'/>\n    </numa>");
      expect(readDomain(out).cpu?.numaCells).toBe(2);
      expect(ids(out, { numaCells })).not.toContain('numa');
    });

    test('more memory than a cell has: finding; with <numatune> already: none', () => {
      const big = sized(2, 12582912);
      const f = advise(readDomain(big), { numaCells }).find((x) => x.id === 'numa')!;
      expect(f.reason).toMatch(/12288 MiB \(a cell has 8192 MiB\)/);
      expect(f.edits).toEqual([{ kind: 'set-guest-numa', cells: 2 }]);
      const tuned = big.replace('<os>', "<numatune>\n    <memory mode='interleave' nodeset='0-1'/>\n  </numatune>\n  <os>");
      expect(ids(tuned, { numaCells })).not.toContain('numa');
      // One vCPU cannot be split: the finding explains, without a fix.
      const one = advise(readDomain(sized(1, 12582912)), { numaCells }).find((x) => x.id === 'numa')!;
      expect(one.edits).toEqual([]);
    });
  });

  test('every finding the issue lists exists: disk bus, NIC, balloon, video, discard, CPU mode, guest agent, NUMA', () => {
    const kvm = sized2(LEGACY.replace("<domain type='qemu'>", "<domain type='kvm'>").replace("<memballoon model='virtio'/>", ''));
    const found = ids(kvm, { numaCells: [{ id: 0, cpus: 1, memoryKiB: 65536 }, { id: 1, cpus: 1, memoryKiB: 65536 }] });
    expect(found.sort()).toEqual(['cpu-mode', 'disk-bus:sda', 'disk-discard:sda', 'guest-agent', 'memballoon', 'nic-model:0', 'numa', 'video-model:0']);
  });
});

function sized2(xml: string): string {
  return xml.replace("<vcpu placement='static'>1</vcpu>", "<vcpu placement='static'>2</vcpu>");
}

test.each(['rw-linux2022', 'rw-debian11', 'rw-ubuntu2204', 'rw-rhel9'])('%s as virt-install defines it: only the balloon statistics finding', (vm) => {
  const xml = readFileSync(new URL(`./fixtures/real-world/${vm}-inactive.xml`, import.meta.url), 'utf8');
  expect(advise(readDomain(xml)).map((f) => f.id)).toEqual(['memballoon-stats']);
});
