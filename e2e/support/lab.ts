// Helpers that act on the lab "from outside the app", as an admin at the host's shell would.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const LAB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'lab');
export const LAB_SSH_CONFIG = join(LAB_DIR, 'state', 'ssh_config');
export const LAB_HOSTS = ['hv1', 'hv2', 'hv3'] as const;

export interface LabHostProfile {
  host: string;
  /** The lab user's login shell there, e.g. /usr/bin/fish. */
  shell: string;
  /** The locale sshd gives its sessions ('' for none). */
  locale: string;
}

/** Each lab host's profile, as up.sh and add-host.sh recorded it in state/hvN/profile. */
export function labProfiles(): LabHostProfile[] {
  const state = join(LAB_DIR, 'state');
  if (!existsSync(state)) return [];
  return readdirSync(state)
    .filter((d) => /^hv\d+$/.test(d) && existsSync(join(state, d, 'profile')))
    .sort()
    .map((host) => {
      const text = readFileSync(join(state, host, 'profile'), 'utf8');
      const field = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(text)?.[1] ?? '';
      return { host, shell: field('shell'), locale: field('locale') };
    });
}

/** The first lab host whose profile matches, e.g. the one with a German locale. */
export const labHostWith = (match: (p: LabHostProfile) => boolean): string | undefined => labProfiles().find(match)?.host;

/** A command run over plain ssh as the lab user (the host's own login shell and locale). */
export async function sshAsLabUser(hv: string, command: string): Promise<{ stdout: string; stderr: string }> {
  return run('ssh', ['-F', LAB_SSH_CONFIG, '-o', 'BatchMode=yes', hv, command]).catch((err: { stdout: string; stderr: string }) => ({ stdout: err.stdout, stderr: err.stderr }));
}

export function labIsUp(): boolean {
  return existsSync(LAB_SSH_CONFIG);
}

/** `virsh -c qemu:///system ARGS` as root inside host `hv` (not through the app). */
export async function hostVirsh(hv: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('bash', [join(LAB_DIR, 'vm.sh'), hv, ...args]);
  return stdout;
}

const LAB_ROOT_IP = '192.0.2.10';

/** Cut a host's link as a pulled cable would: the host's own end of its veth goes down. The
 *  root side keeps its /32 route, so nothing meant for the lab can leak to another network. */
export async function cutLink(hv: string): Promise<void> {
  await run('ip', ['-n', hv, 'link', 'set', 'eth0', 'down']);
}

/** Plug it back: the host's end up again, with its route back to us. */
export async function restoreLink(hv: string): Promise<void> {
  await run('ip', ['-n', hv, 'link', 'set', 'eth0', 'up']);
  await run('ip', ['-n', hv, 'route', 'replace', `${LAB_ROOT_IP}/32`, 'dev', 'eth0']);
}

/** Stop, kill or start one host's libvirtd alone (e2e/lab/libvirtd.sh): sshd, virtlogd and the
 *  running guests stay. `start` starts it as the lab does (same config) and waits until it answers;
 *  `freeze` hangs it (SIGSTOP) until `thaw` (or `start`). */
export async function libvirtd(hv: string, action: 'stop' | 'kill' | 'start' | 'freeze' | 'thaw'): Promise<void> {
  await run('bash', [join(LAB_DIR, 'libvirtd.sh'), hv, action]);
}

/** A command as root inside host `hv` (e2e/lab/in-host.sh). */
export async function inHost(hv: string, ...argv: string[]): Promise<string> {
  const { stdout } = await run('bash', [join(LAB_DIR, 'in-host.sh'), hv, ...argv]);
  return stdout;
}

/** The host's libvirtd read-write socket. */
export const LIBVIRT_SOCKET = '/run/libvirt/libvirt-sock';

/** Set the mode of the host's libvirt socket; gives the mode it had, to put back. */
export async function chmodLibvirtSocket(hv: string, mode: string): Promise<string> {
  const before = (await inHost(hv, 'stat', '-c', '%a', LIBVIRT_SOCKET)).trim();
  await inHost(hv, 'chmod', mode, LIBVIRT_SOCKET);
  return before;
}

/** The lab as one handle: what the `lab` fixture gives a test. */
export const lab = {
  /** The three hypervisors every spec may use (hv4 is reachable only through hv1's ProxyJump). */
  hosts: LAB_HOSTS,
  /** The ssh config that reaches them by name (hv1..hv4). */
  sshConfig: LAB_SSH_CONFIG,
  /** e2e/lab: its scripts (vm.sh, in-host.sh, guest-report.sh, many-vms.sh) and state/. */
  dir: LAB_DIR,
  isUp: labIsUp,
  virsh: hostVirsh,
  cutLink,
  restoreLink,
  libvirtd,
  inHost,
  chmodLibvirtSocket,
};
export type Lab = typeof lab;
