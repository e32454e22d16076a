// Fleet lifecycle actions against the real lab, each checked against the host's own virsh
// (domstate --reason, dominfo, the guest's serial log), and bulk delete with storage chosen per
// disk. Uses only VMs it defines on hv3 (fl-*), rendered from the lab's tuned.xml template.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection } from '../support/app';
import { hostVirsh, LAB_DIR } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';

const run = promisify(execFile);
const SHOTS = process.env.VIRTDECK_SHOTS ?? 'test-results';
needsLab();
usesLabHosts('hv3');

const HV = 'hv3';
const inHost = (...argv: string[]) => run('bash', [join(LAB_DIR, 'in-host.sh'), HV, ...argv]);
const table = (page: Page) => page.getByRole('table', { name: 'Virtual machines' });
const row = (page: Page, name: string) => table(page).getByRole('row', { name: `${name} on ${HV}`, exact: true });
const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'VM actions' });
const task = (page: Page, title: string) => page.getByRole('log', { name: 'Tasks' }).getByRole('listitem', { name: title });
const domstate = async (name: string, reason = false) => (await hostVirsh(HV, 'domstate', '--domain', name, ...(reason ? ['--reason'] : []))).trim();
const managedSave = async (name: string) => /^Managed save:\s+(\S+)/m.exec(await hostVirsh(HV, 'dominfo', '--domain', name))?.[1];
const serialLog = (name: string) => join(LAB_DIR, 'state', HV, 'log', 'qemu', `${name}-serial.log`);
const bootReports = (name: string) => (existsSync(serialLog(name)) ? readFileSync(serialLog(name), 'utf8').split(`VIRTDECK-GUEST hostname=${name}`).length - 1 : 0);

/** Define a VM like tuned-1 (virtio, direct kernel boot of the lab guest) with its own volume. */
async function defineVm(name: string, mac: string, opts: { disk?: string } = {}): Promise<void> {
  let xml = readFileSync(join(LAB_DIR, 'guests', 'tuned.xml'), 'utf8').replace(/@NAME@/g, name).replace(/@MAC@/g, mac);
  if (opts.disk) xml = xml.replace(`/var/lib/libvirt/images/${name}.qcow2`, opts.disk).replace("type='qcow2'", "type='raw'");
  else await hostVirsh(HV, 'vol-create-as', 'default', `${name}.qcow2`, '16M', '--format', 'qcow2');
  await run('bash', ['-c', `bash "${join(LAB_DIR, 'vm.sh')}" ${HV} define /dev/stdin <<'XML'\n${xml}\nXML`]);
}

/** Remove a VM and its volumes whatever state the test left them in. */
async function removeVm(name: string, volumes: string[] = [`${name}.qcow2`]): Promise<void> {
  await hostVirsh(HV, 'destroy', '--domain', name).catch(() => undefined);
  await hostVirsh(HV, 'undefine', '--domain', name, '--managed-save', '--snapshots-metadata', '--nvram').catch(() => undefined);
  for (const v of volumes) await hostVirsh(HV, 'vol-delete', '--pool', 'default', v).catch(() => undefined);
}

test.describe('lifecycle actions', () => {
  const VM = 'fl-life';
  test.beforeAll(async () => {
    await removeVm(VM);
    await defineVm(VM, '52:54:00:d0:03:a1');
  });
  test.afterAll(async () => {
    await removeVm(VM);
  });

  test('reboot, reset, agent and ACPI shutdown, managed save and force off: each a task, each true on the host', async ({ page, app, lab, checkConsole }) => {
    test.setTimeout(300_000);
    await page.goto(app.url);
    await addConnection(page, HV);
    const r = row(page, VM);
    await expect(r).toContainText('shut off');
    await r.getByRole('checkbox', { name: `Select ${VM} on ${HV}` }).check();
    const more = async (item: string) => {
      await toolbar(page).getByRole('button', { name: 'More actions' }).click();
      await page.getByRole('menuitem', { name: item }).click();
    };

    await toolbar(page).getByRole('button', { name: 'Start' }).click();
    await expect(task(page, `Start ${VM} on ${HV}: done`)).toBeVisible();
    await expect(r).toContainText('running');
    expect(await domstate(VM, true)).toBe('running (booted)');
    await expect.poll(() => bootReports(VM), { timeout: 90_000 }).toBe(1);

    // Reboot (ACPI): the guest shuts down and boots again inside the same QEMU.
    await toolbar(page).getByRole('button', { name: 'Reboot' }).click();
    await expect(task(page, `Reboot ${VM} on ${HV}: done`)).toBeVisible();
    await expect.poll(() => bootReports(VM), { timeout: 90_000 }).toBe(2);
    expect(readFileSync(serialLog(VM), 'utf8')).toContain('VIRTDECK-SHUTDOWN');
    expect(await domstate(VM)).toBe('running');

    // Reset asks first; cancelling does nothing, confirming resets at once (no shutdown marker).
    await more('Reset');
    let dialog = page.getByRole('dialog', { name: `Reset ${VM}?` });
    await expect(dialog).toContainText(`${VM} on ${HV}`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(task(page, `Reset ${VM} on ${HV}: done`)).toHaveCount(0);
    const shutdownsBefore = readFileSync(serialLog(VM), 'utf8').split('VIRTDECK-SHUTDOWN').length;
    await more('Reset');
    dialog = page.getByRole('dialog', { name: `Reset ${VM}?` });
    await page.screenshot({ path: `${SHOTS}/fleet-reset-confirm.png` });
    await dialog.getByRole('button', { name: `Reset ${VM}` }).click();
    await expect(task(page, `Reset ${VM} on ${HV}: done`)).toBeVisible();
    await expect.poll(() => bootReports(VM), { timeout: 90_000 }).toBe(3);
    expect(readFileSync(serialLog(VM), 'utf8').split('VIRTDECK-SHUTDOWN').length).toBe(shutdownsBefore);
    expect(await domstate(VM)).toBe('running');

    // Shut down through the guest agent: the lab guest has none, so libvirt refuses, in its words.
    const libvirtSays = await lab.virsh(HV, 'shutdown', '--domain', VM, '--mode', 'agent').then(
      () => '',
      (err: { stderr?: string }) => String(err.stderr).replace(/^error: /gm, '').trim().split('\n').at(-1)!,
    );
    expect(libvirtSays).toMatch(/agent/i);
    await more('Shut down (guest agent)');
    const failed = task(page, `Shut down (guest agent) ${VM} on ${HV}: failed`);
    await expect(failed).toBeVisible();
    await expect(failed).toContainText(libvirtSays);
    expect(await domstate(VM)).toBe('running');

    // Managed save: memory to disk, VM off; the next start restores it (no new boot).
    await more('Save state and stop');
    await expect(task(page, `Save state and stop ${VM} on ${HV}: done`)).toBeVisible();
    await expect(r).toContainText('shut off');
    expect(await domstate(VM, true)).toBe('shut off (saved)');
    expect(await managedSave(VM)).toBe('yes');
    await toolbar(page).getByRole('button', { name: 'Start' }).click();
    await expect(task(page, `Start ${VM} on ${HV}: done`).nth(1)).toBeVisible();
    await expect(r).toContainText('running');
    expect(await domstate(VM, true)).toBe('running (restored)');
    expect(await managedSave(VM)).toBe('no');

    // Shut down (ACPI): the guest powers itself off.
    await toolbar(page).getByRole('button', { name: 'Shut down' }).click();
    await expect(task(page, `Shut down ${VM} on ${HV}: done`)).toBeVisible();
    await expect(r).toContainText('shut off', { timeout: 30_000 });
    expect(await domstate(VM, true)).toBe('shut off (shutdown)');

    // Force off asks first, then cuts the power.
    await toolbar(page).getByRole('button', { name: 'Start' }).click();
    await expect(r).toContainText('running');
    await toolbar(page).getByRole('button', { name: 'Force off' }).click();
    dialog = page.getByRole('dialog', { name: `Force off ${VM}?` });
    await dialog.getByRole('button', { name: `Force off ${VM}` }).click();
    await expect(task(page, `Force off ${VM} on ${HV}: done`)).toBeVisible();
    await expect(r).toContainText('shut off');
    expect(await domstate(VM, true)).toBe('shut off (destroyed)');
    checkConsole();
  });
});

test('bulk delete: storage chosen per disk, managed save and snapshot metadata go too, libvirt\'s word when storage stays', async ({ page, app, lab, checkConsole }) => {
  test.setTimeout(180_000);
  const A = 'fl-del-a';
  const B = 'fl-del-b';
  const unmanaged = `/var/lib/libvirt/${B}.img`;
  const cleanup = async () => {
    await removeVm(A, [`${A}.qcow2`, `${A}-data.qcow2`]);
    await removeVm(B, []);
    await inHost('rm', '-f', unmanaged);
  };
  await cleanup();
  try {
    // A: a second disk to keep, and a snapshot. B: a disk outside every pool, and a managed save.
    await defineVm(A, '52:54:00:d0:03:a2');
    await lab.virsh(HV, 'vol-create-as', 'default', `${A}-data.qcow2`, '1M', '--format', 'qcow2');
    await lab.virsh(HV, 'attach-disk', '--domain', A, '--source', `/var/lib/libvirt/images/${A}-data.qcow2`, '--target', 'vdb', '--subdriver', 'qcow2', '--config');
    await lab.virsh(HV, 'snapshot-create-as', '--domain', A, '--name', 'before');
    await inHost('truncate', '-s', '1M', unmanaged);
    await defineVm(B, '52:54:00:d0:03:a3', { disk: unmanaged });
    await lab.virsh(HV, 'start', '--domain', B);
    await lab.virsh(HV, 'managedsave', '--domain', B);
    expect(await managedSave(B)).toBe('yes');
    expect(await lab.virsh(HV, 'snapshot-list', '--domain', A, '--name')).toContain('before');

    await page.goto(app.url);
    await addConnection(page, HV);
    for (const vm of [A, B]) {
      await expect(row(page, vm)).toContainText('shut off');
      await row(page, vm).getByRole('checkbox', { name: `Select ${vm} on ${HV}` }).check();
    }
    await toolbar(page).getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete 2 VMs?' });
    const listed = dialog.getByRole('list', { name: 'VMs to delete' });
    await expect(listed.getByRole('listitem')).toHaveCount(2);
    await expect(listed.getByRole('listitem', { name: `${B} on ${HV}` })).toContainText('shut off with a saved state: the saved memory is deleted too');
    await expect(listed.getByRole('listitem', { name: `${A} on ${HV}` })).not.toContainText('saved state');
    const box = (disk: string, vm: string) => dialog.getByRole('checkbox', { name: `Delete storage of ${disk} of ${vm} on ${HV}` });
    await expect(box('vda', A)).toBeChecked();
    await expect(box('vdb', A)).toBeChecked();
    await expect(box('vda', B)).toBeChecked();
    await box('vdb', A).uncheck();
    await page.screenshot({ path: `${SHOTS}/fleet-bulk-delete.png` });
    await dialog.getByRole('button', { name: 'Delete 2 VMs' }).click();

    await expect(task(page, `Delete ${A} on ${HV}: done`)).toBeVisible();
    const failed = task(page, `Delete ${B} on ${HV}: failed`);
    await expect(failed).toBeVisible();
    await expect(failed).toContainText(`Storage volume 'vda'(${unmanaged}) is not managed by libvirt`);
    await expect(row(page, A)).toHaveCount(0);
    await expect(row(page, B)).toHaveCount(0);

    // The host's truth: both undefined with their managed save and snapshot metadata; A's chosen
    // volume gone and its kept one still there; B's unmanaged file still there, as libvirt said.
    const names = await lab.virsh(HV, 'list', '--all', '--name');
    expect(names).not.toContain(A);
    expect(names).not.toContain(B);
    const vols = await lab.virsh(HV, 'vol-list', '--pool', 'default');
    expect(vols).not.toContain(`${A}.qcow2`);
    expect(vols).toContain(`${A}-data.qcow2`);
    await expect(inHost('test', '-e', `/var/lib/libvirt/qemu/save/${B}.save`)).rejects.toThrow();
    await expect(inHost('test', '-e', `/var/lib/libvirt/qemu/snapshot/${A}`)).rejects.toThrow();
    await inHost('test', '-e', unmanaged);
    checkConsole();
  } finally {
    await cleanup();
  }
});

test('each host has its own stats interval, chosen on its page and saved with the connection', async ({ page, app, checkConsole }) => {
  const saved = () => (JSON.parse(readFileSync(join(app.dataDir, 'connections.json'), 'utf8')) as { hosts: Array<{ label: string; statsIntervalMs?: number }> }).hosts.find((h) => h.label === HV);
  await page.goto(app.url);
  await addConnection(page, HV);
  await page.getByRole('button', { name: `Open host ${HV}` }).click();
  const select = page.getByRole('combobox', { name: `Stats interval of ${HV}` });
  await expect(select).toHaveValue('Stats as the fleet');
  await select.click();
  await page.getByRole('option', { name: 'Stats every 5 s' }).click();
  await expect(task(page, `Stats every 5 s on ${HV}: done`)).toBeVisible();
  expect(saved()?.statsIntervalMs).toBe(5000);
  await page.screenshot({ path: `${SHOTS}/fleet-host-interval.png` });
  // A new window reads it back from the backend.
  await page.reload();
  await page.getByRole('button', { name: `Open host ${HV}` }).click();
  await expect(page.getByRole('combobox', { name: `Stats interval of ${HV}` })).toHaveValue('Stats every 5 s');
  await page.getByRole('combobox', { name: `Stats interval of ${HV}` }).click();
  await page.getByRole('option', { name: 'Stats as the fleet' }).click();
  await expect(task(page, `Default stats interval on ${HV}: done`)).toBeVisible();
  expect(saved()?.statsIntervalMs).toBeUndefined();
  checkConsole();
});
