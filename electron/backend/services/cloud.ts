// VMs from cloud images and template deployments with cloud-init (electron/backend/cloud/). After
// each the host's VMs and storage are read again; a started VM's seed leaves its definition at
// once and the running VM once its console says cloud-init finished (first-boot.ts), and the host
// is read again then.
import type { CloudVmResult } from '../../../shared/contract/index.js';
import type { Service } from '../dispatch.js';
import { createFromImage, type CloudHost } from '../cloud/create.js';
import { deployFromTemplate } from '../cloud/deploy.js';
import { detachSeedAfterFirstBoot } from '../cloud/first-boot.js';
import { localSshKeys } from '../cloud/local-keys.js';
import { readVmNics } from '../libvirt/networks.js';
import { readHostStorage } from '../libvirt/storage-read.js';
import type { ServiceContext } from './context.js';

export type CloudMethod = 'cloud.create' | 'cloud.deploy' | 'cloud.localKeys';

export function cloudService({ registry, emit }: ServiceContext): Service<CloudMethod> {
  const cloudHost = (hostId: string): CloudHost => {
    const host = registry.get(hostId);
    const session = host.session();
    return { ...host.volumeHost(), hostId, vmNames: host.vms.filter((vm) => vm.driver !== 'lxc').map((vm) => vm.name), exec: async (argv) => (await session.exec(argv)).stdout };
  };
  const reread = async (hostId: string) => {
    const host = registry.get(hostId);
    await host.refresh().catch(() => undefined);
    const storage = await readHostStorage(host.virsh(), hostId, host.vms.map((vm) => vm.name)).catch(() => undefined);
    if (storage) emit({ type: 'host.storage', storage });
  };
  /** MACs of the VMs of every other connected host, so a deployment's are new fleet-wide. */
  const otherMacs = async (hostId: string) => {
    const others = registry.all().filter((h) => h.id !== hostId && h.status().state === 'online');
    const nics = await Promise.all(others.map((h) => readVmNics(h.virsh()).catch(() => [])));
    return nics.flat().flatMap((n) => (n.mac ? [n.mac.toLowerCase()] : []));
  };
  const watchSeed = (r: CloudVmResult & { seedTarget: string }): CloudVmResult => {
    const { seedTarget, ...result } = r;
    if (result.steps.includes('started')) {
      const host = registry.get(r.hostId);
      const consoles = host.consoleHost();
      void detachSeedAfterFirstBoot({
        virsh: host.virsh(),
        // No --force: a console someone has open is left to them.
        openConsole: (vm) => consoles.openPty(['virsh', '-c', consoles.libvirtUri, 'console', '--domain', vm], { cols: 200, rows: 50 }),
        vm: r.name,
        target: seedTarget,
        seed: r.seed,
        done: () => void reread(r.hostId),
      }).catch(() => undefined);
    }
    return result;
  };
  return {
    'cloud.create': async (p) => {
      try {
        return watchSeed(await createFromImage(cloudHost(p.hostId), p));
      } finally {
        await reread(p.hostId);
      }
    },
    'cloud.deploy': async (p) => {
      try {
        return watchSeed(await deployFromTemplate({ ...cloudHost(p.hostId), otherMacs: await otherMacs(p.hostId) }, p));
      } finally {
        await reread(p.hostId);
      }
    },
    'cloud.localKeys': () => localSshKeys(),
  };
}
