// QEMU's own view of a running VM through QMP (read-only): which virtio devices the guest drives.
import type { VirtioReport } from '../qmp';

export type { VirtioDeviceReport, VirtioReport } from '../qmp';

export interface QmpMethods {
  /** Read the guest-driver state of every virtio device now (one query set for the VM). */
  'qmp.virtio': { params: { hostId: string; name: string }; result: VirtioReport };
  /** Follow it while a view shows the VM: 'vm.virtio' events after a boot, a hot-plug, or while
   *  a device's driver is not ready yet (one x-query-virtio per interval, statuses only then). */
  'qmp.watchVirtio': { params: { hostId: string; name: string; watch: boolean }; result: null };
}
