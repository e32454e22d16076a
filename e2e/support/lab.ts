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
