// Networks against the lab: every host's `default` network and `br-lan` bridge side by side with
// the taps of running VMs named after them; on hv2 a NAT network with DHCP is created from the UI
// (a refused one first, which defines nothing), a VM's NIC is moved onto it live, and the guest's
// lease (and then its static address) is seen in the UI, in libvirt and on the guest's console.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection } from '../support/app';
import { hostVirsh, LAB_DIR } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv1', 'hv2', 'hv3');

const HV = 'hv2';
const VM = 'net-e2e';
const MAC = '52:54:00:d0:02:7a';
const NET = 'vd-e2e-nat';
// A /27 of TEST-NET-2 that nothing else in the lab uses; the host is .193.
const SUBNET = '198.51.100.193/27';
const STATIC_IP = '198.51.100.222';

const serialLog = () => {
  try {
    return readFileSync(join(LAB_DIR, 'state', HV, 'log', 'qemu', `${VM}-serial.log`), 'utf8').replace(/\r/g, '');
  } catch {
    return '';
  }
};
const netNames = async () => (await hostVirsh(HV, 'net-list', '--all', '--name')).split('\n').map((l) => l.trim());

/** A disk-less copy of the lab's desk VM: boots the lab guest (which runs a DHCP client). */
async function defineVm(): Promise<void> {
  const xml = readFileSync(join(LAB_DIR, 'guests', 'desk.xml'), 'utf8')
    .replaceAll('@NAME@', VM)
    .replaceAll('@MAC@', MAC)
    .replace(/<disk[\s\S]*?<\/disk>/, '');
  // The hosts share this machine's /tmp.
  const file = `/tmp/${VM}-define.xml`;
  writeFileSync(file, xml);
  await hostVirsh(HV, 'define', file);
  rmSync(file);
}

const row = (page: Page, table: string, name: string) => page.getByRole('table', { name: table }).getByRole('row', { name, exact: true });

test('networks: every host side by side, a NAT network with DHCP on hv2, a NIC moved onto it live, its lease and a static address', async ({ page, app, checkConsole }) => {
  test.setTimeout(180_000);
  try {
    await defineVm();
    await hostVirsh(HV, 'start', VM);
    await page.goto(app.url);
    for (const h of ['hv1', 'hv2', 'hv3']) await addConnection(page, h);

    // Fleet-wide: hosts as columns; the running VM's tap on br-lan carries its name.
    await page.getByRole('button', { name: 'Networks', exact: true }).click();
    const grid = page.getByRole('table', { name: 'Networks by host' });
    for (const h of ['hv1', 'hv2', 'hv3']) {
      await expect(grid.getByRole('row', { name: 'Network default' }).getByRole('cell', { name: `default on ${h}` })).toContainText(/active|inactive/);
      await expect(grid.getByRole('row', { name: 'Bridge br-lan' }).getByRole('cell', { name: `br-lan on ${h}` })).not.toContainText('missing');
    }
    await expect(grid.getByRole('cell', { name: `br-lan on ${HV}` })).toContainText(VM);

    // hv2's own view: the bridge's port is the VM's tap, by name.
    await page.getByRole('button', { name: `Open host ${HV}` }).click();
    await page.getByRole('tab', { name: 'Networks & bridges' }).click();
    await expect(row(page, 'Host bridges', 'Bridge br-lan')).toContainText(`(${VM})`);

    // Refused: the DHCP range leaves the subnet. A clear error, and nothing defined.
    await page.getByRole('button', { name: 'Create network' }).click();
    const dialog = page.getByRole('dialog', { name: `Create network on ${HV}` });
    await dialog.getByRole('textbox', { name: 'Name' }).fill(NET);
    await dialog.getByRole('textbox', { name: 'Host address and prefix' }).fill(SUBNET);
    await dialog.getByRole('textbox', { name: 'DHCP first address' }).fill('198.51.100.200');
    await dialog.getByRole('textbox', { name: 'DHCP last address' }).fill('198.51.101.5');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog.getByRole('alert')).toContainText('The DHCP range 198.51.100.200–198.51.101.5 lies outside the subnet 198.51.100.192/27');
    expect(await netNames()).not.toContain(NET);
    // A subnet overlapping the host's own address is refused too.
    await dialog.getByRole('textbox', { name: 'Host address and prefix' }).fill('192.0.2.200/24');
    await dialog.getByRole('textbox', { name: 'DHCP first address' }).fill('');
    await dialog.getByRole('textbox', { name: 'DHCP last address' }).fill('');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog.getByRole('alert')).toContainText("overlaps the host's address 192.0.2.12/32 on eth0");
    expect(await netNames()).not.toContain(NET);

    await dialog.getByRole('textbox', { name: 'Host address and prefix' }).fill(SUBNET);
    await dialog.getByRole('textbox', { name: 'DHCP first address' }).fill('198.51.100.200');
    await dialog.getByRole('textbox', { name: 'DHCP last address' }).fill('198.51.100.210');
    await page.screenshot({ path: `${process.env.VIRTDECK_SHOTS ?? 'test-results'}/networks-create.png` });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeHidden();
    await expect(row(page, 'Virtual networks', `Network ${NET}`)).toContainText('active');
    expect(await hostVirsh(HV, 'net-dumpxml', NET)).toContain("<range start='198.51.100.200' end='198.51.100.210'/>");

    // The VM's NIC moves onto the network while it runs (update-device), then the guest restarts.
    await page.getByRole('button', { name: 'All VMs' }).click();
    await page.getByRole('button', { name: `Open ${VM} on ${HV}` }).click();
    await page.getByRole('tab', { name: 'Hardware' }).click();
    await page.getByRole('navigation', { name: 'Devices' }).getByRole('button', { name: /^NIC 1/ }).click();
    const nic = page.getByRole('region', { name: 'NIC 1' });
    await nic.getByRole('combobox', { name: 'Connection type' }).selectOption('network');
    await expect(nic.getByRole('combobox', { name: 'Network' })).toContainText(`${NET} — NAT 198.51.100.193/27, DHCP`);
    await nic.getByRole('combobox', { name: 'Network' }).selectOption(NET);
    await nic.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('status')).toContainText('NIC 1: applied');
    expect(await hostVirsh(HV, 'dumpxml', VM)).toContain(`<source network='${NET}'`);
    await hostVirsh(HV, 'reboot', VM);

    await page.getByRole('button', { name: `Open host ${HV}` }).click();
    await page.getByRole('tab', { name: 'Networks & bridges' }).click();
    const lease = row(page, `Leases of ${NET}`, `Lease ${MAC}`);
    await expect(lease).toContainText(VM, { timeout: 60_000 });
    await expect(lease).toContainText(/198\.51\.100\.2(0\d|10)/);
    expect(await hostVirsh(HV, 'net-dhcp-leases', NET)).toContain(MAC);
    await expect.poll(serialLog, { timeout: 30_000 }).toMatch(/VIRTDECK-DHCP eth0 ip=198\.51\.100\.2(0\d|10) /);

    // A static entry MAC -> IP: the guest gets that address at its next boot.
    await page.getByRole('button', { name: `DHCP of network ${NET}` }).click();
    const dhcp = page.getByRole('dialog', { name: `DHCP of ${NET}` });
    await dhcp.getByRole('textbox', { name: 'MAC' }).fill('52:54:00:zz:00:01');
    await dhcp.getByRole('textbox', { name: 'IP' }).fill(STATIC_IP);
    await dhcp.getByRole('button', { name: 'Add host' }).click();
    await expect(dhcp.getByRole('alert')).toContainText('"52:54:00:zz:00:01" is not a MAC address');
    await dhcp.getByRole('textbox', { name: 'MAC' }).fill(MAC);
    await dhcp.getByRole('textbox', { name: 'Host name' }).fill(VM);
    await dhcp.getByRole('button', { name: 'Add host' }).click();
    await expect(dhcp.getByRole('row', { name: `DHCP host ${MAC}` })).toContainText(STATIC_IP);
    expect(await hostVirsh(HV, 'net-dumpxml', NET)).toContain(`ip='${STATIC_IP}'`);
    await page.keyboard.press('Escape');
    await hostVirsh(HV, 'reboot', VM);
    await expect(lease).toContainText(STATIC_IP, { timeout: 60_000 });
    await expect.poll(serialLog, { timeout: 30_000 }).toContain(`VIRTDECK-DHCP eth0 ip=${STATIC_IP} `);

    // Deleting a network a running VM uses is refused, naming the VM; the network stays.
    await page.getByRole('button', { name: `Delete network ${NET}` }).click();
    await page.getByRole('dialog', { name: `Delete network ${NET}?` }).getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'The network was not changed' })).toContainText(`in use by running VM ${VM}`);
    expect(await netNames()).toContain(NET);
    await page.screenshot({ path: `${process.env.VIRTDECK_SHOTS ?? 'test-results'}/networks-host.png`, fullPage: true });
    checkConsole();
  } finally {
    await cleanUp();
  }
});

async function cleanUp(): Promise<void> {
  await hostVirsh(HV, 'destroy', VM).catch(() => undefined);
  await hostVirsh(HV, 'undefine', VM).catch(() => undefined);
  await hostVirsh(HV, 'net-destroy', NET).catch(() => undefined);
  await hostVirsh(HV, 'net-undefine', NET).catch(() => undefined);
}

// A timed-out test body never reaches its finally: clean up here too.
test.afterEach(cleanUp);
