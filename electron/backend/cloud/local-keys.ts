// The public keys this machine's user could give a new VM: ~/.ssh/*.pub and the SSH agent's keys
// (SSH_AUTH_SOCK), each once, one OpenSSH line each. Read here on the laptop, never from a host.
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { sshKeyProblem } from '../../../shared/cloud-init/index.js';
import type { LocalSshKey } from '../../../shared/contract/index.js';

const { OpenSSHAgent } = ssh2;

async function fileKeys(dir: string): Promise<LocalSshKey[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.pub')).sort();
  const out: LocalSshKey[] = [];
  for (const n of names) {
    const line = (await readFile(join(dir, n), 'utf8').catch(() => '')).split('\n')[0]!.trim();
    if (line && !sshKeyProblem(line)) out.push({ key: line, from: `~/.ssh/${n}` });
  }
  return out;
}

function agentKeys(socket: string | undefined): Promise<LocalSshKey[]> {
  if (!socket) return Promise.resolve([]);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve([]), 2000);
    new OpenSSHAgent(socket).getIdentities((err, keys) => {
      clearTimeout(timer);
      if (err || !keys) return resolve([]);
      resolve(keys.flatMap((entry) => {
        const k = 'getPublicSSH' in entry ? entry : null;
        if (!k) return [];
        const line = `${k.type} ${k.getPublicSSH().toString('base64')}${k.comment ? ` ${k.comment}` : ''}`;
        return sshKeyProblem(line) ? [] : [{ key: line, from: 'SSH agent' }];
      }));
    });
  });
}

export async function localSshKeys(home = homedir(), socket = process.env.SSH_AUTH_SOCK): Promise<LocalSshKey[]> {
  const all = [...(await fileKeys(join(home, '.ssh'))), ...(await agentKeys(socket))];
  const seen = new Set<string>();
  return all.filter((k) => {
    const id = k.key.split(/\s+/).slice(0, 2).join(' ');
    return !seen.has(id) && seen.add(id);
  });
}
