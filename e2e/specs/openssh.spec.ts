// A host reached the way OpenSSH reaches it: a config written in lower case with a %h token,
// and a host known only by its ECDSA key (the lab's sshd offers ed25519, ECDSA and RSA; see
// LAB_HOST_KEY_TYPES in e2e/lab/lib.sh). ssh itself is asked first, so the test checks VirtDeck
// against the real client, not against a guess.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { addConnection, connectionItem, failOnConsoleErrors, startApp, type RunningApp } from '../support/app';
import { hostVirsh, LAB_DIR, labIsUp } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';
import { LAB_KEY, LAB_USER, labIp, tempDir } from '../support/ssh';

test.skip(!labIsUp(), 'the lab is not up: run `npm run lab:up` (Linux, root) first');
usesLabHosts('hv2');

const HV = 'hv2';
const ECDSA_PUB = join(LAB_DIR, 'state', HV, 'ssh', 'ssh_host_ecdsa_key.pub');
// "12" names hv2 through `hostname 192.0.2.%h`.
const ALIAS = labIp(HV).split('.').pop()!;

let app: RunningApp | undefined;
test.afterEach(async () => {
  await app?.stop();
  app = undefined;
});

/** A lower-case config whose HostName comes from a token, and a known_hosts holding `line` only. */
function writeLab(dir: string, knownHostsLine: string): { config: string; knownHosts: string } {
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, knownHostsLine);
  const config = join(dir, 'ssh_config');
  writeFileSync(
    config,
    [
      'host 1?',
      '  hostname 192.0.2.%h',
      `  user ${LAB_USER}`,
      `  identityfile ${LAB_KEY}`,
      '  identitiesonly yes',
      `  userknownhostsfile ${knownHosts}`,
      '  globalknownhostsfile /dev/null',
      '  stricthostkeychecking yes',
      '',
    ].join('\n'),
  );
  return { config, knownHosts };
}

const ecdsaKey = () => readFileSync(ECDSA_PUB, 'utf8').split(' ').slice(0, 2).join(' ');

test.beforeAll(() => {
  if (!existsSync(ECDSA_PUB)) throw new Error(`${HV} has no ECDSA host key: run \`bash e2e/lab/host-keys.sh ${HV}\` (a fresh lab:up has it)`);
});

test('openssh: lower-case config with a %h HostName, host known only by its ECDSA key, connects silently', async ({ page }) => {
  const check = failOnConsoleErrors(page);
  const dir = tempDir('openssh-ecdsa');
  const line = `${labIp(HV)} ${ecdsaKey()}\n`;
  const { config, knownHosts } = writeLab(dir, line);
  // What OpenSSH makes of it: the address, and a host key it accepts without asking.
  const g = execFileSync('ssh', ['-G', '-T', '-F', config, ALIAS]).toString();
  expect(g).toMatch(new RegExp(`^hostname ${labIp(HV).replace(/\./g, '\\.')}$`, 'm'));
  const ssh = spawnSync('ssh', ['-T', '-F', config, '-o', 'BatchMode=yes', ALIAS, 'true'], { encoding: 'utf8' });
  expect(ssh.status, ssh.stderr).toBe(0);

  app = await startApp({ sshConfig: config });
  await page.goto(app.url);
  // The dialog shows what the alias resolves to before anything connects, as ssh -G says.
  await page.getByRole('button', { name: 'Add connection' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add connection' });
  await dialog.getByRole('combobox', { name: 'Host' }).fill(ALIAS);
  const resolved = dialog.getByRole('table', { name: 'Resolved SSH settings' });
  await expect(resolved.getByRole('row', { name: /^Address/ })).toContainText(`${LAB_USER}@${labIp(HV)}:22`);
  await expect(resolved.getByRole('row', { name: /^Key files/ })).toContainText(LAB_KEY);
  await expect(resolved.getByRole('row', { name: /^known_hosts/ })).toContainText(knownHosts);
  await expect(resolved.getByRole('row', { name: /^Host key/ })).toContainText(`${labIp(HV)}: ecdsa-sha2-nistp256`);
  await expect(resolved.getByRole('row', { name: /^Decided by/ })).toContainText(`HostName: ${config}:2`);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(connectionItem(page, ALIAS)).toContainText('online');
  await expect(page.getByRole('dialog')).toHaveCount(0); // no host key question
  await expect(connectionItem(page, ALIAS).getByRole('alert')).toHaveCount(0);
  // The VMs the host itself lists are the ones shown.
  const names = (await hostVirsh(HV, 'list', '--all', '--name')).split('\n').filter(Boolean);
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) await expect(page.getByRole('row', { name: `${name} on ${ALIAS}` })).toBeVisible();
  expect(readFileSync(knownHosts, 'utf8')).toBe(line); // nothing learned or rewritten
  // The host page shows the same resolution.
  await page.getByRole('button', { name: `Open host ${ALIAS}` }).click();
  const onPage = page.getByRole('region', { name: 'Resolved SSH settings' });
  await expect(onPage.getByRole('row', { name: /^Address/ })).toContainText(`${LAB_USER}@${labIp(HV)}:22`);
  await expect(onPage.getByRole('row', { name: /^Hops/ })).toContainText('none (direct)');
  check();
});

test('openssh: a different ECDSA key on file is still refused, naming the line', async ({ page }) => {
  const dir = tempDir('openssh-changed');
  execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', join(dir, 'other')]);
  const other = readFileSync(join(dir, 'other.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  const text = `# written years ago\n${labIp(HV)} ${other}\n`;
  const { config, knownHosts } = writeLab(dir, text);
  const ssh = spawnSync('ssh', ['-T', '-F', config, '-o', 'BatchMode=yes', ALIAS, 'true'], { encoding: 'utf8' });
  expect(ssh.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');

  app = await startApp({ sshConfig: config });
  await page.goto(app.url);
  await addConnection(page, ALIAS);
  const alert = connectionItem(page, ALIAS).getByRole('alert');
  await expect(alert).toContainText('HAS CHANGED');
  await expect(alert).toContainText(`${knownHosts}:2`);
  await expect(connectionItem(page, ALIAS)).toContainText('disconnected');
  expect(readFileSync(knownHosts, 'utf8')).toBe(text);
});
