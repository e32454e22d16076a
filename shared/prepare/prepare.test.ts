import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildChecklist, hasAuthorizedKey, INSTALL_KEY_SCRIPT, keyBody, LIBVIRT_OBJECTS_SCRIPT, parseProbe, playbookYaml, PREPARE_PROBE_SCRIPT, type Check } from './index';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq7Lh3p1mGn0Ck0a8XcUeJ0YVh7VtCqQmQvJb0m3yQX virtdeck-lab-client';
const NET_XML = "<network><name>default</name><forward/><ip address='198.51.100.225' netmask='255.255.255.240'/></network>";

/** A Debian 12 server as the probe sees it before Prepare (the lab's `fresh` on a TCG machine). */
const FRESH = `@os
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
ID=debian
@flags
@modules
kvm
@devkvm
inaccessible
@nested
@dmesg
dmesg: read kernel buffer failed: Operation not permitted
@tool
apt
@dpkg
qemu-system-x86 install ok installed
qemu-utils install ok installed
libvirt-daemon-system install ok installed
libvirt-clients install ok installed
ovmf install ok installed
@rpm
@init
sysv
@daemon
initscript-libvirtd=yes
initscript-virtlogd=yes
@user
2721
freshadm
freshadm
@groups
libvirt
kvm
@sudo
password
@sshmodes
@authkeys
@virsh
error: failed to connect to the hypervisor
error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory
rc=1
@nets
@netsactive
@netsauto
@pools
@poolsactive
@poolsauto
@ksm
0
@ksmkeep
@bridges
@netconfig
system=ifupdown
sources-dir=yes
@end
`;

/** The same host after Prepare. */
const PREPARED = FRESH.replace('@sudo', '@sudo')
  .replace('ovmf install ok installed', 'ovmf install ok installed\nbridge-utils install ok installed\nvlan install ok installed\nsysfsutils install ok installed')
  .replace('initscript-libvirtd=yes\ninitscript-virtlogd=yes', 'libvirtd=running\nvirtlogd=running\nlibvirt-sock=yes\ninitscript-libvirtd=yes\nenabled-libvirtd=yes\ninitscript-virtlogd=yes\nenabled-virtlogd=yes')
  .replace('2721\nfreshadm\nfreshadm', '2721\nfreshadm\nfreshadm kvm libvirt')
  .replace('@sshmodes\n', '@sshmodes\n700 /home/freshadm/.ssh\n600 /home/freshadm/.ssh/authorized_keys\n')
  .replace('@authkeys\n', `@authkeys\n${KEY}\n`)
  .replace(/@virsh[\s\S]*@ksm\n0/, '@virsh\nqemu:///system\nrc=0\n@nets\ndefault\n@netsactive\ndefault\n@netsauto\ndefault\n@pools\ndefault\n@poolsactive\ndefault\n@poolsauto\ndefault\n@ksm\n1')
  .replace('@ksmkeep\n@bridges\n', '@ksmkeep\n/etc/sysfs.d/virtdeck-ksm.conf\n@bridges\nbr-lan\nbr-mgmt\nbr-wan\nvirbr0\n')
  .replace('sources-dir=yes', 'sources-dir=yes\nbridge-utils=yes');

const byId = (checks: Check[], id: string) => checks.find((c) => c.id === id)!;

describe('probe facts', () => {
  test('a Debian server not prepared yet', () => {
    const f = parseProbe(FRESH);
    expect(f.os).toMatchObject({ id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    expect(f.family).toBe('debian');
    expect(f.packageTool).toBe('apt');
    expect(f.cpuFlags).toEqual([]);
    expect(f.init).toBe('sysv');
    expect(f.sudo).toBe('password');
    expect(f.user).toEqual({ uid: 2721, name: 'freshadm', groups: ['freshadm'] });
    expect(f.libvirt.reachable).toBe(false);
    expect(f.libvirt.message).toContain("Failed to connect socket to '/var/run/libvirt/libvirt-sock'");
    expect(f.ksm).toBe('0');
  });

  test('os-release families: Ubuntu is Debian-like, Alma is RHEL-like', () => {
    expect(parseProbe('@os\nID=ubuntu\nID_LIKE=debian\n@tool\napt\n@end').family).toBe('debian');
    const alma = parseProbe('@os\nID="almalinux"\nID_LIKE="rhel centos fedora"\n@tool\ndnf\n@end');
    expect([alma.family, alma.packageTool]).toEqual(['rhel', 'dnf']);
    expect(parseProbe('@os\nID=arch\n@end').family).toBe('unknown');
  });

  test('the root re-check script holds only libvirt sections', () => {
    expect(LIBVIRT_OBJECTS_SCRIPT).toContain('echo @nets;');
    expect(LIBVIRT_OBJECTS_SCRIPT).toContain('echo @poolsauto;');
    expect(LIBVIRT_OBJECTS_SCRIPT).not.toContain('@authkeys');
    expect(PREPARE_PROBE_SCRIPT.startsWith('LC_ALL=C')).toBe(true);
  });

  test('authorized_keys: matched on type and key, whatever options or comment', () => {
    expect(keyBody(KEY)).toBe(KEY.split(' ').slice(0, 2).join(' '));
    expect(hasAuthorizedKey(`# a comment\nfrom="10.0.0.1",no-pty ${KEY.split(' ').slice(0, 2).join(' ')} other@laptop`, KEY)).toBe(true);
    expect(hasAuthorizedKey(`# ${KEY}`, KEY)).toBe(false);
    expect(hasAuthorizedKey('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherOtherOtherOther x', KEY)).toBe(false);
  });
});

describe('checklist', () => {
  test('a fresh server: evidence for each line, and the steps that fix it', () => {
    const { checks, steps } = buildChecklist(parseProbe(FRESH), { publicKey: KEY, keyWanted: true, defaultNetworkXml: NET_XML });
    expect(byId(checks, 'cpu-flags')).toMatchObject({ state: 'unavailable' });
    expect(byId(checks, 'kvm').evidence).toMatch(/^not available: no virtualization flags/);
    // sysfsutils too: no systemd here, and it is what keeps KSM on at boot.
    expect(byId(checks, 'packages').evidence).toContain('missing: bridge-utils, vlan, sysfsutils');
    expect(byId(checks, 'groups')).toMatchObject({ state: 'missing', step: 'groups' });
    expect(byId(checks, 'service').evidence).toContain('libvirtd: not running, not enabled');
    expect(byId(checks, 'network').state).toBe('unknown');
    expect(steps.map((s) => s.id)).toEqual(['ssh-key', 'packages', 'groups', 'service', 'network', 'pool', 'bridges', 'ksm']);
    const pkg = steps.find((s) => s.id === 'packages')!;
    expect(pkg.commands.map((c) => c.argv)).toEqual([
      ['apt-get', 'update'],
      ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '--no-install-recommends', 'bridge-utils', 'vlan', 'sysfsutils'],
    ]);
    // The guide's bridges, none there: made without ports, each kept in its own ifupdown file.
    expect(byId(checks, 'bridges')).toMatchObject({ state: 'missing', evidence: 'missing: br-mgmt, br-wan, br-lan (/sys/class/net); ifupdown needs the bridge-utils package to create bridges at boot (bridge_ports): install it.' });
    const bridges = steps.find((s) => s.id === 'bridges')!;
    expect(bridges.title).toBe('Create bridges br-mgmt, br-wan, br-lan without ports (kept by ifupdown)');
    expect(bridges.commands.filter((c) => c.argv[0] === 'ip').map((c) => c.argv.join(' '))).toEqual(
      ['br-mgmt', 'br-wan', 'br-lan'].flatMap((b) => [`ip link add name ${b} type bridge stp_state 0 forward_delay 0`, `ip link set ${b} up`]),
    );
    expect(bridges.commands.filter((c) => c.argv[0] === 'mv').map((c) => c.argv[3])).toEqual(['/etc/network/interfaces.d/br-mgmt', '/etc/network/interfaces.d/br-wan', '/etc/network/interfaces.d/br-lan']);
    expect(bridges.commands.find((c) => c.stdin)!).toMatchObject({ stdin: expect.stringContaining('auto br-mgmt\niface br-mgmt inet manual\n    bridge_ports none'), stdinLabel: 'the ifupdown configuration of br-mgmt' });
    // KSM on, and kept on by sysfsutils' own directory (written beside, then moved in).
    expect(byId(checks, 'ksm').evidence).toBe('/sys/kernel/mm/ksm/run = 0; nothing keeps it at boot');
    const ksm = steps.find((s) => s.id === 'ksm')!;
    expect(ksm.title).toBe('Turn KSM on and keep it on');
    expect(ksm.commands.map((c) => c.argv.at(-1))).toEqual(['echo 1 > /sys/kernel/mm/ksm/run', '/etc/sysfs.d/virtdeck-ksm.conf', '/etc/sysfs.d/virtdeck-ksm.conf.virtdeck-new', '/etc/sysfs.d/virtdeck-ksm.conf']);
    expect(ksm.commands[2]).toMatchObject({ stdin: 'kernel/mm/ksm/run = 1\n', root: true });
    expect(steps.find((s) => s.id === 'groups')!.commands[0]!.argv).toEqual(['usermod', '--append', '--groups', 'libvirt,kvm', 'freshadm']);
    // The init scripts, not systemctl: no systemd on this host.
    expect(steps.find((s) => s.id === 'service')!.commands.map((c) => c.argv.join(' '))).toEqual(['update-rc.d virtlogd defaults', 'service virtlogd start', 'update-rc.d libvirtd defaults', 'service libvirtd start']);
    const net = steps.find((s) => s.id === 'network')!.commands;
    expect(net[0]).toMatchObject({ argv: ['virsh', '-c', 'qemu:///system', 'net-define', '/dev/stdin'], stdin: NET_XML });
    const key = steps.find((s) => s.id === 'ssh-key')!.commands[0]!;
    expect(key).toMatchObject({ root: false, stdin: `${KEY}\n` });
  });

  test('a prepared host: every line ok, nothing to run', () => {
    const { checks, steps } = buildChecklist(parseProbe(PREPARED), { publicKey: KEY, keyWanted: true, defaultNetworkXml: NET_XML });
    expect(steps).toEqual([]);
    for (const id of ['ssh-key', 'packages', 'groups', 'service', 'network', 'pool', 'bridges', 'ksm']) expect(byId(checks, id).state, id).toBe('ok');
    expect(byId(checks, 'ksm').evidence).toBe('/sys/kernel/mm/ksm/run = 1; kept at boot by /etc/sysfs.d/virtdeck-ksm.conf');
    expect(byId(checks, 'bridges').evidence).toBe('br-mgmt, br-wan, br-lan present (/sys/class/net)');
  });

  test('KSM on but not kept: systemd keeps it with a tmpfiles line; ksmtuned counts as kept', () => {
    const probe = (extra: string) => parseProbe(`@os\nID=ubuntu\nID_LIKE=debian\n@init\nsystemd\n@ksm\n1\n@ksmkeep\n${extra}@end`);
    const { checks, steps } = buildChecklist(probe(''), { keyWanted: false });
    const ksm = steps.find((s) => s.id === 'ksm')!;
    expect(ksm.title).toBe('Keep KSM on at boot');
    expect(ksm.commands.find((c) => c.stdin)).toMatchObject({ argv: ['install', '-m', '644', '/dev/stdin', '/etc/tmpfiles.d/virtdeck-ksm.conf.virtdeck-new'], stdin: 'w /sys/kernel/mm/ksm/run - - - - 1\n' });
    // With systemd, no package is needed for it.
    expect(byId(checks, 'packages').evidence).not.toContain('sysfsutils');
    expect(buildChecklist(probe('ksmtuned\n'), { keyWanted: false }).steps.find((s) => s.id === 'ksm')).toBeUndefined();
  });

  test('bridges on NetworkManager are its profiles; with no configuration system, running only', () => {
    const probe = (system: string) => parseProbe(`@os\nID=fedora\n@init\nsystemd\n@bridges\nbr-lan\n@netconfig\nsystem=${system}\n@end`);
    const nm = buildChecklist(probe('networkmanager'), { keyWanted: false });
    expect(byId(nm.checks, 'bridges').evidence).toBe('missing: br-mgmt, br-wan; present: br-lan (/sys/class/net)');
    expect(nm.steps.find((s) => s.id === 'bridges')!.commands.map((c) => c.argv.slice(0, 3).join(' '))).toEqual(['nmcli connection add', 'nmcli connection up', 'nmcli connection add', 'nmcli connection up']);
    const none = buildChecklist(probe('none'), { keyWanted: false }).steps.find((s) => s.id === 'bridges')!;
    expect(none.title).toBe('Create bridges br-mgmt, br-wan without ports (no network configuration system found: made running only, gone after a reboot)');
    expect(none.commands.every((c) => c.argv[0] === 'ip')).toBe(true);
  });

  test('systemd hosts get systemctl; modular daemons their sockets', () => {
    const mono = parseProbe('@os\nID=ubuntu\nID_LIKE=debian\n@init\nsystemd\n@daemon\nactive-libvirtd.service=inactive\nenabled-libvirtd.service=disabled\nactive-virtlogd.socket=active\nenabled-virtlogd.socket=enabled\n@end');
    expect(buildChecklist(mono, { keyWanted: false }).steps.find((s) => s.id === 'service')!.commands[0]!.argv).toEqual(['systemctl', 'enable', '--now', 'libvirtd.service']);
    const modular = parseProbe('@os\nID=fedora\n@init\nsystemd\n@daemon\nactive-virtqemud.socket=inactive\nenabled-virtqemud.socket=enabled\n@end');
    expect(buildChecklist(modular, { keyWanted: false }).steps.find((s) => s.id === 'service')!.commands[0]!.argv).toEqual(['systemctl', 'enable', '--now', 'virtqemud.socket', 'virtlogd.socket']);
  });

  test('flags but the firmware turned virtualization off: said from the kernel message', () => {
    const f = parseProbe('@os\nID=debian\n@flags\nvmx\n@modules\nkvm\n@dmesg\n[    3.1] kvm: disabled by bios\n@end');
    expect(byId(buildChecklist(f, { keyWanted: false }).checks, 'kvm').evidence).toMatch(/^virtualization is disabled in the firmware \(kernel: "\[    3.1\] kvm: disabled by bios"\)/);
    const ok = parseProbe('@os\nID=debian\n@flags\nsvm\n@modules\nkvm\nkvm_amd\n@devkvm\nusable\n@nested\n1\n@end');
    const checks = buildChecklist(ok, { keyWanted: false }).checks;
    expect(byId(checks, 'kvm')).toMatchObject({ state: 'ok' });
    expect(byId(checks, 'nested').evidence).toContain('nested = 1');
  });
});

const hasSh = spawnSync('sh', ['-c', 'command -v od && command -v cut']).status === 0;
describe.skipIf(!hasSh)("the key install (ssh-copy-id's semantics), run by sh on this machine", () => {
  test('appends once, after a missing final newline, and fixes the modes', () => {
    const home = mkdtempSync(join(tmpdir(), 'prep-key-'));
    try {
      const run = () => spawnSync('sh', ['-c', INSTALL_KEY_SCRIPT], { input: `${KEY}\n`, env: { HOME: home, PATH: process.env.PATH }, encoding: 'utf8' });
      spawnSync('mkdir', ['-m', '755', join(home, '.ssh')]);
      writeFileSync(join(home, '.ssh', 'authorized_keys'), 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCother old@key', { mode: 0o644 });
      expect(run().stdout).toContain('key added');
      expect(run().stdout).toContain('key already present');
      const modes = spawnSync('stat', ['-c', '%a', join(home, '.ssh'), join(home, '.ssh', 'authorized_keys')], { encoding: 'utf8' }).stdout.split('\n');
      expect(modes.slice(0, 2)).toEqual(['700', '600']);
      const text = spawnSync('cat', [join(home, '.ssh', 'authorized_keys')], { encoding: 'utf8' }).stdout;
      expect(text).toBe(`ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCother old@key\n${KEY}\n`);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

const hasAnsible = spawnSync('sh', ['-c', 'command -v ansible-playbook']).status === 0;
describe('Ansible playbook', () => {
  test('the same steps, with the modules the guide names', () => {
    const yaml = playbookYaml({ family: 'debian', hosts: 'fresh', user: 'freshadm', publicKey: KEY });
    expect(yaml).toContain('ansible.builtin.apt:');
    expect(yaml).toContain('name: ["qemu-system-x86", "qemu-utils", "libvirt-daemon-system", "libvirt-clients", "ovmf", "bridge-utils", "vlan"]');
    expect(yaml).toContain('ansible.posix.authorized_key:');
    expect(yaml).toContain('groups: ["libvirt", "kvm"]');
    expect(yaml).toContain('ansible.builtin.service:');
    expect(yaml).toContain('ip link add name $b type bridge stp_state 0 forward_delay 0');
    expect(yaml).toContain('dest: "/etc/network/interfaces.d/{{ item }}"');
    expect(yaml).toContain('loop: ["br-mgmt", "br-wan", "br-lan"]');
    expect(yaml).toContain('dest: "/etc/sysfs.d/virtdeck-ksm.conf"');
    expect(yaml).toContain(`when: "ansible_service_mgr != 'systemd'"`);
    const rhel = playbookYaml({ family: 'rhel', hosts: 'h', user: 'u' });
    expect(rhel).toContain('ansible.builtin.dnf:');
    expect(rhel).toContain('dest: "/etc/tmpfiles.d/virtdeck-ksm.conf"');
    expect(rhel).not.toContain('sysfsutils');
  });

  test.skipIf(!hasAnsible)('passes ansible-playbook --syntax-check (both families)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prep-play-'));
    try {
      for (const family of ['debian', 'rhel'] as const) {
        const file = join(dir, `${family}.yml`);
        writeFileSync(file, playbookYaml({ family, hosts: 'fresh', user: 'freshadm', publicKey: KEY }));
        const r = spawnSync('ansible-playbook', ['--syntax-check', '-i', 'fresh,', file], { encoding: 'utf8', env: { ...process.env, ANSIBLE_LOCAL_TEMP: dir, ANSIBLE_HOME: dir } });
        expect(r.status, r.stderr + r.stdout).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
