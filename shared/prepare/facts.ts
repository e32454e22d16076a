// What a server says about itself before it is a hypervisor: one fixed probe script (no user text
// in it, run with LC_ALL=C as the login user, no root needed) and the parse of its sections.
// Files an admin would read by hand: /etc/os-release, /proc/cpuinfo, /proc/modules, /dev/kvm, the
// KVM module's `nested`, the kernel's messages, the package database, the service manager, the
// user's groups and authorized_keys, libvirt's networks and pools (when it answers), KSM and what
// keeps it on at boot, the bridges and how the host keeps its network configuration.
import { NET_CONFIG_PROBE, parseNetConfig, type NetConfigSystem } from '../networks/host-bridges';

/** The package names the probe asks the package database about (both families). */
export const PROBED_PACKAGES = [
  'qemu-system-x86', 'qemu-kvm', 'qemu-utils', 'qemu-img', 'libvirt-daemon-system', 'libvirt-daemon-kvm',
  'libvirt-clients', 'libvirt-client', 'ovmf', 'edk2-ovmf', 'bridge-utils', 'vlan',
] as const;

const LIBVIRT = 'virsh -c qemu:///system';
/** Where a setting of /sys/kernel/mm/ksm can be kept for the boot (globs the shell expands). */
const KSM_KEEP_FILES = ['/etc/sysfs.conf', '/etc/sysfs.d/*.conf', '/etc/tmpfiles.d/*.conf', '/usr/lib/tmpfiles.d/*.conf'];

/** Fixed text: each section starts with an `@name` line. */
export const PREPARE_PROBE_SCRIPT = [
  'LC_ALL=C; export LC_ALL; PATH=$PATH:/usr/sbin:/sbin',
  'echo @os; cat /etc/os-release 2>/dev/null',
  'echo @flags; grep -o -w -E "vmx|svm" /proc/cpuinfo 2>/dev/null | sort -u',
  'echo @modules; grep -o -E "^kvm(_intel|_amd)? " /proc/modules 2>/dev/null',
  'echo @devkvm; if [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then echo usable; elif [ -e /dev/kvm ]; then echo inaccessible; else echo missing; fi',
  'echo @nested; cat /sys/module/kvm_intel/parameters/nested /sys/module/kvm_amd/parameters/nested 2>/dev/null',
  'echo @dmesg; dmesg 2>&1 | grep -i -E "kvm|disabled by bios|operation not permitted" | tail -n 5',
  'echo @tool; command -v apt-get >/dev/null && echo apt; command -v dnf >/dev/null && echo dnf',
  `echo @dpkg; command -v dpkg-query >/dev/null && dpkg-query -W -f='\${Package} \${Status}\\n' ${PROBED_PACKAGES.join(' ')} 2>/dev/null`,
  `echo @rpm; command -v rpm >/dev/null && rpm -q --qf '%{NAME} installed\\n' ${PROBED_PACKAGES.join(' ')} 2>/dev/null | grep ' installed$'`,
  'echo @init; if [ -d /run/systemd/system ]; then echo systemd; elif command -v service >/dev/null; then echo sysv; else echo none; fi',
  'echo @daemon',
  'for d in libvirtd virtlogd; do f=/run/$d.pid; if [ -r $f ] && [ -d /proc/$(cat $f) ]; then echo "$d=running"; fi; done',
  'for s in libvirt-sock virtqemud-sock; do [ -S /run/libvirt/$s ] && echo "$s=yes"; done',
  'if [ -d /run/systemd/system ]; then for u in libvirtd.service virtqemud.socket virtlogd.socket; do echo "active-$u=$(systemctl is-active $u 2>/dev/null)"; echo "enabled-$u=$(systemctl is-enabled $u 2>/dev/null)"; done',
  'else for d in libvirtd virtlogd; do [ -x /etc/init.d/$d ] && echo "initscript-$d=yes"; ls /etc/rc2.d/S??$d >/dev/null 2>&1 && echo "enabled-$d=yes"; done; fi',
  'echo @user; id -u; id -un; id -nG "$(id -un)"',
  'echo @groups; getent group libvirt kvm | cut -d: -f1',
  'echo @sudo; if [ "$(id -u)" = 0 ]; then echo root; elif ! command -v sudo >/dev/null; then echo none; elif sudo -n true 2>/dev/null; then echo nopasswd; else echo password; fi',
  'echo @sshmodes; stat -c "%a %n" ~/.ssh ~/.ssh/authorized_keys 2>/dev/null',
  'echo @authkeys; cat ~/.ssh/authorized_keys 2>/dev/null',
  `echo @virsh; if command -v virsh >/dev/null; then out=$(${LIBVIRT} uri 2>&1); rc=$?; printf '%s\\n' "$out" | head -n 3; echo "rc=$rc"; else echo "rc=127"; fi`,
  `echo @nets; ${LIBVIRT} net-list --all --name 2>/dev/null`,
  `echo @netsactive; ${LIBVIRT} net-list --name 2>/dev/null`,
  `echo @netsauto; ${LIBVIRT} net-list --all --autostart --name 2>/dev/null`,
  `echo @pools; ${LIBVIRT} pool-list --all --name 2>/dev/null`,
  `echo @poolsactive; ${LIBVIRT} pool-list --name 2>/dev/null`,
  `echo @poolsauto; ${LIBVIRT} pool-list --all --autostart --name 2>/dev/null`,
  'echo @ksm; cat /sys/kernel/mm/ksm/run 2>/dev/null',
  // The files that set KSM's run at boot (sysfsutils, systemd-tmpfiles), and ksmtuned.
  `echo @ksmkeep; grep -ls 'kernel/mm/ksm/run' ${KSM_KEEP_FILES.join(' ')} 2>/dev/null; command -v ksmtuned >/dev/null && echo ksmtuned`,
  'echo @bridges; for d in /sys/class/net/*/bridge; do [ -d "$d" ] && basename "${d%/bridge}"; done',
  'echo @netconfig',
  ...NET_CONFIG_PROBE,
  'echo @version; virsh --version 2>/dev/null',
  'echo @end',
].join('\n');

/** libvirt's part of the probe alone, for a root re-check before the network and pool steps. */
export const LIBVIRT_OBJECTS_SCRIPT = PREPARE_PROBE_SCRIPT.split('\n')
  .filter((l) => /^(LC_ALL|echo @(nets|pools|virsh|end))/.test(l))
  .join('\n');

export type Family = 'debian' | 'rhel' | 'unknown';
export type InitSystem = 'systemd' | 'sysv' | 'none';
export type SudoMode = 'root' | 'nopasswd' | 'password' | 'none';

export interface LibvirtObjects {
  /** Whether `virsh uri` answered for this user. */
  reachable: boolean;
  /** virsh's own words when it did not. */
  message?: string;
  networks: ObjectStates;
  pools: ObjectStates;
}

export interface ObjectStates {
  defined: string[];
  active: string[];
  autostart: string[];
}

export interface HostFacts {
  os: { id: string; idLike: string[]; versionId?: string; prettyName: string };
  family: Family;
  packageTool: 'apt' | 'dnf' | 'none';
  cpuFlags: string[];
  kvmModules: string[];
  devKvm: 'usable' | 'inaccessible' | 'missing';
  nested?: string;
  kernelMessages: string[];
  installed: string[];
  init: InitSystem;
  daemon: Record<string, string>;
  user: { uid: number; name: string; groups: string[] };
  existingGroups: string[];
  sudo: SudoMode;
  sshModes: Record<string, string>;
  authorizedKeys: string;
  libvirt: LibvirtObjects;
  ksm?: '0' | '1' | '2';
  /** What sets KSM's run at boot: the files that name it, or ksmtuned (which runs it itself). */
  ksmKeptBy: string[];
  /** Every bridge on the host (/sys/class/net/NAME/bridge). */
  bridges: string[];
  /** How the host keeps its network configuration, and what keeps a bridge from the boot. */
  netConfig: { system: NetConfigSystem; notes: string[] };
  /** virsh's version (libvirt's client library), when installed. */
  libvirtVersion?: string;
}

/** A probe's output split at its `@name` lines (the host page's probe uses it too). */
export function parseSections(out: string): Record<string, string[]> {
  const sections: Record<string, string[]> = {};
  let current: string[] | undefined;
  for (const line of out.split('\n')) {
    const m = /^@(\w+)$/.exec(line.trim());
    if (m) sections[m[1]!] = current = [];
    else if (current && line.trim()) current.push(line.trim());
  }
  return sections;
}

function osRelease(lines: string[]): Record<string, string> {
  const kv: Record<string, string> = {};
  for (const line of lines) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) kv[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  }
  return kv;
}

export function familyOf(id: string, idLike: string[]): Family {
  const all = [id, ...idLike];
  if (all.some((x) => x === 'debian' || x === 'ubuntu')) return 'debian';
  if (all.some((x) => ['fedora', 'rhel', 'centos', 'almalinux', 'rocky'].includes(x))) return 'rhel';
  return 'unknown';
}

const kvLines = (lines: string[]): Record<string, string> =>
  Object.fromEntries(lines.map((l) => l.split('=')).filter((p) => p.length >= 2).map(([k, ...v]) => [k!.trim(), v.join('=').trim()]));

export function parseLibvirtObjects(s: Record<string, string[]>): LibvirtObjects {
  const virsh = s.virsh ?? [];
  const rc = virsh.find((l) => l.startsWith('rc='));
  const reachable = rc === 'rc=0';
  const words = virsh.filter((l) => !l.startsWith('rc=')).map((l) => l.replace(/^error:\s*/, '')).filter((l) => !/^qemu:\/\/\/system$/.test(l));
  const states = (a: string, b: string, c: string): ObjectStates => ({ defined: s[a] ?? [], active: s[b] ?? [], autostart: s[c] ?? [] });
  return {
    reachable,
    message: reachable ? undefined : rc === 'rc=127' ? 'virsh is not installed' : words.join(': ') || 'libvirt did not answer',
    networks: reachable ? states('nets', 'netsactive', 'netsauto') : { defined: [], active: [], autostart: [] },
    pools: reachable ? states('pools', 'poolsactive', 'poolsauto') : { defined: [], active: [], autostart: [] },
  };
}

export function parseProbe(out: string): HostFacts {
  const s = parseSections(out);
  const os = osRelease(s.os ?? []);
  const id = os.ID ?? 'unknown';
  const idLike = (os.ID_LIKE ?? '').split(/\s+/).filter(Boolean);
  const tools = s.tool ?? [];
  const [uid = '-1', name = '?', groups = ''] = s.user ?? [];
  const installed = [
    ...(s.dpkg ?? []).filter((l) => / install ok installed$/.test(l)).map((l) => l.split(' ')[0]!),
    ...(s.rpm ?? []).map((l) => l.split(' ')[0]!),
  ];
  const sshModes: Record<string, string> = {};
  for (const l of s.sshmodes ?? []) {
    const m = /^(\d+) (.+)$/.exec(l);
    if (m) sshModes[m[2]!.endsWith('authorized_keys') ? 'authorized_keys' : '.ssh'] = m[1]!;
  }
  const family = familyOf(id, idLike);
  const init = (s.init?.[0] ?? 'none') as InitSystem;
  const ksm = s.ksm?.[0];
  return {
    os: { id, idLike, versionId: os.VERSION_ID, prettyName: os.PRETTY_NAME ?? id },
    family,
    packageTool: family === 'debian' && tools.includes('apt') ? 'apt' : family === 'rhel' && tools.includes('dnf') ? 'dnf' : 'none',
    cpuFlags: s.flags ?? [],
    kvmModules: (s.modules ?? []).map((m) => m.trim()),
    devKvm: (s.devkvm?.[0] ?? 'missing') as HostFacts['devKvm'],
    nested: s.nested?.[0],
    kernelMessages: s.dmesg ?? [],
    installed,
    init: ['systemd', 'sysv'].includes(init) ? init : 'none',
    daemon: kvLines(s.daemon ?? []),
    user: { uid: Number(uid), name, groups: groups.split(/\s+/).filter(Boolean) },
    existingGroups: s.groups ?? [],
    sudo: (['root', 'nopasswd', 'password', 'none'].includes(s.sudo?.[0] ?? '') ? s.sudo![0] : 'none') as SudoMode,
    sshModes,
    authorizedKeys: (s.authkeys ?? []).join('\n'),
    libvirt: parseLibvirtObjects(s),
    ksm: ksm === '0' || ksm === '1' || ksm === '2' ? ksm : undefined,
    ksmKeptBy: s.ksmkeep ?? [],
    bridges: s.bridges ?? [],
    netConfig: parseNetConfig(new Map(Object.entries(kvLines(s.netconfig ?? [])))),
    libvirtVersion: s.version?.[0],
  };
}

/** The key type and base64 of a public key line (`ssh-ed25519 AAAA… comment`). */
export function keyBody(line: string): string | undefined {
  const m = /(?:^|\s)((?:ssh|ecdsa|sk)-[\w@.-]+)\s+([A-Za-z0-9+/=]{16,})/.exec(line);
  return m ? `${m[1]} ${m[2]}` : undefined;
}

/** Whether authorized_keys holds the key (whatever its options or comment there). */
export function hasAuthorizedKey(authorizedKeys: string, publicKey: string): boolean {
  const want = keyBody(publicKey);
  if (!want) return false;
  return authorizedKeys.split('\n').some((l) => !l.trim().startsWith('#') && keyBody(l) === want);
}
