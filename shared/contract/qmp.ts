// QEMU's own view of a running VM through QMP (read-only): which virtio devices the guest drives.
import type { BlockWindow, VirtioReport } from '../qmp';

export type { BlockWindow, VirtioDeviceReport, VirtioReport } from '../qmp';

/** One disk's I/O over a measured window (query-blockstats at its start and end). */
export interface DiskWindow {
  /** The disk's target (vda, sda…), or QEMU's device id when the running XML does not name it. */
  disk: string;
  figures: BlockWindow;
}

export interface IoMeasurement {
  /** When the window started and ended (ms since the epoch). */
  from: number;
  to: number;
  disks: DiskWindow[];
}

export interface QmpMethods {
  /** Read the guest-driver state of every virtio device now (one query set for the VM). */
  'qmp.virtio': { params: { hostId: string; name: string }; result: VirtioReport };
  /** Follow it while a view shows the VM: 'vm.virtio' events after a boot, a hot-plug, or while
   *  a device's driver is not ready yet (one x-query-virtio per interval, statuses only then). */
  'qmp.watchVirtio': { params: { hostId: string; name: string; watch: boolean }; result: null };
  /** Per-disk I/O over the next `seconds` (2–300): query-blockstats now and then, the difference. */
  'qmp.measureIo': { params: { hostId: string; name: string; seconds: number }; result: IoMeasurement };
}
