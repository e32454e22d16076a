// QEMU's own view of a VM (libvirt/qmp-virtio.ts): the guest-driver report on demand, and followed
// while a view shows the VM.
//
// Following costs one `x-query-virtio` per WATCH_MS (it lists the devices: a boot, a hot-plug or
// an unplug changes the list; on a QEMU without it, `query-pci`); the statuses are read again only
// when the list changed or while a device's driver is not ready yet (the admin is loading it).
// Never a poll per device.
import type { BackendEvent } from '../../../shared/contract/index.js';
import { reportSignature, type VirtioReport } from '../../../shared/qmp/index.js';
import type { Service } from '../dispatch.js';
import { measureIo } from '../libvirt/qmp-blockstats.js';
import { deviceList, qmpCommands, readVirtio } from '../libvirt/qmp-virtio.js';
import type { ServiceContext } from './context.js';
import { VmWatches, type VmWatch } from './vm-watches.js';

export type QmpMethod = 'qmp.virtio' | 'qmp.watchVirtio' | 'qmp.measureIo';

const WATCH_MS = 2000;

interface Watch extends VmWatch {
  /** query-commands of the QEMU process seen last (null: not running); re-read after a (re)start. */
  commands?: Set<string> | null;
  last?: VirtioReport;
  paths?: string;
  signature?: string;
}

/** Nothing left to follow: every driver ready, or (without x-query-virtio) only states query-pci
 *  can never tell — the balloon's statistics can still come. */
const settled = (r: VirtioReport) => !r.running || r.devices.every((d) => d.state === 'ready' || (!r.supported && d.type !== 'virtio-balloon'));

export function qmpService({ registry, emit }: ServiceContext): Service<QmpMethod> {
  const virsh = (hostId: string, name: string) => registry.withVm(hostId, name).virsh();

  const publish = (hostId: string, name: string, w: Watch | undefined, report: VirtioReport) => {
    const signature = reportSignature(report);
    if (w) {
      w.last = report;
      if (w.signature === signature) return;
      w.signature = signature;
    }
    emit({ type: 'vm.virtio', hostId, name, report } satisfies BackendEvent);
  };

  const watches = new VmWatches<Watch>(WATCH_MS, () => ({ count: 0 }), async (hostId, name, w) => {
    try {
      const v = registry.get(hostId).virsh();
      if (!w.commands) w.commands = await qmpCommands(v, name);
      const list = w.commands ? await deviceList(v, name, w.commands).catch(() => null) : null;
      const paths = list ? JSON.stringify(list) : 'off';
      const changed = paths !== w.paths;
      w.paths = paths;
      if (!list) w.commands = null;
      if (!changed && w.last && settled(w.last)) return;
      publish(hostId, name, w, await readVirtio(v, name, list ? w.commands : null, list && 'virtio' in list ? list.virtio : undefined));
    } catch {
      // A host offline or a VM gone: the fleet says so; try again at the next tick.
    }
  });

  return {
    'qmp.virtio': async ({ hostId, name }) => {
      const report = await readVirtio(virsh(hostId, name), name);
      publish(hostId, name, watches.get(hostId, name), report);
      return report;
    },
    'qmp.watchVirtio': async ({ hostId, name, watch }) => {
      watches.set(hostId, name, Boolean(watch));
      return null;
    },
    'qmp.measureIo': async ({ hostId, name, seconds }) => measureIo(virsh(hostId, name), name, Number(seconds)),
  };
}
