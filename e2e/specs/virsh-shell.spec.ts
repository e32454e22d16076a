// The long-lived virsh on a real host (hv1, over its one SSH connection), ended on purpose while a
// command is in it: a read is run again and answers, a write fails saying it was not repeated
// (and the host shows it was not applied), and the next command works on a new long-lived virsh.
// The backend runs in this process, as the bench runs it: the host-side process id comes from it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backend } from '../../electron/backend/backend';
import type { HostRegistry } from '../../electron/backend/hosts/registry';
import { expect, needsLab, test } from '../support/fixtures';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv1');

const VM = 'legacy-a';

test('killing the host-side virsh mid-command loses nothing and runs no write twice', async ({ lab }) => {
  test.setTimeout(60_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'vd-shell-e2e-'));
  const backend = new Backend({ dataDir, sshConfigPath: lab.sshConfig });
  // What the app never needs: the host's id of this backend's own long-lived virsh.
  const shellOf = (hostId: string) => (backend as unknown as { registry: HostRegistry }).registry.get(hostId).virsh().shell!;
  const autostartBefore = /^Autostart:\s+(\S+)/m.exec(await lab.virsh('hv1', 'dominfo', VM))![1];
  try {
    const added = await backend.request('hosts.add', { target: 'hv1', autoconnect: false });
    if (!added.ok) throw new Error(added.error.message);
    const hostId = added.value.config.id;
    await backend.request('hosts.connect', { hostId });
    await expect.poll(() => shellOf(hostId).ready).toBe(true);

    /** Freeze the host's virsh (a command written to it stays unanswered), start `request`,
     *  then kill that virsh. */
    const killedDuring = async <T>(request: () => Promise<T>): Promise<T> => {
      const pid = String(shellOf(hostId).pid);
      await lab.inHost('hv1', 'kill', '-STOP', pid);
      const pending = request();
      await new Promise((r) => setTimeout(r, 200));
      await lab.inHost('hv1', 'kill', '-KILL', pid);
      return pending;
    };

    // A read: run again as a command of its own, and answered.
    const read = await killedDuring(() => backend.request('vm.dominfo', { hostId, name: VM }));
    expect(read.ok && read.value['Name']).toBe(VM);

    await shellOf(hostId).start(true);
    expect(shellOf(hostId).ready).toBe(true);
    // autostart-off: one write and nothing else (autostart-on reads the template mark first, a read
    // that would be the command killed here, and then the write would run on a fresh shell).
    const flip = 'autostart-off';
    const write = await killedDuring(() => backend.request('vm.action', { hostId, name: VM, action: flip }));
    expect(write.ok).toBe(false);
    expect(!write.ok && write.error.message).toMatch(/^virsh autostart may or may not have been applied: the host's virsh ended by signal (SIGKILL|KILL) before it answered\. It was not run again/);
    // The frozen virsh never read the line, and nothing ran it again.
    expect(/^Autostart:\s+(\S+)/m.exec(await lab.virsh('hv1', 'dominfo', VM))![1]).toBe(autostartBefore);

    // The next command works; a new long-lived virsh comes up and answers in its turn.
    const next = await backend.request('vm.dominfo', { hostId, name: VM });
    expect(next.ok && next.value['Autostart']).toBe(autostartBefore);
    await shellOf(hostId).start(true);
    expect(shellOf(hostId).ready).toBe(true);
    const again = await backend.request('vm.dominfo', { hostId, name: VM });
    expect(again.ok && again.value['Name']).toBe(VM);
  } finally {
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
    const now = /^Autostart:\s+(\S+)/m.exec(await lab.virsh('hv1', 'dominfo', VM))![1];
    if (now !== autostartBefore) await lab.virsh('hv1', 'autostart', ...(autostartBefore === 'enable' ? [] : ['--disable']), VM);
  }
});
