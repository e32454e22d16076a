// QEMU's own view through QMP against the lab: a guest booted with vd.skip=virtio_scsi (its init
// leaves the virtio_scsi module out) on hv2. Its virtio disk and NIC show "guest driver ready" as
// x-query-virtio-status says on the host; the advisor refuses to move its IDE disk onto
// virtio-scsi without proof, adds the controller (plugged in live), which shows "no driver"; after
// `modprobe virtio_scsi` at its serial console (a console window of its own, while the hardware
// tab stays open) the controller turns ready by itself and the move is offered and applied.
// The VM and its volumes are created here and removed in `finally`.
import { rmSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { readDomain } from '../../shared/domain-xml';
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection, failOnConsoleErrors } from '../support/app';
import { atSerialPrompt } from '../support/serial';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv2');

const HV = 'hv2';
const VM = 'qmp-probe';
const MAC = '52:54:00:d0:0f:01';
const VOLS = [`${VM}-a.qcow2`, `${VM}-b.qcow2`];

const XML = `<domain type='qemu'>
  <name>${VM}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>/var/lib/libvirt/boot/virtdeck-kernel</kernel>
    <initrd>/var/lib/libvirt/boot/virtdeck-initrd.img</initrd>
    <cmdline>console=ttyS0 vd.name=${VM} vd.skip=virtio_scsi vd.writeloop=vda quiet</cmdline>
  </os>
  <features><acpi/><apic/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/${VOLS[0]}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' discard='unmap'/>
      <source file='/var/lib/libvirt/images/${VOLS[1]}'/>
      <target dev='hda' bus='ide'/>
    </disk>
    <interface type='bridge'>
      <mac address='${MAC}'/>
      <source bridge='br-lan'/>
      <model type='virtio'/>
    </interface>
    <serial type='pty'>
      <log file='/var/log/libvirt/qemu/${VM}-serial.log' append='off'/>
      <target port='0'/>
    </serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'><listen type='address' address='127.0.0.1'/></graphics>
    <video><model type='virtio'/></video>
    <memballoon model='virtio'><stats period='5'/></memballoon>
  </devices>
</domain>`;

const devices = (page: Page) => page.getByRole('navigation', { name: 'Devices' });

test('virtio drivers as QEMU sees them; the disk moves onto virtio-scsi only once the guest drives it', async ({ page, app, lab, checkConsole }) => {
  test.setTimeout(240_000); // a TCG guest boot
  const status = async (alias: string) =>
    lab.virsh(HV, 'qemu-monitor-command', VM, JSON.stringify({ execute: 'x-query-virtio-status', arguments: { path: `/machine/peripheral/${alias}/virtio-backend` } }));
  try {
    for (const v of VOLS) await lab.virsh(HV, 'vol-create-as', 'default', v, '16M', '--format', 'qcow2');
    writeFileSync(`/tmp/${VM}.xml`, XML); // the lab's hosts share /tmp
    await lab.virsh(HV, 'define', `/tmp/${VM}.xml`);
    await lab.virsh(HV, 'start', VM);

    await page.goto(app.url);
    await addConnection(page, HV);
    await page.getByRole('button', { name: `Open ${VM} on ${HV}` }).click();
    await page.getByRole('tab', { name: 'Hardware' }).click();

    // Ready as soon as the guest's init has loaded virtio_blk and virtio_net (its boot is followed live).
    await expect(devices(page).getByLabel('Disk vda: guest driver ready')).toBeVisible({ timeout: 120_000 });
    await expect(devices(page).getByLabel('NIC 1 (virtio): guest driver ready')).toBeVisible({ timeout: 30_000 });
    expect(await status('virtio-disk0')).toContain('VIRTIO_CONFIG_S_DRIVER_OK');
    expect(await status('net0')).toContain('VIRTIO_CONFIG_S_DRIVER_OK');
    await devices(page).getByRole('button', { name: 'Disk vda' }).click();
    await expect(page.getByRole('group', { name: 'Guest driver of Disk vda' })).toContainText('ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK');

    // No virtio-scsi controller runs: the move is refused, the safe path adds one.
    const advisor = page.getByRole('region', { name: 'Tuning advisor' });
    const gate = advisor.getByRole('listitem', { name: 'Disk hda on IDE: the guest has not shown it drives virtio-scsi' });
    await expect(gate).toBeVisible();
    await expect(advisor.getByRole('button', { name: 'Fix: Disk hda is on IDE' })).toHaveCount(0);
    await gate.getByRole('button', { name: /^Fix: / }).click();
    await expect(page.getByRole('status').filter({ hasText: 'applied' })).toContainText('SCSI controller 0 (virtio-scsi) attached');
    await expect(devices(page).getByLabel('Controller scsi 0 (virtio-scsi): no driver')).toBeVisible({ timeout: 30_000 });
    expect(await status('scsi0')).not.toContain('DRIVER_OK');
    const refused = advisor.getByRole('listitem', { name: 'Disk hda on IDE: virtio-scsi controller 0 has no driver in the guest' });
    await expect(refused).toContainText('modprobe virtio_scsi');
    await expect(advisor.getByRole('button', { name: 'Fix: Disk hda is on IDE' })).toHaveCount(0);
    await page.screenshot({ path: 'test-results/qmp-no-driver.png' });

    // The admin loads the driver at the guest's serial console, in a window of its own.
    await page.getByRole('tab', { name: 'Console', exact: true }).click();
    const toolbar = page.getByRole('toolbar', { name: `Console of ${VM}` });
    const popupOpened = page.waitForEvent('popup');
    await toolbar.getByRole('button', { name: 'Open in new window' }).click();
    const popup = await popupOpened;
    const checkPopup = failOnConsoleErrors(popup);
    await popup.getByRole('toolbar', { name: `Console of ${VM}` }).getByRole('button', { name: 'Serial console' }).click();
    await page.getByRole('tab', { name: 'Hardware' }).click();
    await expect(devices(page).getByLabel('Controller scsi 0 (virtio-scsi): no driver')).toBeVisible({ timeout: 30_000 });
    const rows = await atSerialPrompt(popup, VM);
    await popup.keyboard.type('modprobe virtio_scsi && echo loaded-$((6*7))', { delay: 20 });
    await popup.keyboard.press('Enter');
    await expect(rows).toContainText('loaded-42');

    // No click here: the watcher sees the new status bits.
    await expect(devices(page).getByLabel('Controller scsi 0 (virtio-scsi): guest driver ready')).toBeVisible({ timeout: 30_000 });
    expect(await status('scsi0')).toContain('VIRTIO_CONFIG_S_DRIVER_OK');
    const move = advisor.getByRole('listitem', { name: 'Disk hda is on IDE' });
    await expect(move).toContainText('controller 0 (QEMU: DRIVER_OK)');
    await page.screenshot({ path: 'test-results/qmp-driver-ready.png' });
    await move.getByRole('button', { name: 'Fix: Disk hda is on IDE' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'applied' })).toContainText('Fix: Disk hda is on IDE');
    const next = readDomain(await lab.virsh(HV, 'dumpxml', '--inactive', VM));
    expect(next.disks.map((d) => d.bus)).toEqual(['virtio', 'scsi']);
    expect(next.controllers.filter((c) => c.type === 'scsi').map((c) => c.model)).toEqual(['virtio-scsi']);
    checkPopup();
    await popup.close();

    // The guest's write loop on vda, as QEMU counts it over a 10 s window, within what the host's
    // own domblkstat counted around that window.
    await page.getByRole('tab', { name: 'Overview' }).click();
    const io = page.getByRole('region', { name: 'Disk I/O before and after' });
    const writes = async () => Number(/wr_req (\d+)/.exec(await lab.virsh(HV, 'domblkstat', VM, 'vda'))![1]);
    const hostBefore = await writes();
    await io.getByRole('button', { name: 'Measure before' }).click();
    const row = io.getByRole('row', { name: 'vda before' });
    await expect(row).toContainText('ms', { timeout: 30_000 });
    const hostOps = (await writes()) - hostBefore;
    const appIops = Number((await row.getByRole('cell').nth(2).textContent())!);
    expect(appIops).toBeGreaterThan(0);
    expect(appIops * 10).toBeLessThanOrEqual(hostOps + 1);
    await page.screenshot({ path: 'test-results/qmp-io.png' });
    checkConsole();
  } finally {
    await lab.virsh(HV, 'destroy', VM).catch(() => undefined);
    await lab.virsh(HV, 'undefine', VM, '--remove-all-storage').catch(() => undefined);
    for (const v of VOLS) await lab.virsh(HV, 'vol-delete', '--pool', 'default', v).catch(() => undefined);
    rmSync(`/tmp/${VM}.xml`, { force: true });
  }
});
