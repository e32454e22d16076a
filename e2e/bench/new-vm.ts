// The New VM wizard in the real renderer (the built web host in chromium), on hv3:
// - iso_upload_mbps: a 64 MiB file uploaded from this machine in the wizard's Install media step
//   (the browser PUTs it to the web host, the backend streams it over hv3's one SSH connection
//   into `vol-upload`), from the Upload click to its task done; against the same bytes sent with
//   `ssh hv3 'cat > FILE'` in the same run (baseline ssh_cat_upload_mbps).
// - create_vm_ms: the wizard's Create (a new 100 MiB qcow2 volume, `define --validate`; not
//   started) from the click to the VM's row in the fleet; against the same volume and the same
//   XML typed by hand over one ssh (`vol-create-as … && virsh define /dev/stdin`).
// Everything it makes is removed afterwards.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { addConnection, startApp } from '../support/app.js';
import { CHROMIUM_LAUNCH } from '../support/chromium.js';
import { hostVirsh, inHost, LAB_SSH_CONFIG } from '../support/lab.js';

const run = promisify(execFile);
const HV = 'hv3';
const PREFIX = 'nv-bench';
const ISO = `${PREFIX}.iso`;
const MiB = 1024 * 1024;
const UPLOAD_MIB = 64;
const SSH = `ssh -F '${LAB_SSH_CONFIG}' -o BatchMode=yes`;

async function removeAll(): Promise<void> {
  const names = (await hostVirsh(HV, 'list', '--all', '--name')).split('\n').map((l) => l.trim());
  for (const n of names.filter((n) => n.startsWith(PREFIX))) await hostVirsh(HV, 'undefine', '--domain', n).catch(() => undefined);
  // The pool's folder (libvirt 9.0's vol-list has no --name, and its table cannot hold spaces).
  const vols = (await inHost(HV, 'ls', '-1', '/var/lib/libvirt/images')).split('\n').map((l) => l.trim());
  for (const v of vols.filter((v) => v.startsWith(PREFIX))) await hostVirsh(HV, 'vol-delete', '--pool', 'default', '--vol', v).catch(() => undefined);
  await run('bash', ['-c', `${SSH} ${HV} 'rm -f /tmp/${PREFIX}-cat'`]).catch(() => undefined);
}

const dialog = (page: Page) => page.getByRole('dialog', { name: 'New VM' });
const taskDone = (page: Page, title: string) => page.getByRole('log', { name: 'Tasks' }).getByRole('listitem', { name: `${title}: done` });

async function openWizard(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'New VM' }).click();
  await dialog(page).getByRole('radiogroup', { name: 'Install media' }).waitFor({ timeout: 30_000 });
}

async function uploadInWizard(page: Page, file: string): Promise<number> {
  await openWizard(page);
  const up = dialog(page).getByRole('group', { name: 'Upload an ISO from this computer' });
  await up.getByLabel('ISO file').setInputFiles(file);
  await up.getByRole('textbox', { name: 'ISO volume name' }).fill(ISO);
  const t0 = performance.now();
  await up.getByRole('button', { name: 'Upload', exact: true }).click();
  await taskDone(page, `Upload ${ISO} to ${HV}:default`).waitFor({ timeout: 300_000 });
  const ms = performance.now() - t0;
  await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  return ms;
}

/** One VM through the wizard: ISO media, 1 vCPU, 128 MiB, a 0.1 GiB disk, not started. */
async function createInWizard(page: Page, name: string): Promise<number> {
  await openWizard(page);
  const d = dialog(page);
  await d.getByRole('button', { name: /CPU & memory/ }).click();
  await d.getByRole('textbox', { name: 'vCPUs', exact: true }).fill('1');
  await d.getByRole('textbox', { name: 'Memory (MiB)', exact: true }).fill('128');
  await d.getByRole('button', { name: /Storage & network/ }).click();
  await d.getByRole('textbox', { name: 'Disk size (GiB)', exact: true }).fill('0.1');
  await d.getByRole('button', { name: /Name & review/ }).click();
  await d.getByRole('textbox', { name: 'VM name', exact: true }).fill(name);
  await d.getByRole('checkbox', { name: 'Start after creating' }).uncheck();
  const row = page.getByRole('table', { name: 'Virtual machines' }).getByRole('row', { name: `${name} on ${HV}`, exact: true });
  const t0 = performance.now();
  await d.getByRole('button', { name: 'Create' }).click();
  await row.waitFor({ timeout: 60_000 });
  return performance.now() - t0;
}

/** The baseline of one create: the same volume and the wizard's XML (another name, no UUID or MAC). */
async function createBySsh(xml: string, name: string): Promise<number> {
  const v = 'virsh -q -c qemu:///system';
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = execFile('ssh', ['-F', LAB_SSH_CONFIG, '-o', 'BatchMode=yes', HV, `${v} vol-create-as default ${name}.qcow2 100M --format qcow2 >/dev/null && ${v} define /dev/stdin >/dev/null`], (err) => (err ? reject(err) : resolve()));
    child.stdin!.end(xml);
  });
  return performance.now() - t0;
}

export async function newVmBench(runs: number): Promise<{ createMs: number[]; sshCreateMs: number[]; uploadMbps: number; sshCatMbps: number }> {
  await removeAll();
  const dir = mkdtempSync(join(tmpdir(), 'vd-bench-nv-'));
  const file = join(dir, ISO);
  writeFileSync(file, randomBytes(UPLOAD_MIB * MiB));
  const mbps = (ms: number) => (UPLOAD_MIB * MiB * 8) / 1e6 / (ms / 1000);
  const app = await startApp({ sshConfig: LAB_SSH_CONFIG });
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const catMs = await (async () => {
      const t0 = performance.now();
      await run('bash', ['-c', `${SSH} ${HV} 'cat > /tmp/${PREFIX}-cat' < '${file}'`]);
      return performance.now() - t0;
    })();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(app.url);
    await addConnection(page, HV);
    const uploadMs = await uploadInWizard(page, file);
    const createMs: number[] = [];
    const sshCreateMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const name = `${PREFIX}-app-${i}`;
      createMs.push(await createInWizard(page, name));
      const xml = (await hostVirsh(HV, 'dumpxml', '--inactive', '--domain', name))
        .replaceAll(`${name}`, `${PREFIX}-ssh-${i}`)
        .replace(/<uuid>[^<]*<\/uuid>/, '')
        .replace(/<mac address=['"][^'"]+['"]\/>/, '');
      sshCreateMs.push(await createBySsh(xml, `${PREFIX}-ssh-${i}`));
    }
    return { createMs, sshCreateMs, uploadMbps: mbps(uploadMs), sshCatMbps: mbps(catMs) };
  } finally {
    await browser.close();
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
    await removeAll();
  }
}
