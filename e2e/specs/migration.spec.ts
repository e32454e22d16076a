// Moving VMs between hosts from the UI, each result checked on the hosts themselves: a live
// migration hv2 → hv3 with its disk copied (the guest keeps answering on its serial console, its
// uptime goes on, and hv3's serial log holds no new boot), a cancelled one that leaves the VM on
// hv2, a cold move to hv5 (no route from hv2: VirtDeck carries the disk) that boots there with the
// same disk bytes, and a pre-flight that blocks on a bridge the destination lacks. Also: no
// private key file is written on any host, the known_hosts file written for the command is gone
// afterwards, and the destination's sshd logged the source in by public key with host-key
// checking on (the command line carries known_hosts_verify=normal, nothing turns checks off).
// Evacuating hv3 moves the two VMs left checked and leaves the one unchecked (and any other
// spec's VM running there) where it is, so the test does not depend on what else runs on hv3.
// The spec defines its own small VMs (mig-*) and removes them on every host in afterAll.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { addConnection, connectionItem } from '../support/app';
import { expect, needsLab, test } from '../support/fixtures';
import { hostVirsh, inHost, LAB_DIR } from '../support/lab';
import { atSerialPrompt } from '../support/serial';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv2', 'hv3', 'hv5');

const IMAGES = '/var/lib/libvirt/images';
const VMS = [
  { name: 'mig-live', mac: '52:54:00:d0:0f:01', start: true },
  { name: 'mig-cancel', mac: '52:54:00:d0:0f:02', start: true },
  { name: 'mig-cold', mac: '52:54:00:d0:0f:03', start: false },
  { name: 'mig-bridge', mac: '52:54:00:d0:0f:04', start: false },
] as const;
/** Started on hv3 by the evacuation test itself. */
const EVACUEES = [
  { name: 'mig-ev1', mac: '52:54:00:d0:0f:05' },
  { name: 'mig-ev2', mac: '52:54:00:d0:0f:06' },
] as const;
/** Started on hv3 beside them and unchecked in the Evacuate dialog: it stays. */
const STAYER = { name: 'mig-stay', mac: '52:54:00:d0:0f:07' } as const;
const HOSTS = ['hv2', 'hv3', 'hv5'];

const state = (hv: string, vm: string) => hostVirsh(hv, 'domstate', vm).then((s) => s.trim(), () => 'absent');
const serialLog = (hv: string, vm: string) => {
  try {
    return readFileSync(join(LAB_DIR, 'state', hv, 'log', 'qemu', `${vm}-serial.log`), 'utf8');
  } catch {
    return '';
  }
};
const hostSha = async (hv: string, vm: string, ext: string) => (await inHost(hv, 'sha256sum', `${IMAGES}/${vm}.${ext}`)).split(' ')[0]!;

async function removeVm(hv: string, name: string): Promise<void> {
  await hostVirsh(hv, 'domjobabort', name).catch(() => undefined);
  await hostVirsh(hv, 'destroy', name).catch(() => undefined);
  await hostVirsh(hv, 'undefine', name).catch(() => undefined);
  await inHost(hv, 'sh', '-c', `rm -f ${IMAGES}/${name}.*`);
  await hostVirsh(hv, 'pool-refresh', 'default').catch(() => undefined);
}

test.beforeAll(async () => {
  for (const hv of HOSTS) for (const vm of [...VMS, ...EVACUEES, STAYER]) await removeVm(hv, vm.name);
  for (const vm of VMS) {
    let xml = readFileSync(join(LAB_DIR, 'guests', 'desk.xml'), 'utf8').replaceAll('@NAME@', vm.name).replaceAll('@MAC@', vm.mac);
    if (vm.name === 'mig-cold') {
      // A raw disk full of random bytes: what arrives must be byte for byte what left.
      xml = xml.replace(`${vm.name}.qcow2`, `${vm.name}.raw`).replace("type='qcow2'", "type='raw'");
      await hostVirsh('hv2', 'vol-create-as', 'default', `${vm.name}.raw`, '16M', '--format', 'raw');
      await inHost('hv2', 'dd', 'if=/dev/urandom', `of=${IMAGES}/${vm.name}.raw`, 'bs=1M', 'count=16', 'conv=notrunc', 'status=none');
    } else {
      await hostVirsh('hv2', 'vol-create-as', 'default', `${vm.name}.qcow2`, '16M', '--format', 'qcow2');
    }
    if (vm.name === 'mig-bridge') xml = xml.replace("<source bridge='br-lan'/>", "<source bridge='br-only-hv2'/>");
    const file = `/tmp/mig-e2e-${vm.name}.xml`;
    writeFileSync(file, xml);
    await hostVirsh('hv2', 'define', file);
    if (vm.start) await hostVirsh('hv2', 'start', vm.name);
  }
});

test.afterAll(async () => {
  for (const hv of HOSTS) for (const vm of [...VMS, ...EVACUEES, STAYER]) await removeVm(hv, vm.name);
});

/** Files under the places a login user or libvirt could write on a host that hold a private key. */
async function privateKeysOn(hv: string): Promise<string> {
  // Files the lab user owns: whatever VirtDeck's session on the host could have written. (The lab
  // hosts share this machine's /tmp, where root's own test runs keep keys of their own.)
  const out = await inHost(hv, 'sh', '-c', 'find /tmp /var/tmp /home /run/user /var/lib/libvirt -type f -user virtdeck -size -64k 2>/dev/null | xargs -r grep -lIs -e "PRIVATE KEY"; ls -d /tmp/virtdeck-migrate.* 2>/dev/null; true');
  return out.trim();
}

async function connect(page: Page, hosts: string[]): Promise<void> {
  for (const hv of hosts) {
    await addConnection(page, hv);
    await expect(connectionItem(page, hv)).toContainText('online');
  }
}

async function openMigrate(page: Page, vm: string, from: string, to: string, mode: 'Live' | 'Cold (VirtDeck copies the disks)') {
  await page.getByRole('button', { name: `Open ${vm} on ${from}` }).click();
  await page.getByRole('toolbar', { name: `Actions for ${vm}` }).getByRole('button', { name: 'Migrate…' }).click();
  const dialog = page.getByRole('dialog', { name: `Migrate ${vm} from ${from}` });
  await dialog.getByRole('combobox', { name: 'Destination host' }).click();
  await page.getByRole('option', { name: to, exact: true }).click();
  await dialog.getByRole('radiogroup', { name: 'How to move' }).getByText(mode, { exact: true }).click();
  return dialog;
}

const findings = (dialog: ReturnType<Page['getByRole']>) => dialog.getByRole('list', { name: 'Pre-flight findings' });

async function uptime(page: Page, vm: string): Promise<number> {
  const rows = await atSerialPrompt(page, vm);
  await page.keyboard.type('echo UP=$(cut -d. -f1 /proc/uptime)=', { delay: 20 });
  await page.keyboard.press('Enter');
  await expect(rows).toContainText(/UP=\d+=/);
  const all = [...(await rows.innerText()).matchAll(/UP=(\d+)=/g)];
  return Number(all.at(-1)![1]);
}

test('live migration hv2 → hv3 with its disk copied: progress, same boot on hv3, gone from hv2, no key left anywhere', async ({ page, app, checkConsole }) => {
  test.setTimeout(150_000);
  const vm = 'mig-live';
  await page.goto(app.url);
  await connect(page, ['hv2', 'hv3']);
  await expect.poll(() => serialLog('hv2', vm), { timeout: 60_000 }).toContain('VIRTDECK-READY');
  await page.getByRole('button', { name: `Open ${vm} on hv2` }).click();
  await page.getByRole('tab', { name: 'Console' }).click();
  await page.getByRole('toolbar', { name: `Console of ${vm}` }).getByRole('button', { name: 'Serial console' }).click();
  const before = await uptime(page, vm);
  await page.getByRole('button', { name: 'All VMs' }).click();

  const sshdLog = join(LAB_DIR, 'state', 'hv3', 'sshd.log');
  const sshdBefore = readFileSync(sshdLog, 'utf8').length;
  const dialog = await openMigrate(page, vm, 'hv2', 'hv3', 'Live');
  await expect(findings(dialog).getByRole('listitem', { name: 'OK: hv2 reaches hv3 at 198.51.100.13' })).toBeVisible({ timeout: 30_000 });
  await expect(findings(dialog).getByRole('listitem', { name: /^OK: Disk vda \(mig-live.qcow2\) is copied into pool default on hv3/ })).toBeVisible();
  await expect(findings(dialog).getByRole('listitem', { name: /^Blocks/ })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/migration-preflight.png' });
  // A cap keeps the copy long enough to see it move (and to look at the host meanwhile).
  await dialog.getByRole('textbox', { name: 'Bandwidth limit (MiB/s)' }).fill('40');
  await dialog.getByRole('button', { name: 'Migrate', exact: true }).click();

  const bar = dialog.getByRole('progressbar', { name: 'Migration progress' });
  const seen = new Set<string>();
  let commandLine = '';
  await expect
    .poll(
      async () => {
        const v = await bar.getAttribute('aria-valuenow', { timeout: 200 }).catch(() => null);
        if (v) seen.add(v);
        // The migrate command as it runs on hv2: host-key checking from the file VirtDeck wrote.
        if (!commandLine) commandLine = (await inHost('hv2', 'ps', '-eo', 'args').catch(() => '')).split('\n').find((l) => l.includes('virsh') && l.includes(' migrate ')) ?? '';
        return (await dialog.getByLabel('Migration phase').textContent()) ?? '';
      },
      { intervals: [150], timeout: 90_000 },
    )
    .toBe('Running on hv3');
  await page.screenshot({ path: 'test-results/migration-done.png' });
  expect([...seen].filter((v) => Number(v) > 0 && Number(v) < 100).length, `bar values seen: ${[...seen].join(', ')}`).toBeGreaterThanOrEqual(1);
  expect(commandLine).toContain('qemu+libssh://virtdeck@198.51.100.13/system?known_hosts=/tmp/virtdeck-migrate.');
  expect(commandLine).toContain('known_hosts_verify=normal');
  expect(commandLine).toContain('sshauth=agent');
  expect(commandLine).not.toMatch(/no_verify|StrictHostKeyChecking|known_hosts_verify=(auto|ignore)/);

  // The host's truth: running on hv3, gone from hv2, and the same boot (no new report on hv3).
  expect(await state('hv3', vm)).toBe('running');
  expect(await state('hv2', vm)).toBe('absent');
  expect(await hostVirsh('hv3', 'vol-list', 'default')).toContain(`${vm}.qcow2`);
  expect(serialLog('hv3', vm)).not.toContain('VIRTDECK-GUEST');
  // hv2 logged in to hv3 over the migration network with the lent key (an agent signature).
  expect(readFileSync(sshdLog, 'utf8').slice(sshdBefore)).toMatch(/Accepted publickey for virtdeck from 198\.51\.100\.12 port \d+ ssh2: ED25519/);
  for (const hv of ['hv2', 'hv3']) expect(await privateKeysOn(hv), `private keys or temp folders on ${hv}`).toBe('');

  await dialog.getByRole('button', { name: 'Close' }).last().click(); // the footer's, not the corner ×
  await page.getByRole('button', { name: 'All VMs' }).click();
  await page.getByRole('button', { name: `Open ${vm} on hv3` }).click();
  await page.getByRole('tab', { name: 'Console' }).click();
  await page.getByRole('toolbar', { name: `Console of ${vm}` }).getByRole('button', { name: 'Serial console' }).click();
  expect(await uptime(page, vm)).toBeGreaterThanOrEqual(before);
  checkConsole();
});

test('a live migration cancelled half-way leaves the VM running on hv2', async ({ page, app, checkConsole }) => {
  test.setTimeout(120_000);
  const vm = 'mig-cancel';
  await page.goto(app.url);
  await connect(page, ['hv2', 'hv3']);
  const dialog = await openMigrate(page, vm, 'hv2', 'hv3', 'Live');
  await expect(findings(dialog).getByRole('listitem', { name: 'OK: hv2 reaches hv3 at 198.51.100.13' })).toBeVisible({ timeout: 30_000 });
  await dialog.getByRole('textbox', { name: 'Bandwidth limit (MiB/s)' }).fill('2');
  await dialog.getByRole('button', { name: 'Migrate', exact: true }).click();
  const bar = dialog.getByRole('progressbar', { name: 'Migration progress' });
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000 }).toBeGreaterThan(0);
  // It is moving: the fleet shows it on both hosts.
  await page.screenshot({ path: 'test-results/migration-cancel-running.png' });
  await dialog.getByRole('button', { name: 'Cancel migration' }).click();
  await expect(dialog.getByLabel('Migration phase')).toHaveText('Cancelled: still on hv2', { timeout: 30_000 });
  expect(await state('hv2', vm)).toBe('running');
  await expect.poll(() => state('hv3', vm), { timeout: 15_000 }).toBe('absent');
  // What libvirt made on hv3 for the copy is gone too.
  await hostVirsh('hv3', 'pool-refresh', 'default');
  expect(await hostVirsh('hv3', 'vol-list', 'default')).not.toContain(`${vm}.qcow2`);
  expect(await privateKeysOn('hv2')).toBe('');
  checkConsole();
});

test('cold move of a shut-off VM to hv5, which hv2 cannot reach: booted there, the same disk bytes', async ({ page, app, checkConsole }) => {
  test.setTimeout(120_000);
  const vm = 'mig-cold';
  const sum = await hostSha('hv2', vm, 'raw');
  await page.goto(app.url);
  await connect(page, ['hv2', 'hv5']);
  let dialog = await openMigrate(page, vm, 'hv2', 'hv5', 'Live');
  await expect(findings(dialog).getByRole('listitem', { name: /^Blocks: hv2 and hv5 share no network/ })).toBeVisible({ timeout: 30_000 });
  await expect(dialog.getByRole('button', { name: 'Blocked' })).toBeDisabled();
  await dialog.getByRole('radiogroup', { name: 'How to move' }).getByText('Cold (VirtDeck copies the disks)', { exact: true }).click();
  await expect(findings(dialog).getByRole('listitem', { name: /^OK: Disk vda \(mig-cold.raw\) is copied into pool default on hv5/ })).toBeVisible({ timeout: 30_000 });
  await expect(findings(dialog).getByRole('listitem', { name: /^Blocks/ })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Migrate', exact: true }).click();
  await expect(dialog.getByLabel('Migration phase')).toHaveText('Running on hv5', { timeout: 90_000 });
  await page.screenshot({ path: 'test-results/migration-cold-done.png' });
  expect(await state('hv5', vm)).toBe('running');
  expect(await state('hv2', vm)).toBe('absent');
  expect(await hostSha('hv5', vm, 'raw')).toBe(sum);
  await expect.poll(() => serialLog('hv5', vm), { timeout: 60_000 }).toContain('VIRTDECK-READY');
  expect(serialLog('hv5', vm)).toContain(`hostname=${vm}`);
  expect(serialLog('hv5', vm)).toMatch(/DISK vda bus=virtio-blk type=disk size_mib=16/);
  dialog = page.getByRole('dialog', { name: `Migrate ${vm} from hv2` });
  await dialog.getByRole('button', { name: 'Close' }).last().click(); // the footer's, not the corner ×
  checkConsole();
});

test('a row dragged onto hv3 opens the pre-flight, which blocks on a bridge hv3 lacks, naming it, and changes nothing', async ({ page, app, checkConsole }) => {
  const vm = 'mig-bridge';
  await page.goto(app.url);
  await connect(page, ['hv2', 'hv3']);
  await page.getByRole('row', { name: `${vm} on hv2` }).dragTo(connectionItem(page, 'hv3'));
  const dialog = page.getByRole('dialog', { name: `Migrate ${vm} from hv2` });
  await expect(dialog.getByRole('combobox', { name: 'Destination host' })).toHaveValue('hv3');
  await expect(findings(dialog).getByRole('listitem', { name: 'Blocks: Bridge br-only-hv2 does not exist on hv3' })).toBeVisible({ timeout: 30_000 });
  await expect(dialog.getByRole('button', { name: 'Blocked' })).toBeDisabled();
  await page.screenshot({ path: 'test-results/migration-blocked.png' });
  expect(await state('hv3', vm)).toBe('absent');
  expect(await state('hv2', vm)).toBe('shut off');
  checkConsole();
});

test('evacuating hv3 moves its two running VMs to hv2, live; VMs left unchecked stay', async ({ page, app, checkConsole }) => {
  test.setTimeout(150_000);
  for (const vm of [...EVACUEES, STAYER]) {
    const file = `/tmp/mig-e2e-${vm.name}.xml`;
    writeFileSync(file, readFileSync(join(LAB_DIR, 'guests', 'desk.xml'), 'utf8').replaceAll('@NAME@', vm.name).replaceAll('@MAC@', vm.mac));
    await hostVirsh('hv3', 'vol-create-as', 'default', `${vm.name}.qcow2`, '16M', '--format', 'qcow2');
    await hostVirsh('hv3', 'define', file);
    await hostVirsh('hv3', 'start', vm.name);
  }
  await page.goto(app.url);
  await connect(page, ['hv3', 'hv2']);
  await page.getByRole('button', { name: 'Open host hv3' }).click();
  await page.getByRole('button', { name: 'Evacuate…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Evacuate hv3?' });
  const list = dialog.getByRole('list', { name: 'VMs to move' });
  for (const vm of EVACUEES) await expect(list.getByRole('checkbox', { name: vm.name, exact: true })).toBeChecked();
  // mig-stay, and whatever else runs on hv3 now (other specs' VMs), is left out, as an admin keeps a VM home.
  await expect(list.getByRole('checkbox', { name: STAYER.name, exact: true })).toBeChecked();
  const listed = await list.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).labels?.[0]?.textContent ?? ''));
  const others = listed.filter((n) => !EVACUEES.some((v) => v.name === n));
  for (const other of others) await list.getByRole('checkbox', { name: other, exact: true }).uncheck();
  await expect(dialog).toContainText(`${EVACUEES.length} of ${listed.length} will move`);
  await dialog.getByRole('button', { name: 'Evacuate', exact: true }).click();
  for (const vm of EVACUEES) await expect.poll(() => state('hv2', vm.name), { timeout: 120_000 }).toBe('running');
  for (const vm of EVACUEES) await expect.poll(() => state('hv3', vm.name), { timeout: 20_000 }).toBe('absent');
  await expect(page.getByRole('log', { name: 'Tasks' }).getByRole('listitem').filter({ hasText: 'Evacuate hv3' })).toHaveAccessibleName(/Evacuate hv3: done/);
  for (const other of others) expect(await state('hv2', other), `${other} was left out`).toBe('absent');
  expect(await state('hv3', STAYER.name)).toBe('running');
  checkConsole();
});
