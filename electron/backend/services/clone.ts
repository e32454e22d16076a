// Clones and templates (libvirt/clone.ts, libvirt/templates.ts): a clone request's progress goes
// to every window as 'clone.progress'; the host's VMs and storage are read again after it, so
// every window sees the new VMs and volumes.
import type { Service } from '../dispatch.js';
import { cloneVm } from '../libvirt/clone.js';
import { setTemplate } from '../libvirt/templates.js';
import { readHostStorage } from '../libvirt/storage-read.js';
import type { ServiceContext } from './context.js';

export type CloneMethod = 'vm.clone' | 'vm.setTemplate';

export function cloneService({ registry, emit }: ServiceContext): Service<CloneMethod> {
  const names = (hostId: string) => registry.get(hostId).vms.map((vm) => vm.name);
  const reread = async (hostId: string) => {
    const host = registry.get(hostId);
    await host.refresh().catch(() => undefined);
    const storage = await readHostStorage(host.virsh(), hostId, names(hostId)).catch(() => undefined);
    if (storage) emit({ type: 'host.storage', storage });
  };
  return {
    'vm.clone': async (p) => {
      const host = registry.withVm(p.hostId, p.name);
      try {
        return await cloneVm({ hostId: host.id, label: host.label, virsh: host.virsh(), vmNames: names(host.id) }, p, (clone, step, bytes, total) => {
          if (p.progressId) emit({ type: 'clone.progress', progress: { progressId: p.progressId, clone, step, bytes, total } });
        });
      } finally {
        await reread(host.id);
      }
    },
    'vm.setTemplate': async ({ hostId, name, template }) => {
      const host = registry.withVm(hostId, name);
      await setTemplate(host.virsh(), hostId, names(hostId), name, template);
      // A metadata change raises an event, but the mark is read per domain: list at once.
      await host.refresh();
      return null;
    },
  };
}
