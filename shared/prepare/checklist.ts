// The guide's checklist over a host's facts: each line's state and the evidence it rests on, and
// the steps that fix what is missing, each with the exact commands (argument vectors) it runs.
// A step plans only what is missing, so running the plan on a prepared host runs nothing.
import { createBridgeCommands } from '../networks/host-bridges';
import { hasAuthorizedKey, type Family, type HostFacts, type InitSystem } from './facts';

export type CheckState = 'ok' | 'missing' | 'unavailable' | 'unknown' | 'info';

export interface Check {
  id: string;
  title: string;
  state: CheckState;
  /** What the host showed, in words (with the file or command it came from). */
  evidence: string;
  /** The step that fixes it, when there is one. */
  step?: StepId;
}

export type StepId = 'ssh-key' | 'packages' | 'groups' | 'service' | 'network' | 'pool' | 'bridges' | 'ksm';
/** The order the steps run in (each after what it needs: bridges after bridge-utils). */
export const STEP_ORDER: readonly StepId[] = ['ssh-key', 'packages', 'groups', 'service', 'network', 'pool', 'bridges', 'ksm'];

export interface PlannedCommand {
  argv: string[];
  /** Runs as root (through sudo when the login user is not root). */
  root: boolean;
  /** Written to its standard input; `stdinLabel` says what it is in the shown command. */
  stdin?: string;
  stdinLabel?: string;
  /** A long command whose output is worth watching (a package install). */
  live?: boolean;
}

export interface Step {
  id: StepId;
  title: string;
  commands: PlannedCommand[];
}

/** The packages the guide installs, per family: QEMU, libvirt daemon and clients, OVMF,
 *  qemu-utils, bridge-utils, vlan (Fedora/RHEL make VLANs with iproute2: no package). */
export const GUIDE_PACKAGES: Record<Exclude<Family, 'unknown'>, string[]> = {
  debian: ['qemu-system-x86', 'qemu-utils', 'libvirt-daemon-system', 'libvirt-clients', 'ovmf', 'bridge-utils', 'vlan'],
  rhel: ['qemu-kvm', 'qemu-img', 'libvirt-daemon-kvm', 'libvirt-client', 'edk2-ovmf', 'bridge-utils'],
};

/** The guide's bridges: management, uplink, and the internal LAN. Prepare makes the missing ones
 *  without ports, so VM definitions (and moves between hosts) find the same names everywhere; a
 *  port is the admin's choice, on the Networks page, never the link that carries SSH. */
export const GUIDE_BRIDGES = ['br-mgmt', 'br-wan', 'br-lan'];

/** KSM's run kept for the boot: systemd-tmpfiles where systemd runs, else sysfsutils. */
export const KSM_KEEP = {
  systemd: { path: '/etc/tmpfiles.d/virtdeck-ksm.conf', text: 'w /sys/kernel/mm/ksm/run - - - - 1\n' },
  sysfs: { path: '/etc/sysfs.d/virtdeck-ksm.conf', text: 'kernel/mm/ksm/run = 1\n' },
} as const;

/** The packages a host of this family needs: the guide's, and sysfsutils on a Debian without
 *  systemd when KSM is to be kept on (nothing else there sets /sys at boot). */
export function guidePackages(f: Pick<HostFacts, 'family' | 'init' | 'ksm' | 'ksmKeptBy'>): string[] {
  if (f.family === 'unknown') return [];
  const keepKsm = f.family === 'debian' && f.init !== 'systemd' && f.ksm !== undefined && !f.ksmKeptBy.length;
  return [...GUIDE_PACKAGES[f.family], ...(keepKsm ? ['sysfsutils'] : [])];
}

export const GUIDE_GROUPS = ['libvirt', 'kvm'];
export const DEFAULT_NETWORK_TEMPLATE = '/usr/share/libvirt/networks/default.xml';
export const DEFAULT_POOL_PATH = '/var/lib/libvirt/images';
const VIRSH = ['virsh', '-c', 'qemu:///system'];

/** What the plan needs beyond the facts. */
export interface PlanInput {
  /** The public key the connection logs in with (its IdentityFile's .pub), if any. */
  publicKey?: string;
  /** Whether the connection logged in with a password (then the key is worth installing). */
  keyWanted: boolean;
  /** The host's template of the `default` network (read from DEFAULT_NETWORK_TEMPLATE). */
  defaultNetworkXml?: string;
}

export interface Checklist {
  checks: Check[];
  steps: Step[];
}

/** ssh-copy-id's semantics: ~/.ssh 700, authorized_keys 600, the key (on stdin) appended once,
 *  after a newline when the file does not end in one. Fixed text; the key comes on stdin. */
export const INSTALL_KEY_SCRIPT = [
  'umask 077; set -e; read -r key',
  'mkdir -p "$HOME/.ssh"; chmod 700 "$HOME/.ssh"; f="$HOME/.ssh/authorized_keys"; touch "$f"; chmod 600 "$f"',
  'body=$(printf "%s\\n" "$key" | cut -d" " -f1,2)',
  'if grep -v "^#" "$f" | grep -qF "$body"; then echo "key already present"; exit 0; fi',
  'if [ -s "$f" ] && [ "$(tail -c 1 "$f" | od -An -c | tr -d " ")" != "\\n" ]; then echo >> "$f"; fi',
  'printf "%s\\n" "$key" >> "$f"; echo "key added"',
].join('\n');

function kvmChecks(f: HostFacts): Check[] {
  const flags = f.cpuFlags.filter((x) => x === 'vmx' || x === 'svm');
  const firmwareOff = f.kernelMessages.find((l) => /disabled by bios/i.test(l));
  const vendor = flags.includes('svm') ? 'AMD-V (svm)' : 'VT-x (vmx)';
  const cpu: Check = flags.length
    ? { id: 'cpu-flags', title: 'CPU virtualization', state: 'ok', evidence: `${vendor} in /proc/cpuinfo flags` }
    : { id: 'cpu-flags', title: 'CPU virtualization', state: 'unavailable', evidence: 'not available: no virtualization flags (vmx or svm) in /proc/cpuinfo — on a VM, enable nested virtualization on its host; on hardware, in the firmware' };
  let kvm: Check;
  if (!flags.length) kvm = { id: 'kvm', title: 'KVM', state: 'unavailable', evidence: 'not available: no virtualization flags; guests run in software emulation (TCG), much slower' };
  else if (firmwareOff) kvm = { id: 'kvm', title: 'KVM', state: 'unavailable', evidence: `virtualization is disabled in the firmware (kernel: "${firmwareOff.trim()}"): turn on ${vendor} in the BIOS/UEFI setup` };
  else if (!f.kvmModules.some((m) => m !== 'kvm')) kvm = { id: 'kvm', title: 'KVM', state: 'missing', evidence: `the kvm_${flags.includes('svm') ? 'amd' : 'intel'} module is not loaded (/proc/modules)${f.kernelMessages.length ? `; kernel: ${f.kernelMessages.at(-1)}` : ''}` };
  else if (f.devKvm !== 'usable') kvm = { id: 'kvm', title: 'KVM', state: 'missing', evidence: `${f.kvmModules.join(', ')} loaded, but /dev/kvm is ${f.devKvm === 'missing' ? 'missing' : `not usable by ${f.user.name} (join the kvm group)`}` };
  else kvm = { id: 'kvm', title: 'KVM', state: 'ok', evidence: `${f.kvmModules.join(', ')} loaded; /dev/kvm usable` };
  const nested: Check = {
    id: 'nested',
    title: 'Nested virtualization',
    state: 'info',
    evidence: f.nested ? `nested = ${f.nested} (/sys/module/kvm_*/parameters/nested)` : 'no KVM module parameters to read',
  };
  return [cpu, kvm, nested];
}

function packageStep(f: HostFacts, missing: string[]): Step {
  const commands: PlannedCommand[] =
    f.packageTool === 'apt'
      ? [
          { argv: ['apt-get', 'update'], root: true, live: true },
          { argv: ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '--no-install-recommends', ...missing], root: true, live: true },
        ]
      : [{ argv: ['dnf', 'install', '-y', ...missing], root: true, live: true }];
  return { id: 'packages', title: `Install ${missing.join(', ')}`, commands };
}

/** The daemon part: which units or init scripts, enabled and started. */
function serviceStep(init: InitSystem, daemon: Record<string, string>): { evidence: string; ok: boolean; commands: PlannedCommand[] } {
  if (init === 'systemd') {
    const modular = daemon['enabled-virtqemud.socket'] === 'enabled' || daemon['active-virtqemud.socket'] === 'active';
    const units = modular ? ['virtqemud.socket', 'virtlogd.socket'] : ['libvirtd.service', 'virtlogd.socket'];
    const bad = units.filter((u) => daemon[`active-${u}`] !== 'active' || daemon[`enabled-${u}`] !== 'enabled');
    const evidence = units.map((u) => `${u}: ${daemon[`active-${u}`] || 'unknown'}, ${daemon[`enabled-${u}`] || 'unknown'}`).join('; ') + ' (systemctl)';
    return { evidence, ok: !bad.length, commands: bad.length ? [{ argv: ['systemctl', 'enable', '--now', ...bad], root: true }] : [] };
  }
  if (init === 'sysv') {
    const commands: PlannedCommand[] = [];
    const parts: string[] = [];
    for (const d of ['virtlogd', 'libvirtd']) {
      const enabled = daemon[`enabled-${d}`] === 'yes';
      const running = daemon[d] === 'running';
      parts.push(`${d}: ${running ? 'running' : 'not running'}, ${enabled ? 'enabled' : daemon[`initscript-${d}`] ? 'not enabled' : 'no init script'}`);
      if (!enabled) commands.push({ argv: ['update-rc.d', d, 'defaults'], root: true });
      if (!running) commands.push({ argv: ['service', d, 'start'], root: true });
    }
    return { evidence: `${parts.join('; ')} (init scripts: no systemd on this host)`, ok: !commands.length, commands };
  }
  return { evidence: 'no service manager found (neither systemd nor the service command)', ok: false, commands: [] };
}

function objectCheck(kind: 'network' | 'pool', f: HostFacts, input: PlanInput): { check: Check; step?: Step } {
  const o = kind === 'network' ? f.libvirt.networks : f.libvirt.pools;
  const title = kind === 'network' ? 'Network "default"' : 'Storage pool "default"';
  const cmd = kind === 'network' ? 'net' : 'pool';
  if (!f.libvirt.reachable) {
    return {
      check: { id: kind, title, state: 'unknown', evidence: `unknown while libvirt does not answer ${f.user.name} (${f.libvirt.message})`, step: kind },
      step: { id: kind, title: `Define and start the ${kind} "default"`, commands: objectCommands(kind, { defined: false, active: false, autostart: false }, input) },
    };
  }
  const s = { defined: o.defined.includes('default'), active: o.active.includes('default'), autostart: o.autostart.includes('default') };
  const commands = objectCommands(kind, s, input);
  const evidence = s.defined ? `defined, ${s.active ? 'active' : 'inactive'}, ${s.autostart ? 'autostart' : 'no autostart'} (virsh ${cmd}-list)` : `not defined (virsh ${cmd}-list --all)`;
  return {
    check: { id: kind, title, state: commands.length ? 'missing' : 'ok', evidence, step: commands.length ? kind : undefined },
    step: commands.length ? { id: kind, title: `${s.defined ? 'Start' : 'Define and start'} the ${kind} "default"`, commands } : undefined,
  };
}

export function objectCommands(kind: 'network' | 'pool', s: { defined: boolean; active: boolean; autostart: boolean }, input: PlanInput): PlannedCommand[] {
  const out: PlannedCommand[] = [];
  const cmd = kind === 'network' ? 'net' : 'pool';
  if (!s.defined) {
    if (kind === 'network') out.push({ argv: [...VIRSH, 'net-define', '/dev/stdin'], root: true, stdin: input.defaultNetworkXml ?? '', stdinLabel: DEFAULT_NETWORK_TEMPLATE });
    else out.push({ argv: [...VIRSH, 'pool-define-as', 'default', 'dir', '--target', DEFAULT_POOL_PATH], root: true }, { argv: [...VIRSH, 'pool-build', 'default'], root: true });
  }
  if (!s.autostart) out.push({ argv: [...VIRSH, `${cmd}-autostart`, 'default'], root: true });
  if (!s.active) out.push({ argv: [...VIRSH, `${cmd}-start`, 'default'], root: true });
  return out;
}

export function buildChecklist(f: HostFacts, input: PlanInput): Checklist {
  const checks: Check[] = [];
  const steps: Step[] = [];
  const add = (check: Check, step?: Step) => {
    checks.push(step ? { ...check, step: step.id } : check);
    if (step) steps.push(step);
  };
  checks.push({ id: 'os', title: 'Operating system', state: f.family === 'unknown' ? 'unavailable' : 'info', evidence: `${f.os.prettyName} (/etc/os-release: ID=${f.os.id}${f.os.versionId ? `, VERSION_ID=${f.os.versionId}` : ''})${f.family === 'unknown' ? ' — not a distribution VirtDeck knows how to prepare (Debian/Ubuntu, Fedora/RHEL)' : ''}` });
  checks.push(...kvmChecks(f));

  // The login key first: once it is in, the connection no longer needs the password.
  if (input.publicKey) {
    const present = hasAuthorizedKey(f.authorizedKeys, input.publicKey);
    const modesOk = f.sshModes['.ssh'] === '700' && f.sshModes.authorized_keys === '600';
    const evidence = present ? `in ~/.ssh/authorized_keys (modes ${f.sshModes['.ssh'] ?? '?'} / ${f.sshModes.authorized_keys ?? '?'})` : `not in ~/.ssh/authorized_keys of ${f.user.name}`;
    const need = !present || !modesOk;
    add(
      { id: 'ssh-key', title: "This computer's key", state: need ? 'missing' : 'ok', evidence },
      need && (input.keyWanted || present) ? { id: 'ssh-key', title: `Install this computer's key for ${f.user.name}`, commands: [{ argv: ['sh', '-c', INSTALL_KEY_SCRIPT], root: false, stdin: `${input.publicKey.trim()}\n`, stdinLabel: 'the public key' }] } : undefined,
    );
  } else {
    checks.push({ id: 'ssh-key', title: "This computer's key", state: 'info', evidence: 'the connection has no identity file with a .pub beside it to install' });
  }

  if (f.family !== 'unknown') {
    const want = guidePackages(f);
    const missing = want.filter((p) => !f.installed.includes(p));
    const canInstall = f.packageTool !== 'none';
    add(
      { id: 'packages', title: 'Packages', state: missing.length ? 'missing' : 'ok', evidence: missing.length ? `missing: ${missing.join(', ')}; installed: ${want.filter((p) => !missing.includes(p)).join(', ') || 'none'} (${f.family === 'debian' ? 'dpkg' : 'rpm'})` : `${want.join(', ')} installed` },
      missing.length && canInstall ? packageStep(f, missing) : undefined,
    );
  }

  const notIn = GUIDE_GROUPS.filter((g) => !f.user.groups.includes(g));
  // A group the host does not have yet comes with the packages; the step is planned again then.
  const lackGroups = notIn.filter((g) => f.existingGroups.includes(g));
  const groupsEvidence = `${f.user.name} is in: ${f.user.groups.join(' ') || 'no groups'} (id -nG)`;
  add(
    { id: 'groups', title: 'Groups libvirt and kvm', state: notIn.length ? 'missing' : 'ok', evidence: notIn.length ? `${groupsEvidence}; not in ${notIn.join(', ')}${notIn.length > lackGroups.length ? ` (no group ${notIn.filter((g) => !lackGroups.includes(g)).join(', ')} on the host yet)` : ''}` : groupsEvidence },
    lackGroups.length && f.user.uid !== 0 ? { id: 'groups', title: `Add ${f.user.name} to ${lackGroups.join(', ')}`, commands: [{ argv: ['usermod', '--append', '--groups', lackGroups.join(','), f.user.name], root: true }] } : undefined,
  );

  const svc = serviceStep(f.init, f.daemon);
  add(
    { id: 'service', title: 'libvirt daemon enabled and running', state: svc.ok ? 'ok' : 'missing', evidence: svc.evidence },
    svc.commands.length ? { id: 'service', title: 'Enable and start libvirt', commands: svc.commands } : undefined,
  );

  for (const kind of ['network', 'pool'] as const) {
    const { check, step } = objectCheck(kind, f, input);
    add(check, step);
  }

  add(...bridgesCheck(f));
  add(...ksmCheck(f));
  return { checks, steps };
}

/** A file written beside its place and moved in (never half-written), the previous copy kept. */
function writeFileCommands(path: string, text: string, label: string): PlannedCommand[] {
  return [
    { argv: ['sh', '-c', 'mkdir -p "${1%/*}" && { [ ! -e "$1" ] || cp -p "$1" "$1.virtdeck-prev"; }', 'sh', path], root: true },
    { argv: ['install', '-m', '644', '/dev/stdin', `${path}.virtdeck-new`], root: true, stdin: text, stdinLabel: label },
    { argv: ['mv', '-f', `${path}.virtdeck-new`, path], root: true },
  ];
}

function bridgesCheck(f: HostFacts): [Check, Step | undefined] {
  const missing = GUIDE_BRIDGES.filter((b) => !f.bridges.includes(b));
  const system = f.netConfig.system;
  const kept = system === 'none' ? ' (no network configuration system found: made running only, gone after a reboot)' : ` (kept by ${system})`;
  const evidence = missing.length
    ? `missing: ${missing.join(', ')}${missing.length < GUIDE_BRIDGES.length ? `; present: ${GUIDE_BRIDGES.filter((b) => !missing.includes(b)).join(', ')}` : ''} (/sys/class/net)`
    : `${GUIDE_BRIDGES.join(', ')} present (/sys/class/net)`;
  const check: Check = { id: 'bridges', title: "The guide's bridges", state: missing.length ? 'missing' : 'ok', evidence: [evidence, ...f.netConfig.notes].join('; ') };
  if (!missing.length) return [check, undefined];
  const commands = missing.flatMap((name) => createBridgeCommands(system, { name, ports: [] }).map(({ argv, root, stdin }): PlannedCommand => (stdin === undefined ? { argv, root } : { argv, root, stdin, stdinLabel: `the ${system} configuration of ${name}` })));
  return [check, { id: 'bridges', title: `Create bridges ${missing.join(', ')} without ports${kept}`, commands }];
}

function ksmCheck(f: HostFacts): [Check, Step | undefined] {
  if (!f.ksm) return [{ id: 'ksm', title: 'KSM (same-page merging)', state: 'unavailable', evidence: 'the kernel has no KSM (/sys/kernel/mm/ksm)' }, undefined];
  const keep = f.init === 'systemd' ? KSM_KEEP.systemd : KSM_KEEP.sysfs;
  const kept = f.ksmKeptBy.length > 0;
  const evidence = `/sys/kernel/mm/ksm/run = ${f.ksm}; ${kept ? `kept at boot by ${f.ksmKeptBy.join(', ')}` : 'nothing keeps it at boot'}`;
  const commands: PlannedCommand[] = [
    ...(f.ksm !== '1' ? [{ argv: ['sh', '-c', 'echo 1 > /sys/kernel/mm/ksm/run'], root: true }] : []),
    ...(kept ? [] : writeFileCommands(keep.path, keep.text, f.init === 'systemd' ? 'a systemd-tmpfiles line' : 'a sysfsutils line')),
  ];
  const check: Check = { id: 'ksm', title: 'KSM (same-page merging)', state: commands.length ? 'missing' : 'ok', evidence };
  return [check, commands.length ? { id: 'ksm', title: f.ksm !== '1' ? 'Turn KSM on and keep it on' : 'Keep KSM on at boot', commands } : undefined];
}

/** Whether the host is a working hypervisor for this user: what the fleet needs. */
export const isHypervisor = (f: HostFacts): boolean => f.libvirt.reachable;
