// Host bridges changed from the UI on hv3, a Debian ifupdown host whose lab user has a sudo rule
// for `ip link` and the files of /etc/network/interfaces.d (e2e/lab/host-net-config.sh): an
// internal bridge br-test is created, a spare NIC joins it, a VM runs on it; the interface that
// carries the app's own SSH connection is refused with the reason, so is deleting the bridge while
// the VM uses it; then everything is taken down again. Each step is checked on the host: iproute2's
// view inside hv3 and the bytes of the ifupdown file. hv2 has no such rule: it says why not.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, needsLab, test } from '../support/fixtures';
import { addConnection } from '../support/app';
import { hostVirsh, LAB_DIR } from '../support/lab';
import { usesLabHosts } from '../support/host-locks';

needsLab();
usesLabHosts('hv2', 'hv3');

const HV = 'hv3';
const BR = 'br-test';
const NIC = 'vd-nic2';
const VM = 'bridge-e2e';
const FILE = join(LAB_DIR, 'state', HV, 'etc-network', 'interfaces.d', BR);

/** iproute2's own view inside the host's namespaces. */
const link = (name: string): { ifname: string; master?: string; linkinfo?: { info_kind?: string } } | undefined => {
  try {
    return JSON.parse(execFileSync('bash', [join(LAB_DIR, 'in-host.sh'), HV, 'ip', '-j', '-d', 'link', 'show', name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString())[0];
  } catch {
    return undefined;
  }
};
const row = (page: Page, name: string) => page.getByRole('table', { name: 'Host bridges' }).getByRole('row', { name: `Bridge ${name}`, exact: true });

async function cleanUp() {
  await hostVirsh(HV, 'destroy', VM).catch(() => undefined);
  await hostVirsh(HV, 'undefine', VM).catch(() => undefined);
  if (link(BR)) execFileSync('bash', [join(LAB_DIR, 'in-host.sh'), HV, 'ip', 'link', 'del', BR]);
  rmSync(FILE, { force: true });
  rmSync(`${FILE}.virtdeck-prev`, { force: true });
}

test('bridges: an internal bridge on hv3 kept in ifupdown, a NIC and a VM on it, the management link and a busy bridge refused', async ({ page, app, checkConsole }) => {
  test.setTimeout(150_000);
  await cleanUp();
  try {
    await page.goto(app.url);
    await addConnection(page, HV);
    await page.getByRole('button', { name: `Open host ${HV}` }).click();
    await page.getByRole('tab', { name: 'Networks & bridges' }).click();
    const config = page.getByLabel('Bridge configuration');
    await expect(config).toContainText('Configuration: Debian ifupdown');
    await expect(config).toContainText("VirtDeck's connection runs over eth0: never changed here");

    // An internal bridge, like the guide's br-lan: no ports.
    await page.getByRole('button', { name: 'Create bridge' }).click();
    const create = page.getByRole('dialog', { name: `Create bridge on ${HV}` });
    await create.getByRole('textbox', { name: 'Bridge name' }).fill('br/bad');
    await create.getByRole('button', { name: 'Create' }).click();
    await expect(create.getByRole('alert')).toContainText('"br/bad" is not a Linux interface name');
    expect(link('br/bad')).toBeUndefined();
    await create.getByRole('textbox', { name: 'Bridge name' }).fill(BR);
    await create.getByRole('button', { name: 'Create' }).click();
    await expect(create).toBeHidden();
    await expect(page.getByText(`Done, kept in /etc/network/interfaces.d/${BR}`)).toBeVisible();
    await expect(row(page, BR)).toContainText('no ports');
    expect(link(BR)?.linkinfo?.info_kind).toBe('bridge');
    expect(readFileSync(FILE, 'utf8')).toContain(`auto ${BR}\niface ${BR} inet manual\n    bridge_ports none\n`);

    // The interface carrying the SSH session is refused, and stays as it was.
    await page.getByRole('button', { name: `Add a port to bridge ${BR}`, exact: true }).click();
    const add = page.getByRole('dialog', { name: `Add a port to ${BR}` });
    await add.getByRole('combobox', { name: 'Interface' }).selectOption('eth0');
    await add.getByRole('button', { name: 'Add port' }).click();
    await expect(add.getByRole('alert')).toContainText("eth0 carries VirtDeck's own SSH connection to this host");
    expect(link('eth0')?.master).toBeUndefined();
    // A spare NIC joins; the file follows.
    await add.getByRole('combobox', { name: 'Interface' }).selectOption(NIC);
    await add.getByRole('button', { name: 'Add port' }).click();
    await expect(add).toBeHidden();
    await expect(row(page, BR)).toContainText(`${NIC} (veth)`);
    expect(link(NIC)?.master).toBe(BR);
    expect(readFileSync(FILE, 'utf8')).toContain(`bridge_ports ${NIC}\n`);
    expect(readFileSync(`${FILE}.virtdeck-prev`, 'utf8')).toContain('bridge_ports none');

    // A VM on the bridge: its tap is listed by the VM's name, and the bridge cannot go while it runs.
    const xml = readFileSync(join(LAB_DIR, 'guests', 'desk.xml'), 'utf8')
      .replaceAll('@NAME@', VM)
      .replaceAll('@MAC@', '52:54:00:d0:03:7b')
      .replace(/<disk[\s\S]*?<\/disk>/, '')
      .replace("<source bridge='br-lan'/>", `<source bridge='${BR}'/>`);
    writeFileSync(`/tmp/${VM}.xml`, xml);
    await hostVirsh(HV, 'define', `/tmp/${VM}.xml`);
    rmSync(`/tmp/${VM}.xml`);
    await hostVirsh(HV, 'start', VM);
    await expect(row(page, BR)).toContainText(`(${VM})`);
    await page.getByRole('button', { name: `Delete bridge ${BR}`, exact: true }).click();
    await page.getByRole('dialog', { name: `Delete bridge ${BR}?` }).getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'The bridge was not changed' })).toContainText(`${BR} is in use by running VMs: ${VM}`);
    expect(link(BR)).toBeDefined();
    await page.screenshot({ path: `${process.env.VIRTDECK_SHOTS ?? 'test-results'}/bridges.png`, fullPage: true });

    // Taken down again: the port, then (VM gone) the bridge and its file; the previous copy stays.
    await hostVirsh(HV, 'destroy', VM);
    await expect(row(page, BR)).not.toContainText(VM);
    await page.getByRole('button', { name: `Remove port ${NIC} from bridge ${BR}`, exact: true }).click();
    await expect(row(page, BR)).toContainText('no ports');
    expect(link(NIC)?.master).toBeUndefined();
    expect(readFileSync(FILE, 'utf8')).toContain('bridge_ports none');
    await page.getByRole('button', { name: `Delete bridge ${BR}`, exact: true }).click();
    await page.getByRole('dialog', { name: `Delete bridge ${BR}?` }).getByRole('button', { name: 'Delete' }).click();
    await expect(row(page, BR)).toHaveCount(0);
    expect(link(BR)).toBeUndefined();
    expect(existsSync(FILE)).toBe(false);
    expect(readFileSync(`${FILE}.virtdeck-prev`, 'utf8')).toContain(`auto ${BR}`);
    checkConsole();
  } finally {
    await cleanUp();
  }
});

test('bridges: a host whose user has neither root nor a sudo rule says so, and offers no change', async ({ page, app }) => {
  await page.goto(app.url);
  await addConnection(page, 'hv2');
  await page.getByRole('button', { name: 'Open host hv2' }).click();
  await page.getByRole('tab', { name: 'Networks & bridges' }).click();
  const config = page.getByLabel('Bridge configuration');
  await expect(config).toContainText('VirtDeck may not change bridges on this host');
  await expect(config).toContainText('may not run these as root without a password (sudo -n): ip link add name br-example');
  await expect(page.getByRole('button', { name: 'Create bridge' })).toBeDisabled();
});
