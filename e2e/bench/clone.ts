// clone_vm_ms: one full clone of a shut-off VM with a 16 MiB qcow2 disk through the backend
// (vm.clone: checks, storage and MAC reads, vol-clone with progress, define --validate), against
// `virsh vol-clone` + `virsh define` of a prepared XML over one ssh in the same run. Uses a VM of
// its own on hv2; everything it makes is removed afterwards.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backend } from '../../electron/backend/backend.js';
import { hostVirsh, inHost, LAB_DIR, LAB_SSH_CONFIG } from '../support/lab.js';

/** `ssh HV COMMAND` with `input` on its stdin. */
function sshStdin(command: string, input: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = execFile('ssh', ['-F', LAB_SSH_CONFIG, '-o', 'BatchMode=yes', HV, command], (err) => (err ? reject(err) : resolve()));
    child.stdin!.end(input);
  });
}

const HV = 'hv2';
const VM = 'clone-bench';

async function removeAll(): Promise<void> {
  const names = (await hostVirsh(HV, 'list', '--all', '--name')).split('\n').map((l) => l.trim());
  for (const n of names.filter((n) => n.startsWith(VM))) await hostVirsh(HV, 'undefine', '--domain', n).catch(() => undefined);
  // The pool's folder (libvirt 9.0's vol-list has no --name, and its table cannot hold spaces).
  const vols = (await inHost(HV, 'ls', '-1', '/var/lib/libvirt/images')).split('\n').map((l) => l.trim());
  for (const v of vols.filter((v) => v.startsWith(VM))) await hostVirsh(HV, 'vol-delete', '--pool', 'default', '--vol', v).catch(() => undefined);
}

export async function cloneBench(runs: number): Promise<{ app: number[]; ssh: number[] }> {
  await removeAll();
  const xml = readFileSync(join(LAB_DIR, 'guests', 'desk.xml'), 'utf8').replaceAll('@NAME@', VM).replaceAll('@MAC@', '52:54:00:d0:c1:b1');
  await hostVirsh(HV, 'vol-create-as', 'default', `${VM}.qcow2`, '16M', '--format', 'qcow2');
  writeFileSync(`/tmp/${VM}.xml`, xml);
  await hostVirsh(HV, 'define', `/tmp/${VM}.xml`);
  const dataDir = mkdtempSync(join(tmpdir(), 'vd-bench-clone-'));
  const backend = new Backend({ dataDir, sshConfigPath: LAB_SSH_CONFIG });
  try {
    const listed = new Promise<string>((resolve) => backend.onEvent((e) => e.type === 'host.vms' && e.vms.some((v) => v.name === VM) && resolve(e.hostId)));
    const added = await backend.request('hosts.add', { target: HV });
    if (!added.ok) throw new Error(added.error.message);
    const hostId = await listed;
    const app: number[] = [];
    const ssh: number[] = [];
    for (let i = 0; i < runs; i++) {
      let t0 = performance.now();
      const r = await backend.request('vm.clone', { hostId, name: VM, pattern: `${VM}-app-${i}`, count: 1 });
      app.push(performance.now() - t0);
      if (!r.ok) throw new Error(r.error.message);
      if (r.value.failed.length) throw new Error(r.value.failed[0]!.error);
      // The baseline: what a script does by hand, the XML already made (new name, no uuid/MAC).
      const name = `${VM}-ssh-${i}`;
      const cloneXml = xml
        .replaceAll(`<name>${VM}</name>`, `<name>${name}</name>`)
        .replace(/<mac address='[^']+'\/>/, '')
        .replaceAll(`/var/lib/libvirt/images/${VM}.qcow2`, `/var/lib/libvirt/images/${name}.qcow2`);
      const v = `virsh -c qemu:///system`;
      t0 = performance.now();
      await sshStdin(`${v} vol-clone --pool default --vol ${VM}.qcow2 --newname ${name}.qcow2 && ${v} define /dev/stdin`, cloneXml);
      ssh.push(performance.now() - t0);
    }
    return { app, ssh };
  } finally {
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
    await removeAll();
  }
}
