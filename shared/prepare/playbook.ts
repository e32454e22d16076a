// The same preparation as an Ansible playbook, for many hosts at once: the guide's packages
// (apt or dnf), the user's groups and key (user, ansible.posix.authorized_key), libvirt's daemon
// through the host's own service manager (ansible.builtin.service picks systemd or the init
// scripts, as the in-app flow detects them), the default network and pool (virsh, reporting a
// change only when it made one), the guide's bridges without ports (running, and in the host's own
// network configuration: ifupdown or netplan files, NetworkManager profiles) and KSM, kept on at
// boot (systemd-tmpfiles, or sysfsutils without systemd). Idempotent like the in-app flow: a
// second run changes nothing.
import { ifupdownStanza, NET_CONFIG_PROBE, netplanYaml, nmcliCommands } from '../networks/host-bridges';
import { DEFAULT_NETWORK_TEMPLATE, DEFAULT_POOL_PATH, GUIDE_BRIDGES, GUIDE_GROUPS, GUIDE_PACKAGES, KSM_KEEP } from './checklist';
import type { Family } from './facts';

export interface PlaybookInput {
  family: Exclude<Family, 'unknown'>;
  /** The inventory pattern the play targets. */
  hosts: string;
  /** The login user to put in the groups and give the key. */
  user: string;
  publicKey?: string;
}

/** A YAML double-quoted scalar (JSON's string syntax is valid YAML). */
const q = (s: string): string => JSON.stringify(s);

const VIRSH = 'virsh -c qemu:///system';
// virsh pads --name lists (pool-list prints 'default ' with a trailing blank), so a name is
// matched with any trailing white space.

/** A shell task that reports "changed" only when its script printed CHANGED. */
function virshTask(name: string, script: string): string[] {
  return [`    - name: ${q(name)}`, `      ansible.builtin.shell: ${q(script)}`, '      register: result', "      changed_when: \"'CHANGED' in result.stdout\""];
}

/** A file kept with its content (`ansible.builtin.copy`), only `when` the condition holds. */
function fileTask(name: string, dest: string, content: string, mode: string, when: string, loop?: string[]): string[] {
  return [
    `    - name: ${q(name)}`,
    '      ansible.builtin.copy:',
    `        dest: ${q(dest)}`,
    `        content: ${q(content)}`,
    `        mode: ${q(mode)}`,
    ...(loop ? [`      loop: [${loop.map(q).join(', ')}]`] : []),
    `      when: ${q(when)}`,
  ];
}

/** The guide's bridges without ports: running, and kept the way the host keeps its network. */
function bridgeTasks(): string[] {
  const item = '{{ item }}';
  const bridge = { name: item, ports: [] };
  const is = (system: string) => `'system=${system}' in netconfig.stdout`;
  const nm = nmcliCommands(bridge)[0]!.join(' ');
  return [
    `    - name: ${q('How the host keeps its network configuration')}`,
    `      ansible.builtin.shell: ${q(['PATH=$PATH:/usr/sbin:/sbin', ...NET_CONFIG_PROBE].join('\n'))}`,
    '      register: netconfig',
    '      changed_when: false',
    ...virshTask(`Create the bridges ${GUIDE_BRIDGES.join(', ')} without ports`, `for b in ${GUIDE_BRIDGES.join(' ')}; do [ -d /sys/class/net/$b/bridge ] || { ip link add name $b type bridge stp_state 0 forward_delay 0 && ip link set $b up && echo CHANGED; }; done`),
    `      when: ${q(`not (${is('networkmanager')})`)}`,
    ...fileTask('Keep the bridges in ifupdown', '/etc/network/interfaces.d/{{ item }}', ifupdownStanza(bridge), '0644', is('ifupdown'), GUIDE_BRIDGES),
    ...fileTask('Keep the bridges in netplan', '/etc/netplan/90-virtdeck-{{ item }}.yaml', netplanYaml(bridge), '0600', is('netplan'), GUIDE_BRIDGES),
    ...virshTask('Keep the bridges as NetworkManager profiles', `nmcli -t -f NAME connection show | grep -qx '${item}' || { ${nm} && nmcli connection up '${item}' && echo CHANGED; }`),
    `      loop: [${GUIDE_BRIDGES.map(q).join(', ')}]`,
    `      when: ${q(is('networkmanager'))}`,
  ];
}

export function playbookYaml(p: PlaybookInput): string {
  const pkgs = GUIDE_PACKAGES[p.family];
  const lines = [
    '# Prepare a KVM hypervisor as VirtDeck does (its checklist, step by step). Idempotent.',
    `# Check: ansible-playbook --syntax-check prepare.yml; run: ansible-playbook -i HOSTS prepare.yml -K`,
    `- name: ${q('Prepare KVM hypervisors')}`,
    `  hosts: ${q(p.hosts)}`,
    '  become: true',
    '  tasks:',
  ];
  if (p.family === 'debian') {
    lines.push(
      `    - name: ${q('Install the packages of the guide')}`,
      '      ansible.builtin.apt:',
      `        name: [${pkgs.map(q).join(', ')}]`,
      '        state: present',
      '        update_cache: true',
      '        install_recommends: false',
    );
  } else {
    lines.push(`    - name: ${q('Install the packages of the guide')}`, '      ansible.builtin.dnf:', `        name: [${pkgs.map(q).join(', ')}]`, '        state: present');
  }
  lines.push(
    `    - name: ${q(`Add ${p.user} to ${GUIDE_GROUPS.join(' and ')}`)}`,
    '      ansible.builtin.user:',
    `        name: ${q(p.user)}`,
    `        groups: [${GUIDE_GROUPS.map(q).join(', ')}]`,
    '        append: true',
  );
  if (p.publicKey) {
    lines.push(`    - name: ${q(`Authorize this computer's key for ${p.user}`)}`, '      ansible.posix.authorized_key:', `        user: ${q(p.user)}`, `        key: ${q(p.publicKey.trim())}`, '        state: present');
  }
  for (const svc of ['virtlogd', 'libvirtd']) {
    lines.push(`    - name: ${q(`Enable and start ${svc}`)}`, '      ansible.builtin.service:', `        name: ${q(svc)}`, '        enabled: true', '        state: started');
  }
  lines.push(
    ...virshTask(
      'Define, autostart and start the network default',
      [
        `${VIRSH} net-info default >/dev/null 2>&1 || { ${VIRSH} net-define ${DEFAULT_NETWORK_TEMPLATE} && echo CHANGED; }`,
        `${VIRSH} net-list --all --autostart --name | grep -Eqx 'default[[:space:]]*' || { ${VIRSH} net-autostart default && echo CHANGED; }`,
        `${VIRSH} net-list --name | grep -Eqx 'default[[:space:]]*' || { ${VIRSH} net-start default && echo CHANGED; }`,
      ].join('\n'),
    ),
    ...virshTask(
      'Define, autostart and start the storage pool default',
      [
        `${VIRSH} pool-info default >/dev/null 2>&1 || { ${VIRSH} pool-define-as default dir --target ${DEFAULT_POOL_PATH} && ${VIRSH} pool-build default && echo CHANGED; }`,
        `${VIRSH} pool-list --all --autostart --name | grep -Eqx 'default[[:space:]]*' || { ${VIRSH} pool-autostart default && echo CHANGED; }`,
        `${VIRSH} pool-list --name | grep -Eqx 'default[[:space:]]*' || { ${VIRSH} pool-start default && echo CHANGED; }`,
      ].join('\n'),
    ),
    ...bridgeTasks(),
    ...virshTask('Turn KSM on', 'if [ -w /sys/kernel/mm/ksm/run ] && [ "$(cat /sys/kernel/mm/ksm/run)" != 1 ]; then echo 1 > /sys/kernel/mm/ksm/run && echo CHANGED; fi'),
    ...fileTask('Keep KSM on at boot (systemd-tmpfiles)', KSM_KEEP.systemd.path, KSM_KEEP.systemd.text, '0644', "ansible_service_mgr == 'systemd'"),
  );
  if (p.family === 'debian') {
    // Without systemd, sysfsutils sets /sys at boot (the in-app flow lists it with the packages).
    lines.push(
      `    - name: ${q('Install sysfsutils (keeps KSM on at boot without systemd)')}`,
      '      ansible.builtin.apt:',
      '        name: sysfsutils',
      '        state: present',
      '        install_recommends: false',
      `      when: ${q("ansible_service_mgr != 'systemd'")}`,
      ...fileTask('Keep KSM on at boot (sysfsutils)', KSM_KEEP.sysfs.path, KSM_KEEP.sysfs.text, '0644', "ansible_service_mgr != 'systemd'"),
    );
  }
  return `${lines.join('\n')}\n`;
}
