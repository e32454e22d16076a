// Logging in the way organisations with an SSH CA do: hv2 runs a second sshd (e2e/lab/ssh-ca.sh,
// port LAB_CA_PORT) that trusts the lab's user CA and reads no authorized_keys, so only a key
// certified by that CA gets in. Each case is first tried with OpenSSH's own ssh, then from the UI.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { addConnection, connectionItem, failOnConsoleErrors, startApp, type RunningApp } from '../support/app';
import { hostVirsh, LAB_DIR, labIsUp } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';
import { generateKey, LAB_USER, labIp, startAgent, tempDir, writeSshConfig } from '../support/ssh';

test.skip(!labIsUp(), 'the lab is not up: run `npm run lab:up` (Linux, root) first');
usesLabHosts('hv2');

const HV = 'hv2';
const PORT = 2222; // LAB_CA_PORT in e2e/lab/lib.sh
const CA = join(LAB_DIR, 'state', 'ca', 'user_ca');

let app: RunningApp | undefined;
let agentStop: (() => void) | undefined;
test.afterEach(async () => {
  await app?.stop();
  app = undefined;
  agentStop?.();
  agentStop = undefined;
});

test.beforeAll(() => {
  if (!existsSync(CA)) throw new Error(`no lab user CA at ${CA}: run \`bash e2e/lab/ssh-ca.sh ${HV}\` (a fresh lab:up has it)`);
});

/** Certify `key`.pub for `principal` with the lab's user CA: writes KEY-cert.pub. */
function certify(key: string, principal: string, id: string): string {
  execFileSync('ssh-keygen', ['-q', '-s', CA, '-I', id, '-n', principal, '-V', '-5m:+1h', `${key}.pub`], { stdio: 'pipe' });
  return `${key}-cert.pub`;
}

/** An ssh config reaching the certificate-only sshd as `alias`. */
function configFor(dir: string, alias: string, extra: Record<string, string>): string {
  const knownHosts = join(dir, 'known_hosts');
  const hostKey = readFileSync(join(LAB_DIR, 'state', HV, 'ssh', 'ssh_host_ed25519_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  writeFileSync(knownHosts, `[${labIp(HV)}]:${PORT} ${hostKey}\n`);
  return writeSshConfig(dir, {
    [alias]: { HostName: labIp(HV), Port: String(PORT), User: LAB_USER, UserKnownHostsFile: knownHosts, GlobalKnownHostsFile: '/dev/null', StrictHostKeyChecking: 'yes', ...extra },
  });
}

/** OpenSSH's verdict on the same config: the reference. */
const sshLogsIn = (config: string, alias: string, env: NodeJS.ProcessEnv = {}) =>
  spawnSync('ssh', ['-T', '-F', config, '-o', 'BatchMode=yes', alias, 'true'], { encoding: 'utf8', env: { ...process.env, SSH_AUTH_SOCK: '', ...env } });

async function expectFleetOf(page: Page, alias: string) {
  await expect(connectionItem(page, alias)).toContainText('online');
  const names = (await hostVirsh(HV, 'list', '--all', '--name')).split('\n').filter(Boolean);
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) await expect(page.getByRole('row', { name: `${name} on ${alias}` })).toBeVisible();
}

test('certificates: a key certified by the user CA logs in from CertificateFile; the plain key alone is refused', async ({ page }) => {
  const check = failOnConsoleErrors(page);
  const dir = tempDir('cert-file');
  const key = generateKey(dir, 'id_corp');
  const cert = join(dir, 'corp-cert.pub');
  writeFileSync(cert, readFileSync(certify(key, LAB_USER, 'admin@corp')));
  const alias = 'hv2-ca';
  const config = configFor(dir, alias, { IdentityFile: key, IdentitiesOnly: 'yes', CertificateFile: cert });
  expect(sshLogsIn(config, alias).status).toBe(0);
  // The same key without its certificate (a config of its own: writeSshConfig names its file).
  const plain = configFor(tempDir('cert-plain'), 'hv2-plain', { IdentityFile: key, IdentitiesOnly: 'yes', CertificateFile: '/dev/null' });
  expect(sshLogsIn(plain, 'hv2-plain').status).not.toBe(0);

  app = await startApp({ sshConfig: config });
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Add connection' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add connection' });
  await dialog.getByRole('combobox', { name: 'Host' }).fill(alias);
  // The dialog names the certificate it will offer, with its key id and principal.
  const resolved = dialog.getByRole('table', { name: 'Resolved SSH settings' });
  await expect(resolved.getByRole('row', { name: /^Certificates/ })).toContainText(`${cert}: "admin@corp" for ${LAB_USER}`);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expectFleetOf(page, alias);
  // The host's own log: the login was by certificate, with the CA-given id.
  const log = readFileSync(join(LAB_DIR, 'state', HV, 'sshd-ca.log'), 'utf8');
  expect(log).toMatch(/Accepted publickey for virtdeck .* ED25519-CERT .* ID admin@corp/);
  check();
});

test('certificates: a certificate held by a real ssh-agent logs in', async ({ page }) => {
  const dir = tempDir('cert-agent');
  const key = generateKey(dir, 'id_agent');
  certify(key, LAB_USER, 'agent@corp'); // ssh-add loads KEY-cert.pub beside the key
  const agent = await startAgent(dir, [key]);
  agentStop = agent.stop;
  expect(execFileSync('ssh-add', ['-l'], { env: { ...process.env, SSH_AUTH_SOCK: agent.socket } }).toString()).toContain('ED25519-CERT');
  const alias = 'hv2-agent';
  // No identity file that exists: only the agent can log in.
  const config = configFor(dir, alias, { IdentityFile: join(dir, 'absent') });
  expect(sshLogsIn(config, alias, { SSH_AUTH_SOCK: agent.socket }).status).toBe(0);

  app = await startApp({ sshConfig: config, env: { SSH_AUTH_SOCK: agent.socket } });
  await page.goto(app.url);
  await addConnection(page, alias);
  await expectFleetOf(page, alias);
  expect(readFileSync(join(LAB_DIR, 'state', HV, 'sshd-ca.log'), 'utf8')).toMatch(/Accepted publickey for virtdeck .* ED25519-CERT .* ID agent@corp/);
});

test('certificates: one for another principal is refused, and the error says what was offered', async ({ page }) => {
  const dir = tempDir('cert-wrong');
  const key = generateKey(dir, 'id_other');
  const cert = certify(key, 'somebody-else', 'other@corp');
  const alias = 'hv2-wrong';
  const config = configFor(dir, alias, { IdentityFile: key, IdentitiesOnly: 'yes' });
  expect(sshLogsIn(config, alias).stderr).toContain('Permission denied');

  app = await startApp({ sshConfig: config });
  await page.goto(app.url);
  await addConnection(page, alias);
  const alert = connectionItem(page, alias).getByRole('alert');
  await expect(alert).toContainText(`tried: publickey ${key}, certificate ${cert}`);
  await expect(connectionItem(page, alias)).toContainText('disconnected');
});
