// The LXC tools' output as the lab's LXC 5.0 prints it, hostile names included, ELF headers of
// real binaries, the binfmt files and the config file's edits.
import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BINFMT_SCRIPT, parseBinfmtHandler, parseBinfmtListing } from './binfmt';
import { configValue, newContainerConfig, parseLxcConfig, setLxcConfigKey } from './config';
import { binfmtHandlerFor, configArch, elfArch, odBytes } from './elf';
import { bridgeNameProblem, lxcNameProblem, parseMemoryMiB } from './input';
import { lxcState, parseLxcInfo, parseLxcInfoKeys, parseLxcLs } from './ls';

/** A table laid out as lxc-ls lays it out: each column padded to its widest value in bytes. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => Buffer.byteLength(r[i]!))));
  return rows.map((r) => r.map((v, i) => v + ' '.repeat(widths[i]! - Buffer.byteLength(v) + 1)).join('')).join('\n') + '\n';
}
const HEAD = ['NAME', 'STATE', 'PID', 'RAM', 'AUTOSTART', 'IPV4', 'IPV6', 'UNPRIVILEGED'];

describe('parseLxcLs', () => {
  test('the lab host as LXC 5.0 prints it', () => {
    const out = 'NAME    STATE   PID  RAM    AUTOSTART IPV4            IPV6 UNPRIVILEGED \nlxc-arm STOPPED -    -      0         -               -    false        \nlxc-box RUNNING 6404 0.65MB 1         198.51.100.201  -    false        \n';
    expect(parseLxcLs(out)).toEqual([
      { name: 'lxc-arm', toolState: 'STOPPED', state: 'shutoff', pid: undefined, memUsedKiB: undefined, autostart: false, ipv4: [], ipv6: [], unprivileged: false },
      { name: 'lxc-box', toolState: 'RUNNING', state: 'running', pid: 6404, memUsedKiB: 666, autostart: true, ipv4: ['198.51.100.201'], ipv6: [], unprivileged: false },
    ]);
  });

  test('names with spaces, quotes, $(), ; and unicode, and lists of addresses, stay whole', () => {
    const names = [`it's "x"`, 'a b;c', '$(rm -rf ~)', 'Grüße-容器', 'x'];
    const out = table([HEAD, ...names.map((n, i) => [n, i === 1 ? 'FROZEN' : 'RUNNING', String(100 + i), '1.50MB', '0', '198.51.100.2, 198.51.100.3', 'fe80::1, 2001:db8::5', 'false'])]);
    const rows = parseLxcLs(out);
    expect(rows.map((r) => r.name)).toEqual(names);
    expect(rows[1]!.state).toBe('paused');
    expect(rows[3]!.ipv4).toEqual(['198.51.100.2', '198.51.100.3']);
    expect(rows[3]!.ipv6).toEqual(['fe80::1', '2001:db8::5']);
    expect(rows[3]!.memUsedKiB).toBe(1536);
  });

  test('no containers, or no table, is no rows', () => {
    expect(parseLxcLs('')).toEqual([]);
    expect(parseLxcLs('lxc-ls: some error\n')).toEqual([]);
  });

  test('every LXC state maps to a domain state', () => {
    expect(['STOPPED', 'STARTING', 'RUNNING', 'STOPPING', 'ABORTING', 'FREEZING', 'FROZEN', 'THAWED', '??'].map(lxcState)).toEqual(['shutoff', 'running', 'running', 'shutdown', 'crashed', 'paused', 'paused', 'running', 'nostate']);
  });
});

test('lxc-info -H and -c', () => {
  const info = parseLxcInfo('Name:           t1\nState:          RUNNING\nPID:            6404\nIP:             198.51.100.201\nIP:             fe80::1\nCPU use:        5837717\nBlkIO use:      0\nMemory use:     679936\nKMem use:       364544\n');
  expect(info).toEqual({ state: 'RUNNING', pid: 6404, cpuNs: 5837717, memoryBytes: 679936, kmemBytes: 364544, ipv4: ['198.51.100.201'], ipv6: ['fe80::1'] });
  expect(parseLxcInfoKeys('lxc.arch =\nlxc.rootfs.path = dir:/var/lib/lxc/a b/rootfs\nlxc.start.auto = 0\n')).toEqual({ 'lxc.arch': '', 'lxc.rootfs.path': 'dir:/var/lib/lxc/a b/rootfs', 'lxc.start.auto': '0' });
});

describe('architecture', () => {
  test('ELF headers of x86_64 and aarch64 binaries, as od prints them', () => {
    expect(elfArch(odBytes(' 7f 45 4c 46 02 01 01 03 00 00 00 00 00 00 00 00\n 02 00 3e 00\n'))).toBe('x86_64');
    expect(elfArch(odBytes(' 7f 45 4c 46 02 01 01 00 00 00 00 00 00 00 00 00\n 02 00 b7 00\n'))).toBe('aarch64');
    expect(elfArch(odBytes(' 7f 45 4c 46 01 01 01 00 00 00 00 00 00 00 00 00\n 02 00 28 00\n'))).toBe('armv7l');
    expect(elfArch(odBytes('23 21 2f 62 69 6e'))).toBeUndefined();
    expect(elfArch([])).toBeUndefined();
  });

  test.skipIf(!existsSync('/bin/busybox') || process.arch !== 'x64')("this machine's busybox reads as x86_64", () => {
    expect(elfArch([...readFileSync('/bin/busybox').subarray(0, 20)])).toBe('x86_64');
  });

  test("lxc.arch words in libvirt's names, and the handler for each", () => {
    expect(['amd64', 'arm64', 'armhf', 'i386', '', 'weird'].map((a) => configArch(a))).toEqual(['x86_64', 'aarch64', 'armv7l', 'i686', undefined, undefined]);
    expect(['aarch64', 'armv7l', 'i686', 'riscv64'].map(binfmtHandlerFor)).toEqual(['qemu-aarch64', 'qemu-arm', 'qemu-i386', 'qemu-riscv64']);
  });
});

describe('input checks', () => {
  test.each(['a/b', '', ' ', '..', '-n', 'tab\there', ' lead', 'a b'])('name %j is refused', (n) => expect(lxcNameProblem(n)).toBeTruthy());
  test.each(['web-1', `it's"x"`, "vd-ü$(x);'q'", '$(x);y', 'Grüße'])('name %j is fine', (n) => expect(lxcNameProblem(n)).toBeUndefined());
  test('memory', () => {
    expect(parseMemoryMiB('abc')).toHaveProperty('problem');
    expect(parseMemoryMiB('1.5')).toHaveProperty('problem');
    expect(parseMemoryMiB('0')).toHaveProperty('problem');
    expect(parseMemoryMiB('256')).toEqual({ mib: 256 });
    expect(parseMemoryMiB('1G')).toEqual({ mib: 1024 });
    expect(parseMemoryMiB(' 64 MiB ')).toEqual({ mib: 64 });
  });
  test('bridge names', () => {
    expect(bridgeNameProblem('br-lxc')).toBeUndefined();
    expect(bridgeNameProblem('br lan')).toBeTruthy();
    expect(bridgeNameProblem('a/b')).toBeTruthy();
    expect(bridgeNameProblem('sixteen-chars-xx')).toBeTruthy();
  });
});

describe('binfmt', () => {
  test('a handler file as the kernel prints it', () => {
    const text = 'enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: PF\noffset 0\nmagic 7f454c460201010000000000000000000200b700\nmask ffffffffffffff00fffffffffffffffffeffffff\n';
    expect(parseBinfmtHandler('qemu-aarch64', text)).toEqual({ name: 'qemu-aarch64', enabled: true, interpreter: '/usr/libexec/qemu-binfmt/aarch64-binfmt-P', flags: 'PF', arch: 'aarch64' });
    expect(parseBinfmtHandler('qemu-arm', 'disabled\nflags: PF\n')).toMatchObject({ enabled: false, arch: 'armv7l' });
  });
  test('the listing script output, mounted or not', () => {
    expect(parseBinfmtListing('unmounted\n')).toEqual({ mounted: false, handlers: [] });
    const l = parseBinfmtListing('== qemu-arm\ndisabled\nflags: PF\n== qemu-aarch64\nenabled\nflags: PF\n');
    expect(l.handlers.map((h) => [h.name, h.enabled])).toEqual([['qemu-aarch64', true], ['qemu-arm', false]]);
    expect(BINFMT_SCRIPT).not.toMatch(/\n/);
  });
});

describe('config file', () => {
  const text = '# made by lxc-create\nlxc.net.0.type = empty\nlxc.start.auto = 0\nlxc.mount.entry = /lib lib none ro,bind 0 0\nlxc.mount.entry = /usr/lib usr/lib none ro,bind 0 0\n';
  test('keys in order, repeats kept', () => {
    const e = parseLxcConfig(text);
    expect(e.map((x) => x.key)).toEqual(['lxc.net.0.type', 'lxc.start.auto', 'lxc.mount.entry', 'lxc.mount.entry']);
    expect(configValue(e, 'lxc.start.auto')).toBe('0');
  });
  test('setting a key rewrites its line in place, appends a new one, keeps comments', () => {
    expect(setLxcConfigKey(text, 'lxc.start.auto', '1')).toBe(text.replace('lxc.start.auto = 0', 'lxc.start.auto = 1'));
    expect(setLxcConfigKey(text, 'lxc.cgroup.memory.limit_in_bytes', '134217728')).toBe(`${text}lxc.cgroup.memory.limit_in_bytes = 134217728\n`);
    expect(setLxcConfigKey(text, 'lxc.start.auto', undefined)).not.toContain('lxc.start.auto');
    expect(() => setLxcConfigKey(text, 'lxc.start.auto', '1\nlxc.init.cmd = /bin/evil')).toThrow(/span lines/);
    expect(() => setLxcConfigKey(text, 'not a key', '1')).toThrow();
  });
  test('a new container config: NIC on a bridge or none, memory limit for v1 or v2', () => {
    expect(newContainerConfig({ bridge: 'br-lxc', memoryMiB: 64, cgroup2: false })).toBe('lxc.net.0.type = veth\nlxc.net.0.link = br-lxc\nlxc.net.0.flags = up\nlxc.cgroup.memory.limit_in_bytes = 67108864\n');
    expect(newContainerConfig({ cgroup2: true, memoryMiB: 64, autostart: true })).toBe('lxc.net.0.type = empty\nlxc.cgroup2.memory.max = 67108864\nlxc.start.auto = 1\n');
  });
});
