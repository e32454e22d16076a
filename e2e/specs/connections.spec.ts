// Connections the way OpenSSH users expect: each auth method, host keys checked and prompted,
// a cut link seen and healed, and many commands over one connection.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Backend } from '../../electron/backend/backend';
import { expect, needsLab, test as labTest, type RunningApp } from '../support/fixtures';
import { addConnection, connectionItem } from '../support/app';
import { generateKey, LAB_KEY, LAB_KNOWN_HOSTS, LAB_PASSWORD, LAB_USER, labHostFingerprint, labHostKey, labIp, startAgent, tempDir, writeSshConfig } from '../support/ssh';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv1', 'hv2', 'hv3', 'hv4');

const base = (hv: string) => ({ HostName: labIp(hv), User: LAB_USER, UserKnownHostsFile: LAB_KNOWN_HOSTS });

/** Each test brings its own ssh config (and keys, agent or HOME): the app starts once it is ready. */
const test = labTest.extend<{ open: (sshConfig: string, env?: Record<string, string>) => Promise<RunningApp> }>({
  open: async ({ page, startApp }, use) =>
    use(async (sshConfig, env) => {
      const app = await startApp({ sshConfig, env });
      await page.goto(app.url);
      return app;
    }),
});

test('key auth: an IdentityFile from the ssh config', async ({ page, open, checkConsole }) => {
  const dir = tempDir('key');
  await open(writeSshConfig(dir, { 'key-hv1': { ...base('hv1'), IdentityFile: LAB_KEY, IdentitiesOnly: 'yes' } }));
  await addConnection(page, 'key-hv1');
  await expect(connectionItem(page, 'key-hv1')).toContainText('online');
  await expect(page.getByRole('row', { name: 'legacy-a on key-hv1' })).toBeVisible();
  checkConsole();
});

test('agent auth: a key held only by an ssh-agent the test starts', async ({ page, open, lab }) => {
  const dir = tempDir('agent');
  const agent = await startAgent(dir, [LAB_KEY]);
  try {
    // No IdentityFile and no default keys on this machine: only the agent can log in.
    await open(writeSshConfig(dir, { 'agent-hv2': base('hv2') }), { SSH_AUTH_SOCK: agent.socket });
    await addConnection(page, 'agent-hv2');
    await expect(connectionItem(page, 'agent-hv2')).toContainText('online');
    await expect(page.getByRole('row', { name: 'desk-1 on agent-hv2' })).toContainText((await lab.virsh('hv2', 'domstate', 'desk-1')).trim());
  } finally {
    agent.stop();
  }
});

test('password auth: asked in the UI, a wrong one asked again', async ({ page, open }) => {
  const dir = tempDir('password');
  const app = await open(writeSshConfig(dir, { 'pw-hv3': { ...base('hv3'), IdentitiesOnly: 'yes' } }));
  await addConnection(page, 'pw-hv3');
  const prompt = page.getByRole('dialog', { name: `Password for ${LAB_USER}@${labIp('hv3')}:22` });
  await prompt.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
  await prompt.getByRole('button', { name: 'OK' }).click();
  await expect(prompt).toContainText('Permission denied. Try again.');
  await prompt.getByRole('textbox', { name: 'Password' }).fill(LAB_PASSWORD);
  await prompt.getByRole('button', { name: 'OK' }).click();
  await expect(connectionItem(page, 'pw-hv3')).toContainText('online');
  await expect(page.getByRole('row', { name: 'tuned-1 on pw-hv3' })).toBeVisible();
  // Browser mode never offers to persist a secret.
  expect(readFileSync(join(app.dataDir, 'connections.json'), 'utf8')).not.toContain(LAB_PASSWORD);
});

test('encrypted key: its passphrase asked in the UI', async ({ page, open }) => {
  const dir = tempDir('enc');
  const key = generateKey(dir, 'id_enc', 'correct horse');
  const authorized = `/home/${LAB_USER}/.ssh/authorized_keys`;
  const before = readFileSync(authorized, 'utf8');
  appendFileSync(authorized, readFileSync(`${key}.pub`, 'utf8'));
  try {
    await open(writeSshConfig(dir, { 'enc-hv1': { ...base('hv1'), IdentityFile: key, IdentitiesOnly: 'yes' } }));
    await addConnection(page, 'enc-hv1');
    const prompt = page.getByRole('dialog', { name: `Passphrase for ${key}` });
    await prompt.getByRole('textbox', { name: 'Passphrase' }).fill('wrong');
    await prompt.getByRole('button', { name: 'OK' }).click();
    await expect(prompt).toContainText('did not unlock the key');
    await prompt.getByRole('textbox', { name: 'Passphrase' }).fill('correct horse');
    await prompt.getByRole('button', { name: 'OK' }).click();
    await expect(connectionItem(page, 'enc-hv1')).toContainText('online');
  } finally {
    writeFileSync(authorized, before);
  }
});

test('unknown host: fingerprint shown, accepted, line appended to known_hosts', async ({ page, open }) => {
  const dir = tempDir('unknown');
  const knownHosts = join(dir, 'known_hosts');
  await open(writeSshConfig(dir, { 'new-hv2': { ...base('hv2'), UserKnownHostsFile: knownHosts, IdentityFile: LAB_KEY, IdentitiesOnly: 'yes' } }));
  await addConnection(page, 'new-hv2');
  const prompt = page.getByRole('dialog', { name: 'Unknown host new-hv2' });
  await expect(prompt.getByLabel('Host key fingerprint')).toHaveText(labHostFingerprint('hv2'));
  expect(existsSync(knownHosts)).toBe(false); // nothing written before the person says yes
  await prompt.getByRole('button', { name: 'Accept and connect' }).click();
  await expect(connectionItem(page, 'new-hv2')).toContainText('online');
  expect(readFileSync(knownHosts, 'utf8')).toBe(`${labIp('hv2')} ${labHostKey('hv2')}\n`);
});

test('unknown host rejected: not connected, nothing written', async ({ page, open }) => {
  const dir = tempDir('reject');
  const knownHosts = join(dir, 'known_hosts');
  await open(writeSshConfig(dir, { 'new-hv1': { ...base('hv1'), UserKnownHostsFile: knownHosts, IdentityFile: LAB_KEY } }));
  await addConnection(page, 'new-hv1');
  await page.getByRole('dialog', { name: 'Unknown host new-hv1' }).getByRole('button', { name: 'Reject' }).click();
  await expect(connectionItem(page, 'new-hv1')).toContainText('disconnected');
  await expect(connectionItem(page, 'new-hv1').getByRole('alert')).toContainText('was not accepted');
  expect(existsSync(knownHosts)).toBe(false);
});

test('StrictHostKeyChecking: yes refuses an unknown host without asking; accept-new adds it, says so, and connects', async ({ page, open }) => {
  const dir = tempDir('strict');
  const knownHosts = join(dir, 'known_hosts');
  await open(
    writeSshConfig(dir, {
      'strict-hv1': { ...base('hv1'), UserKnownHostsFile: knownHosts, IdentityFile: LAB_KEY, IdentitiesOnly: 'yes', StrictHostKeyChecking: 'yes' },
      'new-ok-hv2': { ...base('hv2'), UserKnownHostsFile: knownHosts, IdentityFile: LAB_KEY, IdentitiesOnly: 'yes', StrictHostKeyChecking: 'accept-new' },
    }),
  );
  await addConnection(page, 'strict-hv1');
  await expect(connectionItem(page, 'strict-hv1').getByRole('alert')).toContainText(`No ED25519 host key is known for ${labIp('hv1')} and StrictHostKeyChecking is yes`);
  await expect(connectionItem(page, 'strict-hv1')).toContainText('disconnected');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect(existsSync(knownHosts)).toBe(false);
  await addConnection(page, 'new-ok-hv2');
  await expect(connectionItem(page, 'new-ok-hv2')).toContainText('online');
  await expect(page.getByRole('note', { name: 'SSH warning for new-ok-hv2' })).toContainText(`Permanently added ${labIp('hv2')} (ED25519 ${labHostFingerprint('hv2')})`);
  expect(readFileSync(knownHosts, 'utf8')).toBe(`${labIp('hv2')} ${labHostKey('hv2')}\n`);
});

test('changed host key: refused with a warning naming the known_hosts line', async ({ page, open }) => {
  const dir = tempDir('changed');
  const knownHosts = join(dir, 'known_hosts');
  // hv3's address with hv1's key: exactly what a man in the middle would look like.
  writeFileSync(knownHosts, `# a comment first\n${labIp('hv3')} ${labHostKey('hv1')}\n`);
  await open(writeSshConfig(dir, { 'mitm-hv3': { ...base('hv3'), UserKnownHostsFile: knownHosts, IdentityFile: LAB_KEY } }));
  await addConnection(page, 'mitm-hv3');
  const alert = connectionItem(page, 'mitm-hv3').getByRole('alert');
  await expect(alert).toContainText('HAS CHANGED');
  await expect(alert).toContainText(`${knownHosts}:2`);
  await expect(alert).toContainText(labHostFingerprint('hv3'));
  await expect(connectionItem(page, 'mitm-hv3')).toContainText('disconnected');
  await expect(page.getByRole('dialog')).toHaveCount(0); // nothing offers to go ahead anyway
  expect(readFileSync(knownHosts, 'utf8')).toBe(`# a comment first\n${labIp('hv3')} ${labHostKey('hv1')}\n`);
});

test('link cut: offline within 15 s, the others keep updating, back online with no click', async ({ page, open, lab, checkConsole }) => {
  test.setTimeout(180_000);
  const dir = tempDir('link');
  const hosts = Object.fromEntries(['hv1', 'hv2', 'hv3'].map((hv) => [hv, { ...base(hv), IdentityFile: LAB_KEY, IdentitiesOnly: 'yes' }]));
  await open(writeSshConfig(dir, hosts));
  for (const hv of ['hv1', 'hv2', 'hv3']) await addConnection(page, hv);
  for (const hv of ['hv1', 'hv2', 'hv3']) await expect(connectionItem(page, hv)).toContainText('online');

  await lab.virsh('hv3', 'destroy', 'tuned-1').catch(() => undefined); // a clean start
  await lab.cutLink('hv2');
  try {
    const cutAt = Date.now();
    await expect(connectionItem(page, 'hv2')).toContainText('offline', { timeout: 16_000 });
    console.log(`link cut seen after ${Date.now() - cutAt} ms`);
    // hv3 is not held up by hv2's trouble.
    await lab.virsh('hv3', 'start', 'tuned-1');
    await expect(page.getByRole('row', { name: 'tuned-1 on hv3' })).toContainText('running', { timeout: 5_000 });
  } finally {
    await lab.restoreLink('hv2');
  }
  try {
    await expect(connectionItem(page, 'hv2')).toContainText('online', { timeout: 30_000 });
    // hv2's list is live again: a change made there after the link came back shows.
    await lab.virsh('hv2', 'start', 'desk-2');
    await expect(page.getByRole('row', { name: 'desk-2 on hv2' })).toContainText('running', { timeout: 5_000 });
  } finally {
    await lab.virsh('hv2', 'destroy', 'desk-2').catch(() => undefined);
    await lab.virsh('hv3', 'destroy', 'tuned-1').catch(() => undefined);
  }
  await expect(page.getByRole('row', { name: 'tuned-1 on hv3' })).toContainText('shut off', { timeout: 5_000 });
  checkConsole();
});

test('30 concurrent commands over one connection, under sshd default MaxSessions', async () => {
  const dir = tempDir('concurrent');
  const backend = new Backend({ dataDir: dir, sshConfigPath: writeSshConfig(dir, { hv1: { ...base('hv1'), IdentityFile: LAB_KEY } }) });
  try {
    const added = await backend.request('hosts.add', { target: 'hv1', autoconnect: false });
    expect(added.ok).toBe(true);
    const hostId = added.ok ? added.value.config.id : '';
    expect(await backend.request('hosts.connect', { hostId })).toMatchObject({ ok: true, value: { state: 'online' } });
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => backend.request('vm.dominfo', { hostId, name: 'legacy-a' })));
    for (const o of outcomes) expect(o).toMatchObject({ ok: true, value: { Name: 'legacy-a', State: 'shut off' } });
    // libvirt's own message reaches the caller for a VM that is not there.
    const missing = await backend.request('vm.dominfo', { hostId, name: 'no-such-vm' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'libvirt', message: expect.stringContaining("failed to get domain 'no-such-vm'") } });
  } finally {
    await backend.close();
  }
});

test('virt-manager connections import from dconf, unsupported ones named', async ({ page, open }) => {
  const home = tempDir('vmm-home');
  const keyfiles = join(home, 'keyfiles');
  mkdirSync(keyfiles);
  mkdirSync(join(home, '.config', 'dconf'), { recursive: true });
  writeFileSync(
    join(keyfiles, 'virt-manager'),
    "[org/virt-manager/virt-manager/connections]\nuris=['qemu+ssh://virtdeck@hv1/system', 'xen:///system']\nautoconnect=['qemu+ssh://virtdeck@hv1/system']\n",
  );
  // A real dconf database, as virt-manager leaves it in ~/.config/dconf/user.
  execFileSync('dconf', ['compile', join(home, '.config', 'dconf', 'user'), keyfiles]);
  const dir = tempDir('vmm');
  await open(writeSshConfig(dir, { hv1: { ...base('hv1'), IdentityFile: LAB_KEY } }), { HOME: home, XDG_CONFIG_HOME: join(home, '.config') });
  await page.getByRole('button', { name: 'Add connection' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add connection' });
  await expect(dialog).toContainText('virt-manager has 2 saved connections.');
  await dialog.getByRole('button', { name: 'Import from virt-manager' }).click();
  await expect(dialog.getByRole('status')).toContainText('Imported 1 connection.');
  await expect(dialog.getByRole('status')).toContainText('xen:///system: only qemu:// and qemu+ssh:// connections are supported');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(connectionItem(page, 'hv1')).toContainText('online');
  await expect(page.getByRole('row', { name: 'legacy-a on hv1' })).toBeVisible();
});

test('ProxyJump: a host reachable only through hv1', async ({ page, open, lab }) => {
  const dir = tempDir('jump');
  const direct = { ...base('hv4'), IdentityFile: LAB_KEY, IdentitiesOnly: 'yes' };
  await open(
    writeSshConfig(dir, {
      hv1: { ...base('hv1'), IdentityFile: LAB_KEY, IdentitiesOnly: 'yes' },
      'far-hv4': { ...direct, ProxyJump: 'hv1' },
      'direct-hv4': direct,
    }),
  );
  // Without the jump there is no way in.
  await addConnection(page, 'direct-hv4');
  await expect(connectionItem(page, 'direct-hv4')).toContainText('offline');
  await addConnection(page, 'far-hv4');
  await expect(connectionItem(page, 'far-hv4')).toContainText('online');
  await expect(page.getByRole('row', { name: 'far-1 on far-hv4' })).toContainText('shut off');
  // Live through the jump too: a start on hv4 shows without a click.
  await lab.virsh('hv4', 'start', 'far-1');
  try {
    await expect(page.getByRole('row', { name: 'far-1 on far-hv4' })).toContainText('running', { timeout: 5_000 });
  } finally {
    await lab.virsh('hv4', 'destroy', 'far-1').catch(() => undefined);
  }
});

test('ProxyCommand: hv4 reached through `ssh -W %h:%p hv1`, run on this machine as ssh runs it', async ({ page, open, lab }) => {
  const dir = tempDir('proxy-command');
  const hv1 = { ...base('hv1'), IdentityFile: LAB_KEY, IdentitiesOnly: 'yes', GlobalKnownHostsFile: '/dev/null', StrictHostKeyChecking: 'yes' };
  const config = writeSshConfig(dir, {
    hv1,
    'pc-hv4': { ...base('hv4'), IdentityFile: LAB_KEY, IdentitiesOnly: 'yes', ProxyCommand: `ssh -F ${join(dir, 'ssh_config')} -W %h:%p hv1` },
  });
  // The real client reaches it the same way first.
  const ssh = spawnSync('ssh', ['-F', config, '-o', 'BatchMode=yes', 'pc-hv4', 'true'], { encoding: 'utf8' });
  expect(ssh.status, ssh.stderr).toBe(0);
  await open(config);
  await page.getByRole('button', { name: 'Add connection' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add connection' });
  await dialog.getByRole('combobox', { name: 'Host' }).fill('pc-hv4');
  await expect(dialog.getByRole('table', { name: 'Resolved SSH settings' })).toContainText(`exec ssh -F ${config} -W ${labIp('hv4')}:22 hv1`);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog).toBeHidden();
  await expect(connectionItem(page, 'pc-hv4')).toContainText('online');
  await expect(page.getByRole('row', { name: 'far-1 on pc-hv4' })).toBeVisible();
  // Live events ride on the same proxied connection.
  await lab.virsh('hv4', 'start', 'far-1');
  try {
    await expect(page.getByRole('row', { name: 'far-1 on pc-hv4' })).toContainText('running', { timeout: 5_000 });
  } finally {
    await lab.virsh('hv4', 'destroy', 'far-1').catch(() => undefined);
  }
});

test('a ProxyCommand that fails at once: its own message in the UI, nothing hangs', async ({ page, open }) => {
  const dir = tempDir('proxy-command-bad');
  const script = join(dir, 'bastion');
  writeFileSync(script, '#!/bin/sh\necho "bastion: no route to $1" >&2\nexit 3\n', { mode: 0o755 });
  await open(writeSshConfig(dir, { 'pc-bad': { ...base('hv4'), IdentityFile: LAB_KEY, IdentitiesOnly: 'yes', ProxyCommand: `${script} %h` } }));
  await addConnection(page, 'pc-bad');
  const item = connectionItem(page, 'pc-bad');
  await expect(item).toContainText('offline');
  await expect(item).toContainText(`bastion: no route to ${labIp('hv4')}`);
  await expect(item).toContainText('exited with status 3');
});
