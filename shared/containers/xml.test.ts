// The container XML builder: refuses bad specs, escapes names and paths, and libvirt's own
// parser (virsh against the test driver) takes what it builds.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { containerSpecProblem, containerXml, type ContainerSpec } from './xml';

const base: ContainerSpec = { name: 'web-1', rootDir: '/var/lib/libvirt/lxc/web-1', memoryMiB: 128 };
const hasVirsh = spawnSync('sh', ['-c', 'command -v virsh']).status === 0;


describe('containerXml', () => {
  test('an OS container on a root directory, with a memory limit and a console', () => {
    const xml = containerXml({ ...base, nic: { type: 'bridge', source: 'br-lan' } });
    expect(xml).toContain("<domain type='lxc'>");
    expect(xml).toContain("<memory unit='MiB'>128</memory>");
    expect(xml).toContain('<type>exe</type>');
    expect(xml).toContain('<init>/sbin/init</init>');
    expect(xml).toContain("<source dir='/var/lib/libvirt/lxc/web-1'/>");
    expect(xml).toContain("<interface type='bridge'>\n      <source bridge='br-lan'/>");
    expect(containerXml({ ...base, nic: { type: 'network', source: 'default' } })).toContain("<source network='default'/>");
    expect(containerXml(base)).not.toContain('<interface');
  });

  test('hostile names and paths are escaped, not interpreted', () => {
    const xml = containerXml({ ...base, name: `it's <b>&"$(x)"`, rootDir: "/srv/o'neil & co" });
    expect(xml).toContain('<name>it\'s &lt;b&gt;&amp;"$(x)"</name>');
    expect(xml).toContain("<source dir='/srv/o&apos;neil &amp; co'/>");
  });

  test.each([
    [{ name: ' ' }, /needs a name/],
    [{ name: 'a/b' }, /cannot contain/],
    [{ rootDir: 'relative/dir' }, /absolute/],
    [{ rootDir: '/srv/../etc' }, /absolute/],
    [{ rootDir: '/' }, /host's own/],
    [{ memoryMiB: 8 }, /from 16/],
    [{ memoryMiB: 64.5 }, /whole number/],
    [{ init: 'sbin/init' }, /init program/],
    [{ nic: { type: 'bridge' as const, source: '' } }, /Name the bridge/],
  ])('refuses %o', (change, message) => {
    const spec = { ...base, ...change };
    expect(containerSpecProblem(spec)).toMatch(message);
    expect(() => containerXml(spec)).toThrow(message);
  });

  test.skipIf(!hasVirsh)("libvirt's parser defines it and keeps every part", () => {
    const dir = mkdtempSync('/tmp/container-xml-');
    try {
      const file = `${dir}/c.xml`;
      writeFileSync(file, containerXml({ ...base, name: "it's a box", nic: { type: 'bridge', source: 'br-lan' } }));
      const r = spawnSync('virsh', ['-c', 'test:///default'], { input: `define ${file}\ndumpxml --domain "it's a box"\n`, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain("<domain type='lxc'>");
      expect(r.stdout).toContain("<source dir='/var/lib/libvirt/lxc/web-1'/>");
      expect(r.stdout).toContain("<source bridge='br-lan'/>");
      expect(r.stdout).toContain("<memory unit='KiB'>131072</memory>");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
