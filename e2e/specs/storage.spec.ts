// Storage against the lab: every host's pools and volumes with the VM using each, an orphan; a
// dir pool and a volume with hostile names; a logical pool built on a loop device inside hv2; a
// VM's volume grown and seen by the guest after a restart; deleting a pool a VM uses refused
// naming it. Every step checked with the host's own word (pool-dumpxml, vol-dumpxml, vgs).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { addConnection, connectionItem } from '../support/app';
import { expect, needsLab, test } from '../support/fixtures';
import { LAB_DIR, hostVirsh as virsh, inHost } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';

const run = promisify(execFile);
needsLab();
usesLabHosts('hv1', 'hv2', 'hv3');

const HV = 'hv2';
const tag = Math.random().toString(36).slice(2, 7);
const DIR_POOL = `st "dir" $(x); ü-${tag}`;
const DIR_PATH = `/var/lib/libvirt/st-dir-${tag}`;
const VOL = `vol 'q' $(y); é-${tag}.qcow2`;
const VM = `st-vm-${tag}`;
const ORPHAN = `st-orphan-${tag}.raw`;
/** On hv3, whose sessions speak German: a name with quotes, $(), ; and non-ASCII letters. */
const HV3_ORPHAN = `st ü 'q' $(z); "ß"-${tag}.raw`;
const LVM_POOL = `st-lvm-${tag}`;
const EVENT_POOL = `st-ev-${tag}`;
const VG = `st-vg-${tag}`;
const LOOP_FILE = `/var/lib/libvirt/st-loop-${tag}.img`;
const shots = process.env.VIRTDECK_SHOTS ?? 'test-results';
const MIB = 1024 * 1024;

/** The kernel has device-mapper: LVM can activate logical volumes (not so in every sandbox). */
const hasDeviceMapper = (() => {
  try {
    return /device-mapper/.test(readFileSync('/proc/misc', 'utf8'));
  } catch {
    return false;
  }
})();

/** A tiny guest (the lab kernel) whose only disk is `path`: its boot report gives the disk size. */
const vmXml = (path: string) => `<domain type='qemu'>
  <name>${VM}</name>
  <memory unit='MiB'>96</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><kernel>/var/lib/libvirt/boot/virtdeck-kernel</kernel><initrd>/var/lib/libvirt/boot/virtdeck-initrd.img</initrd><cmdline>console=ttyS0 vd.name=${VM} quiet</cmdline></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${path.replace(/&/g, '&amp;').replace(/'/g, '&apos;')}'/><target dev='vda' bus='virtio'/></disk>
    <serial type='pty'><log file='/var/log/libvirt/qemu/${VM}-serial.log' append='off'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>`;

async function guestDiskMiB(): Promise<number> {
  const { stdout } = await run('bash', [join(LAB_DIR, 'guest-report.sh'), HV, VM, '90'], { timeout: 100_000 });
  return Number(/^DISK vda .*size_mib=(\d+)/m.exec(stdout)?.[1]);
}

async function bootAndReadDisk(): Promise<number> {
  await virsh(HV, 'start', VM);
  try {
    return await guestDiskMiB();
  } finally {
    await virsh(HV, 'destroy', VM).catch(() => undefined);
  }
}

const quietly = (p: Promise<unknown>) => p.catch(() => undefined);

async function cleanUp(loop: string | undefined) {
  await quietly(virsh(HV, 'destroy', VM));
  await quietly(virsh(HV, 'undefine', VM));
  await quietly(virsh(HV, 'pool-undefine', '--pool', EVENT_POOL));
  for (const pool of [DIR_POOL, LVM_POOL]) {
    await quietly(virsh(HV, 'pool-destroy', '--pool', pool));
    if (pool === DIR_POOL) await quietly(inHost(HV, 'rm', '-rf', '--', DIR_PATH));
    else await quietly(virsh(HV, 'pool-delete', '--pool', pool));
    await quietly(virsh(HV, 'pool-undefine', '--pool', pool));
  }
  await quietly(inHost(HV, 'vgremove', '-f', VG));
  if (loop) {
    await quietly(inHost(HV, 'pvremove', '-ff', '-y', loop));
    await quietly(inHost(HV, 'losetup', '-d', loop));
  }
  await quietly(inHost(HV, 'rm', '-f', LOOP_FILE));
  await quietly(virsh(HV, 'vol-delete', '--pool', 'default', ORPHAN));
  await quietly(virsh('hv3', 'vol-delete', '--pool', 'default', HV3_ORPHAN));
}

const hostStorage = (page: Page, hv: string) => page.getByRole('region', { name: `Storage of ${hv}` });
const poolRegion = (page: Page, pool: string) => hostStorage(page, HV).getByRole('region', { name: `Pool ${pool} on ${HV}` });
const task = (page: Page, title: string | RegExp) => page.getByRole('log', { name: 'Tasks' }).getByRole('listitem', { name: title });

async function createPool(page: Page, kind: string, name: string, fields: Record<string, string>) {
  await page.getByRole('button', { name: `Create pool on ${HV}` }).click();
  const d = page.getByRole('dialog', { name: `Create a storage pool on ${HV}` });
  await d.getByRole('radiogroup', { name: 'Pool kind' }).getByText(kind).click();
  await d.getByLabel('Pool name').fill(name);
  for (const [label, value] of Object.entries(fields)) await d.getByLabel(label).fill(value);
  await expect(d.getByLabel('Pool XML')).toContainText(`<name>${name.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/"/g, '&quot;')}</name>`);
  return d;
}

async function newVolume(page: Page, pool: string, name: string, sizeMiB: number) {
  await poolRegion(page, pool).getByRole('button', { name: `New volume in ${pool}` }).click();
  const d = page.getByRole('dialog', { name: `New volume in ${pool} on ${HV}` });
  await d.getByLabel('Volume name').fill(name);
  await d.getByLabel('Size (MiB)').fill(String(sizeMiB));
  await d.getByRole('button', { name: 'Create volume' }).click();
  return d;
}

test('storage: every host listed with users and orphans; dir and logical pools, volumes, resize seen by the guest, delete refused', async ({ page, app, checkConsole }) => {
  test.setTimeout(240_000);
  let loop: string | undefined;
  try {
    await virsh(HV, 'vol-create-as', 'default', ORPHAN, '1M', '--format', 'raw');
    await virsh('hv3', 'vol-create-as', 'default', HV3_ORPHAN, '1M', '--format', 'raw');
    loop = (await inHost(HV, 'sh', '-c', `truncate -s 64M "$1" && losetup -f --show "$1"`, 'sh', LOOP_FILE)).trim();

    await page.goto(app.url);
    for (const hv of ['hv1', 'hv2', 'hv3']) {
      await addConnection(page, hv);
      await expect(connectionItem(page, hv)).toContainText('online');
    }
    await page.getByRole('button', { name: 'Storage', exact: true }).click();

    // Every host's default pool, each lab disk with its VM, the test's orphan marked.
    for (const [hv, vm] of [['hv1', 'legacy-a'], ['hv2', 'desk-1'], ['hv3', 'tuned-1']] as const) {
      const row = hostStorage(page, hv).getByRole('region', { name: `Pool default on ${hv}` }).getByRole('row', { name: `Volume ${vm}.qcow2` });
      await expect(row.getByLabel(`Users of ${vm}.qcow2`)).toHaveText(vm);
    }
    await expect(hostStorage(page, 'hv3').getByRole('row', { name: `Volume ${HV3_ORPHAN}` })).toContainText('orphan');
    const orphanRow = poolRegion(page, 'default').getByRole('row', { name: `Volume ${ORPHAN}` });
    await expect(orphanRow).toContainText('orphan');
    await hostStorage(page, HV).getByRole('switch', { name: `Show only orphan volumes on ${HV}` }).check();
    await expect(poolRegion(page, 'default').getByRole('row', { name: 'Volume desk-1.qcow2' })).toBeHidden();
    await expect(orphanRow).toBeVisible();
    await page.screenshot({ path: `${shots}/storage-page.png`, fullPage: true });
    await hostStorage(page, HV).getByRole('switch', { name: `Show only orphan volumes on ${HV}` }).uncheck();

    // A pool defined and undefined behind the app's back shows and goes by its pool events.
    await virsh(HV, 'pool-define-as', EVENT_POOL, 'dir', '--target', `/var/lib/libvirt/${EVENT_POOL}`);
    await expect(poolRegion(page, EVENT_POOL)).toContainText('inactive');
    await virsh(HV, 'pool-undefine', '--pool', EVENT_POOL);
    await expect(poolRegion(page, EVENT_POOL)).toBeHidden();

    // A dir pool and a volume in it, hostile names both.
    const dirDialog = await createPool(page, 'Folder', DIR_POOL, { 'Folder on the host': DIR_PATH });
    await page.screenshot({ path: `${shots}/storage-create-pool.png` });
    await dirDialog.getByRole('button', { name: 'Create pool' }).click();
    await expect(dirDialog).toBeHidden();
    await expect(poolRegion(page, DIR_POOL)).toContainText('active');
    const poolXml = await virsh(HV, 'pool-dumpxml', '--pool', DIR_POOL);
    expect(poolXml).toContain(`<path>${DIR_PATH}</path>`);
    expect(poolXml).toMatch(/<pool type='dir'>/);
    await newVolume(page, DIR_POOL, VOL, 16);
    const volRow = poolRegion(page, DIR_POOL).getByRole('row', { name: `Volume ${VOL}` });
    await expect(volRow).toContainText('orphan');
    const volXml = await virsh(HV, 'vol-dumpxml', '--pool', DIR_POOL, VOL);
    expect(volXml).toContain(`<capacity unit='bytes'>${16 * MIB}</capacity>`);
    expect(volXml).toContain("<format type='qcow2'/>");

    // A VM on that volume: it shows as the user, and deleting the pool is refused naming it.
    await run('bash', ['-c', `bash "$0" ${HV} define /dev/stdin <<'XML'\n${vmXml(`${DIR_PATH}/${VOL}`)}\nXML`, join(LAB_DIR, 'vm.sh')]);
    await poolRegion(page, DIR_POOL).getByRole('button', { name: `Refresh pool ${DIR_POOL}` }).click();
    await expect(volRow.getByLabel(`Users of ${VOL}`)).toHaveText(VM);
    await poolRegion(page, DIR_POOL).getByRole('button', { name: `Actions of pool ${DIR_POOL}` }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    const del = page.getByRole('dialog', { name: `Delete pool ${DIR_POOL}?` });
    await expect(del.getByRole('alert')).toContainText(`In use by "${VM}"`);
    await expect(del.getByRole('button', { name: 'Delete pool' })).toBeDisabled();
    await page.screenshot({ path: `${shots}/storage-delete-refused.png` });
    await del.getByRole('button', { name: 'Cancel' }).click();
    expect(await virsh(HV, 'pool-list', '--all', '--name')).toContain(DIR_POOL);

    // Grow the VM's volume; the guest sees the new size after a restart.
    expect(await bootAndReadDisk()).toBe(16);
    await volRow.getByRole('button', { name: `Actions of volume ${VOL}` }).click();
    await page.getByRole('menuitem', { name: 'Resize…' }).click();
    const resize = page.getByRole('dialog', { name: `Resize ${VOL}` });
    await resize.getByLabel('New size (MiB)').fill('8');
    await expect(resize.getByRole('alert')).toContainText('Shrinking loses data');
    await expect(resize.getByRole('button', { name: 'Shrink' })).toBeDisabled();
    await resize.getByLabel('New size (MiB)').fill('32');
    await resize.getByRole('button', { name: 'Resize' }).click();
    await expect(resize).toBeHidden();
    await expect(volRow.getByLabel(`Capacity of ${VOL}`)).toHaveText('32.0 MiB');
    expect(await virsh(HV, 'domblkinfo', VM, 'vda')).toMatch(new RegExp(`Capacity:\\s+${32 * MIB}\\b`));
    expect(await bootAndReadDisk()).toBe(32);

    // A logical pool: a volume group built on the loop device through the form.
    const lvmDialog = await createPool(page, 'LVM (logical)', LVM_POOL, { 'Volume group': VG, 'Device to build it on': loop });
    await expect(lvmDialog.getByRole('alert')).toContainText(`${loop} an LVM physical volume`);
    await lvmDialog.getByRole('button', { name: 'Create pool' }).click();
    await expect(lvmDialog).toBeHidden();
    await expect(poolRegion(page, LVM_POOL)).toContainText('active');
    const lvmXml = await virsh(HV, 'pool-dumpxml', '--pool', LVM_POOL);
    expect(lvmXml).toMatch(/<pool type='logical'>/);
    expect(lvmXml).toContain(`<device path='${loop}'/>`);
    expect(await inHost(HV, 'vgs', '--noheadings', '-o', 'vg_name,pv_count', VG)).toMatch(new RegExp(`${VG}\\s+1`));
    const lvDialog = await newVolume(page, LVM_POOL, 'lv0', 8);
    if (hasDeviceMapper) {
      await expect(poolRegion(page, LVM_POOL).getByRole('row', { name: 'Volume lv0' })).toBeVisible();
      expect(await virsh(HV, 'vol-dumpxml', '--pool', LVM_POOL, 'lv0')).toContain(`<capacity unit='bytes'>${8 * MIB}</capacity>`);
    } else {
      // This kernel has no device-mapper: LVM can write a volume group, not activate a volume.
      await expect(task(page, /^Create volume lv0 .*: failed$/)).toContainText('device-mapper');
      await lvDialog.getByRole('button', { name: 'Cancel' }).click();
      test.info().annotations.push({ type: 'note', description: 'no device-mapper in this kernel: the logical volume could not be created' });
    }
    // Deleting it with its contents removes the volume group.
    await poolRegion(page, LVM_POOL).getByRole('button', { name: `Actions of pool ${LVM_POOL}` }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    const delLvm = page.getByRole('dialog', { name: `Delete pool ${LVM_POOL}?` });
    await delLvm.getByRole('radio', { name: 'Delete its contents too' }).check();
    await expect(delLvm.getByRole('alert')).toContainText(`the volume group ${VG}`);
    await delLvm.getByRole('button', { name: 'Delete pool and contents' }).click();
    await expect(poolRegion(page, LVM_POOL)).toBeHidden();
    expect(await virsh(HV, 'pool-list', '--all', '--name')).not.toContain(LVM_POOL);
    expect(await inHost(HV, 'vgs', '--noheadings', '-o', 'vg_name').catch(() => '')).not.toContain(VG);

    // The dir pool, confirmed although the VM uses its volume: deleted with its contents.
    await poolRegion(page, DIR_POOL).getByRole('button', { name: `Actions of pool ${DIR_POOL}` }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    await del.getByRole('radio', { name: 'Delete its contents too' }).check();
    await del.getByLabel(`Do it anyway, although "${VM}" uses it`).check();
    await del.getByRole('button', { name: 'Delete pool and contents' }).click();
    await expect(poolRegion(page, DIR_POOL)).toBeHidden();
    expect(await virsh(HV, 'pool-list', '--all', '--name')).not.toContain(DIR_POOL);
    expect(await inHost(HV, 'ls', '/var/lib/libvirt')).not.toContain(`st-dir-${tag}`);
    checkConsole();
  } finally {
    await cleanUp(loop);
  }
});
