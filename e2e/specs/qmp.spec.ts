// QEMU's own view through QMP against the lab: a guest marked as Windows in its metadata (the
// gates are the same for every OS; the name only picks the hint) booted on hv6 with
// vd.skip=virtio_scsi,virtio_net,virtio_balloon (its init leaves those modules out), with an IDE
// disk, an e1000 NIC and a balloon without statistics. Its virtio disk shows "guest driver ready"
// as x-query-virtio-status says on the host; the advisor refuses to move the IDE disk onto
// virtio-scsi, to switch the e1000 to virtio and to ask the balloon for statistics, each for want
// of proof, and offers the safe paths: a virtio-scsi controller and a second, virtio NIC (both
// plugged in live), which show "no driver", as the balloon does. After the modules are loaded at
// its serial console (a console window of its own, while the hardware tab stays open) all three
// turn ready by themselves and the move, the switch and the statistics are offered and applied.
// The VM and its volumes are created here and removed in `finally`.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { readDomain } from '../../shared/domain-xml';
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection, failOnConsoleErrors } from '../support/app';
import { atSerialPrompt } from '../support/serial';
import { usesLabHosts } from '../support/host-locks';
import { LAB_DIR } from '../support/lab';

needsLab();
usesLabHosts('hv6');

const HV = 'hv6';
const VM = 'qmp-probe';
const MAC = '52:54:00:d0:0f:01';
const VOLS = [`${VM}-a.qcow2`, `${VM}-b.qcow2`];

const XML = `<domain type='qemu'>
  <name>${VM}</name>
  <metadata><libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0"><libosinfo:os id="http://microsoft.com/win/10"/></libosinfo:libosinfo></metadata>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>/var/lib/libvirt/boot/virtdeck-kernel</kernel>
    <initrd>/var/lib/libvirt/boot/virtdeck-initrd.img</initrd>
    <cmdline>console=ttyS0 vd.name=${VM} vd.skip=virtio_scsi,virtio_net,virtio_balloon vd.writeloop=vda quiet</cmdline>
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
      <model type='e1000'/>
    </interface>
    <serial type='pty'>
      <log file='/var/log/libvirt/qemu/${VM}-serial.log' append='off'/>
      <target port='0'/>
    </serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'><listen type='address' address='127.0.0.1'/></graphics>
    <video><model type='virtio'/></video>
    <memballoon model='virtio'/>
  </devices>
</domain>`;

const devices = (page: Page) => page.getByRole('navigation', { name: 'Devices' });

test('virtio drivers as QEMU sees them; disk, NIC and balloon tuning only once the guest drives them', async ({ page, app, lab, checkConsole }) => {
  test.setTimeout(240_000); // a TCG guest boot
  const status = async (alias: string) =>
    lab.virsh(HV, 'qemu-monitor-command', VM, JSON.stringify({ execute: 'x-query-virtio-status', arguments: { path: `/machine/peripheral/${alias}/virtio-backend` } }));
  const applied = (what: string | RegExp) => expect(page.getByRole('status').filter({ hasText: 'applied' })).toContainText(what);
  try {
    for (const v of VOLS) await lab.virsh(HV, 'vol-create-as', 'default', v, '16M', '--format', 'qcow2');
    writeFileSync(`/tmp/${VM}.xml`, XML); // the lab's hosts share /tmp
    await lab.virsh(HV, 'define', `/tmp/${VM}.xml`);
    await lab.virsh(HV, 'start', VM);

    await page.goto(app.url);
    await addConnection(page, HV);
    await page.getByRole('button', { name: `Open ${VM} on ${HV}` }).click();
    await page.getByRole('tab', { name: 'Hardware' }).click();

    // Ready as soon as the guest's init has loaded virtio_blk (its boot is followed live); the
    // balloon's driver was left out.
    await expect(devices(page).getByLabel('Disk vda: guest driver ready')).toBeVisible({ timeout: 120_000 });
    await expect(devices(page).getByLabel('Memory balloon (virtio): no driver')).toBeVisible({ timeout: 30_000 });
    expect(await status('virtio-disk0')).toContain('VIRTIO_CONFIG_S_DRIVER_OK');
    expect(await status('balloon0')).not.toContain('DRIVER_OK');
    await devices(page).getByRole('button', { name: 'Disk vda' }).click();
    await expect(page.getByRole('group', { name: 'Guest driver of Disk vda' })).toContainText('ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK');

    // Nothing proves the guest drives virtio-scsi or virtio-net: refused, the safe paths add one of each.
    const advisor = page.getByRole('region', { name: 'Tuning advisor' });
    const diskGate = advisor.getByRole('listitem', { name: 'Disk hda on IDE: the guest has not shown it drives virtio-scsi' });
    const nicGate = advisor.getByRole('listitem', { name: 'NIC 1 (e1000): the guest has not shown it drives virtio-net' });
    const balloonGate = advisor.getByRole('listitem', { name: 'The memory balloon reports no guest statistics, and it has no driver in the guest' });
    await expect(diskGate).toBeVisible();
    await expect(nicGate).toBeVisible();
    await expect(balloonGate).toContainText('install Balloon from the virtio-win ISO');
    // The guest saw the device (ACKNOWLEDGE) and bound no driver to it, as the host says.
    await expect(balloonGate).toContainText('(ACKNOWLEDGE)', { timeout: 30_000 });
    expect(await status('balloon0')).toContain('VIRTIO_CONFIG_S_ACKNOWLEDGE');
    await expect(balloonGate.getByRole('button')).toHaveCount(0);
    await expect(advisor.getByRole('button', { name: 'Fix: Disk hda is on IDE' })).toHaveCount(0);
    await expect(advisor.getByRole('button', { name: 'Fix: NIC 1 is an emulated e1000 card' })).toHaveCount(0);
    await nicGate.getByRole('button', { name: /^Fix: / }).click();
    await applied('attached');
    const nics = readDomain(await lab.virsh(HV, 'dumpxml', '--inactive', VM)).interfaces;
    expect(nics.map((n) => [n.model, n.source])).toEqual([['e1000', 'br-lan'], ['virtio', 'br-lan']]);
    const mac2 = nics[1]!.mac!;
    await expect(devices(page).getByLabel('NIC 2 (virtio): no driver')).toBeVisible({ timeout: 30_000 });
    const alias2 = new RegExp(`<mac address='${mac2}'/>[\\s\\S]*?<alias name='([^']+)'/>`).exec(await lab.virsh(HV, 'dumpxml', VM))![1]!;
    expect(await status(alias2)).not.toContain('DRIVER_OK');
    await expect(advisor.getByRole('listitem', { name: `NIC 1 (e1000): the virtio NIC ${mac2} has no driver in the guest` })).toContainText('install NetKVM from the virtio-win ISO');

    await diskGate.getByRole('button', { name: /^Fix: / }).click();
    await applied('SCSI controller 0 (virtio-scsi) attached');
    await expect(devices(page).getByLabel('Controller scsi 0 (virtio-scsi): no driver')).toBeVisible({ timeout: 30_000 });
    expect(await status('scsi0')).not.toContain('DRIVER_OK');
    const refused = advisor.getByRole('listitem', { name: 'Disk hda on IDE: virtio-scsi controller 0 has no driver in the guest' });
    await expect(refused).toContainText('install vioscsi from the virtio-win ISO');
    await expect(advisor.getByRole('button', { name: 'Fix: Disk hda is on IDE' })).toHaveCount(0);
    await page.screenshot({ path: 'test-results/qmp-no-driver.png' });

    // The admin loads the drivers at the guest's serial console, in a window of its own.
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
    await popup.keyboard.type('modprobe virtio_scsi && modprobe virtio_net && modprobe virtio_balloon && echo loaded-$((6*7))', { delay: 20 });
    await popup.keyboard.press('Enter');
    await expect(rows).toContainText('loaded-42');

    // No click here: the watcher sees the new status bits.
    await expect(devices(page).getByLabel('Controller scsi 0 (virtio-scsi): guest driver ready')).toBeVisible({ timeout: 30_000 });
    await expect(devices(page).getByLabel('NIC 2 (virtio): guest driver ready')).toBeVisible({ timeout: 30_000 });
    await expect(devices(page).getByLabel('Memory balloon (virtio): guest driver ready')).toBeVisible({ timeout: 30_000 });
    for (const alias of ['scsi0', alias2, 'balloon0']) expect(await status(alias)).toContain('VIRTIO_CONFIG_S_DRIVER_OK');
    const move = advisor.getByRole('listitem', { name: 'Disk hda is on IDE' });
    await expect(move).toContainText('controller 0 (QEMU: DRIVER_OK)');
    const nicSwitch = advisor.getByRole('listitem', { name: 'NIC 1 is an emulated e1000 card' });
    await expect(nicSwitch).toContainText(`virtio NIC ${mac2} (QEMU: DRIVER_OK)`);
    const stats = advisor.getByRole('listitem', { name: 'The memory balloon reports no guest statistics' });
    await expect(stats).toContainText("The guest's balloon driver is ready (QEMU: DRIVER_OK)");
    await page.screenshot({ path: 'test-results/qmp-driver-ready.png' });
    await move.getByRole('button', { name: 'Fix: Disk hda is on IDE' }).click();
    await applied('Fix: Disk hda is on IDE');
    await nicSwitch.getByRole('button', { name: 'Fix: NIC 1 is an emulated e1000 card' }).click();
    await applied('Fix: NIC 1 is an emulated e1000 card');
    await stats.getByRole('button', { name: 'Fix: The memory balloon reports no guest statistics' }).click();
    await applied('Fix: The memory balloon reports no guest statistics');
    const next = readDomain(await lab.virsh(HV, 'dumpxml', '--inactive', VM));
    expect(next.disks.map((d) => d.bus)).toEqual(['virtio', 'scsi']);
    expect(next.controllers.filter((c) => c.type === 'scsi').map((c) => c.model)).toEqual(['virtio-scsi']);
    expect(next.interfaces.map((n) => n.model)).toEqual(['virtio', 'virtio']);
    expect(next.memballoon).toEqual({ model: 'virtio', statsPeriodS: 5 });
    // Live too: the guest's balloon driver now sends its figures (libvirt's own dommemstat).
    expect(readDomain(await lab.virsh(HV, 'dumpxml', VM)).memballoon?.statsPeriodS).toBe(5);
    await expect.poll(async () => lab.virsh(HV, 'dommemstat', VM), { timeout: 20_000 }).toMatch(/^unused \d+/m);
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

    // The next boot, with the drivers now part of the guest (as an admin would add them to its
    // initramfs; here the kernel option goes): the guest reports the moved disk on virtio_scsi
    // and both NICs on virtio_net, on its serial log.
    const inactive = await lab.virsh(HV, 'dumpxml', '--inactive', VM);
    writeFileSync(`/tmp/${VM}.xml`, inactive.replace(' vd.skip=virtio_scsi,virtio_net,virtio_balloon', ''));
    await lab.virsh(HV, 'define', `/tmp/${VM}.xml`);
    await lab.virsh(HV, 'destroy', VM);
    await lab.virsh(HV, 'start', VM);
    const serialLog = join(LAB_DIR, 'state', HV, 'log', 'qemu', `${VM}-serial.log`);
    const report = () => {
      try {
        return readFileSync(serialLog, 'utf8');
      } catch {
        return '';
      }
    };
    await expect.poll(report, { timeout: 90_000 }).toContain('VIRTDECK-READY');
    expect(report()).toMatch(/^DISK sd\w+ bus=virtio-scsi type=disk .*controller=virtio_scsi/m);
    expect(report().match(/^NIC \S+ driver=\S+/gm)!.map((l) => l.split('driver=')[1]).sort()).toEqual(['virtio_net', 'virtio_net']);
    checkConsole();
  } finally {
    await lab.virsh(HV, 'destroy', VM).catch(() => undefined);
    await lab.virsh(HV, 'undefine', VM, '--remove-all-storage').catch(() => undefined);
    for (const v of VOLS) await lab.virsh(HV, 'vol-delete', '--pool', 'default', v).catch(() => undefined);
    rmSync(`/tmp/${VM}.xml`, { force: true });
  }
});
