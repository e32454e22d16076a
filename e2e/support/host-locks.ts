// Which lab hosts a spec file uses, declared at its top: `usesLabHosts('hv1', 'hv3')`.
//
// The suite runs several spec files at once (e2e/run.ts), never two that share a host: a spec
// may start, stop, redefine or flood the VMs of the hosts it names, and assert on their lists.
// The declaration does two things:
// - e2e/run.ts reads it (statically) to pick, among the files left, one whose hosts are free;
// - at run time the file holds an flock on each of its hosts for as long as it runs, so two
//   Playwright processes (or `--workers 2`) can never overlap on a host, whoever started them.
// A file that declares nothing is run alone (it holds every host).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { LAB_DIR } from './lab';

const LOCK_DIR = join(LAB_DIR, 'state', 'locks');

/** hv4 is reached through hv1 (ProxyJump): using it uses hv1's sshd too. */
const REACHED_THROUGH: Record<string, string[]> = { hv4: ['hv1'] };

/** Every lab host (a state/<host> folder with its sshd's keys), for a file that runs alone. */
export function allLabHosts(): string[] {
  const state = join(LAB_DIR, 'state');
  try {
    return readdirSync(state).filter((d) => existsSync(join(state, d, 'ssh')));
  } catch {
    return [];
  }
}

/** The hosts a declaration holds: the named ones, the ones they are reached through, sorted
 *  (every holder takes its locks in the same order, so two never wait on each other). */
export function heldHosts(hosts: readonly string[]): string[] {
  const all = new Set<string>();
  for (const h of hosts) for (const x of [h, ...(REACHED_THROUGH[h] ?? [])]) all.add(x);
  return [...all].sort();
}

/** Hold the hosts' locks until released or until this process dies (the pipe closes). */
export function holdHosts(hosts: readonly string[]): Promise<() => void> {
  mkdirSync(LOCK_DIR, { recursive: true });
  const nested = heldHosts(hosts).flatMap((h) => ['flock', join(LOCK_DIR, `${h}.lock`)]);
  const [cmd, ...args] = [...nested, 'sh', '-c', 'echo held; exec cat'];
  const child: ChildProcess = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`flock on ${hosts.join(', ')} exited with ${code}`)));
    child.stdout!.once('data', () => {
      child.removeAllListeners('exit');
      resolve(() => child.stdin!.end());
    });
  });
}

/** Declare (at a spec file's top level) the lab hosts the file uses; see above. */
export function usesLabHosts(...hosts: string[]): void {
  let release: (() => void) | undefined;
  test.beforeAll(async () => {
    test.setTimeout(0); // waiting for another file to finish with a host is not this file's time
    release = await holdHosts(hosts.length ? hosts : allLabHosts());
  });
  test.afterAll(() => release?.());
}
