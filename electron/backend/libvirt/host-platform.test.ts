import { describe, expect, it } from 'vitest';
import { containerActionArgv, containerLimits, lxcUriBeside } from './containers.js';
import { containerFacts, parseEmulation } from './host-platform.js';
import { parseSections } from './host-info.js';

// Shortened from a lab host's `virsh capabilities` (QEMU 7.2 with qemu-system-arm installed).
const CAPS = `<capabilities>
  <host><cpu><arch>x86_64</arch></cpu></host>
  <guest>
    <os_type>hvm</os_type>
    <arch name='aarch64'>
      <wordsize>64</wordsize>
      <emulator>/usr/bin/qemu-system-aarch64</emulator>
      <machine maxCpus='1'>integratorcp</machine>
      <machine maxCpus='512'>virt-7.2</machine>
      <machine canonical='virt-7.2' maxCpus='512'>virt</machine>
      <domain type='qemu'/>
    </arch>
  </guest>
  <guest>
    <os_type>hvm</os_type>
    <arch name='x86_64'>
      <wordsize>64</wordsize>
      <emulator>/usr/bin/qemu-system-x86_64</emulator>
      <machine maxCpus='255'>pc-i440fx-7.2</machine>
      <machine canonical='pc-i440fx-7.2' maxCpus='255'>pc</machine>
      <machine canonical='pc-q35-7.2' maxCpus='288'>q35</machine>
      <domain type='qemu'/>
      <domain type='kvm'/>
    </arch>
  </guest>
</capabilities>`;

describe('host platform facts', () => {
  it('lists each emulated architecture with its machine types, aliases first', () => {
    expect(parseEmulation(CAPS)).toEqual([
      { arch: 'aarch64', emulator: '/usr/bin/qemu-system-aarch64', machines: ['virt', 'integratorcp', 'virt-7.2'], domainTypes: ['qemu'] },
      { arch: 'x86_64', emulator: '/usr/bin/qemu-system-x86_64', machines: ['pc', 'q35', 'pc-i440fx-7.2'], domainTypes: ['qemu', 'kvm'] },
    ]);
  });

  it('tells cgroup v1, v2 and hybrid apart, and reads the user namespace switches', () => {
    const probe = (cgroupfs: string, v1: string[], unified: string, userns: string[]) =>
      parseSections(['@cgroupfs', cgroupfs, '@cgroupv1', ...v1, '@cgroupunified', unified, '@userns', ...userns, '@end'].join('\n'));
    expect(containerFacts(probe('tmpfs', ['cpu', 'memory'], '-', ['-', '96363']), true)).toEqual({
      cgroup: 'v1',
      cgroupControllers: ['cpu', 'memory'],
      lxcDriver: true,
      unprivilegedUserns: true,
      usernsDetail: 'user.max_user_namespaces = 96363',
    });
    expect(containerFacts(probe('tmpfs', ['cpu'], 'cgroup2fs', ['1', '100']), false).cgroup).toBe('hybrid');
    const v2 = containerFacts(probe('cgroup2fs', [], '-', ['0', '100']), undefined);
    expect([v2.cgroup, v2.unprivilegedUserns, v2.lxcDriver]).toEqual(['v2', false, undefined]);
    // A network namespace's remounted /sys: no cgroup at all.
    expect(containerFacts(probe('sysfs', [], '-', ['-', '-']), true)).toMatchObject({ cgroup: 'none', unprivilegedUserns: undefined });
  });

  it('puts an LXC driver only beside a system QEMU connection', () => {
    expect(lxcUriBeside('qemu:///system')).toBe('lxc:///system');
    expect(lxcUriBeside('qemu:///session')).toBeUndefined();
    expect(lxcUriBeside('test:///default')).toBeUndefined();
  });

  it('runs container actions LXC can take, and refuses what only a VM has', () => {
    expect(containerActionArgv('shutdown', "it's")).toEqual(['shutdown', '--domain', "it's"]);
    expect(containerActionArgv('destroy', 'b')).toEqual(['destroy', '--domain', 'b']);
    expect(containerActionArgv('autostart-off', 'b')).toEqual(['autostart', '--domain', 'b', '--disable']);
    expect(() => containerActionArgv('managedsave', 'b')).toThrow(/container/);
    expect(containerLimits('CPU(s):         2\nMax memory:     131072 KiB\n')).toEqual({ vcpus: 2, memoryKiB: 131072 });
  });
});
