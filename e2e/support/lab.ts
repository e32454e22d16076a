// Helpers that act on the lab "from outside the app", as an admin at the host's shell would.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const LAB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'lab');
export const LAB_SSH_CONFIG = join(LAB_DIR, 'state', 'ssh_config');
export const LAB_HOSTS = ['hv1', 'hv2', 'hv3'] as const;

export function labIsUp(): boolean {
  return existsSync(LAB_SSH_CONFIG);
}

/** `virsh -c qemu:///system ARGS` as root inside host `hv` (not through the app). */
export async function hostVirsh(hv: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('bash', [join(LAB_DIR, 'vm.sh'), hv, ...args]);
  return stdout;
}

const LAB_ROOT_IP = '192.0.2.10';
const veth = (hv: string) => `vd-${hv}`;

/** Cut a host's link as a pulled cable would: its root-side veth goes down (taking its route). */
export async function cutLink(hv: string): Promise<void> {
  await run('ip', ['link', 'set', veth(hv), 'down']);
}

/** Plug it back: link up and the /32 route to the host again. */
export async function restoreLink(hv: string): Promise<void> {
  await run('ip', ['link', 'set', veth(hv), 'up']);
  await run('ip', ['route', 'replace', `192.0.2.1${hv.replace('hv', '')}/32`, 'dev', veth(hv), 'src', LAB_ROOT_IP]);
}
