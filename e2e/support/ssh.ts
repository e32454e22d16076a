// Per-test OpenSSH client configs and keys, pointing at the lab's hosts in different ways.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_DIR } from './lab';

export const LAB_KEY = join(LAB_DIR, 'state', 'id_ed25519');
export const LAB_KNOWN_HOSTS = join(LAB_DIR, 'state', 'known_hosts');
export const LAB_USER = 'virtdeck';
export const LAB_PASSWORD = 'virtdeck-lab';
export const labIp = (hv: string) => `192.0.2.1${hv.replace('hv', '')}`;

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `virtdeck-${prefix}-`));
}

/** Write an ssh config with one Host block per entry; returns its path. */
export function writeSshConfig(dir: string, hosts: Record<string, Record<string, string>>): string {
  const text = Object.entries(hosts)
    .map(([alias, opts]) => [`Host ${alias}`, ...Object.entries(opts).map(([k, v]) => `  ${k} ${v}`)].join('\n'))
    .join('\n\n');
  const file = join(dir, 'ssh_config');
  writeFileSync(file, `${text}\n`);
  return file;
}

/** The SHA256 fingerprint OpenSSH prints for the lab host's key, from the lab's known_hosts. */
export function labHostFingerprint(hv: string): string {
  const out = execFileSync('ssh-keygen', ['-l', '-F', labIp(hv), '-f', LAB_KNOWN_HOSTS]).toString();
  const m = /SHA256:[A-Za-z0-9+/]+/.exec(out);
  if (!m) throw new Error(`no key for ${hv} in ${LAB_KNOWN_HOSTS}`);
  return m[0];
}

/** The lab host's key line body (`type base64`), as a known_hosts entry carries it. */
export function labHostKey(hv: string): string {
  const line = readFileSync(LAB_KNOWN_HOSTS, 'utf8')
    .split('\n')
    .find((l) => l.split(' ')[0]!.split(',').includes(labIp(hv)));
  if (!line) throw new Error(`no key for ${hv} in ${LAB_KNOWN_HOSTS}`);
  return line.split(' ').slice(1, 3).join(' ');
}

export function generateKey(dir: string, name: string, passphrase = ''): string {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', `virtdeck-e2e-${name}`, '-f', file]);
  return file;
}

/** A real ssh-agent holding the given keys; stop() kills it. */
export async function startAgent(dir: string, keys: string[]): Promise<{ socket: string; stop(): void }> {
  const socket = join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try {
      execFileSync('ssh-add', ['-l'], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      break;
    } catch (err) {
      if ((err as { status?: number }).status === 1) break; // agent up, no keys yet
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  for (const key of keys) execFileSync('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
  return { socket, stop: () => agent.kill() };
}
