// The shape libvirt's LXC driver writes back (`dumpxml --inactive` of the lab's box-1 on hv5),
// with memtune, cputune, an ID map, privnet and a RAM filesystem added in libvirt's element order.
import { describe, expect, test } from 'vitest';
import { containerXml } from './xml';
import { readContainer } from './view';

const DUMPED = `<domain type='lxc'>
  <name>box-1</name>
  <uuid>3f0c8b43-9d3e-4c8f-a0f8-93b1f6e0a1c2</uuid>
  <memory unit='KiB'>65536</memory>
  <currentMemory unit='KiB'>65536</currentMemory>
  <memtune>
    <hard_limit unit='KiB'>60000</hard_limit>
    <swap_hard_limit unit='KiB'>70000</swap_hard_limit>
  </memtune>
  <vcpu placement='static' cpuset='0'>1</vcpu>
  <cputune>
    <shares>512</shares>
    <period>100000</period>
    <quota>50000</quota>
  </cputune>
  <resource>
    <partition>/machine</partition>
  </resource>
  <os>
    <type arch='x86_64'>exe</type>
    <init>/bin/sh</init>
    <initarg>-c</initarg>
    <initarg>exec /sbin/init</initarg>
  </os>
  <idmap>
    <uid start='0' target='100000' count='65536'/>
    <gid start='0' target='100000' count='65536'/>
  </idmap>
  <features>
    <privnet/>
  </features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/lib/libvirt/libvirt_lxc</emulator>
    <filesystem type='mount' accessmode='passthrough'>
      <source dir='/var/lib/libvirt/lxc/box-1'/>
      <target dir='/'/>
    </filesystem>
    <filesystem type='ram' accessmode='passthrough'>
      <source usage='8192' units='KiB'/>
      <target dir='/tmp'/>
    </filesystem>
    <interface type='bridge'>
      <mac address='00:16:3e:12:34:56'/>
      <source bridge='br-lan'/>
    </interface>
    <console type='pty'>
      <target type='lxc' port='0'/>
    </console>
  </devices>
</domain>
`;

describe('readContainer', () => {
  test('filesystems, memory limit and tuning, CPU share, init, NICs and ID maps as libvirt writes them', () => {
    const c = readContainer(DUMPED);
    expect(c).toMatchObject({
      name: 'box-1',
      osType: 'exe',
      arch: 'x86_64',
      init: '/bin/sh',
      initArgs: ['-c', 'exec /sbin/init'],
      memoryKiB: 65536,
      memtune: { hardKiB: 60000, softKiB: null, swapHardKiB: 70000 },
      vcpus: 1,
      cpuset: '0',
      cpuShares: 512,
      cpuQuota: { periodUs: 100000, quotaUs: 50000 },
      consoles: 1,
      privnet: true,
    });
    expect(c.root).toMatchObject({ type: 'mount', source: '/var/lib/libvirt/lxc/box-1', target: '/' });
    expect(c.filesystems.map((f) => [f.type, f.target, f.usageKiB])).toEqual([['mount', '/', null], ['ram', '/tmp', 8192]]);
    expect(c.interfaces[0]).toMatchObject({ type: 'bridge', source: 'br-lan', mac: '00:16:3e:12:34:56', hostDev: null });
    const live = readContainer(DUMPED.replace("<source bridge='br-lan'/>", "<source bridge='br-lan'/>\n      <target dev='vnet3'/>"));
    expect(live.interfaces[0]!.hostDev).toBe('vnet3');
    expect(c.idmaps).toEqual([{ kind: 'uid', start: 0, target: 100000, count: 65536 }, { kind: 'gid', start: 0, target: 100000, count: 65536 }]);
  });

  test('what VirtDeck defines reads back: no tuning is "not set", never a made-up default', () => {
    const c = readContainer(containerXml({ name: 'web-1', rootDir: '/srv/web-1', memoryMiB: 96, nic: { type: 'network', source: 'default' } }));
    expect(c).toMatchObject({ memoryKiB: 98304, cpuShares: null, cpuset: null, memtune: { hardKiB: null, softKiB: null, swapHardKiB: null }, init: '/sbin/init', idmaps: [], privnet: false });
    expect(c.interfaces[0]).toMatchObject({ type: 'network', source: 'default' });
  });

  test('malformed XML is refused', () => {
    expect(() => readContainer('<domain type="lxc"><name>x</domain>')).toThrow();
  });
});
