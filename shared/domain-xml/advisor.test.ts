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
  test('a SATA + e1000 Linux VM: disk bus, NIC, video, discard, guest agent — not the CD-ROM, not the balloon', () => {
    expect(ids(LEGACY).sort()).toEqual(['disk-bus:sda', 'disk-discard:sda', 'guest-agent', 'nic-model:0', 'video-model:0']);
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

  test('Windows: warns about virtio drivers, never offers the disk bus move, keeps it out of apply all', () => {
    const v = readDomain(WINDOWS);
    expect(isWindows(v)).toBe(true);
    const f = advise(v);
    expect(f.map((x) => x.id)).not.toContain('disk-bus:sda');
    const guard = f.find((x) => x.id === 'windows-virtio-drivers')!;
    expect(guard.severity).toBe('warn');
    expect(guard.reason).toMatch(/virtio-win/);
    expect(guard.inApplyAll).toBe(false);
    expect(guard.edits).toEqual([{ kind: 'add-controller', type: 'scsi', model: 'virtio-scsi' }]);
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
});
