// Fleet-wide tuning against the lab: the Tuning page counts the advisor's findings of every VM on
// hv1 and hv2, a plan moves this spec's own SATA/e1000 VMs (tune-e2e-*, from the lab's legacy
// template) to virtio-scsi + virtio-net as one run, the restarted guest reports the new drivers,
// a VM changed from outside after the plan is skipped, undo brings back every definition byte for
// byte, and cancel leaves VMs not reached untouched. KSM on the host page matches the host's
// sysfs; hv3's sudo rule lets it be switched, hv1 says why not.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { readDomain } from '../../shared/domain-xml';
import { addConnection } from '../support/app';
import { expect, needsLab, test } from '../support/fixtures';
import { hostVirsh, inHost, LAB_DIR } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';

needsLab();
// KSM's sysfs is the machine's one kernel: hv3 stands for it, so host pages reading it wait.
usesLabHosts('hv1', 'hv2', 'hv3');
test.describe.configure({ mode: 'serial' });

const run = promisify(execFile);
const PREFIX = 'tune-e2e-';
/** Three VMs on hv1 (a runs: the one guest that boots), three on hv2 (d is changed from outside). */
const VMS = [
  { hv: 'hv1', name: `${PREFIX}a`, mac: '52:54:00:d0:16:01' },
  { hv: 'hv1', name: `${PREFIX}b`, mac: '52:54:00:d0:16:02' },
  { hv: 'hv1', name: `${PREFIX}e`, mac: '52:54:00:d0:16:05' },
  { hv: 'hv2', name: `${PREFIX}c`, mac: '52:54:00:d0:16:03' },
  { hv: 'hv2', name: `${PREFIX}d`, mac: '52:54:00:d0:16:04' },
  { hv: 'hv2', name: `${PREFIX}f`, mac: '52:54:00:d0:16:06' },
];
const [A, B, E, C, D] = VMS as [(typeof VMS)[number], (typeof VMS)[number], (typeof VMS)[number], (typeof VMS)[number], (typeof VMS)[number]];
const inactive = (vm: { hv: string; name: string }) => hostVirsh(vm.hv, 'dumpxml', '--inactive', vm.name);
const snapshots = async (vm: { hv: string; name: string }) => (await hostVirsh(vm.hv, 'snapshot-list', '--domain', vm.name, '--name')).split('\n').filter(Boolean);

async function defineOnHost(hv: string, xml: string, file: string): Promise<void> {
  writeFileSync(file, xml);
  await hostVirsh(hv, 'define', file);
}

async function removeVm(vm: { hv: string; name: string }): Promise<void> {
  await hostVirsh(vm.hv, 'destroy', '--domain', vm.name).catch(() => undefined);
  await hostVirsh(vm.hv, 'undefine', '--domain', vm.name, '--snapshots-metadata', '--managed-save').catch(() => undefined);
  await hostVirsh(vm.hv, 'vol-delete', '--pool', 'default', `${vm.name}.qcow2`).catch(() => undefined);
}

async function guestReport(vm: { hv: string; name: string }, timeoutS = 120): Promise<string> {
  const { stdout } = await run('bash', [join(LAB_DIR, 'guest-report.sh'), vm.hv, vm.name, String(timeoutS)], { timeout: (timeoutS + 10) * 1000 });
  return stdout;
}

test.beforeAll(async () => {
  const template = readFileSync(join(LAB_DIR, 'guests', 'legacy.xml'), 'utf8');
  for (const vm of VMS) {
    await removeVm(vm);
    await hostVirsh(vm.hv, 'vol-create-as', 'default', `${vm.name}.qcow2`, '16M', '--format', 'qcow2');
    await defineOnHost(vm.hv, template.replace(/@NAME@/g, vm.name).replace(/@MAC@/g, vm.mac), `/tmp/tuning-e2e-${vm.name}.xml`);
  }
});

test.afterAll(async () => {
  for (const vm of VMS) await removeVm(vm);
});

const tuning = async (page: Page, hosts: string[]) => {
  for (const h of hosts) await addConnection(page, h);
  await page.getByRole('button', { name: 'Tuning', exact: true }).click();
  await expect(page.getByLabel('Tuning summary')).toBeVisible({ timeout: 30_000 });
  // Both hosts read: each has a column in the findings table.
  for (const h of hosts) await expect(page.getByRole('table', { name: 'Findings by kind' }).getByRole('columnheader', { name: h, exact: true })).toBeVisible();
};
const runRegion = (page: Page) => page.getByRole('region', { name: 'Tuning run' });
const runItem = (page: Page, vm: { hv: string; name: string }) => runRegion(page).getByRole('list', { name: 'Run items' }).getByRole('listitem', { name: new RegExp(`^${vm.name} on ${vm.hv}: `) });
const DISKS = 'Disks on SATA/IDE → virtio-scsi';
const NICS = 'Emulated NICs → virtio-net';

/** What the advisor must find on a host, counted from its own XML: disks on SATA/IDE of the
 *  VMs that are not Windows (those get the safe path instead). */
async function slowDisksOn(hv: string): Promise<number> {
  let n = 0;
  for (const name of (await hostVirsh(hv, 'list', '--all', '--name')).split('\n').map((l) => l.trim()).filter(Boolean)) {
    const v = readDomain(await hostVirsh(hv, 'dumpxml', '--inactive', name));
    if (/microsoft\.com\/win/.test(v.metadata.libosinfoId ?? '')) continue;
    n += v.disks.filter((d) => d.device === 'disk' && d.target && d.bus !== 'virtio' && d.bus !== 'scsi').length;
  }
  return n;
}

test('a plan for all disks and NICs of hv1 and hv2 runs as one task: snapshot first, restart now, a VM changed after the plan skipped, the guest sees virtio, the report lists it, undo is byte-identical', async ({ page, app, checkConsole }) => {
  test.setTimeout(240_000); // one TCG guest boots twice
  await hostVirsh(A.hv, 'start', A.name);
  const before = new Map(await Promise.all(VMS.map(async (vm) => [vm.name, await inactive(vm)] as const)));
  await page.goto(app.url);
  await tuning(page, ['hv1', 'hv2']);

  // Every VM of both hosts is counted, not only this spec's.
  const findings = page.getByRole('table', { name: 'Findings by kind' });
  await expect(findings.getByRole('cell', { name: `${DISKS} on hv1: ${await slowDisksOn('hv1')}`, exact: true })).toBeVisible();
  await expect(findings.getByRole('cell', { name: `${DISKS} on hv2: ${await slowDisksOn('hv2')}`, exact: true })).toBeVisible();
  await page.screenshot({ path: 'test-results/tuning-page.png' });

  // This spec's VMs only: 3 on each host, one SATA disk and one e1000 NIC each.
  await page.getByRole('textbox', { name: 'Filter VMs by name' }).fill(PREFIX);
  await expect(findings.getByRole('row', { name: `${DISKS}: 6 on 6 VMs` })).toBeVisible();
  await expect(findings.getByRole('cell', { name: `${NICS} on hv1: 3`, exact: true })).toBeVisible();
  await expect(findings.getByRole('cell', { name: `${NICS} on hv2: 3`, exact: true })).toBeVisible();
  await findings.getByRole('button', { name: `Select all ${DISKS}` }).click();
  await findings.getByRole('button', { name: `Select all ${NICS}` }).click();
  // e is left out, one by one (it stays for the cancel test).
  for (const f of ['Disk sda is on SATA', 'NIC 1 is an emulated e1000 card']) await page.getByRole('checkbox', { name: `Pick ${f} (${E.name} on hv1)` }).uncheck();
  const f = VMS.find((v) => v.name.endsWith('f'))!;
  for (const t of ['Disk sda is on SATA', 'NIC 1 is an emulated e1000 card']) await page.getByRole('checkbox', { name: `Pick ${t} (${f.name} on hv2)` }).uncheck();
  await expect(page.getByLabel('Picked')).toHaveText('8 fixes picked on 4 VMs');
  await page.getByRole('button', { name: `Diff of ${A.name} on hv1` }).click();
  await expect(page.getByLabel(`XML diff of ${A.name} on hv1`)).toContainText("-       <target dev='sda' bus='sata'/>");

  await page.getByRole('button', { name: 'Review plan' }).click();
  const plan = page.getByRole('region', { name: 'Plan' });
  await expect(plan.getByLabel('Plan summary')).toContainText('4 VMs on 2 host(s): 8 fixes, 1 running VM(s) need a restart');
  await expect(plan.getByRole('listitem', { name: `Plan for ${A.name} on hv1` })).toContainText('needs a restart');
  await expect(plan.getByRole('listitem', { name: `Plan for ${B.name} on hv1` })).toContainText('at next start');
  await expect(plan.getByRole('checkbox', { name: /^Snapshot first/ })).toBeChecked();
  await plan.getByRole('radiogroup', { name: 'Restart policy' }).getByText('Restart now', { exact: true }).click();
  await expect(plan.getByRole('radio', { name: 'Restart now' })).toBeChecked();

  // Someone changes d after the plan was made.
  const theirs = before.get(D.name)!.replace(/(<\/uuid>\n)/, '$1  <description>changed behind the plan</description>\n');
  await defineOnHost(D.hv, theirs, '/tmp/tuning-e2e-theirs.xml');
  const theirsDefined = await inactive(D);

  // The guest has booted (its power button works) before the plan restarts it.
  await guestReport(A);
  await page.screenshot({ path: 'test-results/tuning-plan.png' });
  await plan.getByRole('button', { name: 'Apply plan' }).click();
  await expect(runRegion(page).getByLabel('Run state done')).toBeVisible({ timeout: 150_000 });
  await expect(runItem(page, A)).toHaveAccessibleName(`${A.name} on hv1: applied and restarted`);
  await expect(runItem(page, B)).toHaveAccessibleName(`${B.name} on hv1: applied`);
  await expect(runItem(page, C)).toHaveAccessibleName(`${C.name} on hv2: applied`);
  await expect(runItem(page, D)).toHaveAccessibleName(`${D.name} on hv2: skipped`);
  await expect(runItem(page, D)).toContainText('changed since the plan was made');
  const tasks = page.getByRole('log', { name: 'Tasks' });
  await expect(tasks.getByRole('listitem', { name: 'Tuning plan: 4 VMs: done' })).toBeVisible();
  await expect(tasks.getByRole('listitem', { name: `Tuning plan: 4 VMs: ${D.name} on hv2: cancelled` })).toBeVisible();
  await page.screenshot({ path: 'test-results/tuning-applied.png' });

  // The hosts' own truth: moved and switched, a snapshot each; d as its changer left it.
  for (const vm of [A, B, C]) {
    const v = readDomain(await inactive(vm));
    expect(v.disks.find((d) => d.target === 'sda')?.bus, vm.name).toBe('scsi');
    expect(v.controllers.some((c) => c.type === 'scsi' && c.model === 'virtio-scsi'), vm.name).toBe(true);
    expect(v.interfaces[0], vm.name).toMatchObject({ model: 'virtio', mac: vm.mac });
    expect(await snapshots(vm), vm.name).toHaveLength(1);
  }
  expect(await inactive(D)).toBe(theirsDefined);
  expect(await snapshots(D)).toEqual([]);
  const report = await guestReport(A);
  expect(report).toMatch(/^DISK sda bus=virtio-scsi type=disk/m);
  expect(report).toMatch(new RegExp(`^NIC eth0 driver=virtio_net mac=${A.mac}`, 'm'));

  // The report to save lists every change and the skip.
  const download = page.waitForEvent('download');
  await runRegion(page).getByRole('button', { name: 'Save report (Markdown)' }).click();
  const md = readFileSync((await (await download).path())!, 'utf8');
  for (const vm of [A, B, C]) expect(md).toMatch(new RegExp(`\\| ${vm.hv} \\| ${vm.name} \\| applied[^|]*\\| Disk sda is on SATA; NIC 1 is an emulated e1000 card \\| before tuning`));
  expect(md).toContain(`| hv2 | ${D.name} | skipped | not made (planned: Disk sda is on SATA; NIC 1 is an emulated e1000 card) |  | changed since the plan was made`);

  // Undo: every VM the plan wrote gets its definition back, byte for byte (a's waits for its restart).
  await runRegion(page).getByRole('checkbox', { name: 'Restart running VMs after the undo' }).uncheck();
  await runRegion(page).getByRole('button', { name: 'Undo plan' }).click();
  await expect(runRegion(page).getByText('Undo Tuning plan: 4 VMs')).toBeVisible();
  await expect(runRegion(page).getByLabel('Run state done')).toBeVisible({ timeout: 60_000 });
  await expect(runItem(page, A)).toHaveAccessibleName(`${A.name} on hv1: applied, pending restart`);
  for (const vm of [A, B, C]) expect(await inactive(vm), vm.name).toBe(before.get(vm.name));
  await expect(tasks.getByRole('listitem', { name: 'Undo Tuning plan: 4 VMs: done' })).toBeVisible();
  checkConsole();
});

// A test that stopped half-way leaves no hung libvirtd to the next (start thaws a frozen one).
test.afterEach(async ({ lab }) => lab.libvirtd('hv2', 'start'));

test('cancel half-way: VMs the run has not reached stay untouched', async ({ page, app, lab, checkConsole }) => {
  test.setTimeout(120_000);
  const off = VMS.filter((v) => v !== A);
  const before = new Map(await Promise.all(off.map(async (vm) => [vm.name, { xml: await inactive(vm), snaps: await snapshots(vm) }] as const)));
  await page.goto(app.url);
  await tuning(page, ['hv1', 'hv2']);
  await page.getByRole('textbox', { name: 'Filter VMs by name' }).fill(PREFIX);
  await page.getByRole('radiogroup', { name: 'State filter' }).getByText('Off', { exact: true }).click();
  const findings = page.getByRole('table', { name: 'Findings by kind' });
  await findings.getByRole('button', { name: `Select all ${DISKS}` }).click();
  await expect(page.getByLabel('Picked')).toHaveText('5 fixes picked on 5 VMs');
  await page.getByRole('button', { name: 'Review plan' }).click();
  const plan = page.getByRole('region', { name: 'Plan' });
  await plan.getByRole('textbox', { name: 'VMs at a time per host' }).fill('1');
  // hv2's libvirtd hangs while the run starts: its first VM waits on it and the others behind it,
  // so Cancel lands before they are reached however fast this machine is; thawed, it carries on.
  await lab.libvirtd('hv2', 'freeze');
  await plan.getByRole('button', { name: 'Apply plan' }).click();
  await runRegion(page).getByRole('button', { name: 'Cancel run' }).click();
  await expect(runRegion(page).getByLabel('Run state cancelling')).toBeVisible();
  await lab.libvirtd('hv2', 'thaw');
  await expect(runRegion(page).getByLabel('Run state cancelled')).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: 'test-results/tuning-cancelled.png' });
  const untouched = await runRegion(page).getByRole('listitem', { name: /: not touched \(cancelled\)$/ }).allInnerTexts();
  expect(untouched.length).toBeGreaterThan(0);
  for (const vm of off) {
    const status = await runItem(page, vm).getAttribute('aria-label');
    const now = { xml: await inactive(vm), snaps: await snapshots(vm) };
    if (status!.endsWith('not touched (cancelled)')) expect(now, vm.name).toEqual(before.get(vm.name));
    else expect(readDomain(now.xml).disks.find((d) => d.target === 'sda')?.bus, vm.name).toBe('scsi');
  }
  await expect(page.getByRole('log', { name: 'Tasks' }).getByRole('listitem', { name: 'Tuning plan: 5 VMs: cancelled' })).toBeVisible();

  // The fleet table's Tuning column: a (the legacy template, running, back to its old definition)
  // has its six findings: discard, SATA, e1000, no balloon, VGA, no agent channel.
  await page.getByRole('button', { name: 'All VMs' }).click();
  const fleetRow = page.getByRole('table', { name: 'Virtual machines' }).getByRole('row', { name: `${A.name} on hv1`, exact: true });
  await expect(fleetRow.getByRole('cell', { name: 'Tuning 6 findings' })).toBeVisible();
  checkConsole();
});

test('KSM: the host page shows /sys/kernel/mm/ksm as the host has it; hv3 (sudo rule) switches it and sets the scan rate, hv1 says why it cannot', async ({ page, app, checkConsole }) => {
  const K = '/sys/kernel/mm/ksm';
  const read = async (f: string) => (await inHost('hv3', 'cat', `${K}/${f}`)).trim();
  const original = { run: await read('run'), pages: await read('pages_to_scan'), sleep: await read('sleep_millisecs') };
  try {
    await page.goto(app.url);
    await addConnection(page, 'hv3');
    await addConnection(page, 'hv1');
    await page.getByRole('button', { name: 'Open host hv3' }).click();
    const ksm = page.getByRole('region', { name: 'KSM' });
    const table = ksm.getByRole('table', { name: 'KSM figures' });
    for (const f of ['run', 'pages_to_scan', 'sleep_millisecs', 'pages_shared', 'full_scans']) await expect(table.getByRole('row', { name: `${f} ${await read(f)}`, exact: true })).toBeVisible();
    const on = ksm.getByRole('switch', { name: 'KSM on' });
    await expect(on).toBeEnabled();
    await ksm.getByRole('textbox', { name: 'pages_to_scan' }).fill('321');
    await ksm.getByRole('button', { name: 'Set scan rate' }).click();
    await expect(table.getByRole('row', { name: 'pages_to_scan 321', exact: true })).toBeVisible();
    expect(await read('pages_to_scan')).toBe('321');
    if (original.run !== '1') {
      // The switch follows the host: it flips once the write is read back.
      await on.click({ force: true });
      await expect(table.getByRole('row', { name: 'run 1', exact: true })).toBeVisible();
      await expect(on).toBeChecked();
      expect(await read('run')).toBe('1');
      await on.click({ force: true });
      await expect(table.getByRole('row', { name: 'run 0', exact: true })).toBeVisible();
      expect(await read('run')).toBe('0');
    }
    await expect(page.getByRole('log', { name: 'Tasks' }).getByRole('listitem', { name: 'Set KSM scan rate on hv3: done' })).toBeVisible();
    await page.screenshot({ path: 'test-results/tuning-ksm-hv3.png' });

    await page.getByRole('button', { name: 'Open host hv1' }).click();
    const hv1 = page.getByRole('region', { name: 'KSM' });
    await expect(hv1.getByRole('switch', { name: 'KSM on' })).toBeDisabled();
    await expect(hv1).toContainText(/KSM cannot be changed from here.*not root and may not run these as root without a password/s);
    checkConsole();
  } finally {
    for (const [f, v] of [['pages_to_scan', original.pages], ['sleep_millisecs', original.sleep], ['run', original.run]] as const) {
      await inHost('hv3', 'sh', '-c', `echo ${v} > ${K}/${f}`);
    }
  }
});
