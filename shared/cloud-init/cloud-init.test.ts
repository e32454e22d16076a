import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, test } from 'vitest';
import { buildDomainXml, BUILTIN_OSES, withOsDefaults, type HostOffer, type NewVmSpec } from '../new-vm/index';
import { hasVirsh } from '../test-support/virsh';
import {
  addSeed, buildIso, buildSeedFiles, CloudInitError, expandDeployNames, fieldProblems, hostnameFromVmName, hostnameProblem, isoLevel1Name, mergedCloudConfig,
  networkConfig, parseCloudConfig, removeSeed, seedTarget, sshKeyProblem, userProblem, type CloudInitFields,
} from './index';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDlabkeyDlabkeyDlabkeyDlabkeyDlabkeyDlabkeyDl admin@laptop';
const base: CloudInitFields = { hostname: 'web-1', user: 'admin', sshKeys: [KEY] };
const has = (cmd: string) => spawnSync(cmd, ['-version'], { stdio: 'ignore' }).status !== null && spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

describe('names cloud-init accepts', () => {
  test('hostnames follow RFC 1123; hostile ones are refused', () => {
    for (const ok of ['web-1', 'a', 'db01.example.org', 'X9']) expect(hostnameProblem(ok), ok).toBeUndefined();
    for (const bad of ['', '-web', 'web-', 'we_b', 'a..b', 'a.', "it's", 'a b', '$(reboot)', 'x;y', 'ümlaut', '1.2.3.4', 'a'.repeat(64), `${'a.'.repeat(127)}a`]) {
      expect(hostnameProblem(bad), bad).toBeDefined();
    }
  });
  test('a hostname made from a VM name is one', () => {
    for (const vm of ["it's \"a\" <vm> & $(echo x); ü", 'Web_01', '---', 'a..b', 'x'.repeat(80)]) expect(hostnameProblem(hostnameFromVmName(vm)), vm).toBeUndefined();
    expect(hostnameFromVmName('Web_01')).toBe('web-01');
  });
  test('user names and keys', () => {
    expect(userProblem('admin')).toBeUndefined();
    expect(userProblem('Admin')).toBeDefined();
    expect(userProblem('a;b')).toBeDefined();
    expect(userProblem('root')).toBeDefined();
    expect(sshKeyProblem(KEY)).toBeUndefined();
    expect(sshKeyProblem('ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIDlab')).toMatch(/not a ssh-rsa key/);
    expect(sshKeyProblem(`${KEY}\nssh-ed25519 AAAA`)).toMatch(/one line/);
    expect(sshKeyProblem('hello world')).toMatch(/Not an SSH public key/);
  });
});

describe('the #cloud-config the admin types', () => {
  test('invalid YAML is refused with its line', () => {
    const bad = '#cloud-config\npackages:\n  - nginx\n runcmd: [oops\n';
    expect(() => parseCloudConfig(bad)).toThrow(CloudInitError);
    try {
      parseCloudConfig(bad);
    } catch (err) {
      expect((err as CloudInitError).line).toBe(4);
      expect((err as Error).message).toMatch(/^Line 4: /);
    }
  });
  test('a missing header, a non-mapping and a scalar where a list belongs are refused', () => {
    expect(() => parseCloudConfig('packages: [a]\n')).toThrow(/Line 1: .*#cloud-config/);
    expect(() => parseCloudConfig('#cloud-config\n- a\n')).toThrow(/mapping/);
    expect(() => parseCloudConfig('#cloud-config\nx: 1\npackages: nginx\n')).toThrow(/"packages" must be a list/);
  });
  test('merged: the fields first, the admin list entries after, other keys kept', () => {
    const merged = mergedCloudConfig({ ...base, packages: ['curl'], userData: '#cloud-config\npackages: [nginx]\ntimezone: Europe/Berlin\nusers:\n  - default\n' });
    expect(merged.packages).toEqual(['curl', 'nginx']);
    expect(merged.timezone).toBe('Europe/Berlin');
    expect((merged.users as unknown[])[1]).toBe('default');
    expect((merged.users as Array<{ name: string }>)[0]!.name).toBe('admin');
  });
});

describe('the seed files', () => {
  test('user-data, meta-data and network-config read back as YAML with every field', () => {
    const hash = '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1';
    const f = buildSeedFiles({ ...base, hostname: 'db1.example.org', passwordHash: hash, runOnce: 'touch /x "y"', network: { mode: 'static', address: '192.0.2.50/24', gateway: '192.0.2.1', dns: ['192.0.2.53'], mac: '52:54:00:AA:BB:CC' } }, 'iid-1');
    expect(f.userData.startsWith('#cloud-config\n')).toBe(true);
    const ud = load(f.userData) as Record<string, unknown>;
    expect(ud).toMatchObject({ hostname: 'db1', fqdn: 'db1.example.org', ssh_pwauth: true, runcmd: [['sh', '-c', 'touch /x "y"']] });
    expect((ud.users as Array<Record<string, unknown>>)[0]).toMatchObject({ name: 'admin', passwd: hash, lock_passwd: false, ssh_authorized_keys: [KEY] });
    expect(load(f.metaData)).toEqual({ 'instance-id': 'iid-1', 'local-hostname': 'db1.example.org' });
    expect(load(f.networkConfig!)).toEqual({
      network: { version: 2, ethernets: { eth0: { match: { macaddress: '52:54:00:aa:bb:cc' }, 'set-name': 'eth0', dhcp4: false, addresses: ['192.0.2.50/24'], routes: [{ to: 'default', via: '192.0.2.1' }], nameservers: { addresses: ['192.0.2.53'] } } } },
    });
    expect(networkConfig({ mode: 'dhcp' })).toBeUndefined();
  });
  test('every problem at once, and nothing built', () => {
    const problems = fieldProblems({ hostname: 'a_b', user: 'Root', sshKeys: ['nope'], passwordHash: 'plain', packages: ['a;b'], network: { mode: 'static', address: '300.1.1.1/24' } });
    expect(problems).toHaveLength(6);
    expect(() => buildSeedFiles({ ...base, hostname: '$(x)' }, 'i')).toThrow(CloudInitError);
  });
});

describe('many at once', () => {
  test('round robin over hosts, padded numbers, hostnames from names', () => {
    const plan = expandDeployNames({ pattern: 'web-{n}', count: 3, first: 7, pad: 2, hosts: ['hv1', 'hv3'] }, ['web-06']);
    expect(plan).toEqual([
      { name: 'web-07', hostId: 'hv1', hostname: 'web-07' },
      { name: 'web-08', hostId: 'hv3', hostname: 'web-08' },
      { name: 'web-09', hostId: 'hv1', hostname: 'web-09' },
    ]);
  });
  test('a name taken on any connected host, a hostname twice, a bad hostname: refused', () => {
    expect(() => expandDeployNames({ pattern: 'web-{n}', count: 2, hosts: ['hv1'] }, ['web-2'])).toThrow(/"web-2"/);
    expect(() => expandDeployNames({ pattern: 'web-{n}', count: 2, hosts: ['hv1'], hostnamePattern: 'web' }, [])).toThrow(/hostname "web"/);
    expect(() => expandDeployNames({ pattern: 'w {n}', count: 1, hosts: ['hv1'], hostnamePattern: '{name}' }, [])).toThrow(/RFC 1123/);
  });
});

describe('the ISO 9660 seed image', () => {
  const enc = new TextEncoder();
  const files = [
    { name: 'user-data', data: enc.encode('#cloud-config\nhostname: web-1\n') },
    { name: 'meta-data', data: enc.encode('instance-id: i\n') },
    { name: 'network-config', data: enc.encode('x'.repeat(5000)) },
  ];
  test('layout: descriptors, label, size, level-1 names', () => {
    const iso = buildIso(files, 'cidata', new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
    expect(iso.length % 2048).toBe(0);
    const text = (at: number, n: number) => new TextDecoder().decode(iso.slice(at, at + n));
    expect(text(16 * 2048 + 1, 5)).toBe('CD001');
    expect(text(16 * 2048 + 40, 32).trim()).toBe('cidata');
    expect(iso[17 * 2048]).toBe(2);
    expect(iso[18 * 2048]).toBe(255);
    expect(isoLevel1Name('network-config')).toBe('NETWORK_.;1');
    expect(() => buildIso([files[0]!, { name: 'user-dat', data: new Uint8Array() }], 'cidata')).toThrow(/same ISO 9660 name/);
  });
  const tools = has('isoinfo');
  describe.skipIf(!tools)('as isoinfo reads it (Rock Ridge, Joliet and plain names, file contents)', () => {
    const dir = mkdtempSync('/tmp/seed-iso-');
    const path = `${dir}/seed.iso`;
    writeFileSync(path, buildIso(files, 'cidata'));
    const run = (...args: string[]) => spawnSync('isoinfo', ['-i', path, ...args], { encoding: 'utf8' });
    test('descriptors', () => {
      const d = run('-d').stdout;
      expect(d).toMatch(/Volume id: cidata/);
      expect(d).toMatch(/Joliet with UCS level 3 found/);
      expect(d).toMatch(/Rock Ridge signatures version 1 found/);
      expect(d).toMatch(/Volume size is: 31\n/);
    });
    test.each([['-R'], ['-J']])('%s names and contents', (how) => {
      const l = run(how, '-l').stdout;
      for (const f of files) expect(l).toMatch(new RegExp(`\\s${f.data.length}\\s.*\\s${f.name}\\s*$`, 'm'));
      for (const f of files) expect(run(how, '-x', `/${f.name}`).stdout).toBe(new TextDecoder().decode(f.data));
      if (how === '-R') expect(l).toMatch(/-r--r--r-- +1 +0 +0 /);
    });
    test('plain ISO 9660 names', () => expect(run('-l').stdout).toMatch(/USER_DAT\.;1/));
    test.skipIf(!has('xorriso'))('xorriso lists the Rock Ridge tree', () => {
      const r = spawnSync('xorriso', ['-indev', path, '-find', '/', '-exec', 'lsdl'], { encoding: 'utf8' });
      expect(r.stdout).toMatch(/'\/user-data'/);
      rmSync(dir, { recursive: true, force: true });
    });
  });
});

describe('the seed in the domain XML', () => {
  const host: HostOffer = { arch: 'x86_64', kvm: false, machines: ['pc'], uefi: false, secureBoot: false, tpmEmulator: false, cpus: 2, memoryKiB: 4 << 20, memoryFreeKiB: 2 << 20, numaCells: 1 };
  const os = BUILTIN_OSES.find((o) => o.shortId === 'linux2022')!;
  const spec: NewVmSpec = withOsDefaults({
    name: "web 'one'", os, arch: 'x86_64', machine: 'pc', domainType: 'qemu', vcpus: 1, memoryMiB: 128, firmware: 'bios', secureBoot: false, tpm: false,
    media: { kind: 'import' }, disk: { kind: 'existing', path: '/var/lib/libvirt/images/web.qcow2', format: 'qcow2' }, diskBus: 'virtio', nic: null, video: 'vga', serialLog: true, autostart: false,
  }, os, host);
  const seed = "/var/lib/libvirt/images/web 'one'.cidata.iso";
  test('a SCSI CD-ROM, a virtio-scsi controller, ds=nocloud as the SMBIOS serial; removed again', () => {
    const { xml, target } = addSeed(buildDomainXml(spec), seed);
    expect(target).toBe('sda');
    expect(xml).toContain("<entry name='serial'>ds=nocloud</entry>");
    expect(xml).toContain("<smbios mode='sysinfo'/>");
    expect(xml).toMatch(/<target dev='sda' bus='scsi'\/>/);
    expect(xml).toContain("model='virtio-scsi'");
    expect(seedTarget(xml, seed)).toBe('sda');
    const back = removeSeed(xml);
    expect(back).not.toContain('cidata.iso');
    expect(back).not.toContain('ds=nocloud');
  });
  test.skipIf(!hasVirsh)("libvirt's schema takes it (test:///default, define --validate)", () => {
    const dir = mkdtempSync('/tmp/seed-xml-');
    try {
      writeFileSync(`${dir}/d.xml`, addSeed(buildDomainXml(spec), seed).xml);
      const r = spawnSync('virsh', ['-q', '-c', 'test:///default'], { input: `define --validate ${dir}/d.xml\ndumpxml --domain "web 'one'"\n`, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('ds=nocloud');
      expect(r.stdout).toMatch(/<target dev='sda' bus='scsi'\/>/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
