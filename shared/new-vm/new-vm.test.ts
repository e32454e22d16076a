import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { advise } from '../domain-xml/advisor';
import { readDomain } from '../domain-xml/read';
import { hasVirsh } from '../test-support/virsh';
import {
  BUILTIN_OSES, buildDomainXml, explainDefaults, generateMac, macProblem, osCatalog, parseOsinfoQuery, specProblems, vmNameProblem, withOsDefaults,
  type HostOffer, type NewVmSpec,
} from './index';

const host: HostOffer = { arch: 'x86_64', kvm: false, machines: ['q35', 'pc'], uefi: true, secureBoot: true, tpmEmulator: true, cpus: 4, memoryKiB: 8 << 20, memoryFreeKiB: 4 << 20, numaCells: 1 };
const os = (short: string) => BUILTIN_OSES.find((o) => o.shortId === short)!;
const HOSTILE = `it's "a" <vm> & $(echo x); ü`;

function linux(over: Partial<NewVmSpec> = {}): NewVmSpec {
  const base: NewVmSpec = {
    name: 'web-1', os: os('linux2022'), arch: 'x86_64', machine: 'q35', domainType: 'qemu', vcpus: 1, memoryMiB: 256,
    firmware: 'bios', secureBoot: false, tpm: false,
    media: { kind: 'iso', path: '/var/lib/libvirt/images/virtdeck-install.iso' },
    disk: { kind: 'new', pool: 'default', volume: 'web-1.qcow2', sizeGiB: 1, path: '/var/lib/libvirt/images/web-1.qcow2' },
    diskBus: 'virtio', nic: { type: 'bridge', source: 'br-lan', mac: '52:54:00:aa:bb:cc', model: 'virtio' }, video: 'virtio', serialLog: true, autostart: false,
  };
  return withOsDefaults({ ...base, ...over }, over.os ?? base.os, host);
}
const win11 = () =>
  withOsDefaults(
    linux({ name: 'win 11', disk: { kind: 'new', pool: 'default', volume: 'win.qcow2', sizeGiB: 64, path: '/var/lib/libvirt/images/win.qcow2' }, driverIso: '/var/lib/libvirt/images/virtio-win.iso', memoryMiB: 4096 }),
    os('win11'),
    host,
  );

/** virsh against libvirt's test driver: define --validate (the RNG schema) and read it back by name. */
function defineOnTestDriver(xml: string, name: string) {
  const dir = mkdtempSync('/tmp/new-vm-');
  try {
    writeFileSync(`${dir}/d.xml`, xml);
    const quoted = `'${name.replace(/'/g, `'\\''`)}'`;
    return spawnSync('virsh', ['-q', '-c', 'test:///default'], { input: `define --validate ${dir}/d.xml\ndumpxml --domain ${quoted}\n`, encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the Linux defaults', () => {
  const xml = buildDomainXml(linux());
  test('virtio disk with discard on thin qcow2, CD-ROM on SATA booted first, virtio NIC, balloon with stats, RNG, agent, virtio video', () => {
    expect(xml).toContain("<driver name='qemu' type='qcow2' discard='unmap' detect_zeroes='unmap'/>");
    expect(xml).toContain("<target dev='vda' bus='virtio'/>");
    expect(xml).toMatch(/<disk type='file' device='cdrom'>[\s\S]*<target dev='sda' bus='sata'\/>[\s\S]*<boot order='1'\/>/);
    expect(xml).toContain("<model type='virtio'/>");
    expect(xml).toContain("<stats period='5'/>");
    expect(xml).toContain("<rng model='virtio'>");
    expect(xml).toContain("name='org.qemu.guest_agent.0'");
    expect(xml).toContain("<model type='virtio' heads='1' primary='yes'/>");
    expect(xml).not.toContain('hyperv');
    expect(xml).not.toContain('<tpm');
  });
  test('the advisor has nothing to say about it', () => {
    expect(advise(readDomain(xml), { kvm: false, numaCells: [{ id: 0, cpus: 4, memoryKiB: 8 << 20 }] })).toEqual([]);
  });
  test('on KVM: host-passthrough CPU, and still no finding', () => {
    const kvm = buildDomainXml(linux({ domainType: 'kvm' }));
    expect(kvm).toContain("<domain type='kvm'>");
    expect(kvm).toContain("<cpu mode='host-passthrough'");
    expect(advise(readDomain(kvm), { kvm: true })).toEqual([]);
  });
  test('virtio-scsi: the disk on sda with a virtio-scsi controller, the CD-ROM after it', () => {
    const scsi = buildDomainXml({ ...linux(), diskBus: 'scsi' });
    expect(scsi).toContain("<target dev='sda' bus='scsi'/>");
    expect(scsi).toContain("<target dev='sdb' bus='sata'/>");
    expect(scsi).toContain("<controller type='scsi' model='virtio-scsi'/>");
    expect(advise(readDomain(scsi), {})).toEqual([]);
  });
  test('import boots the disk; PXE boots the NIC first', () => {
    const imp = buildDomainXml(linux({ media: { kind: 'import' }, disk: { kind: 'existing', path: '/i/virtdeck-import.qcow2', format: 'qcow2' } }));
    expect(imp).not.toContain("device='cdrom'");
    expect(imp).toMatch(/<source file='\/i\/virtdeck-import.qcow2'\/>\s*<target dev='vda' bus='virtio'\/>\s*<boot order='1'\/>/);
    const pxe = buildDomainXml(linux({ media: { kind: 'pxe' } }));
    expect(pxe).toMatch(/<interface type='bridge'>[\s\S]*<boot order='1'\/>[\s\S]*<\/interface>/);
    expect(pxe).toMatch(/<target dev='vda' bus='virtio'\/>\s*<boot order='2'\/>/);
  });
  test('a raw existing disk has no discard line for thin storage', () => {
    expect(buildDomainXml(linux({ disk: { kind: 'existing', path: '/dev/vg/x', format: 'raw' } }))).toContain("<driver name='qemu' type='raw'/>");
  });
});

describe('the Windows 11 defaults', () => {
  const spec = win11();
  const xml = buildDomainXml(spec);
  test('UEFI with Secure Boot and SMM, TPM 2.0 emulated, SATA disk, two CD-ROMs, e1000e, Hyper-V, local clock', () => {
    expect(spec.firmware).toBe('uefi');
    expect(xml).toContain("<os firmware='efi'>");
    expect(xml).toContain("<feature enabled='yes' name='secure-boot'/>");
    expect(xml).toContain("<smm state='on'/>");
    expect(xml).toContain("<tpm model='tpm-crb'>\n      <backend type='emulator' version='2.0'/>");
    expect(xml).toContain("<target dev='sda' bus='sata'/>");
    expect(xml.match(/device='cdrom'/g)).toHaveLength(2);
    expect(xml).toContain("<model type='e1000e'/>");
    expect(xml).toContain("<hyperv mode='custom'>");
    expect(xml).toContain("<clock offset='localtime'>");
    expect(xml).toContain("<libosinfo:os id='http://microsoft.com/win/11'/>");
  });
  test('without OVMF or swtpm on the host: BIOS and no TPM', () => {
    const plain = withOsDefaults(spec, os('win11'), { ...host, uefi: false, secureBoot: false, tpmEmulator: false });
    expect([plain.firmware, plain.secureBoot, plain.tpm]).toEqual(['bios', false, false]);
  });
  test("the advisor's only word is the Windows safe path (the NIC waits for NetKVM)", () => {
    const ids = advise(readDomain(xml), { volumes: [] }).map((f) => f.id);
    expect(ids.every((id) => /windows|nic-model/.test(id))).toBe(true);
    expect(explainDefaults(spec).map((e) => e.item)).toContain('Afterwards');
  });
});

describe.skipIf(!hasVirsh)("libvirt's parser and schema take what we build (test:///default, define --validate)", () => {
  test.each([
    ['Linux from an ISO, hostile name', () => linux({ name: HOSTILE, title: 'a "title"' })],
    ['Windows 11', win11],
    ['import on virtio-scsi', () => ({ ...linux({ media: { kind: 'import' }, disk: { kind: 'existing', path: '/i/x.qcow2', format: 'qcow2' } }), diskBus: 'scsi' as const })],
    ['PXE, network NIC', () => linux({ media: { kind: 'pxe' }, nic: { type: 'network', source: 'default', mac: '52:54:00:01:02:03', model: 'virtio' } })],
  ])('%s', (_what, make) => {
    const spec = make();
    const r = defineOnTestDriver(buildDomainXml(spec), spec.name);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`<memory unit='KiB'>${spec.memoryMiB * 1024}</memory>`);
    expect(r.stdout).toContain("<memballoon model='virtio'>");
  });
});

describe('checks', () => {
  test('names: libvirt rules and unique on the host; hostile characters are fine', () => {
    expect(vmNameProblem(HOSTILE, [])).toBeUndefined();
    expect(vmNameProblem('', [])).toMatch(/needs a name/);
    expect(vmNameProblem('a/b', [])).toMatch(/"\/"/);
    expect(vmNameProblem('a\nb', [])).toMatch(/control/);
    expect(vmNameProblem('tuned-1', ['tuned-1'])).toMatch(/already has a VM/);
  });
  test('spec problems against the host', () => {
    expect(specProblems(linux(), host, [])).toEqual([]);
    expect(specProblems(linux({ vcpus: 9, memoryMiB: 99999 }), host, [])).toEqual([expect.stringMatching(/4 CPUs/), expect.stringMatching(/8192 MiB/)]);
    expect(specProblems({ ...win11(), tpm: true }, { ...host, tpmEmulator: false }, [])).toEqual([expect.stringMatching(/swtpm/)]);
    expect(specProblems(linux({ media: { kind: 'import' } }), host, [])).toEqual([expect.stringMatching(/existing disk image/)]);
  });
  test('MACs: generated in 52:54:00 and never a taken one; typed ones checked', () => {
    const seq = [0xaa, 0xbb, 0xcc, 1, 2, 3];
    let i = 0;
    expect(generateMac(['52:54:00:AA:BB:CC'], () => seq[i++ % seq.length]!)).toBe('52:54:00:01:02:03');
    expect(macProblem('52:54:00:d0:03:01', ['52:54:00:D0:03:01'])).toMatch(/already used/);
    expect(macProblem('01:00:5e:00:00:01', [])).toMatch(/multicast/);
    expect(macProblem('52:54:00:zz:00:01', [])).toMatch(/not a MAC/);
    expect(macProblem('52:54:00:12:34:56', [])).toBeUndefined();
  });
  test('osinfo-query output becomes the catalogue, the generic entries kept first', () => {
    const out = ` Short ID | Name | OS Family | ID \n----------+------+-----------+----\n debian12 | Debian 12 | linux | http://debian.org/debian/12 \n win11 | Microsoft Windows 11 | winnt | http://microsoft.com/win/11 \n freebsd14.0 | FreeBSD 14.0 | freebsd | http://freebsd.org/freebsd/14.0 \n`;
    const list = parseOsinfoQuery(out);
    expect(list.map((o) => [o.shortId, o.family])).toEqual([['debian12', 'linux'], ['win11', 'windows'], ['freebsd14.0', 'other']]);
    const cat = osCatalog(list);
    expect(cat[0]!.shortId).toBe('linux2022');
    expect(cat.filter((o) => o.shortId === 'win11')).toHaveLength(1);
    expect(osCatalog(undefined)).toEqual(BUILTIN_OSES);
  });
});
