// VM lifecycle across the fleet: the inventory, actions, the delete dialog and dominfo
// (libvirt/lifecycle.ts, libvirt/inventory.ts).
import { containerActionArgv, deleteContainer } from '../libvirt/containers.js';
import { deleteVm, listDisks, VIRSH_ACTIONS } from '../libvirt/lifecycle.js';
import { parseKeyValues } from '../libvirt/parse.js';
import { refuseTemplateStart, refuseWhileChildren } from '../libvirt/templates.js';
import type { Service } from '../dispatch.js';
import type { ServiceContext } from './context.js';

export type DomainsMethod = 'vms.list' | 'vm.action' | 'vm.disks' | 'vm.delete' | 'vm.dominfo';

export function domainsService({ registry }: ServiceContext): Service<DomainsMethod> {
  return {
    'vms.list': async ({ fresh }) => {
      const hosts = registry.all();
      if (fresh) await Promise.all(hosts.map((h) => h.refreshIfOnline()));
      return hosts.flatMap((h) => h.vms);
    },
    'vm.action': async ({ hostId, name, driver, action }) => {
      const host = registry.withVm(hostId, name, driver);
      if (driver === 'lxc-tools') {
        const lxc = host.lxcTools();
        // Listed again at once, however it ended: the row shows what the host now says.
        await lxc.tools.action(name, action).finally(() => lxc.refresh());
        return null;
      }
      if ((action === 'start' || action === 'autostart-on') && driver !== 'lxc') await refuseTemplateStart(host.virsh(), name);
      await host.virsh(driver).run(driver === 'lxc' ? containerActionArgv(action, name) : VIRSH_ACTIONS[action](name));
      // Autostart changes raise no libvirt event: list again so every window sees it.
      if (action === 'autostart-on' || action === 'autostart-off') await host.refresh();
      return null;
    },
    'vm.disks': async ({ hostId, name }) => listDisks(registry.get(hostId).virsh(), name),
    'vm.delete': async ({ hostId, name, driver, storage }) => {
      const host = registry.withVm(hostId, name, driver);
      if (driver === 'lxc-tools') {
        const lxc = host.lxcTools();
        await lxc.tools.destroy(name).finally(() => lxc.refresh());
        return null;
      }
      if (driver === 'lxc') return deleteContainer(host.virsh('lxc'), name, storage).then(() => null);
      await refuseWhileChildren(host.virsh(), hostId, host.vms.map((vm) => vm.name), name, 'deleting it');
      await deleteVm(host.virsh(), name, storage);
      return null;
    },
    'vm.dominfo': async ({ hostId, name, driver }) =>
      driver === 'lxc-tools'
        ? parseKeyValues(await registry.withVm(hostId, name, driver).lxcTools().tools.run(['lxc-info', '-n', name, '-H']))
        : parseKeyValues(await registry.get(hostId).virsh(driver).run(['dominfo', '--domain', name])),
  };
}
